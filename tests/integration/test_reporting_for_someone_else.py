"""Someone reporting for someone else is asked who the victim is (a person or a business, and their name if they
want) and whether the victim knows about the report; staff see the answers on the case."""

import re

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.cases.models import Report
from portal.extensions import db
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import answer, error_messages, start, steps_with, submit, walk

FOR_SOMEONE_ELSE = steps_with({"who": {"reporter_role": "on_behalf"}})
ABOUT_THEM = {"victim_kind": "business", "victim_name": "Corner Shop Ltd", "victim_knows": "no"}


def with_victim(answers: dict) -> list:
    steps = list(FOR_SOMEONE_ELSE)
    steps.insert([slug for slug, _data in steps].index("who") + 1, ("someone-else", answers))
    return steps


def test_the_question_comes_straight_after_saying_so_and_is_kept_on_the_report(app, client):
    start(client)
    for slug, data in FOR_SOMEONE_ELSE[:4]:
        location = answer(client, slug, data)
    assert location == "/report/someone-else"
    page = client.get("/report/someone-else")
    assert_good_page(page)
    assert h1_text(page) == "The person or business you are reporting for"
    for slug, data in with_victim(ABOUT_THEM)[4:]:
        answer(client, slug, data)
    check = client.get("/report/check-answers").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", check).split())
    assert "Who the victim is A business or organisation, Corner Shop Ltd" in text
    assert "Do they know you are reporting this No" in text
    number = submit(client)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        assert (report.victim_kind, report.victim_name, report.victim_knows) == ("business", "Corner Shop Ltd", "no")


@pytest.mark.parametrize(("data", "messages"), [
    ({}, ["Select whether the victim is a person or a business or organisation",
          "Select whether they know you are reporting this"]),
    ({"victim_kind": "robot", "victim_knows": "maybe"},
     ["Select whether the victim is a person or a business or organisation",
      "Select whether they know you are reporting this"]),
    ({"victim_kind": "person", "victim_knows": "yes", "victim_name": "x" * 201},
     ["Name must be 200 characters or fewer"]),
])
def test_missing_hostile_and_oversized_answers_get_clear_errors(client, data, messages):
    start(client)
    for slug, answers in FOR_SOMEONE_ELSE[:4]:
        answer(client, slug, answers)
    response = client.post("/report/someone-else", data=data)
    assert response.status_code == 200
    assert error_messages(response) == [f"Error: {message}" for message in messages]


def test_the_victim_and_witnesses_are_not_asked_and_a_changed_answer_forgets_it(app, client):
    walk(client, with_victim({"victim_kind": "person", "victim_knows": "yes", "victim_name": "Alex"}))
    assert client.post("/report/who", data={"reporter_role": "victim"}).status_code == 302
    assert client.get("/report/someone-else").status_code == 302  # no longer asked
    number = submit(client)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        assert (report.victim_kind, report.victim_name, report.victim_knows) == (None, None, None)


def test_staff_see_who_the_victim_is_and_whether_they_know(app, client, make_user):
    walk(client, with_victim({"victim_kind": "person", "victim_knows": "not_sure", "victim_name": ""}))
    number = submit(client)
    staff = app.test_client()
    sign_in_as(staff, make_user(Role.OFFICER))
    page = staff.get(f"/staff/cases/{number}")
    assert_good_page(page)
    text = " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())
    assert "The victim A person" in text
    assert "Victim knows of the report The reporter does not know" in text

"""Information reports (lost property: not a crime) get a reference number in their own format, IR-26-0001234-X,
and words that fit: no "crime number", no "your rights as a victim"."""

import re

from sqlalchemy import select

from portal.cases.crime_numbers import check_letter
from portal.cases.models import Report
from portal.extensions import db
from tests.conftest import outbox_rows
from tests.pagecheck import assert_good_page
from tests.wizard import steps_with, submit, walk

LOST_PROPERTY = steps_with({"what-happened": {"category": "lost_property"}, "suspect": None, "witnesses": None})
REFERENCE = re.compile(r"^IR-[0-9]{2}-[0-9]{7}-[A-Z]$")


def main_text(response) -> str:
    html = response.get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_an_information_report_gets_a_reference_number_and_words_that_fit(app, client):
    walk(client, LOST_PROPERTY)
    reference = submit(client)
    assert REFERENCE.match(reference), reference
    page = client.get("/report/confirmation")
    assert_good_page(page)
    text = main_text(page)
    assert f"Your reference number is {reference}" in text
    assert "information report, not a crime" in text
    for crime_words in ("crime number", "Your rights as a victim", "review your report", "Get support"):
        assert crime_words.lower() not in text.lower(), crime_words
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == reference))
        assert report.is_information_report


def test_a_crime_keeps_its_crime_number_and_its_rights(client):
    walk(client)
    number = submit(client)
    assert number.startswith("CR-")
    text = main_text(client.get("/report/confirmation"))
    assert f"Your crime number is {number}" in text and "Your rights as a victim" in text


def test_the_two_kinds_of_number_share_one_sequence(client):
    walk(client, LOST_PROPERTY)
    first = submit(client)
    walk(client)
    second = submit(client)
    assert int(second.split("-")[2]) == int(first.split("-")[2]) + 1


def test_a_guests_email_calls_it_a_reference_number(app, client):
    walk(client, LOST_PROPERTY)
    submit(client)
    [email] = [row for row in outbox_rows(app) if row.template == "report_received"]
    assert "reference number" in email.body_text and "crime number" not in email.body_text.lower()


def test_a_reference_number_follows_the_report_at_track_and_a_mistyped_one_is_refused(app, client):
    walk(client, LOST_PROPERTY)
    reference = submit(client)
    assert client.post("/track", data={"crime_number": reference.lower()}).headers["Location"] == "/track/code"
    year, sequence = int(reference[3:5]), int(reference[6:13])
    wrong = next(letter for letter in "ABC" if letter != check_letter(year, sequence))
    refused = client.post("/track", data={"crime_number": reference[:-1] + wrong})
    assert refused.status_code == 200
    assert "it looks like it has been mistyped" in refused.get_data(as_text=True)
    other = client.post("/track", data={"crime_number": "XX" + reference[2:]})
    assert "Crime number must be in the format CR-26-0001234-X" in other.get_data(as_text=True)

"""Equality monitoring: the optional questions from the account and straight after reporting, stored as codes,
changed and deleted by the person, refused when crafted, audited without the answers, and only for victims and
witnesses."""

import json
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.domain import DomainError
from portal.equality import services
from portal.equality.models import CHARACTERISTICS, PREFER_NOT_TO_SAY, EqualityRecord
from portal.equality.questions import QUESTIONS
from portal.extensions import db
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.triage_helpers import make_report
from tests.wizard import error_messages, submit, walk

EVERY_ANSWER = {"age_band": "25_34", "sex": "female", "gender_identity": "different", "ethnicity": "mixed",
                "disability": "yes", "sexuality": "bisexual", "religion": "muslim", "mental_health": "yes",
                "repeat_victimisation": "no"}


def text_of(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def records(app) -> list[EqualityRecord]:
    """Every equality record, detached."""
    with app.app_context():
        rows = db.session.scalars(select(EqualityRecord).order_by(EqualityRecord.id)).all()
        db.session.expunge_all()
        return rows


def answers_in(record: EqualityRecord) -> dict:
    """A record's answers by characteristic."""
    return {characteristic: getattr(record, characteristic) for characteristic in CHARACTERISTICS}


def audit_rows(app) -> list[AuditEvent]:
    """Every audit event about equality records."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "equality_record")
                                  .order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return rows


def checked(response) -> dict:
    """The radio value checked for each question on the page."""
    html = response.get_data(as_text=True)
    found = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="radio"' in tag and "checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            found[name] = re.search(r'value="([^"]*)"', tag).group(1)
    return found


# The account page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VICTIM, Role.WITNESS])
def test_victims_and_witnesses_see_nine_optional_questions_and_why_we_ask(client, signed_in, role):
    signed_in(role)
    page = client.get("/equality/")
    assert page.status_code == 200
    assert_good_page(page)
    assert h1_text(page) == "Equality questions"
    text = text_of(page)
    for question in QUESTIONS:
        assert question.text in text
    assert page.get_data(as_text=True).count('value="prefer_not_to_say"') == len(QUESTIONS)
    assert "These questions are optional" in text
    assert "kept apart from your report" in text
    assert "The officer dealing with your case never sees them, and no support organisation ever sees them" in text
    assert "We never show a figure about fewer than 10 people" in text
    assert "required" not in page.get_data(as_text=True)
    assert checked(page) == {}
    assert "Delete my answers" not in text  # nothing to delete yet


def test_the_account_page_links_to_the_questions_for_victims_and_witnesses_only(client, signed_in, make_user):
    signed_in(Role.VICTIM)
    assert 'href="/equality/"' in client.get("/account").get_data(as_text=True)
    assert "Equality questions (optional)" in text_of(client.get("/account"))
    sign_in_as(client, make_user(Role.WITNESS))
    assert "Equality questions (optional)" in text_of(client.get("/account"))
    sign_in_as(client, make_user(Role.OFFICER))
    assert "Equality questions" not in text_of(client.get("/account"))


def test_saving_stores_codes_and_the_page_shows_them_again(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    response = client.post("/equality/", data=EVERY_ANSWER)
    assert response.status_code == 302 and response.headers["Location"] == "/equality/"
    [record] = records(app)
    assert record.user_id == victim.id and record.report_id is None
    assert answers_in(record) == EVERY_ANSWER
    page = client.get("/equality/")
    assert_good_page(page)
    assert "Your answers are saved" in text_of(page)
    assert checked(page) == EVERY_ANSWER
    assert "Delete my answers" in text_of(page)


def test_changing_replaces_every_answer_and_blank_questions_become_unanswered(app, client, signed_in):
    signed_in(Role.VICTIM)
    client.post("/equality/", data=EVERY_ANSWER)
    response = client.post("/equality/", data={"age_band": "65_plus", "religion": PREFER_NOT_TO_SAY})
    assert response.status_code == 302
    [record] = records(app)
    assert answers_in(record) == {**dict.fromkeys(CHARACTERISTICS), "age_band": "65_plus",
                                  "religion": PREFER_NOT_TO_SAY}
    assert checked(client.get("/equality/")) == {"age_band": "65_plus", "religion": PREFER_NOT_TO_SAY}


def test_prefer_not_to_say_is_stored_as_its_code(app, client, signed_in):
    signed_in(Role.WITNESS)
    client.post("/equality/", data=dict.fromkeys(CHARACTERISTICS, PREFER_NOT_TO_SAY))
    [record] = records(app)
    assert answers_in(record) == dict.fromkeys(CHARACTERISTICS, "prefer_not_to_say")


def test_answering_nothing_keeps_nothing_and_clears_earlier_answers(app, client, signed_in):
    signed_in(Role.VICTIM)
    response = client.post("/equality/", data={}, follow_redirects=True)
    assert "You did not answer any of the questions" in text_of(response)
    assert records(app) == []
    client.post("/equality/", data=EVERY_ANSWER)
    client.post("/equality/", data={})
    assert records(app) == []


def test_deleting_removes_the_record_and_is_audited(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    client.post("/equality/", data=EVERY_ANSWER)
    response = client.post("/equality/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/equality/"
    assert records(app) == []
    page = client.get("/equality/")
    assert "Your answers are deleted" in text_of(page)
    assert checked(page) == {}
    assert [(row.action, row.actor_id) for row in audit_rows(app)] == [("equality.saved", victim.id),
                                                                       ("equality.deleted", victim.id)]
    again = client.post("/equality/delete", follow_redirects=True)
    assert "There were no answers to delete" in text_of(again)


def test_deleting_needs_the_csrf_token(app, client, signed_in):
    signed_in(Role.VICTIM)
    client.post("/equality/", data=EVERY_ANSWER)
    assert client.post("/equality/delete", csrf=False).status_code == 400
    assert client.post("/equality/", data={"age_band": "18_24"}, csrf=False).status_code in (200, 400)
    assert answers_in(records(app)[0]) == EVERY_ANSWER


def test_the_audit_trail_never_holds_the_answers(app, client, signed_in):
    signed_in(Role.VICTIM)
    client.post("/equality/", data=EVERY_ANSWER)
    [row] = audit_rows(app)
    assert row.action == "equality.saved"
    words = [code for code in EVERY_ANSWER.values()] + [q.label(EVERY_ANSWER[q.characteristic]) for q in QUESTIONS]
    stored = f"{row.action} {row.object_type} {row.object_id} {row.detail}".lower()
    assert not [word for word in words if word.lower() in stored.split() or word.lower() in (row.detail or "")]
    assert row.detail == "answers saved"


HOSTILE = [
    ("age_band", "over_9000"),
    ("sexuality", "muslim"),  # an answer to another question
    ("religion", "<script>alert(1)</script>"),
    ("ethnicity", "' OR 1=1 --"),
    ("disability", "x" * 10_000),
    ("sex", "Female"),  # the label, not the code
    ("mental_health", "yes\x00no"),
    ("repeat_victimisation", " yes"),
]


@pytest.mark.parametrize(("characteristic", "value"), HOSTILE)
def test_invalid_and_hostile_codes_are_refused_on_the_page(app, client, signed_in, characteristic, value):
    signed_in(Role.VICTIM)
    client.post("/equality/", data=EVERY_ANSWER)
    response = client.post("/equality/", data={**EVERY_ANSWER, "age_band": "18_24", characteristic: value})
    assert response.status_code == 200
    assert_good_page(response)
    assert response.get_data(as_text=True).count("govuk-error-summary") >= 1
    [message] = error_messages(response)
    assert "or leave the question blank" in message
    assert "<script>alert" not in response.get_data(as_text=True)
    assert answers_in(records(app)[0]) == EVERY_ANSWER  # nothing changed


def test_two_values_for_one_question_and_unknown_fields_do_no_harm(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    response = client.post("/equality/", data={"sex": ["male", "female"], "user_id": "1", "report_id": "1",
                                               "id": "7", "created_at": "yesterday", "religion": "none"})
    assert response.status_code == 302
    [record] = records(app)
    assert record.user_id == victim.id and record.report_id is None
    assert answers_in(record) == {**dict.fromkeys(CHARACTERISTICS), "sex": "male", "religion": "none"}


def test_the_service_refuses_unknown_codes_and_staff(app, ctx, make_user):
    victim = db.session.get(User, make_user(Role.VICTIM).id)
    with pytest.raises(DomainError) as refused:
        services.save_for_user(victim, {"sexuality": "bisexual", "religion": "wizard"})
    assert refused.value.field == "religion"
    officer = db.session.get(User, make_user(Role.OFFICER).id)
    with pytest.raises(DomainError):
        services.save_for_user(officer, EVERY_ANSWER)
    assert db.session.scalar(select(func.count()).select_from(EqualityRecord)) == 0


# Who may use the pages ----------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client):
    for method, path in (("get", "/equality/"), ("post", "/equality/"), ("post", "/equality/delete")):
        response = getattr(client, method)(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.PARTNER, Role.ADMIN, Role.COMMISSIONER])
def test_staff_partners_admins_and_commissioners_are_refused(app, client, signed_in, role):
    signed_in(role)
    assert client.get("/equality/").status_code == 403
    assert client.post("/equality/", data=EVERY_ANSWER).status_code == 403
    assert client.post("/equality/delete").status_code == 403
    assert records(app) == []


# After reporting without an account ---------------------------------------------------------------------------


def report_as_guest(client) -> str:
    """Walk the wizard without an account and submit; return the crime number."""
    walk(client, check_pages=False)
    return submit(client)


def report_id(app, crime_number) -> int:
    """A report's id."""
    with app.app_context():
        return db.session.scalar(select(Report.id).where(Report.crime_number == crime_number))


def test_the_confirmation_page_offers_the_questions_and_they_are_answered_once(app, client):
    crime_number = report_as_guest(client)
    confirmation = client.get("/report/confirmation")
    assert 'href="/equality/report"' in confirmation.get_data(as_text=True)
    assert "Equality questions (optional)" in text_of(confirmation)
    page = client.get("/equality/report")
    assert_good_page(page)
    assert h1_text(page) == "Equality questions"
    assert "Delete my answers" not in text_of(page)
    assert "You can answer these questions once for this report" in text_of(page)
    response = client.post("/equality/report", data=EVERY_ANSWER)
    assert response.status_code == 302 and response.headers["Location"] == "/equality/report"
    [record] = records(app)
    assert record.report_id == report_id(app, crime_number) and record.user_id is None
    assert answers_in(record) == EVERY_ANSWER
    thanks = client.get("/equality/report")
    assert_good_page(thanks)
    assert h1_text(thanks) == "Thank you for answering"
    again = client.post("/equality/report", data={**EVERY_ANSWER, "sex": "male"})
    assert again.status_code == 200 and h1_text(again) == "Thank you for answering"
    assert answers_in(records(app)[0]) == EVERY_ANSWER
    [audit] = audit_rows(app)
    assert audit.actor_id is None and audit.detail == "answers saved after reporting"


def test_without_a_report_just_submitted_the_link_has_expired(app, client):
    make_report(app)  # someone else's report, not submitted in this browser
    for response in (client.get("/equality/report"), client.post("/equality/report", data=EVERY_ANSWER)):
        assert response.status_code == 200
        assert_good_page(response)
        assert h1_text(response) == "This link has expired"
    assert records(app) == []


def test_the_guest_route_answers_only_for_the_report_in_this_browser(app, client):
    report_as_guest(client)
    other = make_report(app)
    other_id = report_id(app, other)
    client.post("/equality/report", data={**EVERY_ANSWER, "report_id": str(other_id)})
    [record] = records(app)
    assert record.report_id != other_id
    stranger = app.test_client()
    assert h1_text(stranger.get("/equality/report")) == "This link has expired"
    with stranger.session_transaction() as session:
        session["submitted_report_id"] = "1 OR 1=1"
    assert h1_text(stranger.get("/equality/report")) == "This link has expired"


def test_a_guest_who_answers_nothing_goes_back_to_the_confirmation(app, client):
    report_as_guest(client)
    response = client.post("/equality/report", data={}, follow_redirects=True)
    assert "You did not answer any of the questions" in text_of(response)
    assert records(app) == []


def test_a_hostile_guest_answer_is_refused_on_the_page(app, client):
    report_as_guest(client)
    response = client.post("/equality/report", data={"religion": "<b>bold</b>"})
    assert response.status_code == 200
    assert_good_page(response)
    assert error_messages(response) == ["Error: Select your religion from the list, or leave the question blank"]
    assert records(app) == []


def test_signed_in_reporters_are_sent_to_their_account_questions(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, victim)
    with client.session_transaction() as session:
        session["submitted_report_id"] = report_id(app, crime_number)
    response = client.get("/equality/report")
    assert response.status_code == 302 and response.headers["Location"] == "/equality/"
    assert client.post("/equality/report", data=EVERY_ANSWER).headers["Location"] == "/equality/"
    assert records(app) == []


def test_a_report_linked_to_an_account_is_answered_from_the_account(app, client, make_user):
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, victim)
    with client.session_transaction() as session:
        session["submitted_report_id"] = report_id(app, crime_number)
    response = client.post("/equality/report", data=EVERY_ANSWER)
    assert response.status_code == 302 and response.headers["Location"] == "/equality/"
    assert records(app) == []


# The person's own copy of their data --------------------------------------------------------------------------


def test_the_persons_own_data_download_holds_their_answers(app, client, signed_in):
    signed_in(Role.VICTIM)
    empty = json.loads(client.get("/account/data/download.json").get_data(as_text=True))
    assert empty["equality_answers"] == []
    client.post("/equality/", data=EVERY_ANSWER)
    data = json.loads(client.get("/account/data/download.json").get_data(as_text=True))
    [given] = data["equality_answers"]
    assert given["given"] == "from your account"
    answers = {item["question"]: item["answer"] for item in given["answers"]}
    assert answers["Which of these best describes your sexual orientation?"] == "Bisexual"
    assert answers["What is your religion?"] == "Muslim"
    assert {item["code"] for item in given["answers"]} == set(EVERY_ANSWER.values())
    pdf = client.get("/account/data/download.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_answers_given_after_reporting_follow_the_report_into_the_account(app, client, make_user):
    crime_number = report_as_guest(client)
    client.post("/equality/report", data=EVERY_ANSWER)
    victim = make_user(Role.VICTIM)
    with app.app_context():
        db.session.get(Report, report_id(app, crime_number)).reporter_user_id = victim.id
        db.session.commit()
    own = app.test_client()
    sign_in_as(own, victim)
    data = json.loads(own.get("/account/data/download.json").get_data(as_text=True))
    [given] = data["equality_answers"]
    assert given["crime_number"] == crime_number and given["given"] == "after reporting"
    page = own.get("/equality/")
    assert checked(page) == {}  # the account's own answers are separate
    assert f"It also deletes the answers you gave after reporting {crime_number}" in text_of(page)
    own.post("/equality/delete")
    assert records(app) == []

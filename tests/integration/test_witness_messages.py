"""Issue 20: a witness writes to the Witness Care Unit and reads the replies. Each witness has a thread of their
own; witness care see what is unread on their task queue, on a list of witnesses waiting and on the case's witnesses
page; the witness is emailed a neutral line when witness care reply; the victim and the other witnesses see none of
it."""

import json

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, WitnessLink
from portal.extensions import db
from portal.messages.models import WitnessMessage
from portal.notifications.models import OutboxMessage
from tests.conftest import sign_in_as
from tests.integration.test_witness_tasks import hearing, hearing_world  # noqa: F401 - the fixtures
from tests.pagecheck import assert_good_page

QUESTION = "Can my sister sit with me while I wait to give evidence?"
REPLY = "Yes. Ask for the witness service room when you arrive at Wood Green."


@pytest.fixture
def care(app, make_user, hearing):  # noqa: F811 - the fixture
    """The hearing's case with a Witness Care Unit member signed in, and each witness's link."""
    client = app.test_client()
    member = make_user(Role.WITNESS_CARE)
    sign_in_as(client, member)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == hearing["number"]))
        links = {user_id: link_id for link_id, user_id in db.session.execute(
            select(WitnessLink.id, WitnessLink.witness_user_id).where(WitnessLink.report_id == report.id))}
    hearing["clients"]["care"] = client
    hearing["people"]["care"] = member
    hearing["links"] = {kind: links[hearing["people"][kind].id] for kind in ("witness", "other")}
    return hearing


def thread_url(world, kind: str = "witness") -> str:
    return f"/staff/cases/{world['number']}/witnesses/{world['links'][kind]}/messages"


def write(world, body: str, who: str = "witness"):
    return world["clients"][who].post(f"/cases/{world['number']}/witness-care", data={"body": body})


def new_message_emails(app, email: str) -> list[OutboxMessage]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email,
                                                                    OutboxMessage.template == "new_message")))
        for message in found:
            db.session.expunge(message)
        return found


def test_a_witness_message_waits_for_witness_care_until_read_and_the_reply_reaches_the_witness(app, care):
    witness, staff, number = care["clients"]["witness"], care["clients"]["care"], care["number"]
    page = witness.get(f"/cases/{number}/witness-care")
    assert page.status_code == 200
    assert_good_page(page)
    assert "There are no messages yet." in page.get_data(as_text=True)
    assert f"/cases/{number}/witness-care" in witness.get(f"/cases/{number}").get_data(as_text=True)

    sent = write(care, QUESTION)
    assert sent.status_code == 302 and sent.headers["Location"] == f"/cases/{number}/witness-care"
    thread = witness.get(f"/cases/{number}/witness-care").get_data(as_text=True)
    assert "Your message has been sent to witness care." in thread and QUESTION in thread

    # Witness care see it waiting: on their task queue, on the list of witnesses waiting, on the case's witnesses.
    queue = staff.get("/staff/tasks/").get_data(as_text=True)
    assert "Messages from witnesses" in queue and "1 unread" in queue
    waiting = staff.get("/staff/witness-messages")
    assert_good_page(waiting)
    waiting_html = waiting.get_data(as_text=True)
    assert number in waiting_html and "wit@example.org" in waiting_html and thread_url(care) in waiting_html
    assert "1 unread" in staff.get(f"/staff/cases/{number}/witnesses").get_data(as_text=True)

    opened = staff.get(thread_url(care))
    assert_good_page(opened)
    assert QUESTION in opened.get_data(as_text=True)
    # Read now: nothing waits, and the reading is on the audit trail.
    assert "Every message from a witness has been read." in staff.get("/staff/witness-messages").get_data(as_text=True)
    assert "(none unread)" in staff.get("/staff/tasks/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.actor_id == care["people"]["care"].id,
                                                             AuditEvent.action == "messages.viewed",
                                                             AuditEvent.object_id == number)) is not None

    replied = staff.post(thread_url(care), data={"body": REPLY})
    assert replied.status_code == 302 and replied.headers["Location"] == thread_url(care)
    assert "Not read yet" in staff.get(thread_url(care)).get_data(as_text=True)

    # The witness is told there is a message, in neutral words, with neither the reply nor the case in it.
    emails = new_message_emails(app, care["people"]["witness"].email)
    assert len(emails) == 1
    for words in (REPLY, number, "witness", "court", "Wood Green"):
        assert words.lower() not in (emails[0].subject + emails[0].body_text).lower()
    case_page = witness.get(f"/cases/{number}").get_data(as_text=True)
    assert "1 new message" in case_page
    reading = witness.get(f"/cases/{number}/witness-care").get_data(as_text=True)
    assert REPLY in reading and "Witness care" in reading and "New" in reading
    assert "new message" not in witness.get(f"/cases/{number}").get_data(as_text=True)
    assert "Read by the witness" in staff.get(thread_url(care)).get_data(as_text=True)


def test_nobody_else_reads_a_witness_thread(app, care):
    number = care["number"]
    assert write(care, QUESTION).status_code == 302
    assert care["clients"]["care"].post(thread_url(care), data={"body": REPLY}).status_code == 302
    # The other witness on the same case has a thread of their own, empty.
    other = care["clients"]["other"].get(f"/cases/{number}/witness-care").get_data(as_text=True)
    assert QUESTION not in other and REPLY not in other and "There are no messages yet." in other
    # The victim's messages and case page, and the officer's pages, carry none of it.
    for client, url in ((care["clients"]["victim"], f"/cases/{number}/messages"),
                        (care["clients"]["victim"], f"/cases/{number}"),
                        (care["clients"]["officer"], f"/staff/cases/{number}/messages"),
                        (care["clients"]["officer"], f"/staff/cases/{number}")):
        html = client.get(url).get_data(as_text=True)
        assert QUESTION not in html and REPLY not in html, url
    assert care["clients"]["officer"].get(thread_url(care)).status_code == 403
    assert care["clients"]["victim"].get(f"/cases/{number}/witness-care").status_code == 404
    # The victim's data download has none of it; the witness's own has both sides of their thread.
    victim_data = care["clients"]["victim"].get("/account/data/download.json").get_data(as_text=True)
    assert QUESTION not in victim_data and REPLY not in victim_data
    witness_data = json.loads(care["clients"]["witness"].get("/account/data/download.json").get_data(as_text=True))
    case = next(c for c in witness_data["witness_cases"] if c["crime_number"] == number)
    assert [(m["from"], m["body"]) for m in case["messages"]] == [("you", QUESTION), ("witness care", REPLY)]


@pytest.mark.parametrize(("body", "error"), [
    ("", "Enter a message"),
    ("   \r\n  ", "Enter a message"),
    ("x" * 3001, "Message must be 3000 characters or fewer"),
])
def test_a_message_that_cannot_be_sent_is_explained_and_kept(app, care, body, error):
    response = write(care, body)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert error in html and "govuk-error-summary" in html
    if body.strip():
        assert body in html  # what was typed is still there
    reply = care["clients"]["care"].post(thread_url(care), data={"body": body})
    assert reply.status_code == 200 and error in reply.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(WitnessMessage)).all() == []


def test_hostile_text_is_shown_as_text(app, care):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert write(care, hostile).status_code == 302
    html = care["clients"]["care"].get(thread_url(care)).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_a_closed_account_is_not_emailed_and_a_witness_not_yet_joined_cannot_be_written_to(app, care):
    with app.app_context():
        db.session.get(User, care["people"]["witness"].id).is_active_account = False
        db.session.commit()
    assert care["clients"]["care"].post(thread_url(care), data={"body": REPLY}).status_code == 302
    assert new_message_emails(app, care["people"]["witness"].email) == []
    # An invitation nobody has used yet: the page says so, and a reply is not stored.
    staff = care["clients"]["care"]
    staff.post(f"/staff/cases/{care['number']}/witnesses", data={"email": "not-yet@example.org"})
    with app.app_context():
        link_id = db.session.scalar(select(WitnessLink.id).where(WitnessLink.invited_email == "not-yet@example.org"))
    url = f"/staff/cases/{care['number']}/witnesses/{link_id}/messages"
    page = staff.get(url)
    assert_good_page(page)
    assert "has not joined the case yet" in page.get_data(as_text=True)
    assert staff.post(url, data={"body": REPLY}).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(WitnessMessage).where(WitnessMessage.witness_link_id == link_id)).all() == []

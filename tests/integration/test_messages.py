"""Secure messages between a victim and police staff on the victim's case."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.domain import DomainError
from portal.extensions import db
from portal.messages import services
from portal.messages.models import CaseMessage
from tests.conftest import outbox_rows, sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.triage_helpers import make_report, report_state
from tests.wizard import error_messages

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def set_report(app, crime_number, **values) -> None:
    """Change fields of a report directly, as earlier staff decisions would have."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        for name, value in values.items():
            setattr(report, name, value)
        db.session.commit()


def messages_on(app, crime_number) -> list[CaseMessage]:
    """The case's messages, oldest first, detached for reading."""
    report = report_state(app, crime_number)
    with app.app_context():
        rows = db.session.scalars(select(CaseMessage).where(CaseMessage.report_id == report.id)
                                  .order_by(CaseMessage.id)).all()
        db.session.expunge_all()
        return rows


def message_emails(app) -> list:
    """Outbox rows about new messages."""
    return [m for m in outbox_rows(app) if m.template == "new_message"]


def staff_client(app, user):
    """A second browser, signed in as a member of staff."""
    browser = app.test_client()
    sign_in_as(browser, user)
    return browser


@pytest.fixture
def victim_case(app, client, signed_in, make_user):
    """A signed-in victim's case with a named officer: (crime number, victim, officer)."""
    victim = signed_in(Role.VICTIM)
    officer = make_user(Role.OFFICER, display_name="Alex Morgan", rank="PC", collar_number="1234")
    crime_number = make_report(app, user=victim)
    set_report(app, crime_number, named_officer_id=officer.id)
    return crime_number, victim, officer


def test_a_victim_message_reaches_staff_with_an_unread_count_and_a_neutral_email(app, client, victim_case):
    """Staff see the message, counted as unread in the queue and on the case; the officer's email says nothing."""
    crime_number, victim, officer = victim_case
    page = client.get(f"/cases/{crime_number}/messages")
    assert_good_page(page)
    assert h1_text(page) == "Messages about your case"
    response = client.post(f"/cases/{crime_number}/messages", data={"body": "The bike had a red bell.\nAnd a basket."})
    assert response.headers["Location"] == f"/cases/{crime_number}/messages"
    thread = client.get(f"/cases/{crime_number}/messages").get_data(as_text=True)
    assert "Your message has been sent." in thread and "The bike had a red bell." in thread
    assert ">You</h3>" in thread

    [message] = messages_on(app, crime_number)
    assert (message.from_staff, message.sender_id, message.read_at) == (False, victim.id, None)
    assert message.body == "The bike had a red bell.\nAnd a basket."
    assert message.sent_at.tzinfo is not None

    [email] = message_emails(app)
    assert email.recipient == officer.email and email.subject == "You have a new message"
    assert "red bell" not in email.body_text and crime_number not in email.body_text
    assert "/login" in email.body_text

    police = staff_client(app, officer)
    assert "1 unread message" in police.get("/staff/triage").get_data(as_text=True)
    case_page = police.get(f"/staff/cases/{crime_number}")
    assert_good_page(case_page)
    case_html = case_page.get_data(as_text=True)
    assert f'href="/staff/cases/{crime_number}/messages"' in case_html and "1 unread message" in case_html

    staff_page = police.get(f"/staff/cases/{crime_number}/messages")
    assert_good_page(staff_page)
    html = staff_page.get_data(as_text=True)
    assert h1_text(staff_page) == f"Messages on case {crime_number}"
    assert "Sam Victim" in html and "The bike had a red bell." in html and "New" in html
    assert 'class="govuk-body app-preserve-lines"' in html

    assert messages_on(app, crime_number)[0].read_at is not None
    assert "unread message" not in police.get("/staff/triage").get_data(as_text=True)
    assert "unread message" not in police.get(f"/staff/cases/{crime_number}").get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == crime_number)))
    assert {"message.sent", "messages.viewed"} <= actions


def test_with_no_named_officer_the_officer_who_claimed_it_is_emailed(app, client, signed_in, make_user):
    """The claimer gets the email when nobody is named; with neither, nobody is emailed."""
    victim = signed_in(Role.VICTIM)
    claimer = make_user(Role.OFFICER)
    claimed = make_report(app, user=victim)
    set_report(app, claimed, claimed_by_id=claimer.id)
    unassigned = make_report(app, user=victim)
    client.post(f"/cases/{claimed}/messages", data={"body": "Hello"})
    client.post(f"/cases/{unassigned}/messages", data={"body": "Hello again"})
    assert [m.recipient for m in message_emails(app)] == [claimer.email]
    assert len(messages_on(app, unassigned)) == 1


def test_a_staff_reply_reaches_the_victim(app, client, victim_case):
    """The victim sees 'Police' and the reply, with a new-message count on the case page until they read it."""
    crime_number, victim, officer = victim_case
    police = staff_client(app, officer)
    page = police.get(f"/staff/cases/{crime_number}/messages")
    assert_good_page(page)
    assert "There are no messages yet." in page.get_data(as_text=True)
    response = police.post(f"/staff/cases/{crime_number}/messages", data={"body": "We have found a bike."})
    assert response.headers["Location"] == f"/staff/cases/{crime_number}/messages"
    assert "Not read yet" in police.get(f"/staff/cases/{crime_number}/messages").get_data(as_text=True)

    [email] = message_emails(app)
    assert email.recipient == victim.email and email.subject == "You have a new message"
    assert "found a bike" not in email.body_text and crime_number not in email.body_text

    case_page = client.get(f"/cases/{crime_number}")
    assert_good_page(case_page)
    case_html = case_page.get_data(as_text=True)
    assert f'href="/cases/{crime_number}/messages"' in case_html and "1 new message" in case_html
    thread = client.get(f"/cases/{crime_number}/messages").get_data(as_text=True)
    assert ">Police</h3>" in thread and "We have found a bike." in thread and officer.email not in thread
    assert "new message" not in client.get(f"/cases/{crime_number}").get_data(as_text=True)
    [message] = messages_on(app, crime_number)
    assert message.from_staff and message.sender_id == officer.id and message.read_at is not None
    staff_html = police.get(f"/staff/cases/{crime_number}/messages").get_data(as_text=True)
    assert "Read by the victim" in staff_html and "PC 1234 Alex Morgan" in staff_html
    assert officer.email not in staff_html


def test_the_thread_shows_both_sides_oldest_first(app, client, victim_case):
    """Messages appear in the order they were sent, newest last, on both sides."""
    crime_number, _victim, officer = victim_case
    police = staff_client(app, officer)
    client.post(f"/cases/{crime_number}/messages", data={"body": "First from the victim"})
    police.post(f"/staff/cases/{crime_number}/messages", data={"body": "Second from the police"})
    client.post(f"/cases/{crime_number}/messages", data={"body": "Third from the victim"})
    for html in (client.get(f"/cases/{crime_number}/messages").get_data(as_text=True),
                 police.get(f"/staff/cases/{crime_number}/messages").get_data(as_text=True)):
        assert html.index("First from") < html.index("Second from") < html.index("Third from")


def test_no_email_to_the_victim_when_email_is_not_a_safe_channel(app, client, victim_case):
    """The reply is kept for the victim to read, but nothing is sent to an inbox someone else may see."""
    crime_number, _victim, officer = victim_case
    set_report(app, crime_number, safe_channels=["phone"])
    police = staff_client(app, officer)
    assert "will not be told about your reply" in police.get(
        f"/staff/cases/{crime_number}/messages").get_data(as_text=True)
    police.post(f"/staff/cases/{crime_number}/messages", data={"body": "Please call us."})
    assert message_emails(app) == []
    assert "Please call us." in client.get(f"/cases/{crime_number}/messages").get_data(as_text=True)


def test_adding_information_puts_it_on_the_victims_timeline(app, client, victim_case):
    """'This adds information about what happened' adds a victim-visible event with the text."""
    crime_number, victim, _officer = victim_case
    client.post(f"/cases/{crime_number}/messages", data={"body": "Plain question"})
    client.post(f"/cases/{crime_number}/messages",
                data={"body": "I remembered the suspect wore a green hat.", "adds_information": "y"})
    report = report_state(app, crime_number)
    with app.app_context():
        [event] = db.session.scalars(select(TimelineEvent).where(TimelineEvent.report_id == report.id,
                                                                 TimelineEvent.kind == "information_added")).all()
        assert (event.title, event.visible_to_victim, event.actor_id) == ("You added information", True, victim.id)
        assert event.body == "I remembered the suspect wore a green hat."
    case_html = client.get(f"/cases/{crime_number}/updates").get_data(as_text=True)
    timeline = case_html[case_html.index('id="timeline"'):]
    assert "You added information" in timeline and "green hat" in timeline and "Plain question" not in timeline
    assert len(messages_on(app, crime_number)) == 2


def test_another_victim_gets_not_found_and_changes_nothing(app, client, signed_in, make_user):
    """A case not linked to the victim's account is 'not found' for reading and for sending."""
    crime_number = make_report(app, user=make_user(Role.VICTIM))
    signed_in(Role.VICTIM)
    assert client.get(f"/cases/{crime_number}/messages").status_code == 404
    assert client.post(f"/cases/{crime_number}/messages", data={"body": "Let me in"}).status_code == 404
    assert messages_on(app, crime_number) == []
    assert client.get(f"/staff/cases/{crime_number}/messages").status_code == 403


@pytest.mark.parametrize("role", [Role.WITNESS, Role.PARTNER, Role.ADMIN])
def test_other_roles_are_refused_both_threads(app, client, signed_in, make_user, role):
    """Witnesses, partners and admins get 403 on the victim's thread and on the staff thread."""
    crime_number = make_report(app, user=make_user(Role.VICTIM))
    signed_in(role)
    for url in (f"/cases/{crime_number}/messages", f"/staff/cases/{crime_number}/messages"):
        assert client.get(url).status_code == 403
        assert client.post(url, data={"body": "Hello"}).status_code == 403
    assert messages_on(app, crime_number) == []


def test_staff_get_not_found_for_an_unknown_case(client, signed_in):
    """A crime number that does not exist is 'not found' on the staff thread."""
    signed_in(Role.SUPERVISOR)
    assert client.get("/staff/cases/CR-26-0000000-X/messages").status_code == 404


@pytest.mark.parametrize("body, error", [
    ("", "Enter a message"),
    ("   \n  ", "Enter a message"),
    ("x" * 3001, "Message must be 3000 characters or fewer"),
])
def test_empty_and_long_messages_show_gov_uk_errors(app, client, victim_case, body, error):
    """Both threads refuse empty and over-long messages with the GOV.UK error summary and message."""
    crime_number, _victim, officer = victim_case
    police = staff_client(app, officer)
    for browser, url in ((client, f"/cases/{crime_number}/messages"),
                         (police, f"/staff/cases/{crime_number}/messages")):
        response = browser.post(url, data={"body": body})
        assert response.status_code == 200
        assert_good_page(response)
        assert error_messages(response) == [f"Error: {error}"]
        html = response.get_data(as_text=True)
        assert "There is a problem" in html and "<title>Error: " in html
    assert messages_on(app, crime_number) == []
    assert message_emails(app) == []


def test_line_breaks_count_once_towards_the_limit(app, client, victim_case):
    """3000 characters with browser line breaks (CR LF) are accepted, and stored with plain line breaks."""
    crime_number, _victim, _officer = victim_case
    body = ("a" * 99 + "\r\n") * 30  # 3000 characters as typed, 3030 as sent
    response = client.post(f"/cases/{crime_number}/messages", data={"body": body})
    assert response.status_code == 302
    [message] = messages_on(app, crime_number)
    assert "\r" not in message.body and len(message.body) == 2999  # the last line break is trimmed


def test_hostile_text_is_shown_escaped(app, client, victim_case):
    """Markup in a message is shown as text on both sides, never run."""
    crime_number, _victim, officer = victim_case
    client.post(f"/cases/{crime_number}/messages", data={"body": HOSTILE})
    police = staff_client(app, officer)
    police.post(f"/staff/cases/{crime_number}/messages", data={"body": HOSTILE})
    for html in (client.get(f"/cases/{crime_number}/messages").get_data(as_text=True),
                 police.get(f"/staff/cases/{crime_number}/messages").get_data(as_text=True)):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 2


def test_staff_cannot_message_a_case_nobody_can_read(app, client, signed_in):
    """A report with no linked account shows why there is no reply form, and a reply is refused."""
    crime_number = make_report(app)
    signed_in(Role.OFFICER)
    page = client.get(f"/staff/cases/{crime_number}/messages")
    assert_good_page(page)
    assert "not linked to an account" in page.get_data(as_text=True)
    response = client.post(f"/staff/cases/{crime_number}/messages", data={"body": "Hello?"}, follow_redirects=True)
    assert_good_page(response)
    assert "Nobody can read messages on this case" in response.get_data(as_text=True)
    assert messages_on(app, crime_number) == []


def test_the_services_check_who_is_writing_and_reading(app, ctx, make_user):
    """Only the linked victim and police staff may write or mark read; nothing is written when refused."""
    victim, stranger = make_user(Role.VICTIM), make_user(Role.VICTIM)
    partner = make_user(Role.PARTNER)
    crime_number = make_report(app, user=victim)
    report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
    with pytest.raises(DomainError):
        services.send_victim_message(stranger, report, "Hello", False)
    with pytest.raises(DomainError):
        services.send_staff_message(victim, report, "Hello")
    with pytest.raises(DomainError):
        services.send_staff_message(partner, report, "Hello")
    with pytest.raises(DomainError):
        services.mark_read(stranger, report)
    db.session.rollback()
    assert db.session.scalars(select(CaseMessage)).all() == []

"""Issue 18: the neutral sender, honoured for email over SMTP. A person who asked for messages from a name that
does not mention the police gets them from a neutral From name, in words that never name the police, a crime, a
report, a victim, a witness or the service, in every language. Anyone else gets the service's name. Staff and
partners are always written to by the service's name."""

import re
from email.utils import parseaddr

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.auth.roles import Role
from portal.cases.models import Report
from portal.extensions import db
from portal.notifications.delivery import deliver_pending, sender_for
from portal.notifications.models import OutboxMessage
from portal.notifications.services import SUBJECTS, queue_email, queue_email_to
from portal.tracking.witnesses import invite_witness
from portal.triage.services import request_call
from tests.conftest import outbox_rows
from tests.triage_helpers import make_report

LINK = "http://localhost/some/link"
# Every template a victim or witness can receive, with what its caller gives it.
VICTIM_TEMPLATES = {
    "report_received": {"sign_in_link": LINK},
    "case_update": {"sign_in_link": LINK},
    "new_message": {"sign_in_link": LINK},
    "claim_report": {"link": LINK},
    "verify_email": {"link": LINK, "hours": 48},
    "account_exists": {"sign_in_link": LINK, "reset_link": LINK},
    "reset_password": {"link": LINK, "minutes": 60},
    "password_changed": {"sign_in_link": LINK, "reset_link": LINK},
    "sign_in_attempts": {"sign_in_link": LINK, "reset_link": LINK},
    "support_offer": {"sign_in_link": LINK},
    "survey_invite": {"sign_in_link": LINK},
    "check_in_invite": {"sign_in_link": LINK},
    "witness_invite": {"link": LINK, "code": "ABCD3467"},
}
# Words that would tell whoever reads the inbox that a crime was reported (lower case, matched inside words),
# as the catalogues write them: the police and its officers, a crime, a report, a victim, a witness.
FORBIDDEN = {
    "en": ["police", "crime", "report", "victim", "witness", "officer"],
    "pl": ["polic", "przestęp", "zgłos", "zgłoś", "zgłasz", "ofiar", "świadk", "świadek", "funkcjonariusz"],
    "ar": ["شرطة", "الشرط", "جريم", "جرائم", "ضحي", "ضحايا", "شاهد", "شهود", "ضابط", "بلاغ", "أبلغ"],
}
LANGUAGES = tuple(FORBIDDEN)
NORMAL_SENDER = "no-reply@portal.example.org"


def leaks(text: str, language: str, app) -> list[str]:
    """The forbidden words (and the service's name in that language) in an email's words, links left out."""
    words = re.sub(r"https?://\S+", " ", text).lower()
    with force_locale(language):
        service = gettext(app.config["SERVICE_NAME"]).lower()
    return [word for word in [*FORBIDDEN[language], service] if word in words]


def render(template: str, language: str, *, neutral: bool) -> str:
    message = queue_email("person@example.org", template, locale=language, neutral=neutral,
                          **VICTIM_TEMPLATES[template])
    return f"{message.subject}\n{message.body_text}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", sorted(VICTIM_TEMPLATES))
def test_a_neutral_email_names_no_police_crime_or_service(app, ctx, template, language):
    """Subject and body, in each language: none of the words, and not the service's name. The same email sent
    normally does name the service, so the check would see a leak."""
    assert leaks(render(template, language, neutral=False), language, app), "the check must be able to fail"
    assert leaks(render(template, language, neutral=True), language, app) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_neutral_name_and_every_victim_subject_are_neutral(app, ctx, language):
    with force_locale(language):
        texts = [gettext(app.config["NEUTRAL_SERVICE_NAME"])] + [str(SUBJECTS[name]) for name in VICTIM_TEMPLATES]
        assert gettext(app.config["NEUTRAL_SERVICE_NAME"]) != app.config["NEUTRAL_SERVICE_NAME"] or language == "en"
    assert [text for text in texts if leaks(text, language, app)] == []


def test_a_neutral_confirmation_keeps_the_crime_number_the_person_asked_for(app, ctx):
    body = queue_email("person@example.org", "report_received", locale="en", neutral=True, sign_in_link=LINK,
                       crime_number="CR-26-0000001-A").body_text
    assert "Your reference number is CR-26-0000001-A. You asked us to include it in this email." in body


def received_from(message) -> tuple[str, str]:
    """The From header's display name and address."""
    return parseaddr(str(message["From"]))


def test_a_report_that_asked_for_a_neutral_sender_is_written_to_from_the_neutral_name(app, smtp_sink, make_user):
    """The confirmation at submission and a later case update: both from 'Online account', in neutral words."""
    crime_number = make_report(app, neutral_sender="yes", contact_email="quiet@example.org")
    officer = make_user(Role.OFFICER)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        request_call(db.session.merge(officer), report, report.version)
        deliver_pending()
    assert [(row.template, row.neutral_sender) for row in outbox_rows(app)] == [("report_received", True),
                                                                               ("case_update", True)]
    assert len(smtp_sink.messages) == 2
    for received in smtp_sink.messages:
        assert received["To"] == "quiet@example.org"
        assert received_from(received) == ("Online account", NORMAL_SENDER)
        assert leaks(f"{received['Subject']}\n{received.get_content()}", "en", app) == []
    assert "Thank you for getting in touch. We have received what you sent us." in smtp_sink.messages[0].get_content()
    # A guest has no account: the update says only that there is something new, and leads to /track.
    assert "There is something new for you to read.\r\n\r\nSee it here. You will need your reference number:" \
        in smtp_sink.messages[1].get_content()
    assert "http://localhost/track" in smtp_sink.messages[1].get_content()


def test_a_report_that_did_not_ask_is_written_to_by_the_service_name(app, smtp_sink, make_user):
    crime_number = make_report(app, neutral_sender="no", contact_email="named@example.org")
    officer = make_user(Role.OFFICER)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        request_call(db.session.merge(officer), report, report.version)
        deliver_pending()
    assert [(row.template, row.neutral_sender) for row in outbox_rows(app)] == [("report_received", False),
                                                                               ("case_update", False)]
    assert [received_from(received) for received in smtp_sink.messages] == [("", NORMAL_SENDER)] * 2
    assert "Thank you for getting in touch with Report a crime and get support." \
        in smtp_sink.messages[0].get_content()
    assert "something new for you to read in Report a crime and get support" in smtp_sink.messages[1].get_content()


def test_account_emails_to_victims_and_witnesses_are_neutral_and_to_staff_never(app, ctx, make_user):
    """An account email belongs to no one report: a public account is always written to neutrally."""
    victim, witness = make_user(Role.VICTIM), make_user(Role.WITNESS)
    officer, partner = make_user(Role.OFFICER), make_user(Role.PARTNER)
    sent = {user.role: queue_email_to(user, "reset_password", link=LINK, minutes=60)
            for user in (victim, witness, officer, partner)}
    assert {role: message.neutral_sender for role, message in sent.items()} == {
        Role.VICTIM: True, Role.WITNESS: True, Role.OFFICER: False, Role.PARTNER: False}
    assert "Report a crime and get support" in sent[Role.OFFICER].body_text
    # Even asked to, a staff email is never neutral.
    assert queue_email_to(officer, "case_update", sign_in_link=LINK, neutral=True).neutral_sender is False


def test_a_witness_invited_by_email_is_invited_neutrally(app, make_user):
    """A witness was never asked about the sender: the invitation is neutral even when the victim was not."""
    crime_number = make_report(app, neutral_sender="no")
    officer = make_user(Role.OFFICER)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        invite_witness(db.session.merge(officer), report, "saw-it@example.org")
        invite = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "witness_invite"))
        assert invite.neutral_sender is True and leaks(invite.body_text, "en", app) == []


def test_the_neutral_sender_can_be_configured(app, ctx):
    message = OutboxMessage(neutral_sender=True)
    assert sender_for(message) == f"Online account <{NORMAL_SENDER}>"
    assert sender_for(OutboxMessage(neutral_sender=False)) == NORMAL_SENDER
    app.config["MAIL_NEUTRAL_SENDER"] = "Accounts <hello@example.net>"
    try:
        assert sender_for(message) == "Accounts <hello@example.net>"
    finally:
        app.config["MAIL_NEUTRAL_SENDER"] = None


def test_the_development_mailbox_shows_who_a_message_is_from(make_app, tmp_path):
    """A developer sees the neutral From name as the person's inbox would show it, in the list and the message."""
    mailbox = tmp_path / "mailbox"
    mailbox.mkdir()
    (mailbox / "1700000000000000000-abcdef12.eml").write_bytes(
        b"From: Online account <no-reply@portal.example.org>\r\nTo: someone@example.org\r\n"
        b"Subject: You have an update\r\nContent-Type: text/plain\r\n\r\nSign in to see it.\r\n")
    client = make_app(DEV_MAIL_VIEWER=True, DEV_MAILBOX_DIR=str(mailbox)).test_client()
    for page in ("/dev/mail/", "/dev/mail/1700000000000000000-abcdef12.eml"):
        assert "Online account &lt;no-reply@portal.example.org&gt;" in client.get(page).get_data(as_text=True)

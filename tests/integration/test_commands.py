"""flask CLI commands: demo data and the development mailbox.

The demo data is loaded twice once for the module (as `make run` and a second `make run` would load it), in a
transaction rolled back when the module is done; each test reads what the two loads printed and left, in its own
savepoint. Loading it takes about a third of a second, and the tests used to load it eight times.
"""

from typing import NamedTuple

import pytest
from click.testing import Result
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import TimelineEvent
from portal.extensions import db
from portal.support.models import Organisation, Referral, SupportService
from portal.tasks.enums import TaskStatus, TaskType
from portal.tasks.models import Task
from tests.conftest import kept_for_the_module


class Demo(NamedTuple):
    first: Result
    second: Result
    counts_after_first: list[int]
    counts_after_second: list[int]


def counts() -> list[int]:
    """How many organisations, services, referrals, audit events and timeline events there are."""
    return [db.session.scalar(select(func.count()).select_from(model))
            for model in (Organisation, SupportService, Referral, AuditEvent, TimelineEvent)]


@pytest.fixture(scope="module")
def demo(app):
    """The demo data loaded twice, kept for the module's tests: what each load printed, and the rows after each."""
    with kept_for_the_module(app):
        with app.app_context():
            runner = app.test_cli_runner()
            first = runner.invoke(args=["demo-data"])
            after_first = counts()
            second = runner.invoke(args=["demo-data"])
            loaded = Demo(first, second, after_first, counts())
            db.session.remove()
        yield loaded


def test_demo_data_is_idempotent_and_prints_how_to_sign_in(demo, ctx):
    """Running it twice leaves one account per role, and prints the password and staff TOTP secrets."""
    first, second = demo.first, demo.second
    assert first.exit_code == 0 and second.exit_code == 0
    # One account per role, and the peer supporter talking with the demo victim (issue 24).
    assert db.session.scalar(select(func.count(User.id))) == len(Role) + 1
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    officer = db.session.scalar(select(User).where(User.email == "officer@example.org"))
    assert officer.totp_secret in first.output and officer.totp_secret in second.output
    assert "correct-horse-battery" in first.output
    assert "already there" in second.output
    from portal.cases.models import Report

    victim = db.session.scalar(select(User).where(User.email == "victim@example.org"))
    reports = db.session.scalars(select(Report).where(Report.reporter_user_id == victim.id)).all()
    from portal.cases.enums import CaseStatus

    assert {r.status for r in reports} == set(CaseStatus)
    assert all(r.crime_number in first.output for r in reports)
    # One open task of each kind, once, and where to find them.
    assert sorted(db.session.scalars(select(Task.type))) == sorted(TaskType)
    assert {task.status for task in db.session.scalars(select(Task))} == {TaskStatus.OPEN}
    assert "at /staff/tasks/" in first.output and "Demo tasks: already there" in second.output


def test_demo_data_has_a_directory_partner_referrals_and_an_assessment(demo, ctx):
    """Listed and expired organisations, services in several languages and places, a full group, the partner's
    organisation, referrals in every status made through the services, and a needs assessment. Once only."""
    from portal.cases.models import Report
    from portal.clock import utcnow
    from portal.support import directory, referrals
    from portal.support.assessments import latest_assessment
    from portal.support.enums import Delivery, ReferralStatus, ServiceKind

    first, second = demo.first, demo.second
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert demo.counts_after_second == demo.counts_after_first
    assert counts() == demo.counts_after_second
    # Ten referrals in every status, three people who joined the demo group (two members, one waiting), two
    # referrals for one-to-one peer support, the demo witness's own finished referral and their own referral on
    # a second case, whose 4-week check-in waits for them (issue 24).
    assert "Demo referrals: 17 already there" in second.output
    assert "Demo group: Thursday afternoon group already has members" in second.output

    today = utcnow().date()
    organisations = db.session.scalars(select(Organisation)).all()
    assert sum(o.is_accredited(today) for o in organisations) >= 3
    [expired] = [o for o in organisations if not o.is_accredited(today)]
    assert expired.accreditation_expires_on < today
    listed = directory.search(directory.Filters(), per_page=100).services
    assert listed and all(s.organisation.is_accredited(today) for s in listed)
    assert expired.name not in {s.organisation.name for s in listed}
    languages = {code for s in listed for code in s.languages}
    assert {"pl", "ar", "bsl"} <= languages
    assert any(s.delivery == Delivery.ONLINE for s in listed)
    assert len({b for s in listed for b in s.boroughs}) >= 3
    assert len({c for s in listed for c in s.categories}) >= 2
    groups = [s for s in listed if s.kind == ServiceKind.PEER_GROUP]
    assert len(groups) >= 2 and any(referrals.is_full(g) for g in groups)
    assert not all(referrals.is_full(g) for g in groups)

    partner = db.session.scalar(select(User).where(User.email == "partner@example.org"))
    camden = db.session.get(Organisation, partner.organisation_id)
    assert camden.is_accredited(today)

    victim = db.session.scalar(select(User).where(User.email == "victim@example.org"))
    report_ids = db.session.scalars(select(Report.id).where(Report.reporter_user_id == victim.id)).all()
    made = db.session.scalars(select(Referral).where(Referral.report_id.in_(report_ids))).all()
    assert {r.status for r in made} == set(ReferralStatus)
    assert any(referrals.partner_can_see(partner, r) and r.status == ReferralStatus.SENT for r in made)
    for referral in made:
        assert referral.events
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.object_type == "referral",
                                                             AuditEvent.object_id == referral.reference))
        assert referral.reference in first.output
    assessed = [latest_assessment(report_id) for report_id in report_ids]
    # Besides the main assessment, the case waiting for a peer supporter has the times the victim gave when asking
    # for one-to-one peer support (issue 24).
    [talk_times] = [a for a in assessed if a is not None and a.peer_times]
    assert talk_times.wants_peer_one_to_one and talk_times.peer_times == ["weekday_evenings"]
    [assessment] = [a for a in assessed if a is not None and not a.peer_times]
    assert assessment.chosen_level == "contact" and assessment.wants_peer and assessment.interpreter
    assert assessment.language == "pl"


def test_demo_victim_sees_a_survey_and_a_check_in_waiting(demo, client, ctx):
    """After the demo data, the demo victim signed in finds a survey and a check-in waiting on the case the output
    names, and both open; loading the demo again still says where they are."""
    import re
    from html import unescape

    from tests.conftest import sign_in_as
    from tests.pagecheck import h1_text

    def text_of(response) -> str:
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())

    first, second = demo.first, demo.second
    assert first.exit_code == 0, first.output
    where = re.search(r"Demo survey and check-in waiting: (/cases/(CR-\S+)) \(sign in as victim@example\.org\)",
                      first.output)
    assert where, first.output
    case_path, crime_number = where.groups()

    victim = db.session.scalar(select(User).where(User.email == "victim@example.org"))
    sign_in_as(client, victim)
    page = client.get(case_path)
    assert page.status_code == 200 and h1_text(page) == f"Your case {crime_number}"
    text = text_of(page)
    assert "Waiting for you" in text  # at the top of the case's overview
    assert "Tell us what you think about our decision" in text
    assert "How are you getting on? 5 short questions" in text
    html = page.get_data(as_text=True)
    assert f'href="{case_path}/surveys/after_decision"' in html and f'href="{case_path}/check-ins/0"' in html
    survey = client.get(f"{case_path}/surveys/after_decision")
    assert survey.status_code == 200 and h1_text(survey) == "Tell us what you think"
    check_in = client.get(f"{case_path}/check-ins/0")
    assert check_in.status_code == 200 and h1_text(check_in) == "How are you getting on?"

    assert second.exit_code == 0, second.output
    assert f"Demo survey and check-in waiting: {case_path} (sign in as victim@example.org)" in second.output
    assert "at /staff/tasks/ (sign in as officer@example.org)" in second.output


def test_development_mailbox_shows_what_the_sink_received(make_app, tmp_path):
    """In development the sink's saved messages can be read in the browser."""
    from portal.devmail.sink import MailboxHandler

    mailbox = tmp_path / "mailbox"
    MailboxHandler(str(mailbox))
    (mailbox / "1700000000000000000-abcdef12.eml").write_bytes(
        b"To: someone@example.org\r\nSubject: Confirm your email address\r\n"
        b"Content-Type: text/plain\r\n\r\nOpen http://127.0.0.1:5000/verify-email/abc\r\n"
    )
    app = make_app(DEV_MAIL_VIEWER=True, DEV_MAILBOX_DIR=str(mailbox))
    client = app.test_client()
    inbox = client.get("/dev/mail/").get_data(as_text=True)
    assert "Confirm your email address" in inbox and "someone@example.org" in inbox
    message = client.get("/dev/mail/1700000000000000000-abcdef12.eml").get_data(as_text=True)
    assert "/verify-email/abc" in message
    assert client.get("/dev/mail/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_the_development_sink_saves_what_it_receives(tmp_path):
    """The loopback SMTP sink writes each message to the mailbox folder."""
    import smtplib

    from portal.devmail.sink import start_sink
    from tests.conftest import free_port

    port = free_port()
    controller = start_sink("127.0.0.1", port, str(tmp_path))
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
            smtp.sendmail("a@example.org", ["b@example.org"], "Subject: Hello\r\n\r\nBody")
    finally:
        controller.stop()
    [saved] = list(tmp_path.glob("*.eml"))
    assert b"Subject: Hello" in saved.read_bytes()


def test_demo_data_sends_a_text_message_and_a_letter_so_the_mailbox_shows_every_channel(demo, ctx):
    from portal.notifications.models import Channel, OutboxMessage

    assert "Demo text message and letter" in demo.first.output and "already sent" in demo.second.output
    others = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel != Channel.EMAIL)).all()
    assert sorted((m.channel, m.recipient) for m in others) == [(Channel.LETTER, "Demo Letter"),
                                                               (Channel.TEXT, "07700900123")]

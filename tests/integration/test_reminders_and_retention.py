"""Victims' Code deadline reminders and the retention job: what they send, what they delete, and that a second
run does nothing more."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import AccountSession, AccountToken, FailedAttempt, TokenPurpose
from portal.auth.roles import Role
from portal.cases import victims_code
from portal.cases.enums import DeadlineKind
from portal.cases.models import Report, VictimsCodeDeadline
from portal.clock import utcnow
from portal.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import queue_email
from portal.reporting.models import ReportDraft
from portal.reporting.services import start_draft
from tests.conftest import outbox_rows
from tests.triage_helpers import make_report


def _key_event(crime_number: str, due_in: timedelta, officer_id: int | None = None, met: bool = False) -> int:
    """Record a key event on the case whose telling-the-victim deadline falls due after `due_in`."""
    report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
    report.named_officer_id = officer_id
    victims_code.record_key_event(report, "A suspect was arrested", utcnow() - timedelta(days=3), told_victim=met)
    db.session.flush()
    deadline = db.session.scalars(select(VictimsCodeDeadline).where(
        VictimsCodeDeadline.report_id == report.id, VictimsCodeDeadline.kind == DeadlineKind.KEY_EVENT)).all()[-1]
    deadline.due_at = utcnow() + due_in
    db.session.commit()
    return deadline.id


def _reminders(app) -> list[OutboxMessage]:
    return [m for m in outbox_rows(app) if m.template == "deadline_reminder"]


def test_the_named_officer_is_reminded_once_of_a_promise_falling_due(app, ctx, make_user):
    officer = make_user(Role.OFFICER)
    other_officer = make_user(Role.OFFICER)
    soon = _key_event(make_report(app), timedelta(hours=5), officer.id)
    overdue = _key_event(make_report(app), -timedelta(hours=2), officer.id)
    _key_event(make_report(app), timedelta(days=3), other_officer.id)  # not due for days
    _key_event(make_report(app), timedelta(hours=1), other_officer.id, met=True)  # already kept

    runner = app.test_cli_runner()
    assert "reminded about 2 deadline(s)" in runner.invoke(args=["triage", "deadline-reminders"]).output
    assert "reminded about 0 deadline(s)" in runner.invoke(args=["triage", "deadline-reminders"]).output

    emails = _reminders(app)
    assert [(m.recipient, m.subject) for m in emails] == [(officer.email, "Items need your attention")]
    assert "2 promise(s) to victims" in emails[0].body_text and "CR-" not in emails[0].body_text
    reminded = {d.id: d.reminded_at for d in db.session.scalars(select(VictimsCodeDeadline))}
    assert reminded[soon] is not None and reminded[overdue] is not None


def test_cases_with_no_named_officer_are_sent_to_every_active_supervisor(app, ctx, make_user):
    supervisors = [make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)]
    make_user(Role.SUPERVISOR, is_active_account=False)
    _key_event(make_report(app), timedelta(hours=3))
    runner = app.test_cli_runner()
    runner.invoke(args=["triage", "deadline-reminders"])
    assert sorted(m.recipient for m in _reminders(app)) == sorted(s.email for s in supervisors)


def test_triage_and_first_response_targets_are_left_to_the_sla_alerts(app, ctx, make_user):
    make_user(Role.SUPERVISOR)
    crime_number = make_report(app)
    report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
    for deadline in db.session.scalars(select(VictimsCodeDeadline).where(VictimsCodeDeadline.report_id == report.id)):
        deadline.due_at = utcnow() + timedelta(minutes=5)  # triage, first response and the support offer
    db.session.commit()
    app.test_cli_runner().invoke(args=["triage", "deadline-reminders"])
    kinds = {d.kind for d in db.session.scalars(select(VictimsCodeDeadline).where(
        VictimsCodeDeadline.reminded_at.is_not(None)))}
    assert kinds == {DeadlineKind.SUPPORT_REFERRAL}


def test_retention_deletes_only_what_has_had_its_time(app, ctx, make_user):
    now = utcnow()
    user = make_user(Role.VICTIM)  # first: its own transaction, before this one starts writing
    old_draft, _ = start_draft(None)
    old_draft.last_saved_at = now - timedelta(days=31)
    fresh_draft, _ = start_draft(None)
    old_sent = queue_email("a@example.org", "case_update", sign_in_link="x")
    old_sent.status, old_sent.sent_at = OutboxStatus.SENT, now - timedelta(days=91)
    recent_sent = queue_email("b@example.org", "case_update", sign_in_link="x")
    recent_sent.status, recent_sent.sent_at = OutboxStatus.SENT, now - timedelta(days=89)
    old_failed = queue_email("d@example.org", "case_update", sign_in_link="x")
    old_failed.status, old_failed.updated_at = OutboxStatus.FAILED, now - timedelta(days=91)
    recent_failed = queue_email("e@example.org", "case_update", sign_in_link="x")
    recent_failed.status, recent_failed.updated_at = OutboxStatus.FAILED, now - timedelta(days=89)
    never_sent = queue_email("c@example.org", "case_update", sign_in_link="x")
    never_sent.next_attempt_at = now - timedelta(days=200)
    for days_ago, digest in ((8, "a" * 64), (6, "b" * 64)):
        db.session.add(AccountToken(user_id=user.id, purpose=TokenPurpose.RESET_PASSWORD, token_hash=digest,
                                    expires_at=now - timedelta(days=days_ago)))
    for days_ago, digest in ((31, "c" * 64), (29, "d" * 64)):
        db.session.add(AccountSession(user_id=user.id, secret_hash=digest, started_at=now - timedelta(days=40),
                                      last_seen_at=now - timedelta(days=days_ago)))
    for hours_ago in (25, 23):
        db.session.add(FailedAttempt(key_hash="e" * 64, occurred_at=now - timedelta(hours=hours_ago)))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["retention", "apply"])
    assert "deleted 1 draft(s), 2 sent message(s), 1 link(s), 1 old session record(s), 1 old sign-in failure(s)" \
        in result.output
    again = app.test_cli_runner().invoke(args=["retention", "apply"])
    assert "deleted 0 draft(s), 0 sent message(s), 0 link(s), 0 old session record(s), 0 old sign-in failure(s)" \
        in again.output

    db.session.expire_all()
    assert [d.id for d in db.session.scalars(select(ReportDraft))] == [fresh_draft.id]
    assert sorted(m.recipient for m in db.session.scalars(select(OutboxMessage))) == [
        "b@example.org", "c@example.org", "e@example.org"]
    assert [t.token_hash for t in db.session.scalars(select(AccountToken))] == ["b" * 64]
    assert [s.secret_hash for s in db.session.scalars(select(AccountSession))] == ["d" * 64]
    assert [f.occurred_at > now - timedelta(hours=24) for f in db.session.scalars(select(FailedAttempt))] == [True]

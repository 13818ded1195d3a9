"""Email goes through the outbox: queued in the same transaction, delivered by a real SMTP round trip."""

import logging
from datetime import timedelta

from portal.clock import utcnow
from portal.extensions import db
from portal.notifications.delivery import backoff_delay, deliver_pending, message_id_header
from portal.notifications.models import OutboxStatus
from portal.notifications.services import SUBJECTS, queue_email
from tests.conftest import SmtpSink, outbox_rows


def test_queued_email_is_not_sent_until_the_worker_runs(app, ctx):
    """Queuing writes a pending row and sends nothing."""
    queue_email("someone@example.org", "verify_email", link="http://localhost/x", hours=48)
    db.session.commit()
    rows = outbox_rows(app)
    assert [(r.recipient, r.status) for r in rows] == [("someone@example.org", OutboxStatus.PENDING)]


def test_a_rolled_back_change_leaves_no_email(app, ctx):
    """The outbox row lives in the caller's transaction: no commit, no email."""
    queue_email("someone@example.org", "verify_email", link="http://localhost/x", hours=48)
    db.session.rollback()
    assert outbox_rows(app) == []


def test_round_trip_through_a_real_smtp_server(app, ctx, smtp_sink):
    """The worker delivers the message over SMTP with its neutral subject, and marks it sent."""
    queue_email("someone@example.org", "reset_password", link="http://localhost/reset/abc", minutes=60)
    db.session.commit()
    report = deliver_pending()
    assert (report.sent, report.failed) == (1, 0)
    [received] = smtp_sink.messages
    assert received["To"] == "someone@example.org"
    assert received["Subject"] == "Reset your password"
    assert "http://localhost/reset/abc" in received.get_content()
    [row] = outbox_rows(app)
    assert row.status == OutboxStatus.SENT and row.sent_at is not None


def test_smtp_down_keeps_the_message_and_delivers_when_it_returns(app, ctx, caplog):
    """With the server stopped, the row survives with a logged failure; once it is back, it is delivered once."""
    from tests.conftest import free_port

    sink = SmtpSink(free_port())
    state = app.extensions["mail"]
    saved = (state.server, state.port)
    state.server, state.port = "127.0.0.1", sink.port
    try:
        queue_email("someone@example.org", "verify_email", link="http://localhost/v/1", hours=48)
        db.session.commit()
        with caplog.at_level(logging.WARNING, logger="portal.notifications.services"):
            report = deliver_pending()
        assert (report.sent, report.failed) == (0, 1)
        assert "not delivered" in caplog.text
        [row] = outbox_rows(app)
        assert row.status == OutboxStatus.PENDING and row.attempts == 1 and row.last_error
        assert row.next_attempt_at > utcnow()

        # Not due yet: a second run right away does not hammer the server.
        assert deliver_pending().failed == 0

        sink.start()
        report = deliver_pending(now=utcnow() + timedelta(minutes=5))
        assert (report.sent, report.failed) == (1, 0)
        assert len(sink.messages) == 1
        assert deliver_pending(now=utcnow() + timedelta(hours=2)).sent == 0
        assert len(sink.messages) == 1
    finally:
        sink.stop()
        state.server, state.port = saved


def test_backoff_doubles_and_is_capped(ctx):
    """Retries wait 30 s, 60 s, 120 s ... never more than an hour."""
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff_delay(30).total_seconds() == 3600


def test_every_subject_is_neutral():
    """No subject mentions crime, police, a case or a victim."""
    for subject in SUBJECTS.values():
        lowered = subject.lower()
        for word in ("crime", "police", "case", "victim", "witness", "offence", "report"):
            assert word not in lowered, subject


def test_outbox_cli_sends_pending_mail(app, ctx, smtp_sink):
    """`flask outbox send` delivers what is pending and says how many."""
    queue_email("someone@example.org", "account_exists", sign_in_link="http://l/s", reset_link="http://l/r")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "sent 1, failed 0" in result.output
    assert len(smtp_sink.messages) == 1


def test_the_message_id_is_at_the_senders_domain_however_the_sender_is_written(app, ctx, monkeypatch):
    message = queue_email("a@example.org", "case_update", sign_in_link="x")
    for sender in ("no-reply@mail.example.org", "Report a crime <no-reply@mail.example.org>",
                   '"Online account" <no-reply@mail.example.org>'):
        monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", sender)
        assert message_id_header(message) == f"<{message.delivery_key}@mail.example.org>"

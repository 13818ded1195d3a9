"""Retention: delete what the service no longer needs, on a schedule.

Run daily by `flask retention apply` (cron) or the background scheduler. Reports, timelines and the audit
trail are police records kept under the force's retention schedule, so nothing here touches them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, or_

from portal.auth.backoff import forget_old_failures
from portal.auth.models import AccountSession, AccountToken
from portal.clock import utcnow
from portal.extensions import db
from portal.feedback.services import forget_old_comments
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.reporting.services import purge_old_drafts

# Used or expired sign-up, reset and set-password links are kept a week, to explain "this link has expired".
SPENT_TOKEN_DAYS = 7
# Records of sessions that can no longer be used are kept a month, for looking into a misused account.
OLD_SESSION_DAYS = 30


@dataclass
class RetentionReport:
    """What one run deleted."""

    drafts: int = 0
    sent_messages: int = 0
    spent_tokens: int = 0
    old_sessions: int = 0
    failed_attempts: int = 0
    feedback_comments: int = 0


def apply_retention(now: datetime | None = None) -> RetentionReport:
    """Delete old unfinished reports (30 days), sent and failed messages past the outbox's keeping time (they
    hold email addresses, phone numbers and postal addresses), sign-in links long expired, records of sessions
    over a month past any use, and counted sign-in failures over a day old (the back-off reads no further
    back), and the comments of anonymous feedback after 180 days (the rating and day stay). Idempotent."""
    now = now or utcnow()
    report = RetentionReport(drafts=purge_old_drafts(now))
    keep = timedelta(days=current_app.config["OUTBOX_KEEP_DAYS"])
    report.sent_messages = db.session.execute(
        delete(OutboxMessage).where(or_(
            and_(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < now - keep),
            # Never delivered, and sent again another way or handed to a person: kept as long as a sent one.
            and_(OutboxMessage.status == OutboxStatus.FAILED, OutboxMessage.updated_at < now - keep)))
    ).rowcount
    report.spent_tokens = db.session.execute(
        delete(AccountToken).where(AccountToken.expires_at < now - timedelta(days=SPENT_TOKEN_DAYS))
    ).rowcount
    report.old_sessions = db.session.execute(
        delete(AccountSession).where(AccountSession.last_seen_at < now - timedelta(days=OLD_SESSION_DAYS))
    ).rowcount
    report.failed_attempts = forget_old_failures(now)
    report.feedback_comments = forget_old_comments(now)
    db.session.commit()
    return report

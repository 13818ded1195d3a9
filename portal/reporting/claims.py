"""Claiming a report made as a guest into an account, proven by a link sent to the report's email."""

from datetime import timedelta

from sqlalchemy import select

from portal.audit.services import record_audit
from portal.auth.models import TokenPurpose, User
from portal.auth.tokens import find_valid_token, issue_token
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.notifications.services import account_language, queue_email

CLAIM_LINK_LIFETIME = timedelta(hours=24)


def request_claim(user: User, crime_number: str, email: str) -> None:
    """Email a claim link if the crime number and email match an unclaimed report. Says nothing either way."""
    report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
    if report is None or report.reporter_user_id is not None or not report.contact_email \
            or report.contact_email != email.strip().lower():
        record_audit(user.id, "report.claim_unmatched", "report", crime_number)
        db.session.commit()
        return
    token = issue_token(user, TokenPurpose.CLAIM_REPORT, CLAIM_LINK_LIFETIME, subject_id=report.id)
    link = absolute_url("claims.confirm", token=token)
    # Written in the language of the account asking, which the person chose (the address is the report's).
    queue_email(report.contact_email, "claim_report", locale=account_language(user), link=link,
                neutral=report.neutral_sender)
    record_audit(user.id, "report.claim_requested", "report", report.crime_number)
    db.session.commit()


def complete_claim(user: User, token: str) -> Report:
    """Link the report to the account that asked for the link. Raises DomainError for a bad link."""
    record = find_valid_token(token, TokenPurpose.CLAIM_REPORT)
    if record is None or record.user_id != user.id or record.subject_id is None:
        raise DomainError(N_("This link has expired or has already been used"))
    report = db.session.get(Report, record.subject_id)
    if report is None or report.reporter_user_id not in (None, user.id):
        raise DomainError(N_("This link has expired or has already been used"))
    record.used_at = utcnow()
    report.reporter_user_id = user.id
    add_timeline_event(report.id, "claimed", N_("Report added to your account"), actor_id=user.id, victim=True)
    record_audit(user.id, "report.claimed", "report", report.crime_number)
    db.session.commit()
    return report

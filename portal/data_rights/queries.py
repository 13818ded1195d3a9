"""Read-only queries for the 'Your data' pages. Only ever about the signed-in person's own data."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import EvidenceFile, Report, TimelineEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.reporting.models import ReportDraft

VIEW_ACTIONS = ("case.viewed", "evidence.viewed")
VIEWS_SHOWN = 200

# Whom a person is told looked at their case: the organisation, never the individual.
ORGANISATION = {
    Role.OFFICER: "Police",
    Role.SUPERVISOR: "Police",
    Role.PARTNER: "Support organisation",
    Role.ADMIN: "Administrator",
}
UNKNOWN_ORGANISATION = "A member of staff"
WHAT_WAS_VIEWED = {
    "case.viewed": "The case",
    "evidence.viewed": "A file you uploaded",
}


@dataclass(frozen=True)
class Viewing:
    """One time someone looked at one of the person's cases."""

    occurred_at: datetime
    crime_number: str
    organisation: str
    what: str


def _own_crime_numbers(user: User):
    """The crime numbers linked to this account, as a subquery."""
    return select(Report.crime_number).where(Report.reporter_user_id == user.id).scalar_subquery()


def linked_reports(user: User) -> list[Report]:
    """Reports linked to this account, oldest first, with their property and files loaded."""
    return list(db.session.scalars(
        select(Report).where(Report.reporter_user_id == user.id)
        .options(selectinload(Report.property_items), selectinload(Report.evidence))
        .order_by(Report.submitted_at, Report.id)
    ))


def victim_events(report_ids: list[int]) -> dict[int, list[TimelineEvent]]:
    """The victim-visible timeline of each report, oldest first. Internal events are never loaded."""
    events: dict[int, list[TimelineEvent]] = {report_id: [] for report_id in report_ids}
    if not report_ids:
        return events
    rows = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.report_id.in_(report_ids), TimelineEvent.visible_to_victim.is_(True))
        .order_by(TimelineEvent.occurred_at, TimelineEvent.id)
    )
    for event in rows:
        events[event.report_id].append(event)
    return events


def drafts(user: User) -> list[ReportDraft]:
    """Unfinished reports saved against this account, oldest first."""
    return list(db.session.scalars(
        select(ReportDraft).where(ReportDraft.user_id == user.id).order_by(ReportDraft.last_saved_at, ReportDraft.id)
    ))


def draft_files(draft_ids: list[int]) -> dict[int, list[EvidenceFile]]:
    """Files uploaded to each unfinished report."""
    files: dict[int, list[EvidenceFile]] = {draft_id: [] for draft_id in draft_ids}
    if not draft_ids:
        return files
    for item in db.session.scalars(select(EvidenceFile).where(EvidenceFile.draft_id.in_(draft_ids),
                                                              EvidenceFile.report_id.is_(None))
                                   .order_by(EvidenceFile.id)):
        if item.draft_id is not None:  # always: the query matches draft_id IN (...), which NULL never does
            files[item.draft_id].append(item)
    return files


def emails(user: User) -> list[OutboxMessage]:
    """Emails sent (or waiting to be sent) to this account's address, oldest first."""
    return list(db.session.scalars(
        select(OutboxMessage).where(func.lower(OutboxMessage.recipient) == user.email.lower())
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ))


def case_viewers(user: User, limit: int = VIEWS_SHOWN) -> list[Viewing]:
    """Who has looked at the person's cases, newest first, named only by organisation. One query."""
    rows = db.session.execute(
        select(AuditEvent.occurred_at, AuditEvent.object_id, AuditEvent.action, User.role)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.action.in_(VIEW_ACTIONS), AuditEvent.object_type == "report",
               AuditEvent.object_id.in_(_own_crime_numbers(user)))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [Viewing(occurred_at=occurred_at, crime_number=crime_number,
                    organisation=ORGANISATION.get(role, UNKNOWN_ORGANISATION), what=WHAT_WAS_VIEWED[action])
            for occurred_at, crime_number, action, role in rows]


def own_crime_numbers(user: User) -> list[str]:
    """The crime numbers linked to this account, oldest first."""
    return list(db.session.scalars(select(Report.crime_number).where(Report.reporter_user_id == user.id)
                                   .order_by(Report.submitted_at, Report.id)))

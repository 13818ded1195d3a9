"""Read-only questions about cases that several capabilities ask."""

from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import CrimeCategory, Report, TimelineEvent, WitnessLink
from portal.extensions import db


def cases_for(user: User) -> list[Report]:
    """Reports linked to this person's account, newest first."""
    return list(db.session.scalars(select(Report).where(Report.reporter_user_id == user.id)
                                   .order_by(Report.submitted_at.desc())))


def cases_as_witness(user: User) -> list[Report]:
    """Cases this person follows as a witness."""
    return list(db.session.scalars(select(Report).join(WitnessLink, WitnessLink.report_id == Report.id)
                                   .where(WitnessLink.witness_user_id == user.id)
                                   .order_by(Report.submitted_at.desc())))


def category_by_id(category_id: int) -> CrimeCategory | None:
    """A crime category by its primary key."""
    return db.session.get(CrimeCategory, category_id)


def victim_timeline(report: Report) -> list[TimelineEvent]:
    """Events the victim may see of their case, oldest first (never witness-only or staff-only ones): on their own
    case page and on the tracking view."""
    return list(db.session.scalars(select(TimelineEvent).where(TimelineEvent.report_id == report.id,
                                                               TimelineEvent.visible_to_victim.is_(True))
                                   .order_by(TimelineEvent.occurred_at, TimelineEvent.id)))

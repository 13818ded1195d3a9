"""Write timeline events. Callers commit as part of their own transaction."""

from portal.clock import utcnow
from portal.extensions import db
from portal.tracking.models import TimelineEvent


def add_timeline_event(report_id: int, kind: str, title: str, body: str | None = None, *,
                       actor_id: int | None = None, victim: bool = False, witness: bool = False,
                       reason_code: str | None = None) -> TimelineEvent:
    """Add an event to a case's timeline in the current transaction."""
    event = TimelineEvent(
        report_id=report_id,
        occurred_at=utcnow(),
        actor_id=actor_id,
        kind=kind,
        title=title,
        body=body,
        visible_to_victim=victim,
        visible_to_witness=witness,
        reason_code=reason_code,
    )
    db.session.add(event)
    return event

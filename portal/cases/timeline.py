"""The case timeline. Callers commit as part of their own transaction."""

from portal.cases.models import TimelineEvent
from portal.clock import utcnow
from portal.extensions import db


def add_timeline_event(report_id: int, kind: str, title: str, body: str | None = None, *,
                       actor_id: int | None = None, victim: bool = False, witness: bool = False,
                       reason_code: str | None = None, values: dict | None = None) -> TimelineEvent:
    """Add an event to a case's timeline in the current transaction. Title and body are English, marked with N_
    where they are fixed text; %(name)s placeholders are filled from values when the event is shown."""
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
        text_values=values or None,
    )
    db.session.add(event)
    return event


def as_read(title: str, body: str | None, values: dict | None) -> tuple[str, str | None]:
    """An event's title and body as the victim will read them (in the page's language, values filled in), by the
    same code that shows a recorded event, without recording anything: the preview of a message not yet sent."""
    unsaved = TimelineEvent(title=title, body=body, text_values=values or None)
    return unsaved.shown_title, unsaved.shown_body

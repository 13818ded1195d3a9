"""Write audit events. Callers commit as part of their own transaction."""

from portal.audit.models import AuditEvent
from portal.clock import utcnow
from portal.extensions import db


def record_audit(actor_id: int | None, action: str, object_type: str, object_id: str | None = None,
                 detail: str | None = None) -> AuditEvent:
    """Add an audit event to the current transaction."""
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=(detail or None) and detail[:500],
    )
    db.session.add(event)
    return event

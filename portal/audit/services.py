"""Write audit events. record_audit joins the caller's transaction; record_read commits a read on its own."""

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


def record_read(actor_id: int | None, action: str, object_type: str, object_id: str | None = None,
                detail: str | None = None) -> AuditEvent:
    """Audit a read of case data (a page, a file, an export) and commit it: the one audit call views make,
    after they have drawn the page, so that the commit does not make the page load its data again."""
    event = record_audit(actor_id, action, object_type, object_id, detail)
    db.session.commit()
    return event

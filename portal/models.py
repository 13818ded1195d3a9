"""Import every model so that the metadata (and Alembic) sees them all."""

from portal.audit.models import AuditEvent
from portal.auth.models import AccountToken, Role, User
from portal.notifications.models import OutboxMessage

__all__ = ["AccountToken", "AuditEvent", "OutboxMessage", "Role", "User"]

"""Read-only queries behind the Open Referral UK API."""

import uuid

from sqlalchemy import select

from portal.api import oruk_mapping
from portal.clock import utcnow
from portal.extensions import db
from portal.support import directory
from portal.support.models import SupportService


def listed_service_id(oruk_id: str) -> int | None:
    """The row id of the listed service that has this published id."""
    try:
        wanted = str(uuid.UUID(oruk_id))
    except ValueError:
        return None
    ids = db.session.scalars(select(SupportService.id).join(SupportService.organisation)
                             .where(SupportService.active.is_(True), directory.listed_clause(utcnow().date())))
    return next((row_id for row_id in ids if oruk_mapping.oruk_id("service", row_id) == wanted), None)

"""Read-only queries for the service's own pages."""

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db


def database_answers() -> bool:
    """Whether the database answers a trivial query now (for the health check)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True

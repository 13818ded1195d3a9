"""The committed migrations build the schema the models describe, on SQLite and on PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db


# Reads the database's own catalogue through the engine, outside any test transaction.
@pytest.mark.commits
def test_migrations_match_the_models(app):
    """After `upgrade` from empty, Alembic finds nothing left to migrate."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


# Reads the database's own catalogue through the engine, outside any test transaction.
@pytest.mark.commits
def test_constraints_follow_the_naming_convention(app):
    """Primary keys and unique constraints carry predictable names (so later migrations can drop them)."""
    from sqlalchemy import inspect

    with app.app_context():
        inspector = inspect(db.engine)
        if db.engine.dialect.name == "postgresql":  # SQLite does not keep primary key names
            assert inspector.get_pk_constraint("users")["name"] == "pk_users"
        unique_names = {u["name"] for u in inspector.get_unique_constraints("users")}
        assert "uq_users_email" in unique_names

"""Issue crime-number sequence values inside the caller's transaction.

The year's row is created if missing, then incremented with a single UPDATE, which locks the row
(PostgreSQL) or the database (SQLite) until the report's transaction ends. So two submissions never get
the same number, and a submission that fails rolls its number back with it: there are no gaps.
"""

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.cases.models import CrimeNumberSequence
from portal.extensions import db


def next_sequence_value(year: int) -> int:
    """Take the next number for the year. Must run in the transaction that saves the report."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(CrimeNumberSequence).values(year=year, last_value=0).on_conflict_do_nothing(index_elements=["year"])
    )
    db.session.execute(
        update(CrimeNumberSequence)
        .where(CrimeNumberSequence.year == year)
        .values(last_value=CrimeNumberSequence.last_value + 1)
        .execution_options(synchronize_session=False)
    )
    # scalar_one: the row was made above if it was missing, so there is always exactly one.
    return db.session.execute(
        select(CrimeNumberSequence.last_value).where(CrimeNumberSequence.year == year)
    ).scalar_one()

"""Count the SQL statements the app sends, for query-budget tests."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db

# Statements the per-test rollback adds around each session's work; the app's own code never sends these.
TEST_TRANSACTION_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def counting_statements(app) -> Iterator[list[str]]:
    """Collect every SQL statement the app sends while the block runs (its engine, or the test's connection)."""
    statements: list[str] = []
    with app.app_context():
        target = db.engine

    def _count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(TEST_TRANSACTION_STATEMENTS):
            statements.append(statement)

    event.listen(target, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(target, "before_cursor_execute", _count)

"""Time the staff pages (triage queue and case page) over a large generated case load.

Run by hand from the project root; it is not part of the test suite:

    .venv/bin/python benchmarks/staff_pages.py --count 100000 [--database-url URL]

Without --database-url it builds a throwaway SQLite file in a temporary directory and deletes it afterwards.
With --database-url the database must be empty (for example a scripts/pg-throwaway.sh server): the schema is
built by the migrations and the cases are left there.

It builds the schema with the migrations, creates an officer, generates --count cases (after the officer, so
triaged cases are claimed by someone, as in real life), signs a test client in as the officer and times
--requests GETs of each page. For each page it prints p50, p95 and max in milliseconds and the SQL statements
per request.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from sqlalchemy import event, inspect, select  # noqa: E402

from config import TestingConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.auth.models import Role  # noqa: E402
from portal.auth.services import create_user  # noqa: E402
from portal.clock import utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.generator import generate_cases  # noqa: E402
from portal.reporting.models import CaseStatus, Report  # noqa: E402

# The default queue lists received cases only; the status=all pages page through every case (deep OFFSETs).
PAGES = (
    "/staff/triage", "/staff/triage?page=50", "/staff/triage?borough=Camden", "/staff/triage?status=all&page=50",
    "/staff/triage?status=all&page=4000", "CASE",
)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def build_app(database_url: str):
    """A testing app on the given database, with the schema built by the migrations."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    app = create_app(config)
    with app.app_context():
        existing = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        if existing:
            sys.exit(f"The database already has tables ({', '.join(sorted(existing)[:5])}, ...): "
                     "use an empty, throwaway database.")
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
    return app


def sign_in(app, user_id: int):
    """A test client with a fully signed-in session, as tests/conftest.py sign_in_as does."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session["last_seen"] = utcnow().timestamp()
        session.permanent = True
    return client


def time_page(app, client, url: str, requests: int) -> dict:
    """GET the page `requests` times after a short warm-up; timings in ms and statements per request."""
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    with app.app_context():
        engine = db.engine
    counts: list[int] = []
    current = [0]

    def _count(*_args):
        current[0] += 1

    timings = []
    event.listen(engine, "before_cursor_execute", _count)
    try:
        for _ in range(requests):
            current[0] = 0
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url} returned {response.status_code}")
            counts.append(current[0])
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return {"p50": statistics.median(timings), "p95": percentile(timings, 0.95), "max": max(timings),
            "statements": f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"}


def main() -> None:
    """Build, generate, time and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="cases to generate (default 100000)")
    parser.add_argument("--database-url", help="an empty throwaway database (default: a temporary SQLite file)")
    parser.add_argument("--requests", type=int, default=50, help="GETs per page (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    args = parser.parse_args()

    tmpdir = None if args.database_url else tempfile.mkdtemp(prefix="portal-bench-")
    database_url = args.database_url or f"sqlite:///{tmpdir}/bench.db"
    try:
        app = build_app(database_url)
        with app.app_context():
            officer_id = create_user("bench-officer@example.org", "a-long-benchmark-password", Role.OFFICER,
                                     verified=True).id
            db.session.commit()
            started = time.perf_counter()
            generate_cases.main(["--count", str(args.count), "--seed", str(args.seed)], standalone_mode=False)
            generation = time.perf_counter() - started
            crime_number = db.session.scalar(
                select(Report.crime_number).where(Report.status == CaseStatus.UNDER_INVESTIGATION)
                .order_by(Report.id).limit(1)) or db.session.scalar(select(Report.crime_number).limit(1))
            db.session.remove()
        client = sign_in(app, officer_id)
        results = []
        for page in PAGES:
            url = f"/staff/cases/{crime_number}" if page == "CASE" else page
            results.append((url, time_page(app, client, url, args.requests)))
        with app.app_context():
            backend = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)

    print()
    print(f"database: {backend}; cases: {args.count}; generation: {generation:.1f} s "
          f"({args.count / generation:,.0f} cases/s); {args.requests} GETs per page")
    print()
    header = f"| {'endpoint':<48} | {'p50 ms':>7} | {'p95 ms':>7} | {'max ms':>7} | {'SQL/request':>11} |"
    print(header)
    print(f"|{'-' * 50}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 12}:|")
    for url, r in results:
        print(f"| {url:<48} | {r['p50']:>7.1f} | {r['p95']:>7.1f} | {r['max']:>7.1f} | {r['statements']:>11} |")


if __name__ == "__main__":
    main()

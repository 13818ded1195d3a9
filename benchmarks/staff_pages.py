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
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PageError, build_app, generate, sign_in, time_page  # noqa: E402
from sqlalchemy import select  # noqa: E402

from portal.auth.roles import Role  # noqa: E402
from portal.auth.services import create_user  # noqa: E402
from portal.cases.enums import CaseStatus  # noqa: E402
from portal.cases.models import Report  # noqa: E402
from portal.extensions import db  # noqa: E402

# The default queue lists received cases only; the status=all pages page through every case (deep OFFSETs).
PAGES = (
    "/staff/triage", "/staff/triage?page=50", "/staff/triage?borough=Camden", "/staff/triage?status=all&page=50",
    "/staff/triage?status=all&page=4000", "CASE",
)


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
            generation = generate(args.count, seed=args.seed)
            crime_number = db.session.scalar(
                select(Report.crime_number).where(Report.status == CaseStatus.UNDER_INVESTIGATION)
                .order_by(Report.id).limit(1)) or db.session.scalar(select(Report.crime_number).limit(1))
            db.session.remove()
        client = sign_in(app, officer_id)
        results = []
        for page in PAGES:
            url = f"/staff/cases/{crime_number}" if page == "CASE" else page
            try:
                results.append((url, time_page(app, client, url, args.requests)))
            except PageError as error:
                sys.exit(str(error))
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

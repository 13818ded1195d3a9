"""Time the insight dashboard pages over 10,000, 100,000 and 1,000,000 generated cases.

Run by hand from the project root; it is not part of the test suite:

    .venv/bin/python benchmarks/insight.py [--sizes 10000 100000 1000000] [--keep-dir DIR [--reuse]]
        [--requests 20] [--figure ID] [--generate-only] [--profile] [--database-url URL]

For each size it builds a throwaway SQLite database (in a temporary directory, deleted at the end; or, with
--keep-dir, kept as DIR/insight-<size>.db), builds the schema with the migrations, creates an officer and a
supervisor, and generates the cases with the generate-cases command (reports with their deadlines, referrals,
check-ins, surveys and equality records). With --reuse, a database already in --keep-dir with exactly that many
cases is used as it is, so the one-million-case set is generated once. --database-url (one size) uses another
database, for example a scripts/pg-throwaway.sh PostgreSQL server, instead of a SQLite file.

It then signs a test client in as the supervisor and times --requests GETs of each insight page (after a short
warm-up), unfiltered, for one borough and for the last three months, and one figure as CSV. It prints p50 and
p95 in milliseconds and the SQL statements per request. A page that does not answer 200 stops the run with the
URL and the status (404: the page does not exist yet).
"""

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PageError, build_app, generate, sign_in, time_page  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from portal.auth.models import User  # noqa: E402
from portal.auth.roles import Role  # noqa: E402
from portal.auth.services import create_user  # noqa: E402
from portal.cases.models import Report  # noqa: E402
from portal.clock import utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
PAGES = ("/insight/", "/insight/demand", "/insight/experience", "/insight/public")
BOROUGH = "Camden"
PREFERRED_FIGURE = "satisfaction-by-disability"
SUPERVISOR_EMAIL = "bench-supervisor@example.org"
OFFICER_EMAIL = "bench-officer@example.org"
PASSWORD = "a-long-benchmark-password"  # noqa: S105 - a throwaway benchmark account


@dataclass(frozen=True)
class Result:
    """One page's timings at one size."""

    size: int
    url: str
    filters: str
    p50: float
    p95: float
    statements: str


def three_months() -> str:
    """The query string for the last three months: this month and the two before (the filters take whole
    months)."""
    today = utcnow().date()
    first = today.year * 12 + today.month - 1 - 2  # months since year 0, counting from 0
    return (f"date_from-month={first % 12 + 1}&date_from-year={first // 12}"
            f"&date_to-month={today.month}&date_to-year={today.year}")


FILTERS = (("none", ""), ("borough", f"borough={BOROUGH}"), ("3 months", None))


def default_figure() -> str:
    """The figure whose CSV is timed: satisfaction by disability (it joins the equality records) if
    portal.insight.figures has it, else its first figure, or an error naming what to pass to --figure."""
    try:
        figures = importlib.import_module("portal.insight.figures")
    except ImportError:
        raise PageError("portal/insight/figures.py does not exist yet: pass --figure ID") from None
    found = getattr(figures, "FIGURES", None)
    if isinstance(found, dict) and PREFERRED_FIGURE in found:
        return PREFERRED_FIGURE
    if isinstance(found, dict) and found:
        return str(next(iter(found)))
    for item in found or ():
        figure_id = getattr(item, "id", None) or getattr(item, "slug", None)
        if figure_id:
            return str(figure_id)
    raise PageError("Could not find a figure id in portal.insight.figures: pass --figure ID")


def _user(email: str, role: Role) -> int:
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    if user_id is None:
        user_id = create_user(email, PASSWORD, role, verified=True).id
        db.session.commit()
    return user_id


def prepare(database_url: str, count: int, seed: int = 1, reuse: bool = False, quiet: bool = False):
    """The app on a database holding `count` generated cases, and the supervisor's id and the seconds the
    generation took (None when an existing database was reused)."""
    app = build_app(database_url, reuse=reuse)
    with app.app_context():
        existing = db.session.scalar(select(func.count(Report.id)))
        generation = None
        if existing and existing != count:
            sys.exit(f"{database_url} holds {existing} cases, not {count}: delete it or use another --keep-dir.")
        _user(OFFICER_EMAIL, Role.OFFICER)  # before the cases, so triaged cases have a claimant
        supervisor_id = _user(SUPERVISOR_EMAIL, Role.SUPERVISOR)
        if not existing:
            generation = generate(count, seed=seed, quiet=quiet)
        db.session.remove()
    return app, supervisor_id, generation


def refresh_rollups(app) -> tuple[float, float]:
    """Work out the daily rollups the pages read: every day (`flask insight refresh --all`), then the recent and
    changed days as the 15-minute job does (`flask insight refresh`). The seconds each took."""
    from portal.insight.refresh import refresh

    with app.app_context():
        everything = refresh(everything=True).seconds
        recent = refresh().seconds
        db.session.remove()
    return everything, recent


def time_pages(app, supervisor_id: int, size: int, requests: int, figure: str) -> list[Result]:
    """Every page with every filter, and the figure's CSV."""
    client = sign_in(app, supervisor_id)
    results = []
    urls = [*PAGES, f"/insight/figures/{figure}.csv"]
    for url in urls:
        for name, query in FILTERS:
            query = three_months() if query is None else query
            full = f"{url}?{query}" if query else url
            timed = time_page(app, client, full, requests, warm_up=1 if requests == 1 else 2)
            results.append(Result(size, url, name, timed["p50"], timed["p95"], timed["statements"]))
    return results


def profile_page(app, client, url: str, slowest: int = 3) -> tuple[float, float, list[tuple[float, str, list[str]]]]:
    """The request's time and the time its SQL takes (ms), and its slowest SQL statements as (ms, statement,
    EXPLAIN QUERY PLAN lines), slowest first.

    SQLite does much of a grouped query's work while rows are fetched, after the cursor's execute returns, so
    each statement the page ran is run again here on its own, rows fetched, to time it in full."""
    with app.app_context():
        engine = db.engine
    captured: list[tuple[str, object]] = []

    def _capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    client.get(url)  # warm
    event.listen(engine, "before_cursor_execute", _capture)
    started = time.perf_counter()
    try:
        status = client.get(url).status_code
        request_ms = (time.perf_counter() - started) * 1000
    finally:
        event.remove(engine, "before_cursor_execute", _capture)
    if status != 200:
        raise PageError(f"GET {url} returned {status}")
    timed = []
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            for statement, parameters in captured:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                began = time.perf_counter()
                cursor.execute(statement, parameters)
                cursor.fetchall()
                ms = (time.perf_counter() - began) * 1000
                plan = []
                if db.engine.dialect.name == "sqlite":
                    plan = [row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
                timed.append((ms, statement, plan))
            cursor.close()
        finally:
            connection.close()
    return request_ms, sum(ms for ms, _statement, _plan in timed), sorted(timed, key=lambda t: -t[0])[:slowest]


def print_profile(app, supervisor_id: int, figure: str) -> None:
    """For every page and filter, the slowest statements and how SQLite runs them."""
    client = sign_in(app, supervisor_id)
    for url in [*PAGES, f"/insight/figures/{figure}.csv"]:
        for name, query in FILTERS:
            query = three_months() if query is None else query
            full = f"{url}?{query}" if query else url
            request_ms, sql_ms, slowest = profile_page(app, client, full)
            print(f"\n=== {url} ({name}): {request_ms:.0f} ms, of which SQL {sql_ms:.0f} ms")
            for ms, statement, plan in slowest:
                print(f"--- {ms:.1f} ms")
                print(" ".join(statement.split()))
                for line in plan:
                    print(f"    {line}")


def table(results: list[Result]) -> str:
    """The results as a Markdown table."""
    lines = [f"| {'cases':>9} | {'page':<48} | {'filter':<8} | {'p50 ms':>7} | {'p95 ms':>7} | {'SQL':>5} |",
             f"|{'-' * 10}:|{'-' * 50}|{'-' * 10}|{'-' * 8}:|{'-' * 8}:|{'-' * 6}:|"]
    for r in results:
        lines.append(f"| {r.size:>9,} | {r.url:<48} | {r.filters:<8} | {r.p50:>7.1f} | {r.p95:>7.1f} | "
                     f"{r.statements:>5} |")
    return "\n".join(lines)


def main() -> None:
    """Prepare each size, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="case counts (default: %(default)s)")
    parser.add_argument("--keep-dir", type=Path, help="keep the databases here as insight-<size>.db")
    parser.add_argument("--reuse", action="store_true", help="use a database already in --keep-dir")
    parser.add_argument("--requests", type=int, default=20, help="timed GETs per page (default 20)")
    parser.add_argument("--figure", help="the figure id for the CSV (default: the first in portal.insight.figures)")
    parser.add_argument("--database-url", help="one size only: this database instead of a SQLite file (empty, or "
                                               "holding that many cases with --reuse)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--generate-only", action="store_true", help="build the databases, time nothing")
    parser.add_argument("--profile", action="store_true",
                        help="instead of timing, print each page's slowest statements with EXPLAIN QUERY PLAN")
    args = parser.parse_args()
    if args.reuse and not (args.keep_dir or args.database_url):
        parser.error("--reuse needs --keep-dir or --database-url")
    if args.database_url and len(args.sizes) != 1:
        parser.error("--database-url takes one size")

    try:
        figure = None if args.generate_only else args.figure or default_figure()
    except PageError as error:
        sys.exit(str(error))
    tmpdir = None if args.keep_dir else Path(tempfile.mkdtemp(prefix="portal-insight-"))
    folder = args.keep_dir or tmpdir
    folder.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    notes = []
    try:
        for size in args.sizes:
            path = folder / f"insight-{size}.db"
            if path.exists() and not args.reuse and not args.database_url:
                sys.exit(f"{path} exists: pass --reuse to use it, or delete it.")
            url = args.database_url or f"sqlite:///{path}"
            started = time.perf_counter()
            app, supervisor_id, generation = prepare(url, size, args.seed, reuse=args.reuse)
            notes.append(f"{size:,} cases: " + (f"generated in {generation:.1f} s ({size / generation:,.0f} cases/s)"
                                                if generation else "reused the database")
                         + ("" if args.database_url else f"; database {path.stat().st_size / 2**20:,.0f} MiB"))
            print(notes[-1], f"(ready after {time.perf_counter() - started:.1f} s)", flush=True)
            if not args.generate_only:
                everything, recent = refresh_rollups(app)
                notes.append(f"{size:,} cases: insight refresh --all {everything:.1f} s, "
                             f"insight refresh (recent and changed days) {recent:.1f} s")
                print(notes[-1], flush=True)
                try:
                    if args.profile:
                        print_profile(app, supervisor_id, figure)
                    else:
                        results.extend(time_pages(app, supervisor_id, size, args.requests, figure))
                except PageError as error:
                    sys.exit(str(error))
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)

    print()
    backend = args.database_url.split(":", 1)[0].split("+", 1)[0] if args.database_url else "sqlite"
    print(f"database: {backend}; {args.requests} GETs per page after a warm-up; figure {figure}")
    for note in notes:
        print(note)
    if results:
        print()
        print(table(results))


if __name__ == "__main__":
    main()

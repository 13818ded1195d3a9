"""Helpers the benchmark scripts share: build a throwaway app, generate cases, sign in, time a page.

Importing this module puts the project root on sys.path, so the scripts can import portal and config.
"""

import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from sqlalchemy import event, inspect  # noqa: E402

from config import TestingConfig  # noqa: E402
from portal.app import create_app  # noqa: E402
from portal.auth import session_records  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.auth.sessions import SESSION_RECORD_KEY  # noqa: E402
from portal.clock import utcnow  # noqa: E402
from portal.devtools.generator import generate_cases  # noqa: E402
from portal.extensions import db  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def build_app(database_url: str, reuse: bool = False):
    """A testing app on the given database. An empty database gets its schema from the migrations; a database
    that already has tables is refused, unless reuse is set (then it is upgraded and used as it is)."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    app = create_app(config)
    with app.app_context():
        existing = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        if existing and not reuse:
            sys.exit(f"The database already has tables ({', '.join(sorted(existing)[:5])}, ...): "
                     "use an empty, throwaway database.")
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
    return app


def generate(count: int, seed: int = 1, batch: int = 5000, quiet: bool = False) -> float:
    """Run the generate-cases command in the current app context; return the seconds it took."""
    args = ["--count", str(count), "--seed", str(seed), "--batch", str(batch)]
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext():
        generate_cases.main(args, standalone_mode=False)
    return time.perf_counter() - started


def sign_in(app, user_id: int):
    """A test client with a fully signed-in session, as tests/conftest.py sign_in_as does."""
    client = app.test_client()
    with app.app_context():
        secret = session_records.open_session(db.session.get(User, user_id))
        db.session.commit()
    with client.session_transaction() as session:
        session[SESSION_RECORD_KEY] = secret
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session["last_seen"] = utcnow().timestamp()
        session.permanent = True
    return client


class PageError(RuntimeError):
    """A page under test did not answer 200."""


def time_page(app, client, url: str, requests: int, warm_up: int = 3) -> dict:
    """GET the page `requests` times after a short warm-up; timings in ms and SQL statements per request.

    Raises PageError if any GET does not return 200 (a 404 means the page does not exist yet)."""
    for _ in range(warm_up):
        status = client.get(url).status_code
        if status != 200:
            raise PageError(f"GET {url} returned {status}" + (": the page does not exist (yet)"
                                                              if status == 404 else ""))
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
                raise PageError(f"GET {url} returned {response.status_code}")
            counts.append(current[0])
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return {"p50": statistics.median(timings), "p95": percentile(timings, 0.95), "max": max(timings),
            "statements": f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"}

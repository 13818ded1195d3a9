"""Load test: the portal under gunicorn, on PostgreSQL with Redis, driven by locust, at 10,000 to 1,000,000 cases.

Run by hand from the project root; it is not part of the test suite (tests/test_load_benchmark_smoke.py runs it
once at 10,000 cases for a few seconds, to know that it works):

    .venv/bin/python benchmarks/load.py [--sizes 10000 100000 1000000] [--duration 30] [--users 8]
        [--mix-users 40] [--mix-duration 60] [--mix-wait 1-3] [--mix-ramp 10] [--baseline paired|once]
        [--workers 4] [--keep-dir DIR [--reuse]] [--generate-only] [--database-url URL] [--redis-url URL]
        [--phases saturated mix]

For each size:

1. A PostgreSQL server: a throwaway one from tests/servers.py (deleted at the end), or with --keep-dir one whose
   data directory is kept as DIR/pg-<size> (with --reuse an existing one is started again, so the million-case
   database is generated once), or --database-url (one size). The schema comes from the migrations; a load-test
   officer is created, then the generator (`flask generate-cases`) writes the cases.
2. Accounts: VICTIMS victims, each made the reporter of CASES_PER_VICTIM random generated cases; the officer;
   a partner attached to the organisation with the most referrals. Staff sign in with TOTP codes computed here.
   Then VACUUM ANALYZE, as autovacuum would have done on a live server (planner statistics, visibility map).
3. A Redis server (throwaway, or --redis-url) and gunicorn with gunicorn.conf.py on a free loopback port:
   PORTAL_ENV=production, WEB_CONCURRENCY=--workers, HTTPS_ONLY=false, RATELIMIT_ENABLED=false,
   BENCHMARK_BASELINE=1 (the bare baseline page, portal/devtools/baseline.py).
4. SQL statements per endpoint: the same requests once each through the Flask test client in this process, on
   the same database, counting SQLAlchemy's before_cursor_execute events (after one warm-up request).
5. Sessions: each victim, the officer and the partner sign in through the real log-in pages of the server, once;
   locust users reuse those cookies, so password hashing is not part of the measurement.
6. Phase "saturated": locust (headless, in its own process) runs each endpoint alone, --users users with no think
   time, for --duration seconds. With --baseline paired (the default) the baseline page runs the same way just
   before each endpoint, and the endpoint's ratio is its requests per second divided by that baseline run's: the
   machine is shared, and pairing keeps drift in its other load out of the ratio. With --baseline once, the
   baseline runs first and last and every ratio uses the first run. A report is a wizard of 45 requests, so its
   row is the rate of the wizard's requests, all steps together; its submit POST is also shown on its own.
7. Phase "mix": every user class at once with their weights (load_locustfile.py), --mix-users users with a think
   time of --mix-wait seconds between requests, for --mix-duration seconds after a --mix-ramp seconds start
   (not counted), on a freshly restarted gunicorn: latency under a realistic load.

It prints one table per phase: p50, p95 and p99 in ms, requests per second, the ratio to the baseline and the
SQL statements per request; and, when 10,000 and 1,000,000 (or the smallest and largest sizes) both ran, how
much each endpoint's cost (p95 and 1/rps) grew. Locust shares the machine's cores with gunicorn and PostgreSQL;
after each locust run it prints the load average before and after, and the share of the CPU that processes other
than the benchmark's own (this script, gunicorn, locust, Redis and the PostgreSQL server) used meanwhile.
"""

import argparse
import contextlib
import csv
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, build_app, generate, sign_in  # noqa: E402
from sqlalchemy import event, func, select, update  # noqa: E402

from config import TestingConfig  # noqa: E402
from portal.app import create_app  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.auth.roles import Role  # noqa: E402
from portal.auth.services import create_user  # noqa: E402
from portal.cases.enums import CaseStatus  # noqa: E402
from portal.cases.models import CrimeCategory, Report  # noqa: E402
from portal.devtools.generator import REFERENCE_ALPHABET  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.partners.queries import REFERENCE_SHAPE  # noqa: E402
from portal.support.models import Consent, Referral  # noqa: E402
from portal.support.referrals import VISIBLE_TO_PARTNER  # noqa: E402
from tests.servers import ThrowawayPostgres, ThrowawayRedis, free_port  # noqa: E402
from tests.wizard import BIKE_THEFT  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
PASSWORD = "a-long-load-test-password"  # noqa: S105 - throwaway benchmark accounts
OFFICER_EMAIL = "load-officer@example.org"
PARTNER_EMAIL = "load-partner@example.org"
VICTIMS = 20
CASES_PER_VICTIM = 3
VENV_BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).resolve().parent / "load_locustfile.py"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Locust user classes (benchmarks/load_locustfile.py) and the request names each sends. Saturated, each class runs
# alone; the wizard runs last of them because the reports it submits join the triage queue.
BASELINE_CLASS = "BaselineUser"
BASELINE = "baseline GET /benchmark/baseline/<id>"
# The start page, the start, each question read and answered, check answers, the submit and the confirmation.
WIZARD_ALL = f"report wizard, all {2 + 2 * len(BIKE_THEFT) + 3} requests"
# A run in which an endpoint got no finished request is repeated for twice as long, up to this.
LONGEST_RUN_SECONDS = 120
SUBMIT = "POST /report/check-answers (submit)"
ENDPOINTS = (
    ("StartPageUser", "GET / (start page)"),
    ("MyCasesUser", "GET /cases/ (victim's cases)"),
    ("VictimCaseUser", "GET /cases/<crime_number> (victim case)"),
    ("TriageQueueUser", "GET /staff/triage (triage queue)"),
    ("StaffCaseUser", "GET /staff/cases/<crime_number>"),
    ("PartnerInboxUser", "GET /partner/referrals (partner inbox)"),
    ("PartnerReferralUser", "GET /partner/referrals/<reference>"),
    ("WizardUser", WIZARD_ALL),
)
MIX_CLASSES = [name for name, _ in ENDPOINTS]


def victim_email(index: int) -> str:
    """The address of the index-th load-test victim."""
    return f"load-victim-{index}@example.org"


def load_average() -> str:
    """The 1-minute load average, for the output."""
    return f"{os.getloadavg()[0]:.2f}"


class CpuMeter:
    """How much of the machine's CPU went to processes other than this benchmark's (this script and its children:
    gunicorn, locust and Redis; and the PostgreSQL server whose data directory is given) between two readings."""

    def __init__(self, postgres_dir: Path | None):
        self.postgres_dir = postgres_dir

    def _ours(self) -> float:
        import psutil

        roots = [psutil.Process()]
        pid_file = self.postgres_dir / "data" / "postmaster.pid" if self.postgres_dir else None
        if pid_file and pid_file.exists():
            with contextlib.suppress(psutil.Error, ValueError):
                roots.append(psutil.Process(int(pid_file.read_text().split()[0])))
        total = 0.0
        for root in roots:
            with contextlib.suppress(psutil.Error):
                for process in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        times = process.cpu_times()  # a process's own time, and that of its children it has reaped
                        total += times.user + times.system + times.children_user + times.children_system
        return total

    @staticmethod
    def _busy() -> float:
        import psutil

        times = psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0.0)

    def start(self) -> None:
        self.at, self.busy, self.ours = time.monotonic(), self._busy(), self._ours()

    def others(self) -> str:
        """The other processes' share of all cores since start(), as a percentage."""
        elapsed = (time.monotonic() - self.at) * (os.cpu_count() or 1)
        share = max(0.0, (self._busy() - self.busy) - (self._ours() - self.ours)) / elapsed if elapsed else 0.0
        return f"{100 * share:.0f}%"


class KeptPostgres(ThrowawayPostgres):
    """A ThrowawayPostgres whose cluster lives in a directory of our choosing, so that it can be used again."""

    def __init__(self, directory: Path):
        super().__init__()
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)


# --- seeding ---------------------------------------------------------------------------------------------------

def seed(database_url: str, count: int, reuse: bool) -> float | None:
    """Schema, the officer (before the cases, so triaged cases have a claimant) and `count` generated cases.
    Returns the generation time, or None when the database already held the cases (reused)."""
    app = build_app(database_url, reuse=reuse)
    try:
        with app.app_context():
            existing = db.session.scalar(select(func.count()).select_from(Report))
            if existing:
                if existing < count:
                    sys.exit(f"The database holds {existing} cases, fewer than {count}: use another --keep-dir.")
                return None
            if db.session.scalar(select(User.id).where(User.email == OFFICER_EMAIL)) is None:
                create_user(OFFICER_EMAIL, PASSWORD, Role.OFFICER, verified=True)
                db.session.commit()
            return generate(count, quiet=True)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _user(email: str, role: Role) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    return user or create_user(email, PASSWORD, role, verified=True)


def prepare_accounts(app, seed_value: int = 1) -> dict:
    """The accounts and the data locust needs (idempotent: a reused database keeps its accounts)."""
    rng = random.Random(seed_value)  # noqa: S311 - load-test choices, not secrets
    with app.app_context():
        officer = _user(OFFICER_EMAIL, Role.OFFICER)
        partner = _user(PARTNER_EMAIL, Role.PARTNER)
        if partner.organisation_id is None:
            partner.organisation_id = db.session.scalar(
                select(Referral.organisation_id).group_by(Referral.organisation_id)
                .order_by(func.count().desc()).limit(1))
        highest = db.session.scalar(select(func.max(Report.id)))
        victims = []
        for index in range(VICTIMS):
            victim = _user(victim_email(index), Role.VICTIM)
            cases = list(db.session.scalars(select(Report.crime_number).where(Report.reporter_user_id == victim.id)))
            while len(cases) < CASES_PER_VICTIM:
                report = db.session.scalar(select(Report).where(Report.id >= rng.randint(1, highest),
                                                                Report.reporter_user_id.is_(None))
                                           .order_by(Report.id).limit(1))
                if report is not None:
                    report.reporter_user_id = victim.id
                    cases.append(report.crime_number)
            victims.append({"id": victim.id, "email": victim.email, "cases": cases})
        # Staff open cases from the queue: some of the received ones (the default queue), and some at random.
        staff_cases = list(db.session.scalars(select(Report.crime_number).where(Report.status == CaseStatus.RECEIVED)
                                              .order_by(Report.triage_due_at).limit(25)))
        staff_cases += [db.session.scalar(select(Report.crime_number).where(Report.id >= rng.randint(1, highest))
                                          .order_by(Report.id).limit(1)) for _ in range(25)]
        referrals = list(db.session.scalars(
            select(Referral).join(Consent, Consent.id == Referral.consent_id)
            .where(Referral.organisation_id == partner.organisation_id,
                   Referral.status.in_(list(VISIBLE_TO_PARTNER)), Consent.withdrawn_at.is_(None))
            .order_by(Referral.id.desc()).limit(50)))
        for referral in referrals:
            # The generator writes nine-character references, which the partner pages refuse to look up (they
            # accept the eight that real referrals get): give the referrals the partner opens a real-shaped one.
            if not REFERENCE_SHAPE.match(referral.reference):
                referral.reference = "RF-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(8))
        references = [referral.reference for referral in referrals]
        # Each run signs the staff in again: forget the last TOTP step used, so this run's code is accepted.
        db.session.execute(update(User).where(User.id.in_((officer.id, partner.id))).values(totp_last_step=None))
        db.session.commit()
        plan = {"baseline_id": db.session.scalar(select(func.min(CrimeCategory.id))), "victims": victims,
                "officer": {"id": officer.id, "email": officer.email, "secret": officer.totp_secret},
                "partner": {"id": partner.id, "email": partner.email, "secret": partner.totp_secret},
                "staff_cases": staff_cases, "referrals": references,
                "cases": db.session.scalar(select(func.count()).select_from(Report))}
        db.session.remove()
        # What autovacuum does on a live server: planner statistics (without them the planner guesses, and
        # bulk-loaded tables get sequential scans) and the visibility map (which index-only scans need).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return plan


# --- SQL statements per endpoint, in process ----------------------------------------------------------------------

def count_statements(database_url: str, plan: dict) -> dict[str, str]:
    """One request per endpoint (after one warm-up) through the Flask test client; statements per request."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.BENCHMARK_BASELINE = True
    config.RATELIMIT_ENABLED = False
    app = create_app(config)
    with app.app_context():
        engine = db.engine
    current = [0]

    def _count(*_args):
        current[0] += 1

    last_page = [""]

    def counted(client, method: str, url: str, data=None, expect=200) -> int:
        if method == "POST":  # the form's CSRF token, from the page read just before
            token = TOKEN.search(last_page[0])
            data = {**(data or {}), "csrf_token": token.group(1) if token else ""}
        current[0] = 0
        response = client.open(url, method=method, data=data)
        if response.status_code != expect:
            raise RuntimeError(f"{method} {url} answered {response.status_code}, not {expect}")
        last_page[0] = response.get_data(as_text=True)
        return current[0]

    victim, staff = plan["victims"][0], plan["staff_cases"][0]
    gets = {
        BASELINE: (None, f"/benchmark/baseline/{plan['baseline_id']}"),
        "GET / (start page)": (None, "/"),
        "GET /cases/ (victim's cases)": (victim["id"], "/cases/"),
        "GET /cases/<crime_number> (victim case)": (victim["id"], f"/cases/{victim['cases'][0]}"),
        "GET /staff/triage (triage queue)": (plan["officer"]["id"], "/staff/triage"),
        "GET /staff/cases/<crime_number>": (plan["officer"]["id"], f"/staff/cases/{staff}"),
        "GET /partner/referrals (partner inbox)": (plan["partner"]["id"], "/partner/referrals"),
    }
    if plan["referrals"]:
        gets["GET /partner/referrals/<reference>"] = (plan["partner"]["id"],
                                                      f"/partner/referrals/{plan['referrals'][0]}")
    counts: dict[str, str] = {}
    event.listen(engine, "before_cursor_execute", _count)
    try:
        for name, (user_id, url) in gets.items():
            client = sign_in(app, user_id) if user_id else app.test_client()
            counted(client, "GET", url)
            counts[name] = str(counted(client, "GET", url))
        # The wizard: every step, the submit on its own, and the whole walk.
        client = app.test_client()
        steps = [counted(client, "GET", "/"), counted(client, "POST", "/report/start", expect=302)]
        for slug, data in BIKE_THEFT:
            steps.append(counted(client, "GET", f"/report/{slug}"))
            steps.append(counted(client, "POST", f"/report/{slug}", data=data, expect=302))
        steps.append(counted(client, "GET", "/report/check-answers"))
        submit = counted(client, "POST", "/report/check-answers", data={"declaration": "y"}, expect=302)
        steps += [submit, counted(client, "GET", "/report/confirmation")]
        counts[SUBMIT] = str(submit)
        counts[WIZARD_ALL] = f"{sum(steps)} in all"
    finally:
        event.remove(engine, "before_cursor_execute", _count)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return counts


# --- the server and the sessions ------------------------------------------------------------------------------

def start_gunicorn(database_url: str, redis_url: str, workers: int, log: Path,
                   config: Path = ROOT / "gunicorn.conf.py", port: int | None = None) -> tuple[subprocess.Popen, str]:
    """gunicorn with gunicorn.conf.py (or another config) on a free loopback port; returns when /health answers."""
    import requests

    port = port or free_port()
    env = {**os.environ, "PORTAL_ENV": "production", "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "load-test-secret-key-not-for-production", "HTTPS_ONLY": "false",
           "RATELIMIT_ENABLED": "false", "BENCHMARK_BASELINE": "1", "WEB_CONCURRENCY": str(workers),
           "BIND": f"127.0.0.1:{port}", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(free_port())}
    # Its own process group, so that stopping it stops every worker it forked.
    process = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", str(config), "wsgi:app"],  # noqa: S603
                               cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    host = f"http://127.0.0.1:{port}"
    # A busy machine can take many seconds to boot gunicorn; any failure to answer (refused, or a read time-out
    # while it boots) means "not ready yet".
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{host}/health", timeout=5).status_code == 200:
                return process, host
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            sys.exit(f"gunicorn did not start; its log:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    """Stop a server this script started, with its whole process group: SIGTERM, then SIGKILL what is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def sign_in_session(host: str, email: str, secret: str | None) -> dict:
    """Sign in through the log-in pages (and the TOTP step for staff); the session cookies."""
    import pyotp
    import requests

    session = requests.Session()

    def post(path: str, data: dict) -> requests.Response:
        page = session.get(host + path, timeout=30)
        token = TOKEN.search(page.text)
        response = session.post(host + path, data={**data, "csrf_token": token.group(1) if token else ""},
                                allow_redirects=False, timeout=30)
        if response.status_code != 302:
            sys.exit(f"signing {email} in: POST {path} answered {response.status_code}")
        return response

    response = post("/login", {"email": email, "password": PASSWORD})
    if secret and response.headers["Location"].endswith("/login/code"):
        post("/login/code", {"code": pyotp.TOTP(secret).now()})
    if session.get(host + "/account", allow_redirects=False, timeout=30).status_code != 200:
        sys.exit(f"signing {email} in did not give a signed-in session")
    return {cookie.name: cookie.value for cookie in session.cookies}


def sessions_for(host: str, plan: dict) -> dict:
    """Signed-in cookies for every victim, the officer and the partner."""
    return {
        "victim": [{"cookies": sign_in_session(host, v["email"], None), "cases": v["cases"]} for v in plan["victims"]],
        "officer": [{"cookies": sign_in_session(host, plan["officer"]["email"], plan["officer"]["secret"])}],
        "partner": [{"cookies": sign_in_session(host, plan["partner"]["email"], plan["partner"]["secret"])}],
    }


# --- locust -------------------------------------------------------------------------------------------------------

@dataclass
class Row:
    """One request name's figures from locust's stats CSV."""

    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float
    failures_seen: list[str] = field(default_factory=list)


def _number(value: str) -> float:
    """A figure from locust's CSV ("N/A" when there were no requests)."""
    return 0.0 if value == "N/A" else float(value)


def run_locust(host: str, classes: list[str], users: int, seconds: int, wait: str, plan_file: Path,
               workdir: Path, label: str, ramp: int = 0) -> dict[str, Row]:
    """Run locust headless in its own process; the rows of its stats CSV, by request name. With a ramp, users
    start over `ramp` seconds and the figures count only what follows (locust's --reset-stats)."""
    prefix = workdir / label
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_WAIT": wait}
    rate = max(1, users // ramp) if ramp else users
    command = [str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r", str(rate),
               "-t", f"{seconds + ramp}s", "--host", host, "--csv", str(prefix), "--only-summary",
               "--stop-timeout", "10", "--loglevel", "WARNING", *(["--reset-stats"] if ramp else []), *classes]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                            timeout=seconds + ramp + 120)
    stats = prefix.with_name(prefix.name + "_stats.csv")
    if "Traceback" in result.stderr:  # a user class broke: say so, whatever the figures
        sys.exit(f"locust ({label}) raised an error:\n{result.stderr[-3000:]}")
    if not stats.exists():
        sys.exit(f"locust wrote no statistics (exit {result.returncode}):\n{result.stderr[-3000:]}")
    rows = {}
    with stats.open() as handle:
        for line in csv.DictReader(handle):
            rows[line["Name"]] = Row(line["Name"], int(line["Request Count"]), int(line["Failure Count"]),
                                     *(_number(line[column]) for column in ("50%", "95%", "99%", "Requests/s")))
    failures = prefix.with_name(prefix.name + "_failures.csv")
    if failures.exists():
        with failures.open() as handle:
            for line in csv.DictReader(handle):
                if line["Name"] in rows:
                    rows[line["Name"]].failures_seen.append(f"{line['Occurrences']}x {line['Error']}")
    return rows


# --- output -------------------------------------------------------------------------------------------------------

HEADER = (f"| {'cases':>9} | {'endpoint':<42} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} | {'req/s':>7} "
          f"| {'base/s':>7} | {'x base':>6} | {'fails':>5} | {'SQL':>10} |")
RULE = (f"|{'-' * 10}:|{'-' * 44}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|{'-' * 6}:"
        f"|{'-' * 11}:|")


def table_row(size: int, name: str, row: Row, baseline_rps: float | None, sql: str) -> str:
    """One line of the results table."""
    ratio = f"{row.rps / baseline_rps:.2f}" if baseline_rps else "-"
    base = f"{baseline_rps:.1f}" if baseline_rps else "-"
    return (f"| {size:>9,} | {name[:42]:<42} | {row.p50:>7.0f} | {row.p95:>7.0f} | {row.p99:>7.0f} | {row.rps:>7.1f} "
            f"| {base:>7} | {ratio:>6} | {row.failures:>5} | {sql:>10} |")


def wizard_row(rows: dict[str, Row]) -> Row:
    """The wizard's requests together: the aggregated line locust writes for the run."""
    total = rows["Aggregated"]
    return Row(WIZARD_ALL, total.requests, total.failures, total.p50, total.p95, total.p99, total.rps,
               [f"{name}: {line}" for name, row in rows.items() for line in row.failures_seen])


def machine() -> str:
    """Cores, memory, Python and the kernel, for the output."""
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return (f"{os.cpu_count()} cores, {int(memory) / 1024 / 1024:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def postgres_version(database_url: str) -> str:
    """The server's version string (short)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SHOW server_version")).scalar_one().split()[0]
    finally:
        engine.dispose()


# --- main ----------------------------------------------------------------------------------------------------------

@dataclass
class SizeResult:
    """Everything measured at one size."""

    size: int
    cases: int
    saturated: dict[str, Row] = field(default_factory=dict)
    paired: dict[str, Row] = field(default_factory=dict)  # each endpoint's baseline run (just before it)
    baselines: list[Row] = field(default_factory=list)
    mix: dict[str, Row] = field(default_factory=dict)
    sql: dict[str, str] = field(default_factory=dict)


def run_size(size: int, args, workdir: Path) -> SizeResult:
    """Seed, serve and measure one size."""
    server = redis = None
    if args.database_url:
        database_url = args.database_url
    else:
        server = KeptPostgres(args.keep_dir / f"pg-{size}") if args.keep_dir else ThrowawayPostgres()
        if args.keep_dir and (server.dir / "data").exists() and not args.reuse:
            sys.exit(f"{server.dir} exists: pass --reuse to use it, or delete it.")
        server.start()
        database_url = server.url
    gunicorn = None
    try:
        started = time.perf_counter()
        taken = seed(database_url, size, args.reuse or bool(args.database_url))
        print(f"\n== {size:,} cases: " + (f"generated in {taken:.1f} s" if taken is not None
                                          else f"reused the database ({time.perf_counter() - started:.1f} s)"),
              flush=True)
        if args.generate_only:
            return SizeResult(size, size)
        app = build_app(database_url, reuse=True)
        plan = prepare_accounts(app)
        with app.app_context():
            db.engine.dispose()
        result = SizeResult(size, plan["cases"])
        print(f"PostgreSQL {postgres_version(database_url)}; {plan['cases']:,} reports in the database "
              f"(the generated ones and any submitted by earlier runs); load average {load_average()}", flush=True)
        result.sql = count_statements(database_url, plan)
        if not args.redis_url:
            redis = ThrowawayRedis().start()
        gunicorn, host = start_gunicorn(database_url, args.redis_url or redis.url, args.workers,
                                        (args.log_dir or workdir) / f"gunicorn-{size}.log", args.gunicorn_config)
        plan["sessions"] = sessions_for(host, plan)
        plan_file = workdir / f"plan-{size}.json"
        plan_file.write_text(json.dumps(plan))

        meter = CpuMeter(server.dir if server is not None else None)

        def locust(classes, users, seconds, wait, label, ramp=0, needs=()):
            """Run locust. If no request to one of `needs` finished in the time (a slow or busy machine, or a
            short smoke run), run again for twice as long, up to LONGEST_RUN_SECONDS: every endpoint gets figures."""
            while True:
                before = load_average()
                meter.start()
                rows = run_locust(host, classes, users, seconds, wait, plan_file, workdir, f"{size}-{label}", ramp)
                print(f"  {label}: {seconds} s, {users} users, load average {before} -> {load_average()}; other "
                      f"processes used {meter.others()} of the CPU", flush=True)
                missing = [name for name in needs if name not in rows or not rows[name].requests]
                if not missing or seconds * 2 > LONGEST_RUN_SECONDS:
                    return rows
                print(f"  {label}: no request to {', '.join(missing)} finished in {seconds} s; "
                      f"running again for {seconds * 2} s", flush=True)
                seconds *= 2

        def baseline(label):
            row = locust([BASELINE_CLASS], args.users, args.duration, "0", label, needs=[BASELINE])[BASELINE]
            result.baselines.append(row)
            return row

        if "saturated" in args.phases:
            base = baseline("baseline")
            for class_name, name in ENDPOINTS:
                if args.baseline == "paired" and result.saturated:
                    base = baseline(f"baseline-before-{class_name}")
                rows = locust([class_name], args.users, args.duration, "0", class_name,
                              needs=[SUBMIT] if name == WIZARD_ALL else [name])
                if name == WIZARD_ALL:
                    result.saturated[WIZARD_ALL] = wizard_row(rows)
                    result.paired[WIZARD_ALL] = base
                    if SUBMIT in rows:
                        result.saturated[SUBMIT], result.paired[SUBMIT] = rows[SUBMIT], base
                else:
                    result.saturated[name] = rows.get(name, Row(name, 0, 0, 0, 0, 0, 0))
                    result.paired[name] = base
            if args.baseline == "once":
                baseline("baseline-again")
        if "mix" in args.phases:
            if "saturated" in args.phases:
                # A fresh server for the mix: the saturated runs sent each worker towards gunicorn's max_requests,
                # so they would restart (and compile their templates again) many times more often than at this load.
                stop(gunicorn)
                gunicorn, _ = start_gunicorn(database_url, args.redis_url or redis.url, args.workers,
                                                      (args.log_dir or workdir) / f"gunicorn-{size}-mix.log",
                                                      args.gunicorn_config,
                                                      port=int(host.rsplit(":", 1)[1]))
            rows = locust(MIX_CLASSES, args.mix_users, args.mix_duration, args.mix_wait, "mix", ramp=args.mix_ramp)
            result.mix = {name: row for name, row in rows.items() if row.requests}
        return result
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        if redis is not None:
            redis.remove()
        if server is not None:
            if args.keep_dir:
                server.stop()
            else:
                server.remove()


def print_results(results: list[SizeResult], args) -> None:
    """The tables: saturated (with ratios), the mix, and the growth from the smallest to the largest size."""
    print()
    print(f"machine: {machine()}; load average now {load_average()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"gunicorn: {args.workers} sync workers; locust on the same machine")
    if any(r.saturated for r in results):
        pairing = ("the baseline run just before it" if args.baseline == "paired"
                   else "the first baseline run")
        print(f"\nEach endpoint alone, saturated: {args.users} users, no think time, {args.duration} s each. "
              f"base/s = req/s of {pairing}; x base = req/s / base/s. The baseline row is its median run. "
              "SQL = statements per request.\n")
        print(HEADER)
        print(RULE)
        for result in results:
            median = sorted(result.baselines, key=lambda row: row.rps)[len(result.baselines) // 2]
            print(table_row(result.size, BASELINE, median, median.rps, result.sql.get(BASELINE, "-")))
            for name, row in result.saturated.items():
                print(table_row(result.size, name, row, result.paired[name].rps, result.sql.get(name, "-")))
        for result in results:
            print(f"baseline runs at {result.size:,}: req/s " + ", ".join(f"{row.rps:.0f}" for row in result.baselines)
                  + "; p95 ms " + ", ".join(f"{row.p95:.0f}" for row in result.baselines))
    if any(r.mix for r in results):
        print(f"\nRealistic mix: {args.mix_users} users (started over {args.mix_ramp} s, not counted), think time "
              f"{args.mix_wait} s, {args.mix_duration} s. req/s is each endpoint's share of the mix.\n")
        print(HEADER)
        print(RULE)
        for result in results:
            for name, row in sorted(result.mix.items(), key=lambda item: item[0] == "Aggregated"):
                print(table_row(result.size, name, row, None, result.sql.get(name, "-")))
    failures = [(r.size, name, line) for r in results for rows in (r.saturated, r.mix) for name, row in rows.items()
                for line in row.failures_seen]
    for size, name, line in failures[:20]:
        print(f"failure at {size:,}: {name}: {line}")
    measured = [r for r in results if r.saturated]
    if len(measured) > 1:
        small, large = measured[0], measured[-1]
        print(f"\nGrowth from {small.size:,} to {large.size:,} cases (target: at most 1.5x). cost = 1 / saturated "
              "req/s; 'vs base' divides by the paired baselines' growth, which takes out most of the drift in the "
              "machine's other load:\n")
        print(f"| {'endpoint':<42} | {'cost x':>6} | {'vs base':>7} | {'p95 x':>6} |")
        print(f"|{'-' * 44}|{'-' * 7}:|{'-' * 8}:|{'-' * 7}:|")
        for name, row in small.saturated.items():
            other = large.saturated.get(name)
            if other and other.rps and row.rps and row.p95:
                base = small.paired[name].rps / large.paired[name].rps
                print(f"| {name[:42]:<42} | {row.rps / other.rps:>6.2f} | {row.rps / other.rps / base:>7.2f} "
                      f"| {other.p95 / row.p95:>6.2f} |")


def main() -> None:
    """Parse the options, run every size and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="cases per run (default: all 3)")
    parser.add_argument("--duration", type=int, default=30, help="seconds per saturated endpoint (default 30)")
    parser.add_argument("--users", type=int, default=8, help="locust users when saturating (default 8)")
    parser.add_argument("--mix-users", type=int, default=40, help="locust users in the mix (default 40)")
    parser.add_argument("--mix-duration", type=int, default=60, help="seconds of the mix (default 60)")
    parser.add_argument("--mix-wait", default="1-3", help="think time range in the mix, seconds (default 1-3)")
    parser.add_argument("--mix-ramp", type=int, default=10, help="seconds to start the mix's users (default 10)")
    parser.add_argument("--baseline", choices=("paired", "once"), default="paired",
                        help="a baseline run before every endpoint (default), or once before and once after")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--gunicorn-config", type=Path, default=ROOT / "gunicorn.conf.py",
                        help="gunicorn settings (default: the project's gunicorn.conf.py)")
    parser.add_argument("--log-dir", type=Path, help="keep gunicorn's logs (access log with times) here")
    parser.add_argument("--phases", nargs="+", choices=("saturated", "mix"), default=["saturated", "mix"])
    parser.add_argument("--keep-dir", type=Path, help="keep each PostgreSQL data directory here as pg-<size>")
    parser.add_argument("--reuse", action="store_true", help="start and use a data directory already in --keep-dir")
    parser.add_argument("--generate-only", action="store_true", help="only build the databases (with --keep-dir)")
    parser.add_argument("--database-url", help="an existing PostgreSQL database (one size)")
    parser.add_argument("--redis-url", help="an existing Redis server (default: a throwaway one)")
    args = parser.parse_args()
    if args.database_url and len(args.sizes) != 1:
        parser.error("--database-url takes one size")
    if args.reuse and not args.keep_dir:
        parser.error("--reuse needs --keep-dir")
    if args.generate_only and not args.keep_dir:
        parser.error("--generate-only needs --keep-dir")

    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {machine()}; load average {load_average()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    try:
        results = [run_size(size, args, workdir) for size in args.sizes]
        if not args.generate_only:
            print_results(results, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

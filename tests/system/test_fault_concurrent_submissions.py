"""Fault test (issue 8): 200 people send their reports at the same moment to gunicorn with 4 worker processes.

Each person is a separate guest with their own cookies, who walks the bicycle theft questions over HTTP; then all
200 final submits are released together by a barrier. Every one must get a confirmation page with a crime number
of its own, and the database must hold 200 reports, each with its confirmation email in the outbox, with the year's
sequence at 200 and no number skipped.

The database is the one of the test pass: a SQLite file in the SQLite pass (4 processes share it through WAL and a
busy timeout, which makes a writer wait for the lock rather than fail), and a throwaway PostgreSQL server of the
test's own in the PostgreSQL pass, so that no rows are left in the shared test database. Without Debian's PostgreSQL
binaries the PostgreSQL run is skipped, except in CI (CI=true), where that is a failure.

To stay within a couple of minutes on two cores, each person says nothing was stolen (two fewer questions) and
posts each answer without first loading its question page (one CSRF token serves the whole session); the final
submits are real HTTP posts of the check-answers form.
"""

import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import flask_migrate
import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from portal.app import create_app
from portal.cases.crime_numbers import parse_crime_number
from portal.cases.models import CrimeNumberSequence, Report
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.reporting.models import ReportDraft
from tests.conftest import make_config
from tests.paths import ROOT
from tests.processes import production_env
from tests.servers import ThrowawayPostgres, free_port, require_servers
from tests.wizard import steps_with

PEOPLE = 200
WORKERS = 4
WALKING_THREADS = 16
HTTP_TIMEOUT_SECONDS = 120
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CRIME_NUMBER = re.compile(r'id="crime-number">([^<]+)<')
H1 = re.compile(r"<h1[^>]*>\s*(.*?)\s*</h1>", re.S)


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """This pass's kind of database, empty and of this test's own."""
    if not os.environ.get("TEST_DATABASE_URL"):
        yield f"sqlite:///{tmp_path / 'concurrent.db'}"
        return
    require_servers("postgresql", why="the PostgreSQL run of this test, on a server of its own,")
    server = ThrowawayPostgres(max_connections=100).start()
    try:
        yield server.url
    finally:
        server.remove()


@pytest.fixture
def schema(database_url: str) -> Iterator[Flask]:
    """An app on that database, used to build the schema and to read the results."""
    application = create_app(make_config(database_url))
    with application.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        db.session.remove()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def gunicorn(database_url: str, schema: Flask, tmp_path, processes) -> Iterator[str]:
    """gunicorn with the project's config and 4 workers on a free loopback port; stopped with its workers."""
    port = free_port()
    env = production_env(DATABASE_URL=database_url, WEB_CONCURRENCY=WORKERS, RATELIMIT_ENABLED="false",
                         MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
                         EVIDENCE_DIR=tmp_path / "evidence")
    server = processes.gunicorn("gunicorn", env, port)
    yield f"http://127.0.0.1:{port}"
    server_log = server.stop()
    crash = server_log.find("Traceback")
    assert crash == -1, f"the server logged an error: {server_log[crash:crash + 4000]}"


def answers_for(index: int) -> list:
    """Bicycle theft answers that name this person, with nothing stolen (so two questions fewer)."""
    return steps_with({
        "where": {"borough": "Camden", "postcode": "nw1 2db", "location": f"Outside shop {index}"},
        "property": {"has_property": "no"},
        "property-item": None,
        "property-list": None,
        "contact": {"contact_name": f"Person {index}", "contact_email": f"person{index}@example.org",
                    "contact_phone": "020 7946 0018"},
    })


class Person:
    """One guest with their own cookie jar, who remembers every server error they saw."""

    def __init__(self, base_url: str, index: int, server_errors: list):
        self.base_url = base_url
        self.index = index
        self.http = requests.Session()
        self.token = ""
        self.server_errors = server_errors

    def request(self, method: str, path: str, **data) -> requests.Response:
        if method == "POST":
            data["csrf_token"] = self.token
        response = self.http.request(method, f"{self.base_url}{path}", data=data or None, allow_redirects=False,
                                     timeout=HTTP_TIMEOUT_SECONDS)
        if response.status_code >= 500:
            self.server_errors.append(f"person {self.index}: {method} {path} -> {response.status_code}")
        return response

    def walk_to_check_answers(self) -> None:
        """Start a report, answer every question, and open the check-answers page."""
        start_page = self.request("GET", "/")  # the service's start page starts the report
        self.token = CSRF_TOKEN.search(start_page.text).group(1)
        started = self.request("POST", "/report/start")
        assert started.status_code == 302, (self.index, started.status_code)
        for slug, data in answers_for(self.index):
            answered = self.request("POST", f"/report/{slug}", **data)
            assert answered.status_code == 302, (self.index, slug, answered.status_code)
        check = self.request("GET", "/report/check-answers")
        assert check.status_code == 200
        assert H1.search(check.text).group(1) == "Check your answers before sending your report"

    def send(self, barrier: threading.Barrier) -> str | None:
        """Wait for everyone, send the report, and return the crime number on the confirmation page."""
        barrier.wait()
        sent = self.request("POST", "/report/check-answers", declaration="y")
        if sent.status_code != 302 or sent.headers.get("Location") != "/report/confirmation":
            return None
        confirmation = self.request("GET", "/report/confirmation")
        match = CRIME_NUMBER.search(confirmation.text) if confirmation.status_code == 200 else None
        return match.group(1) if match else None


def test_200_reports_sent_at_once_to_4_workers_each_get_their_own_crime_number_and_email(gunicorn, schema):
    server_errors: list[str] = []
    people = [Person(gunicorn, index, server_errors) for index in range(PEOPLE)]
    with ThreadPoolExecutor(max_workers=WALKING_THREADS) as pool:
        list(pool.map(Person.walk_to_check_answers, people))
    assert server_errors == []

    barrier = threading.Barrier(PEOPLE, timeout=HTTP_TIMEOUT_SECONDS)
    numbers: list[str | None] = [None] * PEOPLE
    failures: list[str] = []

    def send(person: Person) -> None:
        try:
            numbers[person.index] = person.send(barrier)
        except Exception as error:  # noqa: BLE001 - reported below with the person it happened to
            failures.append(f"person {person.index}: {error!r}")

    threads = [threading.Thread(target=send, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HTTP_TIMEOUT_SECONDS * 2)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert server_errors == []
    missing = [index for index, number in enumerate(numbers) if number is None]
    assert missing == [], f"{len(missing)} people got no confirmation page with a crime number"
    assert len(set(numbers)) == PEOPLE

    with schema.app_context():
        reports = {r.crime_number: r for r in db.session.scalars(select(Report))}
        emails = db.session.execute(select(OutboxMessage.recipient, func.count())
                                    .where(OutboxMessage.template == "report_received")
                                    .group_by(OutboxMessage.recipient)).all()
        sequence_total = db.session.scalar(select(func.sum(CrimeNumberSequence.last_value)))
        drafts_left = db.session.scalar(select(func.count()).select_from(ReportDraft))
        # Each person's page shows the number of their own report.
        owners = {number: reports[number].contact_name for number in numbers if number in reports}
        db.session.remove()
    assert len(reports) == PEOPLE
    assert owners == {number: f"Person {index}" for index, number in enumerate(numbers)}
    assert dict(emails) == {f"person{index}@example.org": 1 for index in range(PEOPLE)}
    assert sequence_total == PEOPLE
    assert sorted(parse_crime_number(number, "CR").sequence for number in numbers) == list(range(1, PEOPLE + 1))
    assert drafts_left == 0

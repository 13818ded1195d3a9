"""The demo data's generated cases (portal/devtools/demo.py, _demo_volume): enough that the insight pages show
figures rather than "fewer than 10", loaded once, and never a message to a generated person, then or from the jobs.

Made once for the module (3,000 cases take a second or two on SQLite); each test is rolled back to them."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent, WitnessLink
from portal.clock import utcnow
from portal.devtools.demo import DEMO_VOLUME, _demo_volume
from portal.extensions import db
from portal.feedback.models import Feedback
from portal.insight import figures, queries
from portal.insight.suppression import FEWER_THAN, HIDDEN
from portal.notifications.models import OutboxMessage
from portal.support.assessments import send_due_offers
from portal.surveys.schedule import send_due
from portal.tasks.enums import TaskType
from portal.tasks.models import Task
from portal.tasks.reminders import remind_and_escalate
from portal.tracking.hearings import HEARING
from portal.tracking.models import CourtAvailability, HearingReminder
from portal.tracking.reminders import hearing_time, send_hearing_reminders
from portal.triage.alerts import raise_sla_alerts
from portal.triage.reminders import remind_due_deadlines
from tests.conftest import kept_for_the_module, new_user, sign_in_as
from tests.integration.test_insight import table

# Every insight page and what it shows, the experience page broken down every way.
PAGES = {
    "/insight/": figures.PAGES["service"],
    "/insight/demand": figures.PAGES["demand"],
    **{f"/insight/experience?by={dimension}": [*figures.PAGES["experience"], figures.SATISFACTION_BY[dimension].id,
                                               figures.COPING_BY[dimension].id] for dimension in queries.DIMENSIONS},
    "/insight/requests": figures.PAGES["requests"],
    "/insight/witnesses": figures.PAGES["witnesses"],
    "/insight/public": figures.PUBLIC,
}
NOT_SHOWN = {FEWER_THAN, HIDDEN, "–", ""}
# Rows that are not a group: the heading row and the overall rows (a group of 10 or more must show on its own).
NOT_GROUPS = ("", "Total", "All", "All requests", "All months")


@pytest.fixture(scope="module")
def volume(app) -> Iterator[dict]:
    """The generated cases, the line the demo prints, and a commissioner."""
    with kept_for_the_module(app):
        with app.app_context():
            lines = _demo_volume(DEMO_VOLUME)
            db.session.remove()
        yield {"lines": lines, "commissioner": new_user(app, Role.COMMISSIONER)}


def test_after_the_load_the_planner_knows_how_many_cases_there_are(app, volume):
    """The load ends with ANALYZE: planned as the empty tables autovacuum last saw, an insight query over the
    generated cases once ran for more than nine minutes in CI on PostgreSQL. Each database keeps the row count it
    plans with where ANALYZE puts it."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            planned = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'reports'"))
        else:
            planned = int(db.session.scalar(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'reports'")).split()[0])
    assert planned >= DEMO_VOLUME


def test_the_demo_loads_its_cases_once(app, volume):
    from config import Config

    assert Config.DEMO_VOLUME == DEMO_VOLUME  # what `flask demo-data` loads unless DEMO_VOLUME says otherwise
    assert volume["lines"][0].startswith(f"Generated cases: {DEMO_VOLUME} over the last 183 days")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == DEMO_VOLUME
        assert db.session.scalar(select(func.count()).select_from(Feedback)) > 100
        again = _demo_volume(DEMO_VOLUME)  # running `flask demo-data` again
        assert again == [f"Generated cases: skipped, the database already holds {DEMO_VOLUME} cases"]
        assert db.session.scalar(select(func.count()).select_from(Report)) == DEMO_VOLUME


def test_flask_demo_data_loads_them_as_configured(app, volume, monkeypatch):
    """`flask demo-data` loads DEMO_VOLUME cases (none in the other tests, which run it often)."""
    monkeypatch.setitem(app.config, "DEMO_VOLUME", DEMO_VOLUME)
    output = app.test_cli_runner().invoke(args=["demo-data"]).output
    assert "Generated cases: skipped, the database already holds" in output


def test_the_cases_at_court_have_witnesses_and_hearings_all_over(app, volume):
    """Witnesses (none with an account) follow the cases at court; every hearing, moved ones included, has
    started, so no reminder is due; some answers say "I cannot attend"; changes name the hearing they replace."""
    with app.app_context():
        links = db.session.scalars(select(WitnessLink)).all()
        assert len(links) > 100
        assert all(link.witness_user_id is None and link.invited_email.endswith("@example.org") for link in links)
        hearings = db.session.scalars(select(TimelineEvent).where(TimelineEvent.reason_code == HEARING)).all()
        assert len(hearings) > 50
        assert all(hearing_time(hearing) < utcnow() - timedelta(hours=12) for hearing in hearings)
        answers = db.session.scalars(select(CourtAvailability)).all()
        assert len(answers) > 100 and any(not answer.available for answer in answers)
        changes = db.session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "hearing_change")).all()
        assert {change.reason_code for change in changes} == {HEARING, "hearing_adjourned", "hearing_vacated"}
        ids = {hearing.id for hearing in hearings}
        assert all(int(change.text_values["replaces"]) in ids for change in changes)


def test_no_generated_person_is_written_to_by_any_job(app, volume):
    """Support offers, surveys, check-ins and hearing reminders find nobody to write to (not even a week on,
    as every generated hearing is over); the staff jobs write to staff only, and witness care are not asked to
    chase a generated witness."""
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert send_due_offers() == 0
        counts = send_due()
        assert (counts.surveys, counts.check_ins, counts.emails) == (0, 0, 0)
        assert send_hearing_reminders() == 0
        assert send_hearing_reminders(utcnow() + timedelta(days=8)) == 0
        raise_sla_alerts()
        remind_due_deadlines()
        remind_and_escalate()
        generated = set(db.session.scalars(select(Report.contact_email))) \
            | set(db.session.scalars(select(WitnessLink.invited_email)))
        recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
        assert recipients & generated == set()
        assert db.session.scalar(select(func.count()).select_from(HearingReminder)) == 0
        assert db.session.scalar(select(func.count()).select_from(Task)
                                 .where(Task.type == TaskType.WITNESS_NO_ANSWER)) == 0


@pytest.mark.parametrize("path", list(PAGES))
def test_every_insight_figure_shows_some_numbers(app, client, volume, path):
    """With the demo's cases, no figure on any insight page is all "fewer than 10" (or empty)."""
    sign_in_as(client, volume["commissioner"])
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    hidden = []
    for figure_id in PAGES[path]:
        rows = table(html, figure_id)
        shown = [cell for label, cells in rows.items() if label not in NOT_GROUPS
                 for cell in cells[:1 if figure_id.startswith("satisfaction-by-") else None] if cell not in NOT_SHOWN]
        if not shown:
            hidden.append(figure_id)
    assert hidden == []

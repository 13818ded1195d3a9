"""Issue 20: witnesses are reminded of each hearing once 7 days and once 1 day before, by email in neutral words;
never twice, never to a closed account, never after the hearing; and a witness who has not answered 7 days before
becomes a task for witness care."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import Report, TimelineEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.tasks.enums import Asker, TaskTeam, TaskType
from portal.tasks.models import Task
from portal.tracking.reminders import hearing_time, send_hearing_reminders
from tests.integration.test_witness_tasks import answer, hearing, hearing_world  # noqa: F401 - the fixtures


def starts(app, world) -> object:
    with app.app_context():
        return hearing_time(db.session.get(TimelineEvent, world["event_id"]))


def run_at(app, moment) -> int:
    with app.app_context():
        return send_hearing_reminders(now=moment)


def reminders_to(app, email: str) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email,
                                                                   OutboxMessage.template == "hearing_reminder")))
        for row in rows:
            db.session.expunge(row)
        return rows


def victim_updates(app, world) -> int:
    """How many "you have an update" messages the victim has been sent."""
    with app.app_context():
        return len(db.session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.recipient == world["people"]["victim"].email,
            OutboxMessage.template == "case_update")).all())


def no_answer_tasks(app, number: str) -> list[Task]:
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        found = list(db.session.scalars(select(Task).where(Task.report_id == report.id,
                                                           Task.type == TaskType.WITNESS_NO_ANSWER)))
        for task in found:
            db.session.expunge(task)
        return found


def test_once_at_7_days_and_once_at_1_day_and_never_after(app, hearing):  # noqa: F811
    start = starts(app, hearing)
    emails = {kind: hearing["people"][kind].email for kind in ("witness", "other")}
    moments = [start - timedelta(days=8), start - timedelta(days=7) + timedelta(minutes=1),
               start - timedelta(days=7) + timedelta(minutes=16), start - timedelta(days=3),
               start - timedelta(days=1) + timedelta(minutes=1), start - timedelta(hours=12),
               start - timedelta(minutes=1), start + timedelta(hours=1)]
    assert [run_at(app, moment) for moment in moments] == [0, 2, 0, 0, 2, 0, 0, 0]
    for email in emails.values():
        sent = reminders_to(app, email)
        assert len(sent) == 2
        for message in sent:
            # Neutral: nothing of the case, the court or the police; a link to sign in.
            assert message.subject == "You have a date coming up"
            for secret in (hearing["number"], "Wood Green", "court", "police", "witness", "hearing"):
                assert secret.lower() not in message.body_text.lower(), secret
            assert "/login" in message.body_text


def test_a_witness_who_has_not_answered_7_days_before_becomes_a_task_once(app, hearing):  # noqa: F811
    answer(hearing, "yes")  # the first witness answered; the other did not
    start = starts(app, hearing)
    run_at(app, start - timedelta(days=7) + timedelta(minutes=1))
    run_at(app, start - timedelta(days=1) + timedelta(minutes=1))
    [task] = no_answer_tasks(app, hearing["number"])
    assert (task.team, task.asker, task.raised_by_id) == (TaskTeam.WITNESS_CARE, Asker.SYSTEM, None)
    assert "has not said whether they can attend" in task.request_note
    assert "No answer from a witness 7 days before a hearing" in hearing["clients"]["officer"].get(
        f"/staff/tasks/{task.id}").get_data(as_text=True)
    # Witness care call the witness and finish the task: the victim never sees it, asked or answered, nor hears of it.
    officer = hearing["clients"]["officer"]
    updates_before = victim_updates(app, hearing)
    assert officer.post(f"/staff/tasks/{task.id}/claim").status_code == 302
    outcome = "Called the witness: they can attend."
    assert officer.post(f"/staff/tasks/{task.id}", data={"result": "done", "outcome": outcome}).status_code == 302
    victim_page = hearing["clients"]["victim"].get(f"/cases/{hearing['number']}").get_data(as_text=True)
    assert "has not said whether they can attend" not in victim_page and outcome not in victim_page
    assert reminders_to(app, hearing["people"]["victim"].email) == []
    assert victim_updates(app, hearing) == updates_before


def test_no_reminder_to_a_closed_account(app, hearing):  # noqa: F811
    with app.app_context():
        db.session.get(User, hearing["people"]["other"].id).is_active_account = False
        db.session.commit()
    assert run_at(app, starts(app, hearing) - timedelta(days=7) + timedelta(minutes=1)) == 1
    assert reminders_to(app, hearing["people"]["other"].email) == []


def test_a_hearing_listed_late_gets_one_reminder_not_two(app, hearing):  # noqa: F811
    start = starts(app, hearing)
    assert run_at(app, start - timedelta(hours=20)) == 2  # one for each witness: the 1-day reminder only
    assert run_at(app, start - timedelta(hours=19)) == 0
    assert len(reminders_to(app, hearing["people"]["witness"].email)) == 1

"""Issue 20, the first witness task: a witness who says "I cannot attend" reaches witness care the same working
day, and reads the answer on their own case page. The victim and other witnesses never see it."""

import re

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.cases.working_days import end_of_working_day
from portal.extensions import db
from portal.tasks.enums import Asker, TaskStatus, TaskTeam, TaskType
from portal.tasks.models import Task
from tests.conftest import outbox_rows, sign_in_as
from tests.integration.test_case_access_matrix import allocate_charge_and_list_hearing, invite_and_join
from tests.pagecheck import assert_good_page
from tests.triage_helpers import make_report

NOTE = "I have a hospital appointment that morning."
ASKED = "Help because you cannot attend a hearing"


@pytest.fixture
def hearing(app, make_user):
    """A case listed for court, its officer, its victim and two witnesses who joined it, each signed in."""
    people = {kind: make_user(role) for kind, role in (("victim", Role.VICTIM), ("officer", Role.OFFICER),
                                                       ("witness", Role.WITNESS), ("other", Role.WITNESS))}
    clients = {kind: app.test_client() for kind in people}
    for kind, client in clients.items():
        sign_in_as(client, people[kind])
    number = make_report(app, user=people["victim"])
    allocate_charge_and_list_hearing(app, clients["officer"], people["officer"], number)
    invite_and_join(app, clients["officer"], people["witness"], number)
    invite_and_join(app, clients["officer"], people["other"], number)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        event_id = db.session.scalar(select(TimelineEvent.id).where(
            TimelineEvent.report_id == report.id, TimelineEvent.reason_code == "court_hearing_scheduled"))
    return {"number": number, "event_id": event_id, "clients": clients, "people": people}


def answer(hearing, available: str, note: str = NOTE, who: str = "witness"):
    return hearing["clients"][who].post(f"/cases/{hearing['number']}/hearings/{hearing['event_id']}",
                                        data={"available": available, "note": note}, follow_redirects=True)


def finish(hearing, task_id: int, result: str, outcome: str) -> None:
    """Witness care take the task and finish it."""
    officer = hearing["clients"]["officer"]
    assert officer.post(f"/staff/tasks/{task_id}/claim").status_code == 302
    assert officer.post(f"/staff/tasks/{task_id}", data={"result": result, "outcome": outcome}).status_code == 302


def tasks(app, number: str) -> list[Task]:
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        found = list(db.session.scalars(select(Task).where(Task.report_id == report.id,
                                                           Task.type == TaskType.WITNESS_CANNOT_ATTEND)))
        for task in found:
            db.session.expunge(task)
        return found


def test_cannot_attend_reaches_witness_care_the_same_working_day_and_the_witness_reads_the_answer(app, hearing):
    page = answer(hearing, "no")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Thank you for telling us. Witness care will contact you" in html
    [task] = tasks(app, hearing["number"])
    assert (task.team, task.asker, task.status, task.request_note) == (
        TaskTeam.WITNESS_CARE, Asker.WITNESS, TaskStatus.OPEN, NOTE)
    assert task.due_at == end_of_working_day(task.raised_at)
    assert task.raised_by_id == hearing["people"]["witness"].id
    # The witness sees what they asked and by when it will be answered.
    assert ASKED in html and "We promised to answer by" in html
    assert_good_page(page)

    # Witness care find it in the queue, by their team.
    officer = hearing["clients"]["officer"]
    queue = officer.get("/staff/tasks/?team=witness_care").get_data(as_text=True)
    assert "A witness cannot attend a hearing" in queue and hearing["number"] in queue
    assert hearing["number"] not in officer.get("/staff/tasks/?team=review").get_data(as_text=True)
    staff_case = officer.get(f"/staff/cases/{hearing['number']}").get_data(as_text=True)
    assert "A witness said they cannot attend a hearing" in staff_case

    # They answer, and the witness reads the answer on their case page.
    outcome = "We have asked the court to hear your evidence after lunch. We will call you to confirm."
    finish(hearing, task.id, "done", outcome)
    mine = hearing["clients"]["witness"].get(f"/cases/{hearing['number']}")
    assert outcome in mine.get_data(as_text=True)
    assert_good_page(mine)
    # The witness is told there is an update, in the neutral words every email uses: nothing of the case.
    [email] = [row for row in outbox_rows(app) if row.recipient == hearing["people"]["witness"].email
               and row.template == "case_update"]
    assert outcome not in email.body_text and hearing["number"] not in email.body_text


def test_the_victim_and_other_witnesses_never_see_it(app, hearing):
    answer(hearing, "no")
    victim_page = hearing["clients"]["victim"].get(f"/cases/{hearing['number']}").get_data(as_text=True)
    other_page = hearing["clients"]["other"].get(f"/cases/{hearing['number']}").get_data(as_text=True)
    for html in (victim_page, other_page):
        assert NOTE not in html and ASKED not in html and "cannot attend a hearing" not in html
    assert "Updates for witnesses" in other_page  # the other witness's own page, without the first one's request


def test_one_task_at_a_time_and_none_for_yes(app, hearing):
    answer(hearing, "yes")
    assert tasks(app, hearing["number"]) == []
    answer(hearing, "no")
    answer(hearing, "no", note="Still cannot come.")
    assert len(tasks(app, hearing["number"])) == 1  # the second "no" is on the timeline, not a second task
    [task] = tasks(app, hearing["number"])
    finish(hearing, task.id, "cannot_do", "The court said no.")
    answer(hearing, "no", note="I still cannot attend.")
    assert [t.status for t in tasks(app, hearing["number"])] == [TaskStatus.CANNOT_DO, TaskStatus.OPEN]
    # Each answer is on the staff timeline.
    staff_case = hearing["clients"]["officer"].get(f"/staff/cases/{hearing['number']}").get_data(as_text=True)
    assert len(re.findall("A witness said they cannot attend a hearing", staff_case)) == 3

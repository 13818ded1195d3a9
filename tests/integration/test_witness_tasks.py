"""Issue 20, the witness's tasks, each end to end: "I cannot attend" reaches witness care the same working day,
special measures within 2 working days, an expenses claim within 10; the witness reads each answer on their own
case page. The victim and other witnesses never see them."""

import re

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.cases.working_days import add_working_days, end_of_working_day
from portal.extensions import db
from portal.tasks.enums import Asker, TaskStatus, TaskTeam, TaskType
from portal.tasks.models import Task
from tests.conftest import kept_for_the_module, new_user, outbox_rows, sign_in_as
from tests.integration.test_case_access_matrix import allocate_charge_and_list_hearing, invite_and_join
from tests.pagecheck import assert_good_page
from tests.triage_helpers import make_report

NOTE = "I have a hospital appointment that morning."
ASKED = "Help because you cannot attend a hearing"


PEOPLE = (("victim", Role.VICTIM), ("officer", Role.OFFICER), ("witness", Role.WITNESS), ("other", Role.WITNESS))


def build_hearing(app) -> dict:
    """A case listed for court, its officer, its victim and two witnesses who joined it: the crime number, the
    hearing's timeline event and the people's ids."""
    people = {kind: new_user(app, role) for kind, role in PEOPLE}
    officer = app.test_client()
    sign_in_as(officer, people["officer"])
    number = make_report(app, user=people["victim"])
    allocate_charge_and_list_hearing(app, officer, people["officer"], number)
    invite_and_join(app, officer, people["witness"], number)
    invite_and_join(app, officer, people["other"], number)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        event_id = db.session.scalar(select(TimelineEvent.id).where(
            TimelineEvent.report_id == report.id, TimelineEvent.reason_code == "court_hearing_scheduled"))
    return {"number": number, "event_id": event_id, "ids": {kind: user.id for kind, user in people.items()}}


def signed_in_people(app, built: dict) -> dict:
    """The built hearing for one test: each person as they are now, and a client of their own signed in."""
    with app.app_context():
        people = {kind: db.session.get(User, user_id) for kind, user_id in built["ids"].items()}
        db.session.expunge_all()
    clients = {kind: app.test_client() for kind in people}
    for kind, client in clients.items():
        sign_in_as(client, people[kind])
    return {"number": built["number"], "event_id": built["event_id"], "clients": clients, "people": people}


@pytest.fixture(scope="module")
def hearing_world(app):
    """The hearing, built once for the module's tests: each test runs in a savepoint of the transaction it was built
    in, so each starts from the hearing as built (conftest's kept_for_the_module). Building it takes most of a
    tenth of a second, and some eighty tests in nine modules start from it."""
    with kept_for_the_module(app):
        yield build_hearing(app)


@pytest.fixture
def hearing(app, hearing_world):
    """A case listed for court, its officer, its victim and two witnesses who joined it, each signed in."""
    return signed_in_people(app, hearing_world)


def answer(hearing, available: str, note: str = NOTE, who: str = "witness"):
    return hearing["clients"][who].post(f"/cases/{hearing['number']}/hearings/{hearing['event_id']}",
                                        data={"available": available, "note": note}, follow_redirects=True)


def finish(hearing, task_id: int, result: str, outcome: str) -> None:
    """Witness care take the task and finish it."""
    officer = hearing["clients"]["officer"]
    assert officer.post(f"/staff/tasks/{task_id}/claim").status_code == 302
    assert officer.post(f"/staff/tasks/{task_id}", data={"result": result, "outcome": outcome}).status_code == 302


def tasks(app, number: str, task_type: TaskType = TaskType.WITNESS_CANNOT_ATTEND) -> list[Task]:
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        found = list(db.session.scalars(select(Task).where(Task.report_id == report.id, Task.type == task_type)
                                        .order_by(Task.id)))
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


def test_special_measures_are_asked_for_checked_and_answered(app, hearing):
    witness, number = hearing["clients"]["witness"], hearing["number"]
    page = witness.get(f"/cases/{number}")
    assert f'href="/cases/{number}/special-measures"' in page.get_data(as_text=True)
    form = witness.get(f"/cases/{number}/special-measures")
    assert form.status_code == 200 and "Ask for help to give evidence" in form.get_data(as_text=True)
    assert_good_page(form)
    # Nothing chosen, or too much said: the page says so and keeps what was typed.
    empty = witness.post(f"/cases/{number}/special-measures", data={"details": "I am scared of him."})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 200 and "Select at least one kind of help" in html and "I am scared of him." in html
    assert "Details must be 1000 characters or fewer" in witness.post(
        f"/cases/{number}/special-measures", data={"measures": "screen", "details": "x" * 1001}).get_data(as_text=True)
    assert "Select at least one kind of help" in witness.post(
        f"/cases/{number}/special-measures", data={"measures": "<script>"}).get_data(as_text=True)
    assert tasks(app, number, TaskType.SPECIAL_MEASURES) == []

    sent = witness.post(f"/cases/{number}/special-measures",
                        data={"measures": ["screen", "video_link"], "details": "I am scared of him."})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/cases/{number}"
    [task] = tasks(app, number, TaskType.SPECIAL_MEASURES)
    assert task.team == TaskTeam.WITNESS_CARE and task.asker == Asker.WITNESS
    assert task.request_note == "Asked for: a screen, giving evidence by video link.\nI am scared of him."
    assert task.due_at == add_working_days(task.raised_at, 2)
    assert "Help to give evidence (special measures)" in witness.get(f"/cases/{number}").get_data(as_text=True)
    outcome = "The court agreed to a screen. We will show you where you will sit."
    finish(hearing, task.id, "done", outcome)
    assert outcome in witness.get(f"/cases/{number}").get_data(as_text=True)
    assert outcome not in hearing["clients"]["victim"].get(f"/cases/{number}").get_data(as_text=True)


@pytest.mark.parametrize("amount", ["abc", "-5", "9" * 5000, "12.345", "1e5"])
def test_an_expenses_amount_that_is_not_pounds_is_refused_on_the_page(app, hearing, amount):
    response = hearing["clients"]["witness"].post(f"/cases/{hearing['number']}/expenses",
                                                  data={"items": "travel", "amount": amount, "details": "Bus fare"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter an amount in pounds, like 250 or 250.50" in html
    assert "Bus fare" in html and tasks(app, hearing["number"], TaskType.EXPENSES_CLAIM) == []


def test_an_expenses_claim_is_started_checked_and_answered(app, hearing):
    witness, number = hearing["clients"]["witness"], hearing["number"]
    form = witness.get(f"/cases/{number}/expenses")
    assert "Claim your expenses" in form.get_data(as_text=True)
    assert_good_page(form)
    assert "Select what you are claiming for" in witness.post(
        f"/cases/{number}/expenses", data={"amount": "12"}).get_data(as_text=True)
    assert "Enter how much you are claiming" in witness.post(
        f"/cases/{number}/expenses", data={"items": "travel"}).get_data(as_text=True)
    sent = witness.post(f"/cases/{number}/expenses",
                        data={"items": ["travel", "meals"], "amount": "£12.50", "details": "Two bus fares and lunch."})
    assert sent.status_code == 302
    [task] = tasks(app, number, TaskType.EXPENSES_CLAIM)
    assert task.request_note == "Claiming £12.50 for travel, meals.\nTwo bus fares and lunch."
    assert task.due_at == add_working_days(task.raised_at, 10)
    assert "Your expenses claim checked" in witness.get(f"/cases/{number}").get_data(as_text=True)
    finish(hearing, task.id, "done", "We have paid £12.50 into your account.")
    assert "We have paid £12.50 into your account." in witness.get(f"/cases/{number}").get_data(as_text=True)


def test_only_a_witness_on_the_case_can_ask(app, hearing, make_user):
    unlinked = app.test_client()
    sign_in_as(unlinked, make_user(Role.WITNESS))
    for path in ("special-measures", "expenses"):
        for client in (hearing["clients"]["victim"], unlinked):
            assert client.get(f"/cases/{hearing['number']}/{path}").status_code == 404
            assert client.post(f"/cases/{hearing['number']}/{path}",
                               data={"measures": "screen", "items": "travel", "amount": "5"}).status_code == 404


def test_the_witness_care_unit_works_on_witness_tasks_and_hearings_and_sees_nothing_of_the_victims(
        app, hearing, make_user):
    care = app.test_client()
    sign_in_as(care, make_user(Role.WITNESS_CARE))
    number = hearing["number"]
    answer(hearing, "no")
    hearing["clients"]["victim"].post(f"/cases/{number}/call", data={"note": "Evenings, please."})
    [witness_task] = tasks(app, number)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        victims_task = db.session.scalar(select(Task.id).where(Task.report_id == report.id,
                                                               Task.type == TaskType.CALL_BACK))
    # Its queue holds witness care's tasks only, and says so in its counts.
    queue = care.get("/staff/tasks/").get_data(as_text=True)
    assert "A witness cannot attend a hearing" in queue and "Call back requested" not in queue
    assert f"/staff/tasks/{victims_task}" not in queue
    assert care.get(f"/staff/tasks/{victims_task}").status_code == 404
    assert care.post(f"/staff/tasks/{victims_task}/claim").status_code == 404
    # The victim's side of the case is closed to it; the witness side is open.
    assert care.get(f"/staff/cases/{number}").status_code == 403
    assert care.get(f"/staff/cases/{number}/messages").status_code == 403
    witnesses_page = care.get(f"/staff/cases/{number}/witnesses")
    assert witnesses_page.status_code == 200 and "Evenings, please." not in witnesses_page.get_data(as_text=True)
    task_page = care.get(f"/staff/tasks/{witness_task.id}").get_data(as_text=True)
    assert f'href="/staff/cases/{number}/witnesses"' in task_page and NOTE in task_page
    # It takes the witness's task and answers it; the witness reads the answer.
    assert care.post(f"/staff/tasks/{witness_task.id}/claim").status_code == 302
    assert care.post(f"/staff/tasks/{witness_task.id}", data={
        "result": "done", "outcome": "We have asked the court for an afternoon slot."}).status_code == 302
    assert "We have asked the court for an afternoon slot." in hearing["clients"]["witness"].get(
        f"/cases/{number}").get_data(as_text=True)
    # And it moves the hearing.
    moved = care.post(f"/staff/cases/{number}/hearings/{hearing['event_id']}", data={"change": "adjourned"})
    assert moved.status_code == 302
    assert "The hearing has been adjourned" in hearing["clients"]["witness"].get(
        f"/cases/{number}").get_data(as_text=True)

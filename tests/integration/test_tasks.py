"""Every request a victim makes becomes a task with an owner, a due time and an outcome they read: raised,
seen in the staff queue, taken, finished, and the outcome shown on the victim's case page."""

import io
import re
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from portal.auth.roles import Role
from portal.cases.enums import CaseStatus
from portal.cases.models import Report
from portal.cases.working_days import add_working_days, end_of_working_day
from portal.clock import LONDON, utcnow
from portal.extensions import db
from portal.tasks.due_times import DUE_TIMES, due_at
from portal.tasks.enums import TaskStatus, TaskType
from portal.tasks.models import Task
from portal.tasks.reminders import remind_and_escalate
from tests.conftest import outbox_rows, sign_in_as
from tests.pagecheck import assert_good_page
from tests.sql_counting import counting_statements
from tests.triage_helpers import make_report, report_state


def _version(app, crime_number) -> int:
    return report_state(app, crime_number).version


def decide(officer, app, crime_number, kind, data):
    response = officer.post(f"/staff/cases/{crime_number}/decide/{kind}",
                            data={"version": str(_version(app, crime_number)), **data})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def a_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def case(app, make_user):
    """A victim's case, their browser, and an officer's browser."""
    victim, officer = make_user(Role.VICTIM), make_user(Role.OFFICER, display_name="PC 1234 Alex Morgan")
    crime_number = make_report(app, user=victim)
    victim_browser, officer_browser = app.test_client(), app.test_client()
    sign_in_as(victim_browser, victim)
    sign_in_as(officer_browser, officer)
    return {"number": crime_number, "victim": victim_browser, "officer": officer_browser, "officer_user": officer,
            "victim_user": victim}


def update(officer, app, crime_number, status: str) -> None:
    """An officer records that the case reached this status a few minutes ago, telling the victim."""
    london = (utcnow() - timedelta(minutes=5)).astimezone(LONDON)
    response = officer.post(f"/staff/cases/{crime_number}/update", data={
        "version": str(_version(app, crime_number)), "status": status, "happened_date-day": str(london.day),
        "happened_date-month": str(london.month), "happened_date-year": str(london.year),
        "happened_time": london.strftime("%H:%M"), "victim": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def ask(app, case, task_type: TaskType) -> None:
    """Make the request as the victim would, setting the case up first where the request needs it."""
    number, victim, officer = case["number"], case["victim"], case["officer"]
    if task_type == TaskType.CALL_BACK:
        victim.post(f"/cases/{number}/call", data={"note": "After 6pm please"})
    elif task_type == TaskType.VISIT_REARRANGE:
        day = utcnow().date() + timedelta(days=3)
        decide(officer, app, number, "attendance", {"visit_date-day": str(day.day), "visit_date-month": str(day.month),
                                                     "visit_date-year": str(day.year), "visit_time": "14:30"})
        assert report_state(app, number).status == CaseStatus.ATTENDANCE_ARRANGED
        victim.post(f"/cases/{number}/visit", data={"answer": "change", "preferred": "A weekend morning"})
    elif task_type == TaskType.LOOK_AGAIN:
        decide(officer, app, number, "nfi", {"reason_code": "no_lines_of_enquiry"})
        victim.post(f"/cases/{number}/requests/review")
    elif task_type == TaskType.PERSONAL_STATEMENT:
        victim.post(f"/cases/{number}/requests/statement")
    elif task_type == TaskType.PROPERTY_RETURN:
        victim.post(f"/cases/{number}/requests/property")
    elif task_type == TaskType.INFORMATION_ADDED:
        victim.post(f"/cases/{number}/evidence", data={"file": (io.BytesIO(a_photo()), "door.jpg")},
                    content_type="multipart/form-data")
    elif task_type == TaskType.RIGHT_TO_REVIEW:  # a suspect was interviewed under caution and not charged
        decide(officer, app, number, "allocate", {"officer": str(case["officer_user"].id)})
        for status in ("suspect_identified", "suspect_interviewed"):
            update(officer, app, number, status)
        decide(officer, app, number, "nfi", {"reason_code": "no_lines_of_enquiry"})
        victim.post(f"/cases/{number}/requests/review")
    elif task_type == TaskType.CONTACT_OFFLINE:  # the service asks, for a victim whose only safe channel is a phone
        case["number"] = make_report(app, user=case["victim_user"], safe_channels=["phone"])


VICTIM_REQUESTS = [TaskType.CALL_BACK, TaskType.VISIT_REARRANGE, TaskType.LOOK_AGAIN, TaskType.RIGHT_TO_REVIEW,
                   TaskType.PERSONAL_STATEMENT, TaskType.PROPERTY_RETURN, TaskType.INFORMATION_ADDED,
                   TaskType.CONTACT_OFFLINE]
# The safeguarding concern, the one kind a partner raises, is walked end to end in test_partner_safeguarding.py;
# the witness's kinds in test_witness_tasks.py and test_hearing_reminders.py.
assert set(VICTIM_REQUESTS) == set(TaskType) - {TaskType.SAFEGUARDING_CONCERN, TaskType.WITNESS_CANNOT_ATTEND,
                                                TaskType.SPECIAL_MEASURES, TaskType.EXPENSES_CLAIM,
                                                TaskType.WITNESS_NO_ANSWER}


@pytest.mark.parametrize("task_type", VICTIM_REQUESTS, ids=[t.value for t in VICTIM_REQUESTS])
def test_a_request_becomes_a_task_that_is_seen_taken_finished_and_read(app, make_user, case, task_type):
    ask(app, case, task_type)
    with app.app_context():
        [task] = db.session.scalars(select(Task).where(Task.report.has(crime_number=case["number"]))).all()
        assert task.type == task_type and task.status == TaskStatus.OPEN
        raised, due, task_id = task.raised_at, task.due_at, task.id
    assert due == due_at(task_type, raised)[1]

    # The victim sees the request and the date we promised.
    page = case["victim"].get(f"/cases/{case['number']}/updates").get_data(as_text=True)
    assert "What you asked us" in page and "We promised to answer by" in page

    # Someone whose job it is sees it in the queue, takes it and finishes it.
    reviewer = case["officer"]
    if task_type in (TaskType.LOOK_AGAIN, TaskType.RIGHT_TO_REVIEW):  # the decider may not review: another does
        reviewer = app.test_client()
        sign_in_as(reviewer, make_user(Role.OFFICER, display_name="PC 5678 Sam Reviewer"))
    queue = reviewer.get("/staff/tasks/")
    assert_good_page(queue)
    assert DUE_TIMES[task_type].name in queue.get_data(as_text=True)
    assert case["number"] in queue.get_data(as_text=True)
    task_page = reviewer.get(f"/staff/tasks/{task_id}")
    assert_good_page(task_page)
    assert DUE_TIMES[task_type].source in task_page.get_data(as_text=True)
    # The case is a link to it (it was once written out as escaped markup).
    assert f'<a class="govuk-link" href="/staff/cases/{case["number"]}">' in task_page.get_data(as_text=True)
    reviewer.post(f"/staff/tasks/{task_id}/claim")
    finished = reviewer.post(f"/staff/tasks/{task_id}", data={"result": "done",
                                                              "outcome": "I called you on 4 December."})
    assert finished.headers["Location"] == "/staff/tasks/"

    page = case["victim"].get(f"/cases/{case['number']}/updates").get_data(as_text=True)
    assert "I called you on 4 December." in page and "Done" in page
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert task.status == TaskStatus.DONE and task.completed_at is not None


def test_the_officer_who_decided_cannot_review_the_decision(app, case):
    ask(app, case, TaskType.LOOK_AGAIN)
    with app.app_context():
        task_id = db.session.scalar(select(Task.id))
    case["officer"].post(f"/staff/tasks/{task_id}/claim")
    page = case["officer"].get(f"/staff/tasks/{task_id}").get_data(as_text=True)
    assert "The officer who made the decision cannot review it" in page
    with app.app_context():
        assert db.session.get(Task, task_id).assignee_id is None


def test_a_review_after_an_interview_without_charge_is_the_right_to_review(app, case):
    number, officer = case["number"], case["officer"]
    decide(officer, app, number, "allocate", {"officer": str(case["officer_user"].id)})
    for status in ("suspect_identified", "suspect_interviewed"):
        update(officer, app, number, status)
    with app.app_context():
        from portal.cases.models import Report
        from portal.tracking.services import review_kind

        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        assert review_kind(report) == TaskType.RIGHT_TO_REVIEW


def test_finishing_needs_an_outcome_in_words(app, case):
    ask(app, case, TaskType.CALL_BACK)
    with app.app_context():
        task_id = db.session.scalar(select(Task.id))
    case["officer"].post(f"/staff/tasks/{task_id}/claim")
    response = case["officer"].post(f"/staff/tasks/{task_id}", data={"result": "done", "outcome": "   "})
    assert response.status_code == 200
    assert "Enter what happened, in words the person will understand" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Task, task_id).status != TaskStatus.DONE


def test_a_late_request_says_so_to_the_victim(app, case):
    ask(app, case, TaskType.PROPERTY_RETURN)
    with app.app_context():
        task = db.session.scalar(select(Task))
        task.due_at = utcnow() - timedelta(days=1)
        db.session.commit()
    page = case["victim"].get(f"/cases/{case['number']}/updates").get_data(as_text=True)
    assert "This is late. We promised to answer by" in page
    queue = case["officer"].get("/staff/tasks/?show=overdue").get_data(as_text=True)
    assert "Overdue" in queue and case["number"] in queue


def test_the_queue_filters_and_counts(app, case, make_user):
    ask(app, case, TaskType.CALL_BACK)
    ask(app, case, TaskType.PROPERTY_RETURN)
    officer = case["officer"]
    with app.app_context():
        call_id = db.session.scalar(select(Task.id).where(Task.type == TaskType.CALL_BACK))
    officer.post(f"/staff/tasks/{call_id}/claim")
    counts = lambda html: {key: int(value) for key, value in re.findall(r'id="count-([a-z_]+)">(\d+)<', html)}  # noqa: E731
    page = officer.get("/staff/tasks/").get_data(as_text=True)
    assert counts(page) == {"owed": 2, "overdue": 0, "due_today": 0, "mine": 1, "unassigned": 1}
    # The rows listed: after the table's start and before the due-times table (which names every kind).
    listed = lambda html: html.split('id="task-queue"')[1].split('id="due-times"')[0]  # noqa: E731
    mine = listed(officer.get("/staff/tasks/?show=mine").get_data(as_text=True))
    assert DUE_TIMES[TaskType.CALL_BACK].name in mine and DUE_TIMES[TaskType.PROPERTY_RETURN].name not in mine
    by_type = listed(officer.get("/staff/tasks/?type=property_return").get_data(as_text=True))
    assert DUE_TIMES[TaskType.PROPERTY_RETURN].name in by_type
    assert DUE_TIMES[TaskType.CALL_BACK].name not in by_type
    assert officer.get("/staff/tasks/?type=nonsense&team=x&show=y&page=-5").status_code == 200


def test_only_supervisors_assign_and_a_victim_never_sees_the_queue(app, case, make_user):
    ask(app, case, TaskType.CALL_BACK)
    with app.app_context():
        task_id = db.session.scalar(select(Task.id))
    other_officer = make_user(Role.OFFICER, display_name="PC 9 Other")
    assert case["officer"].post(f"/staff/tasks/{task_id}/assign", data={"officer": str(other_officer.id)}
                                ).status_code == 403
    supervisor = app.test_client()
    sign_in_as(supervisor, make_user(Role.SUPERVISOR))
    supervisor.post(f"/staff/tasks/{task_id}/assign", data={"officer": str(other_officer.id)})
    with app.app_context():
        assert db.session.get(Task, task_id).assignee_id == other_officer.id
    assert case["victim"].get("/staff/tasks/").status_code == 403
    assert case["victim"].get(f"/staff/tasks/{task_id}").status_code == 403


def test_the_staff_case_page_lists_the_cases_tasks(app, case):
    ask(app, case, TaskType.PERSONAL_STATEMENT)
    page = case["officer"].get(f"/staff/cases/{case['number']}").get_data(as_text=True)
    assert DUE_TIMES[TaskType.PERSONAL_STATEMENT].name in page


def test_due_times_follow_the_table_in_working_days(app):
    monday_morning = datetime(2026, 12, 7, 9, 0, tzinfo=LONDON)
    for task_type, row in DUE_TIMES.items():
        acknowledge, due = due_at(task_type, monday_morning)
        expected = end_of_working_day(monday_morning) if row.due_working_days == 0 else add_working_days(
            monday_morning, row.due_working_days)
        assert due == expected
        assert (acknowledge is None) == (row.acknowledge_working_days is None)
    # Raised on a Saturday, a same-day task is due by the end of Monday.
    saturday = datetime(2026, 12, 5, 11, 0, tzinfo=LONDON)
    assert due_at(TaskType.SAFEGUARDING_CONCERN, saturday)[1].astimezone(LONDON).date().isoformat() == "2026-12-07"


# Reminders and escalation ------------------------------------------------------------------------------------


def test_the_holder_is_warned_a_working_day_before_and_supervisors_told_when_overdue_once_each(app, case,
                                                                                               make_user):
    supervisor = make_user(Role.SUPERVISOR)
    ask(app, case, TaskType.CALL_BACK)
    ask(app, case, TaskType.PROPERTY_RETURN)
    with app.app_context():
        call = db.session.scalar(select(Task).where(Task.type == TaskType.CALL_BACK))
        call.assignee_id = case["officer_user"].id
        prop = db.session.scalar(select(Task).where(Task.type == TaskType.PROPERTY_RETURN))
        prop.due_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        monday = datetime(2026, 12, 7, 9, 0, tzinfo=LONDON)
        call.due_at = add_working_days(monday, 1)  # due by the end of Tuesday: warned on Monday
        db.session.commit()
        first = remind_and_escalate(monday)
        again = remind_and_escalate(monday + timedelta(hours=1))
    assert (first.reminded, again.reminded) == (1, 0)
    assert first.escalated >= 1 and again.escalated == 0
    emails = [(m.template, m.recipient) for m in outbox_rows(app) if m.template in ("task_reminder", "tasks_overdue")]
    assert ("task_reminder", case["officer_user"].email) in emails
    assert ("tasks_overdue", supervisor.email) in emails
    assert len(emails) == 2
    assert all(case["number"] not in m.body_text for m in outbox_rows(app))


@pytest.mark.parametrize(("answers", "expected"), [
    ({"safe_channels": ["email"]}, []),
    ({"safe_channels": ["phone"]}, [TaskType.CONTACT_OFFLINE]),
    ({"safe_channels": ["letter", "phone"]}, []),  # a letter can reach them
    ({"safe_channels": ["text", "phone"], "contact_phone": "020 7946 0018"}, [TaskType.CONTACT_OFFLINE]),  # landline
], ids=["email-is-safe", "phone-only", "letter-or-phone", "text-to-a-landline"])
def test_a_report_only_a_person_can_reach_asks_someone_to_call(app, answers, expected):
    crime_number = make_report(app, **answers)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        tasks = db.session.scalars(select(Task).where(Task.report_id == report.id)).all()
        assert [task.type for task in tasks] == expected
        if tasks:
            assert tasks[0].due_at == add_working_days(tasks[0].raised_at, 1)


def test_the_victims_updates_page_reads_answered_requests_in_one_statement(app, case, make_user):
    """Who answered each request comes with the requests: more answered requests, no more statements."""
    def answer_all():
        with app.app_context():
            owed = db.session.scalars(select(Task.id).where(Task.status == TaskStatus.OPEN)).all()
        for task_id in owed:
            officer = app.test_client()
            sign_in_as(officer, make_user(Role.SUPERVISOR, display_name=f"PS {task_id} Answerer"))
            officer.post(f"/staff/tasks/{task_id}", data={"result": "done", "outcome": "Done, as you asked."})

    def statements() -> int:
        with counting_statements(app) as seen:
            page = case["victim"].get(f"/cases/{case['number']}/updates").get_data(as_text=True)
        assert "Answerer" in page
        return len(seen)

    ask(app, case, TaskType.CALL_BACK)
    answer_all()
    one = statements()
    for task_type in (TaskType.PROPERTY_RETURN, TaskType.PERSONAL_STATEMENT, TaskType.INFORMATION_ADDED):
        ask(app, case, task_type)
    answer_all()
    assert statements() == one


def test_the_queue_shows_staff_every_due_time_with_its_source(app, case):
    page = case["officer"].get("/staff/tasks/")
    assert_good_page(page)
    table = page.get_data(as_text=True).split('id="due-times"')[1]
    for row in DUE_TIMES.values():
        assert row.name in table
    assert "NPCC Victims’ Right to Review scheme" in table
    assert "Acknowledge in 10, answer in 30 working days" in table
    assert "The same working day" in table


def test_taking_email_off_the_safe_channels_asks_someone_to_call_or_write_once(app, case):
    """The victim says email is no longer safe: from now on only a person can reach them."""
    path = f"/cases/{case['number']}/preferences"
    keep_email = {"every_days": "14", "channels": ["email", "phone"], "voicemail": "no", "neutral_sender": "yes",
                  "quiet_from": "", "quiet_until": ""}
    offline = lambda: db.session.scalars(select(Task).where(  # noqa: E731
        Task.report.has(crime_number=case["number"]), Task.type == TaskType.CONTACT_OFFLINE)).all()
    assert case["victim"].post(path, data=keep_email).status_code == 302
    with app.app_context():
        assert offline() == []
    for _ in range(2):  # saved twice: one task owed, not two
        assert case["victim"].post(path, data={**keep_email, "channels": ["phone"]}).status_code == 302
    with app.app_context():
        [task] = offline()
        assert task.status == TaskStatus.OPEN and task.due_at == add_working_days(task.raised_at, 1)
    queue = case["officer"].get("/staff/tasks/?type=contact_offline").get_data(as_text=True)
    assert case["number"] in queue.split('id="task-queue"')[1].split('id="due-times"')[0]


def test_the_database_holds_owed_and_not_completed_together(app, case):
    """The queue reads "owed" as "not completed"; a task finished without a time, or a time on an owed task, is
    refused by the database itself."""
    from sqlalchemy.exc import IntegrityError

    ask(app, case, TaskType.CALL_BACK)
    with app.app_context():
        task = db.session.scalar(select(Task))
        task.status = TaskStatus.DONE
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        task = db.session.scalar(select(Task))
        task.completed_at = utcnow()
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()

"""A charity raises a safeguarding concern on a referral: it becomes a task for the police safeguarding team, due
the same working day; an officer answers it; the charity reads the answer on the referral. The victim never sees
the concern, no email carries it, and another charity cannot reach the page."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.cases.working_days import end_of_working_day
from portal.extensions import db
from portal.partners.services import CONCERN_MAX
from portal.support.enums import ReferralStatus
from portal.support.models import Referral
from portal.tasks.due_times import DUE_TIMES
from portal.tasks.enums import Asker, TaskStatus, TaskTeam, TaskType
from portal.tasks.models import Task
from tests.conftest import outbox_rows, sign_in_as
from tests.integration.test_partner_portal import charity, referral_to, state, version
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import error_messages

CONCERN = "She told our volunteer her ex-partner has been waiting outside her flat every night this week."
ANSWER = "An officer visited her today. She is staying with her sister, and we have fitted a door alarm."
SENT = "Concern sent to the police safeguarding team. They will act on it today."
LINK_TEXT = "Raise a safeguarding concern"


@pytest.fixture
def referral(app, make_user):
    """A referral to a charity, a browser signed in as one of its partners, and the victim's own browser."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner = make_user(Role.PARTNER, organisation_id=setup.organisation_id, display_name="Jo Partner")
    partner_browser = app.test_client()
    sign_in_as(partner_browser, partner)
    with app.app_context():
        report_id = db.session.scalar(select(Referral.report_id).where(Referral.reference == reference))
        victim = db.session.get(User, db.session.get(Report, report_id).reporter_user_id)
        db.session.expunge(victim)
    victim_browser = app.test_client()
    sign_in_as(victim_browser, victim)
    return {"reference": reference, "partner": partner_browser, "partner_user": partner, "report_id": report_id,
            "victim": victim_browser, "setup": setup, "page": f"/partner/referrals/{reference}",
            "form": f"/partner/referrals/{reference}/concern"}


def tasks(app) -> list[Task]:
    with app.app_context():
        found = db.session.scalars(select(Task).where(Task.type == TaskType.SAFEGUARDING_CONCERN)).all()
        db.session.expunge_all()
        return list(found)


def officer_browser(app, make_user, role=Role.OFFICER):
    browser = app.test_client()
    sign_in_as(browser, make_user(role, display_name="PC 4321 Sam Safeguard"))
    return browser


def crime_number(app, report_id: int) -> str:
    with app.app_context():
        return db.session.get(Report, report_id).crime_number


def test_a_concern_reaches_the_safeguarding_team_today_and_the_charity_reads_the_answer(app, make_user, referral):
    partner = referral["partner"]
    page = partner.get(referral["page"])
    assert f'href="{referral["form"]}"' in page.get_data(as_text=True) and LINK_TEXT in page.get_data(as_text=True)

    form = partner.get(referral["form"])
    assert_good_page(form)
    assert h1_text(form) == LINK_TEXT
    assert "What are you worried about?" in form.get_data(as_text=True)

    sent = partner.post(referral["form"], data={"concern": CONCERN})
    assert sent.status_code == 302 and sent.headers["Location"] == referral["page"]
    back = partner.get(referral["page"])
    assert_good_page(back)
    html = back.get_data(as_text=True)
    assert SENT in html
    concerns = html.split('id="concerns"')[1]
    assert escape(CONCERN) in concerns and re.search(r">\s*Open\s*</strong>", concerns)

    [task] = tasks(app)
    assert (task.asker, task.team, task.status) == (Asker.PARTNER, TaskTeam.SAFEGUARDING, TaskStatus.OPEN)
    assert task.raised_by_id == referral["partner_user"].id and task.request_note == CONCERN
    assert task.report_id == referral["report_id"]
    assert task.due_at == end_of_working_day(task.raised_at)  # the same working day
    with app.app_context():
        [event] = db.session.scalars(select(TimelineEvent).where(
            TimelineEvent.report_id == referral["report_id"], TimelineEvent.kind == "safeguarding_concern")).all()
        assert (event.visible_to_victim, event.visible_to_witness, event.body) == (False, False, CONCERN)
        audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.concern_raised")).all()
        assert [(a.actor_id, a.object_id) for a in audit] == [(referral["partner_user"].id, referral["reference"])]

    # In the police task queue, for the safeguarding team, due today.
    number = crime_number(app, referral["report_id"])
    officer = officer_browser(app, make_user)
    queue = officer.get("/staff/tasks/?team=safeguarding")
    assert_good_page(queue)
    listed = queue.get_data(as_text=True).split('id="task-queue"')[1].split('id="due-times"')[0]
    assert DUE_TIMES[TaskType.SAFEGUARDING_CONCERN].name in listed and number in listed
    task_page = officer.get(f"/staff/tasks/{task.id}")
    assert_good_page(task_page)
    assert escape(CONCERN) in task_page.get_data(as_text=True)
    assert "The same working day (service standard)" in task_page.get_data(as_text=True)
    staff_case = officer.get(f"/staff/cases/{number}").get_data(as_text=True)
    assert escape(CONCERN) in staff_case

    assert "A charity partner: Jo Partner" in task_page.get_data(as_text=True)

    officer.post(f"/staff/tasks/{task.id}/claim")
    finishing = officer.get(f"/staff/tasks/{task.id}").get_data(as_text=True)
    assert "The charity that raised it reads this on their referral page." in finishing
    before = len(outbox_rows(app))
    finished = officer.post(f"/staff/tasks/{task.id}", data={"result": "done", "outcome": ANSWER})
    assert finished.status_code == 302
    assert ("Task finished. The charity that raised it can read the outcome on their referral page."
            in officer.get(finished.headers["Location"]).get_data(as_text=True))
    [task] = tasks(app)
    assert task.status == TaskStatus.DONE
    # The charity is told there is an update, in the neutral words every email uses.
    [told] = outbox_rows(app)[before:]
    assert told.recipient == referral["partner_user"].email and told.subject == "You have an update"
    assert ANSWER[:30] not in told.body_text and number not in told.body_text

    answered = partner.get(referral["page"])
    assert_good_page(answered)
    concerns = answered.get_data(as_text=True).split('id="concerns"')[1]
    assert escape(ANSWER) in concerns and re.search(r">\s*Done\s*</strong>", concerns) and escape(CONCERN) in concerns

    # The person the concern is about never reads it, nor the police's answer to the charity.
    victim = referral["victim"]
    for path in (f"/cases/{number}", "/account/data/download.json"):
        seen = victim.get(path).get_data(as_text=True)
        assert number in seen
        assert CONCERN[:40] not in seen and ANSWER[:40] not in seen and escape(CONCERN)[:40] not in seen


def test_a_colleague_in_the_same_charity_sees_the_concern_too(app, make_user, referral):
    referral["partner"].post(referral["form"], data={"concern": CONCERN})
    colleague = app.test_client()
    sign_in_as(colleague, make_user(Role.PARTNER, organisation_id=referral["setup"].organisation_id))
    assert escape(CONCERN) in colleague.get(referral["page"]).get_data(as_text=True).split('id="concerns"')[1]


def test_another_charity_gets_not_found(app, make_user, referral):
    other = charity(app, "Another Charity", "Another service")
    stranger = app.test_client()
    sign_in_as(stranger, make_user(Role.PARTNER, organisation_id=other.organisation_id))
    assert stranger.get(referral["form"]).status_code == 404
    assert stranger.post(referral["form"], data={"concern": CONCERN}).status_code == 404
    assert tasks(app) == []


@pytest.mark.parametrize(("concern", "message"), [
    ("", "Enter what you are worried about"),
    ("   \r\n  ", "Enter what you are worried about"),
    ("x" * (CONCERN_MAX + 1), f"What you are worried about must be {CONCERN_MAX} characters or fewer"),
    ("x" * 5000, f"What you are worried about must be {CONCERN_MAX} characters or fewer"),
], ids=["empty", "spaces", "one-too-many", "5000"])
def test_bad_input_gets_an_error_on_the_page_and_raises_nothing(app, referral, concern, message):
    response = referral["partner"].post(referral["form"], data={"concern": concern})
    assert response.status_code == 200
    assert_good_page(response)
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and f"Error: {message}" in error_messages(response)
    assert 'href="#concern"' in html  # the error summary links to the box
    assert tasks(app) == []


def test_the_longest_concern_is_kept_whole(app, referral):
    concern = "y" * CONCERN_MAX
    assert referral["partner"].post(referral["form"], data={"concern": concern}).status_code == 302
    assert [task.request_note for task in tasks(app)] == [concern]


def test_hostile_text_is_kept_as_text_and_shown_escaped(app, make_user, referral):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> {{ 7*7 }}'
    assert referral["partner"].post(referral["form"], data={"concern": hostile}).status_code == 302
    [task] = tasks(app)
    assert task.request_note == hostile
    for page in (referral["partner"].get(referral["page"]),
                 officer_browser(app, make_user).get(f"/staff/tasks/{task.id}")):
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert str(escape(hostile)) in html and "{{ 7*7 }}" in html  # escaped, and never run as a template


@pytest.mark.parametrize("end", ["decline", "close"])
def test_a_finished_referral_cannot_take_a_concern(app, referral, end):
    partner, reference = referral["partner"], referral["reference"]
    if end == "decline":
        partner.post(f"/partner/referrals/{reference}/decline",
                     data={"version": version(app, reference), "reason": "lack_of_capacity"})
    else:
        partner.post(f"/partner/referrals/{reference}/accept", data={"version": version(app, reference)})
        partner.post(f"/partner/referrals/{reference}/close",
                     data={"version": version(app, reference), "outcome": "support_completed"})
    assert state(app, reference).status in (ReferralStatus.DECLINED, ReferralStatus.CLOSED)
    assert referral["form"] not in partner.get(referral["page"]).get_data(as_text=True)
    for response in (partner.get(referral["form"]), partner.post(referral["form"], data={"concern": CONCERN})):
        assert response.status_code == 302 and response.headers["Location"] == referral["page"]
    assert "You cannot do that with this referral now" in partner.get(referral["page"]).get_data(as_text=True)
    assert tasks(app) == []


def test_no_email_carries_the_concern_or_the_case(app, make_user, referral):
    """The case's named officer is told there is something new, in the neutral words every email uses."""
    officer = make_user(Role.OFFICER)
    with app.app_context():
        db.session.get(Report, referral["report_id"]).named_officer_id = officer.id
        db.session.commit()
    before = len(outbox_rows(app))
    referral["partner"].post(referral["form"], data={"concern": CONCERN})
    new = outbox_rows(app)[before:]
    assert [message.recipient for message in new] == [officer.email]
    number = crime_number(app, referral["report_id"])
    for message in outbox_rows(app):
        text = f"{message.subject}\n{message.body_text}"
        assert "worried" not in text.lower() and CONCERN[:30] not in text and number not in text
        assert not re.search(r"RF-[A-Z0-9]{8}", text)

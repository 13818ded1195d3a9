"""Triage decisions and investigation updates through the staff pages."""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.roles import Role
from portal.cases.changes import StaleReport
from portal.cases.enums import CaseStatus, DeadlineKind
from portal.cases.models import TimelineEvent, VictimsCodeDeadline
from portal.cases.transitions import IllegalTransition
from portal.clock import utcnow
from portal.extensions import db
from portal.triage import services
from tests.conftest import outbox_rows
from tests.pagecheck import assert_good_page, h1_text
from tests.triage_helpers import make_report, report_state
from tests.wizard import error_messages


def events(app, crime_number):
    """The timeline of a case, oldest first."""
    report = report_state(app, crime_number)
    with app.app_context():
        rows = db.session.scalars(select(TimelineEvent).where(TimelineEvent.report_id == report.id)
                                  .order_by(TimelineEvent.id)).all()
        db.session.expunge_all()
        return rows


def audited(app, action, crime_number) -> bool:
    """Whether an audit row exists for the action on the case."""
    with app.app_context():
        return db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == action,
                                                             AuditEvent.object_id == crime_number)) is not None


def deadlines(app, crime_number, kind):
    """The case's deadlines of one kind."""
    report = report_state(app, crime_number)
    with app.app_context():
        rows = db.session.scalars(select(VictimsCodeDeadline).where(VictimsCodeDeadline.report_id == report.id,
                                                                    VictimsCodeDeadline.kind == kind)).all()
        db.session.expunge_all()
        return rows


def decide(client, crime_number, kind, data):
    """Post a decision form with the report's current version."""
    version = report_state(client.application, crime_number).version
    return client.post(f"/staff/cases/{crime_number}/decide/{kind}", data={"version": str(version), **data})


@pytest.fixture
def officer(signed_in):
    """The client, signed in as an officer."""
    return signed_in(Role.OFFICER, display_name="PC 1234 Alex Morgan")


def test_the_queue_lists_untriaged_reports_most_urgent_first(app, client, officer):
    """Reports appear in triage-due order with the counts at the top."""
    first = make_report(app)
    second = make_report(app)
    page = client.get("/staff/triage")
    html = page.get_data(as_text=True)
    assert_good_page(page)
    assert html.index(first) < html.index(second)
    assert 'id="count-overdue">0<' in html
    assert "min left" in html


def test_an_overdue_report_is_flagged_in_words_not_only_colour(app, client, officer):
    """Past its 45 minutes, a report says Overdue."""
    crime_number = make_report(app)
    with app.app_context():
        report = services.get_report_by_crime_number(crime_number)
        report.triage_due_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    html = client.get("/staff/triage").get_data(as_text=True)
    assert "Overdue" in html and 'id="count-overdue">1<' in html


def test_viewing_a_case_is_audited_and_shows_the_whole_report(app, client, officer):
    """The case page shows the report and the clock, and the view is written to the audit trail."""
    crime_number = make_report(app)
    page = client.get(f"/staff/cases/{crime_number}")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert "My bike was taken." in html and "Outside the station" in html
    assert "Review the report" in html  # the triage deadline on the clock
    assert audited(app, "case.viewed", crime_number)


def test_no_further_investigation_explains_itself_to_the_victim(app, client, officer):
    """The victim sees why, what might reopen the case, their right to review, and an offer to talk."""
    crime_number = make_report(app)
    response = decide(client, crime_number, "nfi", {"reason_code": "no_lines_of_enquiry"})
    assert response.status_code == 302
    report = report_state(app, crime_number)
    assert report.status == CaseStatus.NO_FURTHER_INVESTIGATION and report.triaged_at is not None
    event = events(app, crime_number)[-1]
    assert event.visible_to_victim and not event.visible_to_witness
    assert "no CCTV, witness" in event.body
    assert "right to ask for this decision to be reviewed" in event.body and "ask for a call" in event.body
    assert event.reason_code == "no_lines_of_enquiry"
    email = outbox_rows(app)[-1]
    assert email.subject == "You have an update" and "investigat" not in email.body_text
    assert audited(app, "decision.no_further_investigation", crime_number)
    [deadline] = deadlines(app, crime_number, DeadlineKind.DECISION_NOT_TO_INVESTIGATE)
    assert deadline.met_at is not None


def test_the_officer_can_adjust_the_wording(app, client, officer):
    """Free text replaces the standard explanation, and the next steps are still added."""
    crime_number = make_report(app)
    decide(client, crime_number, "nfi",
           {"reason_code": "proportionality", "body": "We checked the CCTV on Camden Road."})
    body = events(app, crime_number)[-1].body
    assert body.startswith("We checked the CCTV on Camden Road.") and "reviewed" in body


def test_allocation_names_the_officer_to_the_victim(app, client, officer, make_user):
    """The named officer becomes the victim's contact."""
    colleague = make_user(Role.OFFICER, display_name="DC 77 Priya Shah")
    crime_number = make_report(app)
    decide(client, crime_number, "allocate", {"officer": str(colleague.id)})
    report = report_state(app, crime_number)
    assert report.status == CaseStatus.UNDER_INVESTIGATION and report.named_officer_id == colleague.id
    assert "DC 77 Priya Shah is your contact" in events(app, crime_number)[-1].shown_body


def test_attendance_proposes_a_visit_time(app, client, officer):
    """A visit is arranged for a future time, in London time."""
    crime_number = make_report(app)
    day = utcnow().date() + timedelta(days=3)
    decide(client, crime_number, "attendance", {"visit_date-day": str(day.day), "visit_date-month": str(day.month),
                                                "visit_date-year": str(day.year), "visit_time": "14:30"})
    assert report_state(app, crime_number).status == CaseStatus.ATTENDANCE_ARRANGED
    with app.app_context():  # the date is written out in the reader's language when shown
        assert "2:30pm" in events(app, crime_number)[-1].shown_body


def test_escalation_flags_safeguarding_and_does_not_notify_the_victim(app, client, officer):
    """Signs of domestic abuse: the case is flagged, the event is internal, and no email goes out."""
    crime_number = make_report(app)
    before = len(outbox_rows(app))
    decide(client, crime_number, "escalate", {"body": "Caller mentioned a partner who controls her phone."})
    report = report_state(app, crime_number)
    assert report.safeguarding and "safeguarding" in report.risk_flags
    event = events(app, crime_number)[-1]
    assert not event.visible_to_victim and not event.visible_to_witness
    assert len(outbox_rows(app)) == before
    assert audited(app, "decision.escalate", crime_number)


def test_escalation_needs_a_reason(app, client, officer):
    """An empty explanation is an error on the page."""
    crime_number = make_report(app)
    response = decide(client, crime_number, "escalate", {"body": ""})
    assert "Explain why the risk is higher than reported" in " ".join(error_messages(response))


@pytest.mark.parametrize(("agency", "words"), [("national_fraud", "national fraud reporting service"),
                                               ("council_asb", "local council")])
def test_referral_elsewhere_says_where_it_went(app, client, officer, agency, words):
    """The victim is told which agency has the report."""
    crime_number = make_report(app)
    decide(client, crime_number, "refer", {"agency": agency})
    assert report_state(app, crime_number).status == CaseStatus.REFERRED_ELSEWHERE
    assert words in events(app, crime_number)[-1].title


def test_information_only_closes_the_report(app, client, officer):
    """Not a crime: recorded as information and closed."""
    crime_number = make_report(app)
    decide(client, crime_number, "information", {})
    report = report_state(app, crime_number)
    assert report.status == CaseStatus.CLOSED and report.is_information_report


def test_a_duplicate_is_linked_to_the_original(app, client, officer):
    """The duplicate is closed and points at the earlier report."""
    original = make_report(app)
    duplicate = make_report(app)
    decide(client, duplicate, "duplicate", {"original": original.lower()})
    report = report_state(app, duplicate)
    assert report.status == CaseStatus.CLOSED
    assert report.duplicate_of_id == report_state(app, original).id
    response = decide(client, make_report(app), "duplicate", {"original": "CR-26-9999999-A"})
    assert "Enter the crime number of a different report" in " ".join(error_messages(response))


def test_an_officer_can_decide_to_call_when_the_victim_did_not_ask(app, client, officer):
    """Officer-initiated follow-up tells the victim to expect a call."""
    crime_number = make_report(app, follow_up="none")
    decide(client, crime_number, "call", {})
    assert report_state(app, crime_number).status == CaseStatus.TRIAGED
    assert "will call you" in events(app, crime_number)[-1].body


def investigate(app, client, officer_user):
    """A report allocated for investigation."""
    crime_number = make_report(app)
    decide(client, crime_number, "allocate", {"officer": str(officer_user.id)})
    return crime_number


def post_update(client, crime_number, status, **extra):
    """Post a key event that happened an hour ago."""
    when = utcnow() - timedelta(hours=1)
    from zoneinfo import ZoneInfo

    london = when.astimezone(ZoneInfo("Europe/London"))
    data = {"version": str(report_state(client.application, crime_number).version), "status": status,
            "happened_date-day": str(london.day), "happened_date-month": str(london.month),
            "happened_date-year": str(london.year), "happened_time": london.strftime("%H:%M"), "victim": "y"}
    data.update(extra)
    return client.post(f"/staff/cases/{crime_number}/update", data=data)


def test_the_whole_investigation_to_closure(app, client, officer):
    """Arrest, charge, a court hearing witnesses can see, outcome and closure, each in plain words."""
    crime_number = investigate(app, client, officer)
    assert post_update(client, crime_number, "suspect_arrested").status_code == 302
    post_update(client, crime_number, "charged", body="Charged with theft.")
    day = utcnow().date() + timedelta(days=30)
    post_update(client, crime_number, "court_hearing_scheduled", witness="y",
                hearing_place="Highbury Corner Magistrates",
                **{"hearing_date-day": str(day.day), "hearing_date-month": str(day.month),
                   "hearing_date-year": str(day.year), "hearing_time": "10:00"})
    post_update(client, crime_number, "outcome")
    post_update(client, crime_number, "closed")
    report = report_state(app, crime_number)
    assert report.status == CaseStatus.CLOSED
    titles = [e.title for e in events(app, crime_number)]
    assert titles[-5:] == ["Someone has been arrested", "Someone has been charged", "A court hearing has been arranged",
                           "The court has reached a decision", "Your case is now closed"]
    hearing = [e for e in events(app, crime_number) if e.reason_code == "court_hearing_scheduled"][0]
    with app.app_context():
        assert hearing.visible_to_witness and "Highbury Corner Magistrates" in hearing.shown_body
    witness_visible = [e.id for e in events(app, crime_number) if e.visible_to_witness]
    assert witness_visible == [hearing.id]
    key_events = deadlines(app, crime_number, DeadlineKind.KEY_EVENT)
    assert len(key_events) == 5 and all(d.met_at is not None for d in key_events)
    assert all(audited(app, f"update.{s}", crime_number) for s in ("suspect_arrested", "charged", "outcome"))


def test_an_update_the_victim_cannot_see_leaves_the_key_event_deadline_open(app, client, officer):
    """If the victim is not told, the clock keeps running."""
    crime_number = investigate(app, client, officer)
    post_update(client, crime_number, "suspect_identified", victim="")
    [deadline] = deadlines(app, crime_number, DeadlineKind.KEY_EVENT)
    assert deadline.met_at is None
    assert not events(app, crime_number)[-1].visible_to_victim


def test_enhanced_rights_shorten_the_key_event_deadline(app, client, officer):
    """With enhanced rights, the victim must hear of a key event within 1 working day."""
    crime_number = investigate(app, client, officer)
    version = report_state(app, crime_number).version
    client.post(f"/staff/cases/{crime_number}/enhanced-rights",
                data={"version": str(version), "entitled": "yes", "reason": "vulnerable_or_intimidated"})
    assert report_state(app, crime_number).enhanced_rights
    post_update(client, crime_number, "suspect_arrested")
    [deadline] = deadlines(app, crime_number, DeadlineKind.KEY_EVENT)
    from portal.cases.working_days import add_working_days

    assert deadline.due_at == add_working_days(deadline.starts_at, 1)


def test_an_illegal_transition_is_a_clear_error(app, ctx, make_user):
    """Charging a case that was never investigated is refused by the state machine."""
    crime_number = make_report(app)
    officer_user = db.session.merge(make_user(Role.OFFICER))
    report = services.get_report_by_crime_number(crime_number)
    with pytest.raises(IllegalTransition, match="cannot move to ‘charged’"):
        services.post_update(officer_user, report, report.version, CaseStatus.CHARGED, None,
                             utcnow() - timedelta(hours=1), True, False)
    assert services.get_report_by_crime_number(crime_number).status == CaseStatus.RECEIVED


def offered_statuses(client, crime_number) -> set[str]:
    """The key events the update page offers, as status values."""
    html = client.get(f"/staff/cases/{crime_number}/update").get_data(as_text=True)
    return set(re.findall(r'name="status"[^>]*value="([a-z_]+)"', html))


def test_the_update_page_offers_only_events_that_can_follow(app, client, officer):
    """A received report has no updates to post; an investigation offers its next steps and a progress update,
    never court ones (nor the court's questions); a charged case offers the hearing, with the court's questions,
    the outcome and closing; anything else posted is refused."""
    received = make_report(app)
    assert client.get(f"/staff/cases/{received}/update").status_code == 404
    crime_number = investigate(app, client, officer)
    assert offered_statuses(client, crime_number) == {
        "suspect_identified", "suspect_arrested", "suspect_interviewed", "released_under_investigation", "charged",
        "closed", "progress"}
    assert 'name="hearing_place"' not in client.get(f"/staff/cases/{crime_number}/update").get_data(as_text=True)
    refused = post_update(client, crime_number, "outcome")
    assert refused.status_code == 200 and "govuk-error-summary" in refused.get_data(as_text=True)
    assert report_state(app, crime_number).status == CaseStatus.UNDER_INVESTIGATION
    assert post_update(client, crime_number, "charged").status_code == 302
    assert offered_statuses(client, crime_number) == {"court_hearing_scheduled", "outcome", "closed", "progress"}
    assert 'name="hearing_place"' in client.get(f"/staff/cases/{crime_number}/update").get_data(as_text=True)


def test_a_stale_form_is_refused_with_review_and_retry(app, client, officer):
    """Posting with the version from before someone else's change says to review and retry."""
    crime_number = make_report(app)
    old_version = report_state(app, crime_number).version
    decide(client, crime_number, "call", {})
    response = client.post(f"/staff/cases/{crime_number}/decide/nfi",
                           data={"version": str(old_version), "reason_code": "no_lines_of_enquiry"})
    assert "This report changed while you were looking at it" in response.get_data(as_text=True)
    assert report_state(app, crime_number).status == CaseStatus.TRIAGED


# Threads each take their own connection and must see each other's commits.
@pytest.mark.commits
def test_two_officers_deciding_at_once_exactly_one_wins(app, make_user):
    """Concurrent decisions on the same version: one succeeds, the other is told to review and retry."""
    crime_number = make_report(app)
    first, second = make_user(Role.OFFICER), make_user(Role.OFFICER)
    version = report_state(app, crime_number).version
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user, decision):
        with app.app_context():
            actor = db.session.get(type(user), user.id)
            report = services.get_report_by_crime_number(crime_number)
            barrier.wait()
            try:
                decision(actor, report)
                outcomes.append("won")
            except services.DomainError as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=act, args=(first, lambda a, r: services.decide_no_further_investigation(
            a, r, version, "no_lines_of_enquiry"))),
        threading.Thread(target=act, args=(second, lambda a, r: services.refer_elsewhere(
            a, r, version, "council_asb"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=len) == ["won", StaleReport().message]
    decisions = [e for e in events(app, crime_number) if e.kind == "decision"]
    assert len(decisions) == 1


def test_a_correction_never_edits_the_victims_answers(app, client, officer):
    """The description stays as written; the correction is an internal event with its reason."""
    crime_number = make_report(app)
    version = report_state(app, crime_number).version
    client.post(f"/staff/cases/{crime_number}/correction",
                data={"version": str(version), "correction": "The bike was blue, not black.",
                      "reason": "Victim called"})
    assert report_state(app, crime_number).description == "My bike was taken."
    event = events(app, crime_number)[-1]
    assert event.kind == "correction" and "Victim called" in event.body and not event.visible_to_victim


def test_a_supervisor_assigns_and_officers_claim(app, client, signed_in, make_user):
    """Supervisors assign; an officer's claim shows in the queue."""
    supervisor = signed_in(Role.SUPERVISOR)
    officer_user = make_user(Role.OFFICER, display_name="Priya Shah", rank="DC", collar_number="77")
    crime_number = make_report(app)
    version = report_state(app, crime_number).version
    client.post(f"/staff/cases/{crime_number}/assign",
                data={"version": str(version), "officer": str(officer_user.id)})
    assert report_state(app, crime_number).claimed_by_id == officer_user.id
    assert audited(app, "report.assigned", crime_number)
    assert supervisor.role == Role.SUPERVISOR
    queue = client.get("/staff/triage").get_data(as_text=True)
    assert "DC 77 Priya Shah" in queue and officer_user.email not in queue


def test_officers_cannot_assign(app, client, officer, make_user):
    """Assigning is for supervisors only."""
    crime_number = make_report(app)
    response = client.post(f"/staff/cases/{crime_number}/assign", data={"version": "1", "officer": "1"})
    assert response.status_code == 403


def test_repeat_victims_are_flagged(app, client, officer):
    """A second report from the same email within 12 months is flagged in the queue and on the case."""
    make_report(app)
    repeat = make_report(app)
    assert report_state(app, repeat).is_repeat_victim
    assert "Repeat victim" in client.get("/staff/triage").get_data(as_text=True)
    assert "consider enhanced rights" in client.get(f"/staff/cases/{repeat}").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.VICTIM, Role.WITNESS, Role.PARTNER, Role.ADMIN])
def test_non_police_roles_get_403_on_staff_pages(app, client, signed_in, role):
    """Victims, witnesses, partners and admins cannot open the queue or a case."""
    crime_number = make_report(app)
    signed_in(role)
    for path in ("/staff/triage", f"/staff/cases/{crime_number}", f"/staff/cases/{crime_number}/decide"):
        assert client.get(path).status_code == 403


def test_staff_who_have_not_passed_totp_cannot_reach_staff_pages(app, client, make_user):
    """After the password but before the code, the queue sends you to sign in."""
    user = make_user(Role.OFFICER)
    client.post("/login", data={"email": user.email, "password": "a-long-test-password"})
    response = client.get("/staff/triage")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_supervisors_see_compliance_rates(app, client, signed_in):
    """The performance page lists each promise with its rate."""
    crime_number = make_report(app)
    signed_in(Role.SUPERVISOR)
    decide(client, crime_number, "call", {})
    page = client.get("/staff/performance")
    assert_good_page(page)
    assert h1_text(page) == "Victims’ Code compliance"
    assert "Triage" in page.get_data(as_text=True)


def test_the_officers_words_for_the_victim_are_not_shown_to_witnesses(app, client, officer):
    """An update for both gives witnesses the standard wording only."""
    crime_number = investigate(app, client, officer)
    post_update(client, crime_number, "charged", witness="y", body="Your neighbour's statement helped.")
    for_witnesses = [e for e in events(app, crime_number) if e.visible_to_witness]
    for_victim = [e for e in events(app, crime_number) if e.visible_to_victim and e.reason_code == "charged"]
    standard = "A suspect has been charged with an offence. The case will now go to court."
    assert [e.shown_body for e in for_witnesses] == [standard]
    assert "Your neighbour's statement helped." in for_victim[0].shown_body
    assert not for_victim[0].visible_to_witness

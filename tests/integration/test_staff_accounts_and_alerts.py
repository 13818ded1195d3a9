"""Admins manage staff accounts; SLA alerts reach supervisors; victims see their own cases only."""

from datetime import timedelta

import pyotp
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, SlaAlert
from portal.clock import utcnow
from portal.extensions import db
from tests.conftest import link_in, outbox_rows, sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.triage_helpers import make_report, report_state


def test_an_admin_creates_a_staff_account_that_must_set_up_totp(app, client, signed_in):
    """The new officer sets a password from the emailed link, then must enrol an authenticator app."""
    signed_in(Role.ADMIN)
    assert_good_page(client.get("/admin/staff/new"))
    response = client.post("/admin/staff/new", data={"email": "new.officer@police.example", "role": "officer",
                                                     "display_name": "PC 42 Jo Bloggs"})
    assert response.headers["Location"] == "/admin/staff"
    listed = client.get("/admin/staff").get_data(as_text=True)
    row = listed[listed.index("new.officer@police.example"):]
    assert "Police officer or staff" in row[:row.index("</tr>")]  # the role in words, not its code
    invite = outbox_rows(app)[-1]
    assert invite.subject == "Set up your account"

    newcomer = app.test_client()
    link = link_in(invite.body_text)
    newcomer.post(link, data={"password": "a-brand-new-password", "confirm_password": "a-brand-new-password"})
    newcomer.post("/login", data={"email": "new.officer@police.example", "password": "a-brand-new-password"})
    setup = newcomer.get("/login/code")
    assert h1_text(setup) == "Set up your authenticator app"
    with app.app_context():
        secret = db.session.scalar(select(User.totp_secret).where(User.email == "new.officer@police.example"))
    newcomer.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert newcomer.get("/staff/triage").status_code == 200


def test_duplicate_staff_emails_are_refused(client, signed_in, make_user):
    """An existing email is an error on the form."""
    signed_in(Role.ADMIN)
    existing = make_user(Role.OFFICER)
    response = client.post("/admin/staff/new", data={"email": existing.email, "role": "officer", "display_name": "X"})
    assert "already exists" in response.get_data(as_text=True)


def test_a_deactivated_officer_is_signed_out_and_cannot_sign_in(app, client, signed_in, make_user):
    """Deactivation takes effect at once, even for a session already open."""
    signed_in(Role.ADMIN)
    officer = make_user(Role.OFFICER)
    their_session = app.test_client()
    sign_in_as(their_session, officer)
    assert their_session.get("/staff/triage").status_code == 200
    client.post(f"/admin/staff/{officer.id}/deactivate")
    assert their_session.get("/staff/triage").status_code == 302
    response = app.test_client().post("/login", data={"email": officer.email, "password": "a-long-test-password"})
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_sla_alerts_warn_supervisors_once(app, ctx, make_user):
    """A report 5 minutes from its triage deadline raises one alert and one email per supervisor, once."""
    supervisor = make_user(Role.SUPERVISOR)
    crime_number = make_report(app)
    report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
    report.triage_due_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "raised 1 new alert(s)" in runner.invoke(args=["triage", "sla-alerts"]).output
    assert "raised 0 new alert(s)" in runner.invoke(args=["triage", "sla-alerts"]).output
    emails = [m for m in outbox_rows(app) if m.template == "sla_alert"]
    assert [m.recipient for m in emails] == [supervisor.email]
    assert crime_number not in emails[0].body_text


def test_triage_clears_the_alert(app, client, signed_in):
    """Once triaged, the alert is no longer open."""
    crime_number = make_report(app)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        report.triage_due_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    app.test_cli_runner().invoke(args=["triage", "sla-alerts"])
    signed_in(Role.OFFICER)
    version = report_state(app, crime_number).version
    client.post(f"/staff/cases/{crime_number}/decide/call", data={"version": str(version)})
    with app.app_context():
        triage_alert = db.session.scalar(select(SlaAlert).where(SlaAlert.kind == "triage"))
        assert triage_alert.cleared_at is not None


def test_a_victim_sees_their_case_in_plain_words(app, client, signed_in):
    """The victim's page shows the status, what happens next and the victim-visible events only."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    page = client.get(f"/cases/{crime_number}")
    assert_good_page(page)
    assert "within 45 minutes" in page.get_data(as_text=True)  # what happens next, on the overview
    updates = client.get(f"/cases/{crime_number}/updates")
    assert_good_page(updates)
    assert "We received your report" in updates.get_data(as_text=True)
    cases_page = client.get("/cases/").get_data(as_text=True)
    assert crime_number in cases_page and "Last update:" in cases_page and "Received" in cases_page


def test_nobody_sees_another_persons_case(app, client, signed_in, make_user):
    """Another victim, or a witness, gets 'not found' for a case that is not theirs."""
    owner = make_user(Role.VICTIM)
    crime_number = make_report(app, user=owner)
    for role in (Role.VICTIM, Role.WITNESS):
        signed_in(role)
        assert client.get(f"/cases/{crime_number}").status_code == 404
        assert crime_number not in client.get("/cases/").get_data(as_text=True)


def test_a_victim_asks_for_a_call_and_staff_see_it(app, client, signed_in, make_user):
    """'Talk to someone' puts the request on the case for staff and the victim."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    assert "Anything you want us to know before we call" in client.get(f"/cases/{crime_number}/call").get_data(
        as_text=True)
    response = client.post(f"/cases/{crime_number}/call", data={"note": "Evenings are best."})
    assert response.headers["Location"] == f"/cases/{crime_number}/updates"
    assert "You asked us to call you" in client.get(f"/cases/{crime_number}/updates").get_data(as_text=True)
    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    assert "Evenings are best." in officer.get(f"/staff/cases/{crime_number}").get_data(as_text=True)


def test_a_victim_answers_a_proposed_visit(app, client, signed_in, make_user):
    """The victim can accept the visit time or ask for another, with a reason needed for a change."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    day = utcnow().date() + timedelta(days=2)
    officer.post(f"/staff/cases/{crime_number}/decide/attendance", data={
        "version": str(report_state(app, crime_number).version), "visit_date-day": str(day.day),
        "visit_date-month": str(day.month), "visit_date-year": str(day.year), "visit_time": "10:00"})
    assert "Does this time suit you?" in client.get(f"/cases/{crime_number}").get_data(as_text=True)
    client.post(f"/cases/{crime_number}/visit", data={"answer": "change"})
    assert "Tell us when would suit you better" in client.get(f"/cases/{crime_number}").get_data(as_text=True)
    client.post(f"/cases/{crime_number}/visit", data={"answer": "change", "preferred": "Saturday morning"})
    page = client.get(f"/cases/{crime_number}/updates").get_data(as_text=True)
    assert "You asked for a different visit time" in page and "Saturday morning" in page


def test_victim_actions_on_someone_elses_case_are_not_found(app, client, signed_in, make_user):
    """Posting to another person's case gets 404 and changes nothing."""
    crime_number = make_report(app, user=make_user(Role.VICTIM))
    signed_in(Role.VICTIM)
    assert client.post(f"/cases/{crime_number}/call", data={}).status_code == 404
    assert client.post(f"/cases/{crime_number}/visit", data={"answer": "accept"}).status_code == 404


def test_the_rights_panel_shows_each_promise_and_whether_it_was_met(app, client, signed_in, make_user):
    """After triage, the victim sees the 45-minute promise as done on time, and support still due."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    officer.post(f"/staff/cases/{crime_number}/decide/call",
                 data={"version": str(report_state(app, crime_number).version)})
    html = client.get(f"/cases/{crime_number}/your-rights").get_data(as_text=True)
    assert "Your rights, and whether we met them" in html
    rights = html[html.index('id="rights"'):]
    assert "reviews your report within 45 minutes" in rights and "Done on time" in rights
    assert "offered support within 2 working days" in rights and "Due" in rights

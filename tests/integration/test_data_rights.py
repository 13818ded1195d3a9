"""Your data: what people can download, who has viewed their cases, and closing an account."""

import io
import json
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.audit.services import record_audit
from portal.auth.models import AccountToken, TokenPurpose, User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.equality.models import EqualityRecord
from portal.extensions import db
from portal.reporting.models import ReportDraft
from portal.reporting.services import start_draft
from portal.support import referrals
from portal.support.assessments import save_assessment
from portal.support.recommendation import NeedsAnswers
from tests.conftest import sign_in_as
from tests.factories import DEFAULT_PASSWORD
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report, report_state

DATA_PAGES = ["/account/data", "/account/data/download.json", "/account/data/download.pdf", "/account/data/views",
              "/account/data/close"]


def _add_internal_event(app, crime_number: str, title: str) -> None:
    """Write a staff-only timeline event on a case."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        add_timeline_event(report.id, "note", title, "Staff only", victim=False)
        db.session.commit()


def _mark_staff_only_fields(app, crime_number: str) -> None:
    """Set risk and safeguarding fields on a case, as triage would."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        report.risk_flags = ["vulnerable_adult"]
        report.safeguarding = True
        db.session.commit()


def _user(app, user_id: int) -> User:
    """A fresh, detached copy of an account."""
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_data_page_explains_what_we_hold_and_how_long(client, signed_in):
    """The page says what we hold, links to the downloads and the close page, and states the retention rule."""
    signed_in(Role.VICTIM)
    response = client.get("/account/data")
    assert response.status_code == 200
    assert h1_text(response) == "Your data"
    html = response.get_data(as_text=True)
    assert "/account/data/download.json" in html
    assert "/account/data/download.pdf" in html
    assert "/account/data/views" in html
    assert "/account/data/close" in html
    assert "at least 6 years" in html
    assert "does not delete the police record" in html
    assert_good_page(response)


def test_account_page_links_to_your_data_for_victims_and_witnesses(client, signed_in):
    """Victims and witnesses see a 'Your data' link on their account page."""
    signed_in(Role.WITNESS)
    html = client.get("/account").get_data(as_text=True)
    assert 'href="/account/data"' in html
    assert "Your data" in html


def test_json_has_own_report_and_victim_events_only(app, client, make_user):
    """The JSON holds the person's report and its victim-visible updates, not internal events or others' reports."""
    victim = make_user(Role.VICTIM)
    other = make_user(Role.VICTIM)
    mine = make_report(app, victim, description="Someone took my red bicycle.")
    theirs = make_report(app, other, description="A different person's private account.")
    _add_internal_event(app, mine, "Internal note about the suspect")
    _mark_staff_only_fields(app, mine)
    sign_in_as(client, victim)

    response = client.get("/account/data/download.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == victim.email
    assert data["account"]["role"] == "victim"
    assert data["account"]["email_verified"] is True
    assert [r["crime_number"] for r in data["reports"]] == [mine]
    report = data["reports"][0]
    assert report["description"] == "Someone took my red bicycle."
    assert report["category"]
    assert report["contact"]["name"] == "Sam Victim"
    assert report["follow_up"] == "call"
    assert [e["title"] for e in report["timeline"]] == ["We received your report"]
    text = response.get_data(as_text=True)
    assert "Internal note about the suspect" not in text
    assert theirs not in text
    assert "A different person's private account." not in text
    for staff_only in ("risk_flags", "vulnerable_adult", "safeguarding", "claimed_by", "enhanced_rights"):
        assert staff_only not in text


def test_json_dates_are_iso_8601(app, client, make_user):
    """Dates and times in the JSON are ISO 8601 strings."""
    from datetime import date, datetime

    victim = make_user(Role.VICTIM)
    make_report(app, victim)
    sign_in_as(client, victim)
    data = client.get("/account/data/download.json").get_json()
    report = data["reports"][0]
    assert datetime.fromisoformat(report["submitted_at"]).tzinfo is not None
    assert date.fromisoformat(report["occurred_on"])
    assert datetime.fromisoformat(data["account"]["created_at"])
    assert datetime.fromisoformat(report["timeline"][0]["occurred_at"])


def test_json_is_not_cached(client, signed_in):
    """The JSON download tells browsers and proxies not to keep it."""
    signed_in(Role.VICTIM)
    response = client.get("/account/data/download.json")
    assert response.headers["Cache-Control"] == "no-store"


def test_pdf_contains_the_crime_number(app, client, make_user):
    """The PDF copy is a real PDF showing the person's crime number and not another person's."""
    victim = make_user(Role.VICTIM)
    other = make_user(Role.VICTIM)
    mine = make_report(app, victim)
    theirs = make_report(app, other)
    _add_internal_event(app, mine, "Internal note about the suspect")
    sign_in_as(client, victim)

    response = client.get("/account/data/download.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert mine in text
    assert theirs not in text
    assert "We received your report" in text
    assert "Internal note" not in text


def test_views_page_shows_police_after_an_officer_views_the_case(app, client, make_user):
    """After an officer opens the case, the victim sees 'Police' and the crime number, never the officer's email."""
    victim = make_user(Role.VICTIM)
    officer = make_user(Role.OFFICER)
    crime_number = make_report(app, victim)
    staff = app.test_client()
    sign_in_as(staff, officer)
    assert staff.get(f"/staff/cases/{crime_number}").status_code == 200
    sign_in_as(client, victim)

    response = client.get("/account/data/views")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Police" in html
    assert crime_number in html
    assert officer.email not in html
    assert_good_page(response)


def test_views_page_ignores_other_peoples_cases(app, client, make_user):
    """A view of someone else's case does not appear on the person's page."""
    victim = make_user(Role.VICTIM)
    other = make_user(Role.VICTIM)
    officer = make_user(Role.OFFICER)
    make_report(app, victim)
    theirs = make_report(app, other)
    staff = app.test_client()
    sign_in_as(staff, officer)
    staff.get(f"/staff/cases/{theirs}")
    sign_in_as(client, victim)

    response = client.get("/account/data/views")

    html = response.get_data(as_text=True)
    assert theirs not in html
    assert "No one has looked at your cases yet." in html
    assert_good_page(response)


def test_views_page_names_organisations_not_people(app, client, make_user):
    """Police and administrator views show as 'Police' and 'Administrator'; a support organisation that opens the
    referral, or downloads its referrals, is named; nobody's own name or email appears; newest first."""
    victim = make_user(Role.VICTIM)
    admin = make_user(Role.ADMIN)
    officer = make_user(Role.OFFICER)
    crime_number = make_report(app, victim)
    with app.app_context():
        charity = make_organisation("Borough Victim Care")
        partner = make_user(Role.PARTNER, organisation_id=charity.id)
        service = make_service(charity, "Talk it through")
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        reference = referrals.refer_with_consent(db.session.get(User, victim.id), report, service, "contact",
                                                 ["category_and_dates", "contact_details"]).reference
        record_audit(admin.id, "evidence.viewed", "report", crime_number, "photo.jpg")
        record_audit(admin.id, "case.claimed", "report", crime_number)  # not a view
        db.session.commit()
    police = app.test_client()
    sign_in_as(police, officer)
    police.get(f"/staff/cases/{crime_number}")
    charity_browser = app.test_client()
    sign_in_as(charity_browser, partner)
    assert charity_browser.get(f"/partner/referrals/{reference}").status_code == 200
    assert charity_browser.get("/partner/referrals.csv").status_code == 200
    sign_in_as(client, victim)

    response = client.get("/account/data/views")
    html = response.get_data(as_text=True)
    assert_good_page(response)
    assert "Borough Victim Care" in html and "Police" in html and "Administrator" in html
    assert "Your referral to them, in a download of their referrals" in html
    table = html[html.index('id="viewings"'):]  # the page's header may name the police force
    assert table.index("Your referral to them, in a download") < table.index("Your referral to them<") \
        < table.index("Police") < table.index("Administrator")
    assert partner.email not in html and admin.email not in html and officer.email not in html
    assert html.count('<tr class="govuk-table__row">') == 5  # header, the download, the referral, police, admin


def test_close_page_passes_the_page_checks(app, client, make_user):
    """The close page asks for confirmation and the password, and lists the crime numbers to keep."""
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, victim)
    sign_in_as(client, victim)
    response = client.get("/account/data/close")
    assert response.status_code == 200
    assert h1_text(response) == "Close your account"
    html = response.get_data(as_text=True)
    assert "I understand my cases will stay, but will no longer be linked to me" in html
    assert crime_number in html
    assert_good_page(response)


def test_closing_the_account_unlinks_the_cases_and_anonymises_it(app, client, make_user):
    """With the right password the case stays, unlinked; the account is anonymised, signed out and unusable."""
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, victim)
    with app.app_context():
        start_draft(db.session.merge(victim))
        db.session.add(AccountToken(user_id=victim.id, purpose=TokenPurpose.RESET_PASSWORD, token_hash="a" * 64,
                                    expires_at=report_state(app, crime_number).submitted_at))
        db.session.add(EqualityRecord(user_id=victim.id, disability="yes"))
        db.session.commit()
    sign_in_as(client, victim)

    response = client.post("/account/data/close", data={"understand": "y", "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert h1_text(response) == "Your account has been closed"
    assert crime_number in response.get_data(as_text=True)
    assert_good_page(response)
    report = report_state(app, crime_number)
    assert report.reporter_user_id is None
    closed = _user(app, victim.id)
    assert closed.email == f"closed-{victim.id}@closed.invalid"
    assert closed.is_active_account is False
    assert closed.display_name is None
    assert closed.password_hash.startswith("$argon2id$")
    with app.app_context():
        assert db.session.scalars(select(ReportDraft).where(ReportDraft.user_id == victim.id)).all() == []
        assert db.session.scalars(select(AccountToken).where(AccountToken.user_id == victim.id)).all() == []
        assert db.session.scalars(select(EqualityRecord).where(EqualityRecord.user_id == victim.id)).all() == []
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == victim.id)).all()
    assert "account.closed" in actions
    assert client.get("/account").status_code == 302  # signed out


def test_old_email_cannot_sign_in_but_can_register_again(app, client, make_user):
    """After closing, the old email and password get the generic sign-in error, and the email can register anew."""
    victim = make_user(Role.VICTIM)
    sign_in_as(client, victim)
    client.post("/account/data/close", data={"understand": "y", "password": DEFAULT_PASSWORD})

    login = client.post("/login", data={"email": victim.email, "password": DEFAULT_PASSWORD})
    assert login.status_code == 200
    assert "Enter a correct email address and password" in login.get_data(as_text=True)

    register = client.post("/register", data={"email": victim.email, "password": "a-brand-new-password",
                                               "confirm_password": "a-brand-new-password"})
    assert register.status_code == 302
    with app.app_context():
        fresh = db.session.scalar(select(User).where(User.email == victim.email))
        assert fresh is not None
        assert fresh.id != victim.id


def test_wrong_password_shows_an_error_and_changes_nothing(app, client, make_user):
    """A wrong password shows 'The password is not correct' and leaves the case linked."""
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, victim)
    sign_in_as(client, victim)

    response = client.post("/account/data/close", data={"understand": "y", "password": "not-my-password"})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The password is not correct" in html
    assert "There is a problem" in html
    assert_good_page(response)
    assert report_state(app, crime_number).reporter_user_id == victim.id
    assert _user(app, victim.id).email == victim.email
    assert client.get("/account").status_code == 200  # still signed in


def test_missing_password_and_confirmation_show_errors(client, signed_in):
    """An empty form asks for the password and the confirmation."""
    signed_in(Role.WITNESS)
    response = client.post("/account/data/close", data={})
    html = response.get_data(as_text=True)
    assert "Enter your current password" in html
    assert "Confirm that you understand your cases will stay" in html
    assert_good_page(response)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.PARTNER, Role.ADMIN])
def test_staff_cannot_use_your_data_pages(client, signed_in, role):
    """Staff roles get 403 from every 'Your data' page, including closing an account."""
    signed_in(role)
    for path in DATA_PAGES:
        assert client.get(path).status_code == 403, path
    assert client.post("/account/data/close", data={"understand": "y", "password": DEFAULT_PASSWORD}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    """Anonymous visitors are redirected to sign in."""
    for path in DATA_PAGES:
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", [Role.VICTIM, Role.WITNESS])
def test_every_html_page_passes_the_page_checks(client, signed_in, role):
    """Each HTML page in 'Your data' is a well-formed GOV.UK page for victims and witnesses."""
    signed_in(role)
    for path in ("/account/data", "/account/data/views", "/account/data/close"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_good_page(response)


def test_closing_an_account_also_unlinks_cases_followed_as_a_witness(app, client, signed_in, make_user):
    """A witness who closes their account no longer follows the case."""
    from sqlalchemy import select as _select

    from portal.cases.models import WitnessLink
    from tests.conftest import sign_in_as
    from tests.triage_helpers import make_report

    crime_number = make_report(app)
    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    officer.post(f"/staff/cases/{crime_number}/witnesses", data={"email": "w@example.org"})
    code = re.search(r"The code is ([A-Z0-9]{8})",
                     officer.get(f"/staff/cases/{crime_number}/witnesses").get_data(as_text=True)).group(1)
    witness = signed_in(Role.WITNESS)
    client.post("/cases/join", data={"crime_number": crime_number, "code": code})
    client.post("/account/data/close", data={"understand": "y", "password": "a-long-test-password"})
    with app.app_context():
        link = db.session.scalar(_select(WitnessLink))
        assert link.witness_user_id is None
    assert witness.id


def test_the_export_includes_messages_and_cases_followed_as_a_witness(app, client, signed_in, make_user):
    """Messages on the person's cases, and witness cases with witness updates only, are in the download."""
    from tests.conftest import sign_in_as
    from tests.triage_helpers import make_report

    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    client.post(f"/cases/{crime_number}/messages", data={"body": "Is there CCTV?"})
    other_case = make_report(app, description="Someone else's words.")
    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    officer.post(f"/staff/cases/{other_case}/witnesses", data={"email": "me@example.org"})
    code = re.search(r"The code is ([A-Z0-9]{8})",
                     officer.get(f"/staff/cases/{other_case}/witnesses").get_data(as_text=True)).group(1)
    client.post("/cases/join", data={"crime_number": other_case, "code": code})
    data = json.loads(client.get("/account/data/download.json").data)
    assert [m["body"] for m in data["messages"]] == ["Is there CCTV?"]
    assert [c["crime_number"] for c in data["witness_cases"]] == [other_case]
    assert "Someone else's words." not in json.dumps(data)


def test_the_pdf_lists_the_access_needs_the_person_gave(app, client, make_user):
    """Step-free access and taking part online only are in the copy of the needs assessment, in words."""
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, victim)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        save_assessment(db.session.get(User, victim.id), report, NeedsAnswers(wants_to_talk=True), step_free=True,
                        online_only=True)
    sign_in_as(client, victim)
    text = "".join(page.extract_text() for page in
                   PdfReader(io.BytesIO(client.get("/account/data/download.pdf").data)).pages)
    text = " ".join(text.split())
    assert "Getting to support" in text
    assert "Step-free access (no stairs or steps); Taking part online only" in text

"""Admins approve and accredit support organisations, and manage partner accounts. Only an approved organisation
with an accreditation in date is listed and can receive referrals."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import today_in_london
from portal.domain import DomainError
from portal.extensions import db
from portal.support import directory, referrals
from portal.support.models import Organisation, SupportService
from tests.conftest import outbox_rows, sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report
from tests.wizard import error_messages


def long_date(day) -> str:
    """A date as the pages write it: 1 May 2027."""
    return f"{day.day} {day:%B} {day.year}"


def date_parts(name: str, day) -> dict:
    """The three inputs of a GOV.UK date field."""
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


TODAY = today_in_london()
ACCREDITED = {
    "name": "Hackney Support Circle", "description": "Peer support for people affected by crime.",
    "email": "hello@circle.example.org", "website": "https://circle.example.org", "phone": "020 7946 0000",
    "first_contact_target_days": "3", "approved": "y", "accreditation_body": "Support Quality Standard",
    **date_parts("assured_date", TODAY - timedelta(days=100)),
    **date_parts("accreditation_expires_on", TODAY + timedelta(days=265)),
}


def organisation_named(app, name: str) -> Organisation | None:
    """A detached organisation by name."""
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        db.session.expunge_all()
        return organisation


def test_the_admin_home_links_to_organisations_and_partner_accounts(client, signed_in):
    """Both new areas are reachable from the administration page."""
    signed_in(Role.ADMIN)
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/organisations"' in html and 'href="/admin/partners"' in html


def test_an_admin_approves_and_accredits_an_organisation(app, client, signed_in):
    """The organisation is saved, audited, listed as accredited until its expiry, and its services are listed."""
    admin = signed_in(Role.ADMIN)
    page = client.get("/admin/organisations/new")
    assert_good_page(page)
    assert h1_text(page) == "Add an organisation"
    response = client.post("/admin/organisations/new", data=ACCREDITED)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/organisations"
    organisation = organisation_named(app, "Hackney Support Circle")
    assert organisation.approved and organisation.first_contact_target_days == 3
    assert organisation.accreditation_expires_on == TODAY + timedelta(days=265)

    listing = client.get("/admin/organisations")
    assert_good_page(listing)
    assert f"Accredited until {long_date(TODAY + timedelta(days=265))}" in listing.get_data(as_text=True)
    with app.app_context():
        assert [o.name for o in directory.listed_organisations()] == ["Hackney Support Circle"]
        make_service(db.session.get(Organisation, organisation.id), "Circle group")
        assert [s.name for s in directory.search(directory.Filters()).services] == ["Circle group"]
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.created"))
        assert audit.actor_id == admin.id and audit.object_id == str(organisation.id)

    edit = client.get(f"/admin/organisations/{organisation.id}/edit")
    assert_good_page(edit)
    html = edit.get_data(as_text=True)
    assert 'value="Support Quality Standard"' in html and f'value="{(TODAY - timedelta(days=100)).day}"' in html


def test_an_expiry_before_the_assured_date_is_refused(app, client, signed_in):
    """The expiry must come after the assured date; nothing is saved otherwise."""
    signed_in(Role.ADMIN)
    for expiry in (TODAY - timedelta(days=101), TODAY - timedelta(days=100)):
        response = client.post("/admin/organisations/new",
                               data={**ACCREDITED, **date_parts("accreditation_expires_on", expiry)})
        assert response.status_code == 200
        assert_good_page(response)
        assert "Error: The expiry date must be after the assured date" in error_messages(response)
    assert organisation_named(app, "Hackney Support Circle") is None


def test_an_expired_accreditation_hides_the_organisation_and_stops_referrals(app, client, signed_in, make_user):
    """Once the expiry date has passed, the directory drops the organisation and no referral can be made."""
    with app.app_context():
        organisation = make_organisation("Camden Victim Support")
        service = make_service(organisation)
        organisation_id, service_id = organisation.id, service.id
        assert directory.listed_service(service_id) is not None
    signed_in(Role.ADMIN)
    expired = {**ACCREDITED, "name": "Camden Victim Support",
               **date_parts("assured_date", TODAY - timedelta(days=400)),
               **date_parts("accreditation_expires_on", TODAY - timedelta(days=1))}
    assert client.post(f"/admin/organisations/{organisation_id}/edit", data=expired).status_code == 302
    assert "Accreditation expired" in client.get("/admin/organisations").get_data(as_text=True)

    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, victim)
    with app.app_context():
        assert directory.listed_service(service_id) is None
        assert directory.search(directory.Filters()).total == 0
        assert directory.listed_organisations() == []
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        with pytest.raises(DomainError, match="not taking referrals"):
            referrals.refer_with_consent(db.session.get(User, victim.id), report,
                                         db.session.get(SupportService, service_id), "contact",
                                         ["category_and_dates"])
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.updated"))
        assert str(TODAY - timedelta(days=1)) in audit.detail


def test_an_unapproved_organisation_is_not_listed(app, client, signed_in):
    """Accredited but not approved: shown as 'Not approved' and hidden from the directory."""
    signed_in(Role.ADMIN)
    data = dict(ACCREDITED)
    data.pop("approved")
    client.post("/admin/organisations/new", data=data)
    assert "Not approved" in client.get("/admin/organisations").get_data(as_text=True)
    with app.app_context():
        assert directory.listed_organisations() == []


def test_an_organisation_can_be_added_before_it_is_accredited(app, client, signed_in):
    """No accreditation yet: saved, and shown as not accredited."""
    signed_in(Role.ADMIN)
    data = {key: value for key, value in ACCREDITED.items()
            if not key.startswith(("accreditation", "assured"))}
    assert client.post("/admin/organisations/new", data=data).status_code == 302
    assert "Not accredited" in client.get("/admin/organisations").get_data(as_text=True)


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "Enter the organisation’s name"),
    ({"name": "x" * 201}, "The name must be 200 characters or fewer"),
    ({"name": "camden victim support"}, "An organisation with this name already exists"),
    ({"description": ""}, "Enter a description"),
    ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
    ({"website": "javascript:alert(1)"}, "Enter the website address in full, starting with https://"),
    ({"phone": "call me"}, "Enter a phone number, like 020 7946 0000"),
    ({"first_contact_target_days": "0"}, "Enter a number of working days from 1 to 20"),
    ({"first_contact_target_days": "21"}, "Enter a number of working days from 1 to 20"),
    ({"first_contact_target_days": "two"}, "Enter the target as a whole number, like 5"),
    ({"first_contact_target_days": ""}, "Enter the first-contact target"),
    ({"accreditation_body": ""}, "Enter the accrediting body"),
    ({"assured_date-day": "", "assured_date-month": "", "assured_date-year": ""},
     "Enter the date the organisation was assured"),
    ({"accreditation_expires_on-day": "", "accreditation_expires_on-month": "", "accreditation_expires_on-year": ""},
     "Enter the date the accreditation expires"),
    ({"assured_date-day": "<script>"}, "The assured date must be a real date"),
    ({"assured_date-month": "13"}, "The assured date must be a real date"),
    ({"accreditation_expires_on-year": "99999"}, "The expiry date must be a real date"),
    ({"accreditation_expires_on-month": ""}, "The expiry date must include a month"),
    (date_parts("assured_date", TODAY + timedelta(days=3)), "The assured date must be today or in the past"),
])
def test_bad_and_hostile_organisation_input_gets_a_message(app, client, signed_in, changes, message):
    """Each problem is an error on the page, never a 500, and nothing is saved."""
    with app.app_context():
        make_organisation("Camden Victim Support")
    signed_in(Role.ADMIN)
    response = client.post("/admin/organisations/new", data={**ACCREDITED, **changes})
    assert response.status_code == 200
    assert_good_page(response)
    assert f"Error: {message}" in error_messages(response)
    assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[1]
    with app.app_context():
        assert db.session.scalar(select(Organisation.id).where(Organisation.name == ACCREDITED["name"])) is None


def test_an_unknown_organisation_is_not_found(client, signed_in):
    """Editing an organisation that does not exist is a 404."""
    signed_in(Role.ADMIN)
    assert client.get("/admin/organisations/424242/edit").status_code == 404


# Partner accounts --------------------------------------------------------------------------------------------


def test_an_admin_creates_a_partner_account_linked_to_its_organisation(app, client, signed_in):
    """The account belongs to the organisation from the start, gets an invite email, and opens the inbox."""
    with app.app_context():
        organisation_id = make_organisation("Camden Victim Support").id
    admin = signed_in(Role.ADMIN)
    form = client.get("/admin/partners/new")
    assert_good_page(form)
    assert "Camden Victim Support" in form.get_data(as_text=True)
    response = client.post("/admin/partners/new", data={"email": "Worker@Charity.example.org",
                                                        "display_name": "Jo Worker",
                                                        "organisation": str(organisation_id)})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/partners"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "worker@charity.example.org"))
        assert user.role == Role.PARTNER and user.organisation_id == organisation_id
        assert user.display_name == "Jo Worker"
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.created"))
        assert audit.actor_id == admin.id and f"for organisation {organisation_id}" in audit.detail
        db.session.expunge(user)
    invite = outbox_rows(app)[-1]
    assert invite.recipient == "worker@charity.example.org" and invite.subject == "Set up your account"

    listing = client.get("/admin/partners")
    assert_good_page(listing)
    html = listing.get_data(as_text=True)
    assert "worker@charity.example.org" in html and "Camden Victim Support" in html

    theirs = app.test_client()
    sign_in_as(theirs, user)
    inbox = theirs.get("/partner/referrals")
    assert inbox.status_code == 200 and h1_text(inbox) == "Referrals"


def test_the_staff_form_still_creates_accounts_without_an_organisation(app, client, signed_in):
    """The existing staff account page is unchanged: no organisation unless one is given."""
    signed_in(Role.ADMIN)
    client.post("/admin/staff/new", data={"email": "new.officer@police.example", "role": "officer",
                                          "display_name": "PC 42 Jo Bloggs"})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.officer@police.example"))
        assert user.role == Role.OFFICER and user.organisation_id is None


@pytest.mark.parametrize("data, message", [
    ({"organisation": ""}, "Select the organisation"),
    ({"organisation": "abc"}, "Select the organisation"),
    ({"organisation": "99999"}, "Select the organisation"),
    ({"email": "not an email"}, "Enter an email address in the correct format, like name@example.com"),
    ({"email": "taken@example.org"}, "An account with this email address already exists"),
    ({"display_name": ""}, "Enter the person’s name"),
    ({"display_name": "n" * 101}, "Name must be 100 characters or fewer"),
])
def test_bad_partner_account_input_gets_a_message(app, client, signed_in, make_user, data, message):
    """Missing, unknown and duplicate answers are errors on the form, and no account is made."""
    with app.app_context():
        organisation_id = make_organisation("Camden Victim Support").id
    make_user(Role.VICTIM, email="taken@example.org")
    signed_in(Role.ADMIN)
    response = client.post("/admin/partners/new", data={"email": "new@charity.example.org", "display_name": "Jo",
                                                        "organisation": str(organisation_id), **data})
    assert response.status_code == 200
    assert_good_page(response)
    assert f"Error: {message}" in error_messages(response)
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.role == Role.PARTNER)) is None


def test_a_partner_account_is_deactivated(app, client, signed_in, make_user):
    """A deactivated partner is signed out at once; the route will not deactivate other kinds of account."""
    with app.app_context():
        organisation_id = make_organisation("Camden Victim Support").id
    partner = make_user(Role.PARTNER, organisation_id=organisation_id)
    officer = make_user(Role.OFFICER)
    signed_in(Role.ADMIN)
    their_session = app.test_client()
    sign_in_as(their_session, partner)
    assert their_session.get("/partner/referrals").status_code == 200

    refused = client.post(f"/admin/partners/{officer.id}/deactivate")
    assert refused.status_code == 302
    assert "That partner account does not exist" in client.get("/admin/partners").get_data(as_text=True)
    response = client.post(f"/admin/partners/{partner.id}/deactivate")
    assert response.headers["Location"] == "/admin/partners"
    assert their_session.get("/partner/referrals").status_code == 302
    with app.app_context():
        assert not db.session.get(User, partner.id).is_active_account
        assert db.session.get(User, officer.id).is_active_account
    assert "Deactivated" in client.get("/admin/partners").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.VICTIM, Role.OFFICER, Role.SUPERVISOR, Role.PARTNER])
def test_only_admins_use_the_organisation_pages(app, client, signed_in, role):
    """Everyone else gets 403 on every route of this area."""
    signed_in(role, organisation_id=None)
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin_organisations."):
            continue
        url = rule.rule.replace("<int:organisation_id>", "1").replace("<int:user_id>", "1")
        for method in sorted(rule.methods & {"GET", "POST"}):
            assert client.open(url, method=method).status_code == 403, f"{role} {method} {url}"


def test_the_accreditation_status_words(app):
    """Each state an organisation can be in has its own words."""
    from portal.admin.organisation_services import status_of

    with app.test_request_context():
        def words(**fields):
            organisation = Organisation(name="X", description="X", approved=True, **fields)
            return status_of(organisation, TODAY).words

        expires = TODAY + timedelta(days=10)
        assert words(assured_date=TODAY, accreditation_expires_on=expires) == f"Accredited until {long_date(expires)}"
        assert words(assured_date=TODAY - timedelta(days=9), accreditation_expires_on=TODAY - timedelta(days=1)) \
            == "Accreditation expired"
        assert words() == "Not accredited"
        assert status_of(Organisation(name="X", description="X", approved=False), TODAY).words == "Not approved"

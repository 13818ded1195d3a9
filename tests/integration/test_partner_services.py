"""A charity keeps its own services and peer-support groups up to date: what, where, when (an iCalendar
recurrence, as Open Referral UK holds it), who for, how many places, and the facilitators' safeguarding check."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.clock import utcnow
from portal.extensions import db
from portal.support import directory, schedules
from portal.support.enums import Delivery, ServiceKind
from portal.support.models import SupportService
from tests.conftest import examples
from tests.integration.test_partner_portal import charity, partner_of
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import error_messages

VALID = {
    "name": "Evening drop-in", "kind": "service", "levels": ["contact"], "description": "Someone to talk to.",
    "categories": ["bicycle_theft"], "boroughs": ["Islington", "Camden"], "languages": ["en", "pl"],
    "delivery": "in_person", "location_name": "Camden Centre", "address": "1 High Street", "postcode": "nw1  2db",
    "accessibility": "Step-free.", "minimum_age": "16", "maximum_age": "", "capacity": "10",
    "expected_wait_days": "3", "schedule_freq": "WEEKLY", "schedule_interval": "1", "weekly_days": ["TH", "MO"],
    "monthly_week": "", "monthly_day": "", "opens_at": "18:00", "closes_at": "20:00", "facilitator_check": "",
    "facilitator_checked_on-day": "", "facilitator_checked_on-month": "", "facilitator_checked_on-year": "",
    "active": "y",
}


def checked_on(day) -> dict:
    """The three date inputs for the facilitator check."""
    return {"facilitator_checked_on-day": str(day.day), "facilitator_checked_on-month": str(day.month),
            "facilitator_checked_on-year": str(day.year)}


def service_named(app, name: str) -> SupportService:
    """A detached service by name."""
    with app.app_context():
        service = db.session.scalar(select(SupportService).where(SupportService.name == name))
        db.session.expunge_all()
        return service


def test_the_services_page_lists_only_the_organisations_own(app, client, signed_in):
    """Each organisation sees its own services and groups, with their schedules in words."""
    ours = charity(app)
    charity(app, "Another charity", "Their service")
    partner_of(signed_in, ours)
    response = client.get("/partner/services")
    assert_good_page(response)
    assert h1_text(response) == "Services and groups"
    html = response.get_data(as_text=True)
    assert "Support after theft" in html and "Every Tuesday, 6pm to 7:30pm" in html
    assert "Their service" not in html
    assert_good_page(client.get("/partner/services/new"))


def test_a_weekly_service_is_added_listed_and_audited(app, client, signed_in):
    """The new service is saved as an iCalendar weekly rule, is audited, and appears in the directory."""
    setup = charity(app)
    partner = partner_of(signed_in, setup)
    response = client.post("/partner/services/new", data=VALID)
    assert response.status_code == 302 and response.headers["Location"] == "/partner/services"
    service = service_named(app, "Evening drop-in")
    assert service.organisation_id == setup.organisation_id
    assert (service.schedule_freq, service.schedule_interval, service.schedule_byday) == ("WEEKLY", 1, "MO,TH")
    assert (service.opens_at, service.closes_at) == ("18:00", "20:00")
    assert service.boroughs == ["Camden", "Islington"] and service.languages == ["en", "pl"]
    assert service.levels == ["contact"] and service.categories == ["bicycle_theft"]
    assert service.postcode == "NW1 2DB" and service.capacity == 10 and service.minimum_age == 16
    assert service.kind == ServiceKind.SERVICE and service.delivery == Delivery.IN_PERSON
    assert schedules.describe(schedules.of(service)) == "Every Monday and Thursday, 6pm to 8pm"
    with app.app_context():
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "service.created"))
        assert audit.actor_id == partner.id and audit.object_id == str(service.id)
        found = directory.search(directory.Filters(language="pl"))
        assert [s.name for s in found.services] == ["Evening drop-in"]
    assert "Every Monday and Thursday, 6pm to 8pm" in client.get("/partner/services").get_data(as_text=True)


def test_a_monthly_peer_group_needs_a_facilitator_check(app, client, signed_in):
    """A group without a recorded safeguarding check is refused; with one, it is saved as a monthly rule."""
    setup = charity(app)
    partner_of(signed_in, setup)
    group = {**VALID, "name": "Second Tuesday group", "kind": "peer_group", "levels": [], "delivery": "online",
             "location_name": "", "address": "", "postcode": "", "schedule_freq": "MONTHLY", "weekly_days": [],
             "monthly_week": "2", "monthly_day": "TU", "opens_at": "18.30", "closes_at": ""}
    refused = client.post("/partner/services/new", data=group)
    assert refused.status_code == 200
    assert_good_page(refused)
    assert "Error: Enter the safeguarding check the group’s facilitators have had" in error_messages(refused)
    no_date = client.post("/partner/services/new", data={**group, "facilitator_check": "Enhanced DBS check"})
    assert "Error: Enter the date of the facilitators’ safeguarding check" in error_messages(no_date)
    future = client.post("/partner/services/new", data={**group, "facilitator_check": "Enhanced DBS check",
                                                        **checked_on(utcnow().date() + timedelta(days=30))})
    assert "Error: The date of the check must be today or in the past" in error_messages(future)
    assert service_named(app, "Second Tuesday group") is None

    day = utcnow().date() - timedelta(days=20)
    saved = client.post("/partner/services/new", data={**group, "facilitator_check": "Enhanced DBS check",
                                                       **checked_on(day)})
    assert saved.status_code == 302
    service = service_named(app, "Second Tuesday group")
    assert service.kind == ServiceKind.PEER_GROUP and service.levels == ["peer"]
    assert (service.schedule_freq, service.schedule_byday, service.opens_at) == ("MONTHLY", "2TU", "18:30")
    assert service.facilitator_checked_on == day
    assert schedules.describe(schedules.of(service)) == "The second Tuesday of each month, from 6:30pm"


def test_a_service_is_changed_and_can_stop_taking_referrals(app, client, signed_in):
    """The edit form shows what is saved; unticking 'open' takes the service out of the directory."""
    setup = charity(app)
    partner = partner_of(signed_in, setup)
    form = client.get(f"/partner/services/{setup.service_id}/edit")
    assert_good_page(form)
    assert h1_text(form) == "Change Support after theft"
    html = form.get_data(as_text=True)
    assert 'value="Support after theft"' in html and 'value="TU" checked' in html
    changed = {**VALID, "name": "Support after any theft", "schedule_freq": "MONTHLY", "weekly_days": [],
               "monthly_week": "-1", "monthly_day": "FR", "schedule_interval": "2"}
    changed.pop("active")
    response = client.post(f"/partner/services/{setup.service_id}/edit", data=changed)
    assert response.status_code == 302
    service = service_named(app, "Support after any theft")
    assert service.id == setup.service_id and not service.active
    assert (service.schedule_freq, service.schedule_interval, service.schedule_byday) == ("MONTHLY", 2, "-1FR")
    edit_page = client.get(f"/partner/services/{setup.service_id}/edit").get_data(as_text=True)
    assert '<option value="-1" selected>' in edit_page and '<option value="FR" selected>' in edit_page
    with app.app_context():
        assert directory.listed_service(setup.service_id) is None
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "service.updated"))
        assert audit.actor_id == partner.id and "active=False" in audit.detail


def test_by_appointment_clears_the_recurrence(app, client, signed_in):
    """A service with no fixed times keeps no days, and reads 'By appointment'."""
    setup = charity(app)
    partner_of(signed_in, setup)
    client.post(f"/partner/services/{setup.service_id}/edit",
                data={**VALID, "schedule_freq": "none", "opens_at": "", "closes_at": ""})
    service = service_named(app, "Evening drop-in")
    assert (service.schedule_freq, service.schedule_byday) == (None, None)
    assert schedules.describe(schedules.of(service)) == "By appointment"


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "Enter the name"),
    ({"name": "n" * 201}, "The name must be 200 characters or fewer"),
    ({"description": " "}, "Enter a description"),
    ({"kind": "army"}, "Select whether this is a service or a peer-support group"),
    ({"kind": ""}, "Select whether this is a service or a peer-support group"),
    ({"levels": []}, "Select the support this service gives"),
    ({"levels": ["peer", "<b>"]}, "Select the support this service gives"),
    ({"categories": ["not_a_category"]}, "Select crime categories from the list"),
    ({"boroughs": ["<script>alert(1)</script>"]}, "Select boroughs from the list"),
    ({"languages": []}, "Select at least one language the support is given in"),
    ({"languages": ["xx"]}, "Select languages from the list"),
    ({"delivery": "by pigeon"}, "Select how the support is given"),
    ({"location_name": "", "address": ""}, "Enter where the support happens, or choose online"),
    ({"postcode": "NOT A POSTCODE"}, "Enter a real postcode, like NW1 2DB"),
    ({"minimum_age": "abc"}, "Enter the youngest age as a whole number, like 5"),
    ({"minimum_age": "-1"}, "Enter the youngest age as a whole number, like 5"),
    ({"minimum_age": "200"}, "The minimum age must be between 0 and 120"),
    ({"minimum_age": "30", "maximum_age": "18"}, "The maximum age must be the same as or more than the minimum age"),
    ({"capacity": "0"}, "The number of places must be between 1 and 10000"),
    ({"capacity": "9" * 30}, "Enter the number of places as a whole number, like 5"),
    ({"expected_wait_days": ""}, "Enter the usual wait in days"),
    ({"expected_wait_days": "1e5"}, "Enter the usual wait as a whole number, like 5"),
    ({"schedule_freq": "DAILY"}, "Select weekly, monthly or by appointment"),
    ({"schedule_interval": "9"}, "Select how many weeks or months between meetings"),
    ({"weekly_days": []}, "Select the day it meets"),
    ({"weekly_days": ["XX"]}, "Select days from the list"),
    ({"schedule_freq": "MONTHLY", "monthly_week": "", "monthly_day": "TU"}, "Select the day it meets"),
    ({"schedule_freq": "MONTHLY", "monthly_week": "5", "monthly_day": "TU"}, "Select the week"),
    ({"opens_at": "25:00"}, "Enter times in 24-hour form, like 18:30"),
    ({"closes_at": "7pm!!"}, "Enter times in 24-hour form, like 18:30"),
    ({"opens_at": "20:00", "closes_at": "19:00"}, "The finish time must be after the start time"),
    ({"opens_at": "", "closes_at": "19:00"}, "Enter the start time as well as the finish time"),
    ({"facilitator_checked_on-day": "31", "facilitator_checked_on-month": "2", "facilitator_checked_on-year": "2024"},
     "The date of the check must be a real date"),
    ({"facilitator_checked_on-day": "1", "facilitator_checked_on-month": "2", "facilitator_checked_on-year": "2024"},
     "Enter the safeguarding check, or leave the date empty"),
    ({"accessibility": "a" * 2001}, "The accessibility information must be 2000 characters or fewer"),
])
def test_bad_and_hostile_input_gets_a_message_and_saves_nothing(app, client, signed_in, changes, message):
    """Every rule is an error on the page, against the question it is about."""
    setup = charity(app)
    partner_of(signed_in, setup)
    for url in ("/partner/services/new", f"/partner/services/{setup.service_id}/edit"):
        response = client.post(url, data={**VALID, **changes})
        assert response.status_code == 200, url
        assert_good_page(response)
        assert f"Error: {message}" in error_messages(response), url
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    with app.app_context():
        names = db.session.scalars(select(SupportService.name)).all()
    assert names == ["Support after theft"]


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(sorted(VALID)), st.one_of(st.text(max_size=40), st.lists(st.text(max_size=8),
                                                                                                 max_size=3))))
def test_random_service_forms_never_cause_a_500(app, client, signed_in, changes):
    """Whatever arrives, the answer is a page or a redirect."""
    with app.app_context():
        from portal.support.models import Organisation

        organisation = db.session.scalar(select(Organisation))
    if organisation is None:
        setup = charity(app)
        partner_of(signed_in, setup)
    response = client.post("/partner/services/new", data={**VALID, **changes, "name": "Fuzzed"})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_good_page(response)
    with app.app_context():
        for service in db.session.scalars(select(SupportService).where(SupportService.name == "Fuzzed")):
            db.session.delete(service)
        db.session.commit()


def test_a_postcode_typed_without_its_space_is_kept_as_every_postcode_is(app, client, signed_in):
    partner_of(signed_in, charity(app))
    assert client.post("/partner/services/new", data={**VALID, "postcode": " nw12db "}).status_code == 302
    assert service_named(app, "Evening drop-in").postcode == "NW1 2DB"

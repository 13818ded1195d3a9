"""Admins edit the crime categories, and the wizard follows the data, not code."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.roles import Role
from portal.cases.models import CrimeCategory
from portal.extensions import db
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import answer, start


@pytest.fixture
def restore_categories(app):
    """Put the seeded categories back after a test that edits them."""
    with app.app_context():
        saved = [(c.id, c.name, c.hint, c.route, c.sort_order, c.active)
                 for c in db.session.scalars(select(CrimeCategory))]
    yield
    with app.app_context():
        for cid, name, hint, route, order, active in saved:
            category = db.session.get(CrimeCategory, cid)
            category.name, category.hint, category.route = name, hint, route
            category.sort_order, category.active = order, active
        db.session.commit()


def test_the_seeded_categories_cover_self_service_and_every_diversion(app, ctx):
    """After migrating, the categories the issue names exist with the right routes."""
    routes = {c.code: c.route.value for c in db.session.scalars(select(CrimeCategory))}
    for code in ("theft", "bicycle_theft", "theft_from_vehicle", "theft_of_vehicle", "criminal_damage",
                 "vehicle_damage", "anti_social_behaviour"):
        assert routes[code] == "self_service"
    assert routes["lost_property"] == "information"
    assert routes["fraud"] == "fraud"
    assert routes["hate_incident"] == "hate_incident"
    for code in ("domestic_abuse", "sexual_offence", "child_abuse", "stalking", "hate_crime_threats"):
        assert routes[code] == "specialist"


def test_an_admin_reroutes_a_category_and_the_wizard_follows(app, client, signed_in, restore_categories):
    """Sending 'Anti-social behaviour' to the specialist page takes effect for the next reporter, and is audited."""
    admin = signed_in(Role.ADMIN)
    page = client.get("/admin/categories")
    assert_good_page(page)
    assert "Anti-social behaviour" in page.get_data(as_text=True)
    edit = client.get("/admin/categories/anti_social_behaviour")
    assert_good_page(edit)
    response = client.post("/admin/categories/anti_social_behaviour", data={
        "name": "Anti-social behaviour", "hint": "", "route": "specialist", "sort_order": "70", "active": "y"})
    assert response.headers["Location"] == "/admin/categories"
    with app.app_context():
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "category.updated"))
        assert audit.actor_id == admin.id and audit.object_id == "anti_social_behaviour"

    reporter = app.test_client()
    start(reporter)
    answer(reporter, "safety-now", {"danger_now": "no"})
    answer(reporter, "immediate-risk", {"immediate_risk": "no"})
    assert answer(reporter, "what-happened", {"category": "anti_social_behaviour"}) == \
        "/report/help/specialist-support"


def test_a_hidden_category_is_not_offered(app, client, signed_in, restore_categories):
    """Unticking 'show' removes the category from the question, and posting it anyway is refused."""
    signed_in(Role.ADMIN)
    client.post("/admin/categories/theft_of_vehicle", data={
        "name": "Theft of a vehicle", "route": "self_service", "sort_order": "40"})
    reporter = app.test_client()
    start(reporter)
    answer(reporter, "safety-now", {"danger_now": "no"})
    answer(reporter, "immediate-risk", {"immediate_risk": "no"})
    assert "Theft of a vehicle" not in reporter.get("/report/what-happened").get_data(as_text=True)
    response = reporter.post("/report/what-happened", data={"category": "theft_of_vehicle"})
    assert response.status_code == 200


def test_category_edits_are_validated(client, signed_in):
    """An empty name or unknown route is an error on the page."""
    signed_in(Role.ADMIN)
    response = client.post("/admin/categories/theft", data={"name": "", "route": "nowhere"})
    html = response.get_data(as_text=True)
    assert "Enter a name" in html and "There is a problem" in html


@pytest.mark.parametrize("role", [Role.VICTIM, Role.WITNESS, Role.OFFICER, Role.SUPERVISOR, Role.PARTNER])
def test_only_admins_manage_categories(client, signed_in, role):
    """Everyone else gets 403."""
    signed_in(role)
    assert client.get("/admin/categories").status_code == 403
    assert client.post("/admin/categories/theft", data={"name": "x", "route": "fraud"}).status_code == 403


def test_an_unknown_category_is_not_found(client, signed_in):
    """A made-up code is a 404 page."""
    signed_in(Role.ADMIN)
    assert h1_text(client.get("/admin/categories/nope")) == "Page not found"

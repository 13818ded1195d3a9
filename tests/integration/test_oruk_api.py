"""The open-data API: the directory as Open Referral UK JSON, checked against the vendored ORUK schemas."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from portal.api.oruk_mapping import NAMESPACE, oruk_id
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.extensions import db
from portal.support import referrals
from portal.support.enums import Delivery, ServiceKind
from portal.support.models import SupportService
from tests.paths import TEST_DATA
from tests.support_helpers import make_organisation, make_peer_group, make_service
from tests.triage_helpers import make_report

SCHEMAS = TEST_DATA / "oruk"
# Where openapi.json points for the list item schema, and a name of our own for openapi.json itself.
SERVICE_LIST_URI = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/compiled/service_list.json"
OPENAPI_URI = "https://schemas.invalid/oruk/openapi.json"
SERVICES_RESPONSE = "/paths/~1services/get/responses/200/content/application~1json/schema"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _validator(schema: dict) -> Draft202012Validator:
    """A validator that checks formats (uuid, email) and resolves openapi.json's references offline.

    The schema files name no draft, so they are read as JSON Schema 2020-12, the draft OpenAPI 3.1 uses."""
    registry = Registry().with_resources([
        (SERVICE_LIST_URI, Resource.from_contents(_schema("service_list.json"), default_specification=DRAFT202012)),
        (OPENAPI_URI, Resource.from_contents(_schema("openapi.json"), default_specification=DRAFT202012)),
    ])
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


SERVICE = _validator(_schema("service.json"))
SERVICE_LIST_ITEM = _validator(_schema("service_list.json"))
ORGANIZATION = _validator(_schema("organization.json"))
SERVICES_PAGE = _validator({"$ref": OPENAPI_URI + "#" + SERVICES_RESPONSE})
PAGE = _validator({"$ref": OPENAPI_URI + "#/components/schemas/Page"})
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def assert_valid(validator: Draft202012Validator, data) -> None:
    """Fail with every schema error, each with where it is."""
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert not problems, "\n".join(problems)


def get_json(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture
def directory(app):
    """Three accredited organisations with services and groups, one expired and one not approved."""
    with app.app_context():
        camden = make_organisation("Camden Victim Support", email="hello@camden.example.org",
                                   website="https://camden.example.org")
        make_service(camden, "Support after theft", categories=["bicycle_theft"], minimum_age=16, maximum_age=99,
                     location_name="Camden Centre", address="1 High Street", postcode="NW1 1AA")
        make_peer_group(camden, "Tuesday peer group", boroughs=["Camden", "Islington"], languages=["en", "bsl"],
                        delivery=Delivery.BOTH, location_name="Community hall")
        polish = make_organisation("Polish Community Help", email=None)
        make_service(polish, "Polish support line", languages=["pl", "en"], delivery=Delivery.ONLINE, boroughs=[],
                     schedule_freq="MONTHLY", schedule_byday="2TH", opens_at="10:00", closes_at="12:00")
        make_service(polish, "Paused service", active=False)
        make_service(make_organisation("Arabic Advice Line", email="salam@arabic.example.org"),
                     "Arabic advice", languages=["ar"], schedule_freq=None, schedule_byday=None, opens_at=None,
                     closes_at=None)
        expired = make_organisation("Expired Trust", email="old@expired.example.org")
        expired.assured_date = datetime.now(UTC).date() - timedelta(days=800)
        expired.accreditation_expires_on = datetime.now(UTC).date() - timedelta(days=1)
        db.session.commit()
        make_service(expired, "Lapsed service")
        make_service(make_organisation("Waiting Approval", approved=False), "Unapproved service")


def test_the_service_list_matches_the_oruk_list_and_service_schemas(client, directory):
    """The page has the ORUK list shape, and every item is a valid ORUK service and service-list item."""
    body = get_json(client, "/api/oruk/services")
    assert_valid(SERVICES_PAGE, body)
    assert set(body) == PAGE_KEYS
    assert [s["name"] for s in body["contents"]] == ["Arabic advice", "Polish support line", "Support after theft",
                                                     "Tuesday peer group"]
    for item in body["contents"]:
        assert_valid(SERVICE_LIST_ITEM, item)
        assert_valid(SERVICE, item)
        assert item["status"] == "active"
        assert uuid.UUID(item["id"]).version == 5
        datetime.fromisoformat(item["last_modified"])


def test_the_schemas_really_check_formats(directory):
    """A service with an id that is not a UUID fails, so the checks above are not empty."""
    errors = list(SERVICE.iter_errors({"id": "12", "name": "x", "status": "active"}))
    assert errors and "uuid" in errors[0].message
    assert list(SERVICE.iter_errors({"id": str(uuid.uuid4()), "name": "x", "status": "open"}))
    page_errors = list(SERVICES_PAGE.iter_errors({"total_items": "2", "contents": [{"id": "12", "name": "x"}]}))
    assert {e.validator for e in page_errors} >= {"type", "format", "required"}


def test_one_service_is_fully_nested_and_valid(app, client, directory):
    """Languages, areas, schedule, locations, accreditation and ages are all mapped, and the id is stable."""
    with app.app_context():
        row = db.session.scalar(select(SupportService).where(SupportService.name == "Support after theft"))
        row_id, organisation_id = row.id, row.organisation_id
    service_id = oruk_id("service", row_id)
    assert service_id == str(uuid.uuid5(NAMESPACE, f"service:{row_id}"))
    body = get_json(client, f"/api/oruk/services/{service_id}")
    assert_valid(SERVICE, body)
    assert body == get_json(client, f"/api/oruk/services/{service_id.upper()}")
    assert body["id"] == service_id and body["organization_id"] == oruk_id("organization", organisation_id)
    assert body["name"] == "Support after theft" and body["status"] == "active"
    assert body["accreditations"] == "Support Quality Standard"
    assert body["assured_date"] == (datetime.now(UTC).date() - timedelta(days=365)).isoformat()
    assert (body["minimum_age"], body["maximum_age"]) == (16, 99)
    assert body["email"] == "hello@camden.example.org" and body["url"] == "https://camden.example.org"
    assert body["organization"]["name"] == "Camden Victim Support"
    assert [(lang["name"], lang["code"]) for lang in body["languages"]] == [("English", "en")]
    assert [area["name"] for area in body["service_areas"]] == ["Camden"]
    [schedule] = body["schedules"]
    assert schedule["freq"] == "WEEKLY" and schedule["byday"] == "TU" and schedule["interval"] == 1
    assert (schedule["opens_at"], schedule["closes_at"]) == ("18:00", "19:30")
    assert schedule["description"] == "Every Tuesday, 6pm to 7:30pm"
    [place] = body["service_at_locations"]
    location = place["location"]
    assert location["location_type"] == "physical" and location["name"] == "Camden Centre"
    [address] = location["addresses"]
    assert address["address_1"] == "1 High Street" and address["postal_code"] == "NW1 1AA"
    assert address["country"] == "GB"
    assert location["accessibility"][0]["description"] == "Step-free access."
    terms = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["term"]) for a in body["attributes"]}
    assert terms == {("service_kind", "service"), ("support_level", "contact"), ("support_level", "specialist"),
                     ("crime_category", "bicycle_theft")}
    category = next(a for a in body["attributes"] if a["taxonomy_term"]["taxonomy"] == "crime_category")
    assert category["taxonomy_term"]["name"] == "Bicycle theft"


def test_groups_online_services_and_monthly_schedules_are_mapped(app, client, directory):
    """BSL as ISO 639-3, all of London as one area, online as a virtual location, monthly in words."""
    services = get_json(client, "/api/oruk/services")["contents"]
    by_name = {s["name"]: get_json(client, f"/api/oruk/services/{s['id']}") for s in services}
    for body in by_name.values():
        assert_valid(SERVICE, body)
    group = by_name["Tuesday peer group"]
    assert {lang["code"] for lang in group["languages"]} == {"en", "bfi"}
    assert "British Sign Language" in {lang["name"] for lang in group["languages"]}
    assert [area["name"] for area in group["service_areas"]] == ["Camden", "Islington"]
    assert {p["location"]["location_type"] for p in group["service_at_locations"]} == {"physical", "virtual"}
    assert ("service_kind", "peer_group") in {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["term"])
                                              for a in group["attributes"]}
    polish = by_name["Polish support line"]
    assert polish["schedules"][0]["description"] == "The second Thursday of each month, 10am to midday"
    assert [area["name"] for area in polish["service_areas"]] == ["All London boroughs"]
    assert [p["location"]["location_type"] for p in polish["service_at_locations"]] == ["virtual"]
    assert "email" not in polish and "email" not in polish["organization"]
    assert "schedules" not in by_name["Arabic advice"]


def test_organisations_are_listed_with_their_own_contact_details(client, directory):
    """Only listed organisations, each valid against the ORUK organization schema."""
    body = get_json(client, "/api/oruk/organizations")
    assert_valid(PAGE, body)
    assert set(body) == PAGE_KEYS
    assert [o["name"] for o in body["contents"]] == ["Arabic Advice Line", "Camden Victim Support",
                                                     "Polish Community Help"]
    for organisation in body["contents"]:
        assert_valid(ORGANIZATION, organisation)
        assert set(organisation) <= {"id", "name", "description", "email", "website"}


def test_expired_unapproved_and_paused_services_are_not_published(app, client, directory):
    """An accreditation that has run out takes the organisation and its services off the API at once."""
    everything = json.dumps([get_json(client, "/api/oruk/services"), get_json(client, "/api/oruk/organizations")])
    for name in ("Expired Trust", "Lapsed service", "Waiting Approval", "Unapproved service", "Paused service",
                 "old@expired.example.org"):
        assert name not in everything
    with app.app_context():
        hidden = db.session.scalars(select(SupportService.id).where(SupportService.name.in_(
            ["Lapsed service", "Unapproved service", "Paused service"]))).all()
    assert len(hidden) == 3
    for row_id in hidden:
        assert get_json(client, f"/api/oruk/services/{oruk_id('service', row_id)}", 404)["error"]


def test_lists_are_paged_and_the_page_size_is_capped(app, client, directory):
    """page and per_page work as ORUK describes; more than 100 a page is served as 100."""
    first = get_json(client, "/api/oruk/services?per_page=3")
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"]) == (4, 2, 1, 3)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = get_json(client, "/api/oruk/services?per_page=3&page=2")
    assert (second["page_number"], second["size"]) == (2, 1)
    assert not second["first_page"] and second["last_page"]
    assert {s["id"] for s in first["contents"]}.isdisjoint({s["id"] for s in second["contents"]})
    organisations = get_json(client, "/api/oruk/organizations?per_page=2&page=2")
    assert (organisations["size"], organisations["total_pages"]) == (1, 2)
    with app.app_context():
        organisation = make_organisation("Big Charity")
        db.session.add_all([SupportService(organisation_id=organisation.id, kind=ServiceKind.SERVICE,
                                           levels=["contact"], name=f"Service {n:03d}", description="Help.",
                                           categories=[], boroughs=[], languages=["en"], delivery=Delivery.ONLINE)
                            for n in range(110)])
        db.session.commit()
    capped = get_json(client, "/api/oruk/services?per_page=1000")
    assert (capped["size"], capped["total_items"], capped["total_pages"]) == (100, 114, 2)
    assert_valid(SERVICES_PAGE, capped)


def test_an_empty_directory_is_one_empty_page(client):
    """No services yet: page 1 exists and says it is empty."""
    body = get_json(client, "/api/oruk/services")
    assert body == {"total_items": 0, "total_pages": 1, "page_number": 1, "size": 0, "first_page": True,
                    "last_page": True, "empty": True, "contents": []}
    assert get_json(client, "/api/oruk/organizations")["empty"] is True


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "page=1.5", "page=9999999", "page=3",
                                   "per_page=0", "per_page=x", "per_page=", "page=", "page=%00"])
def test_bad_page_numbers_are_a_400_in_json(client, directory, query):
    """A page that cannot exist, or is not a whole number, is explained in JSON."""
    for path in ("/api/oruk/services", "/api/oruk/organizations"):
        body = get_json(client, f"{path}?{query}", 400)
        assert body["status"] == 400 and ("page" in body["error"])


# A well-formed random (version 4) id that no listed service has; fixed, so test ids are the same on every run.
UNLISTED_UUID = "9b2f6c1e-4d7a-4e3b-8f5c-2a1d0e9c7b64"


@pytest.mark.parametrize("service_id", ["12", "not-a-uuid", UNLISTED_UUID, "x" * 5000,
                                        "00000000-0000-0000-0000-000000000000"],
                         ids=["row-id", "not-a-uuid", "unlisted-uuid", "oversized", "nil-uuid"])
def test_an_unknown_service_is_a_404_in_json(client, directory, service_id):
    """Row ids, made-up and malformed ids all get the same JSON 404."""
    assert get_json(client, f"/api/oruk/services/{service_id}", 404) == {"error": "No listed service has this id",
                                                                           "status": 404}


def test_the_api_is_public_and_read_only(client, directory):
    """No sign-in needed; writing is not allowed."""
    assert client.get("/api/oruk/services").status_code == 200
    assert client.post("/api/oruk/services", csrf=False).status_code == 405


def test_no_personal_data_appears_in_any_response(app, client, directory, make_user):
    """A case with a victim, a partner and referrals: nothing about any person or case reaches the API."""
    victim = make_user(Role.VICTIM, email="zelda.quorrington@example.net")
    officer = make_user(Role.OFFICER, email="pc.officer.private@example.net", display_name="PC 9876 Nadia Okafor")
    crime_number = make_report(app, victim, contact_name="Zelda Quorrington", contact_phone="07700 900123",
                               contact_email="zelda.quorrington@example.net")
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        services = {s.name: s for s in db.session.scalars(select(SupportService))}
        partner = make_user(Role.PARTNER, email="partner.worker@example.net",
                            organisation_id=services["Support after theft"].organisation_id)
        sent = referrals.refer_with_consent(db.session.get(User, victim.id), report,
                                            services["Support after theft"], "contact",
                                            ["category_and_dates", "contact_details", "description"])
        referrals.accept(db.session.get(User, partner.id), sent, sent.version)
        verbal = referrals.propose_and_record_consent(
            db.session.get(User, officer.id), report, services["Tuesday peer group"], "peer",
            "Her carer, Quentin Blythe", datetime.now(UTC) - timedelta(hours=1), ["category_and_dates"])
        secrets = [victim.email, "Zelda", "Quorrington", "07700", crime_number, officer.email, "Nadia Okafor",
                   partner.email, "Quentin Blythe", sent.reference, verbal.reference, "My bike was taken"]
    bodies = [client.get("/api/oruk/services").get_data(as_text=True),
              client.get("/api/oruk/organizations").get_data(as_text=True)]
    for item in json.loads(bodies[0])["contents"]:
        bodies.append(client.get(f"/api/oruk/services/{item['id']}").get_data(as_text=True))
    assert len(bodies) == 6
    for body in bodies:
        for secret in secrets:
            assert secret not in body
        assert "referral" not in body.lower() and "consent" not in body.lower()
        assert "places" not in body.lower() and "capacity" not in body.lower()

"""The public directory of accredited services and peer-support groups, each service's page, and the self-help
guides."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import CrimeCategory, Report
from portal.clock import utcnow
from portal.extensions import db
from portal.support import referrals
from portal.support.enums import Delivery
from portal.support.models import SupportService
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_peer_group, make_service
from tests.triage_helpers import make_report
from tests.wizard import error_messages as raw_error_messages

GUIDE_TEXT = {
    "bicycle_theft": "Find your bike’s frame number",
    "theft_from_vehicle": "logbook (V5C)",
    "criminal_damage": "For graffiti, ask your local council",
    "theft": "mark it as lost",
}


def error_messages(response) -> list[str]:
    """The GOV.UK field error messages on a page, without the hidden 'Error:' prefix."""
    return [message.removeprefix("Error: ") for message in raw_error_messages(response)]


def text_of(response) -> str:
    """The page's visible text, with tags removed and spaces collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r" ([.,])", r"\1", " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()))


def names_listed(response) -> set[str]:
    """The services and groups a directory page lists."""
    html = response.get_data(as_text=True)
    return {unescape(name) for name in re.findall(r'<a class="govuk-link" href="/support/directory/\d+">([^<]+)</a>',
                                                  html)}


def take_every_place(app, make_user, group_id: int) -> None:
    """Fill a group: another victim is referred and the organisation accepts, until no place is left."""
    with app.app_context():
        group = db.session.get(SupportService, group_id)
        capacity, organisation_id = group.capacity, group.organisation_id
    partner = make_user(Role.PARTNER, organisation_id=organisation_id)
    for _ in range(capacity):
        victim = make_user(Role.VICTIM)
        crime_number = make_report(app, user=victim)
        with app.app_context():
            report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
            referral = referrals.refer_with_consent(db.session.get(User, victim.id), report,
                                                    db.session.get(SupportService, group_id), "peer",
                                                    ["category_and_dates"])
            referrals.accept(db.session.get(User, partner.id), referral, referral.version)


@pytest.fixture
def world(app):
    """Two services and two groups that differ in every filter, plus organisations that must never be listed."""
    with app.app_context():
        listed = make_organisation("Hope Trust")
        make_service(listed, "Bike theft helpline", categories=["bicycle_theft"], boroughs=["Camden"],
                     schedule_byday="TU")
        make_service(listed, "Online Polish support", boroughs=[], languages=["en", "pl"], delivery=Delivery.ONLINE,
                     schedule_byday="MO,TH")
        make_peer_group(listed, "Young people's group", boroughs=["Hackney"], languages=["en", "bsl"],
                        schedule_freq="MONTHLY", schedule_byday="2WE", minimum_age=11, maximum_age=18)
        make_peer_group(listed, "Adults' evening group", delivery=Delivery.BOTH, schedule_byday="FR", minimum_age=18)
        lapsed = make_organisation("Lapsed Charity")
        lapsed.accreditation_expires_on = utcnow().date() - timedelta(days=1)
        unapproved = make_organisation("Unapproved Group", approved=False)
        db.session.commit()
        lapsed_id = make_service(lapsed, "Lapsed service").id
        make_service(unapproved, "Unapproved service")
    return {"lapsed": lapsed_id}


EVERYTHING = {"Bike theft helpline", "Online Polish support", "Young people's group", "Adults' evening group"}


def test_the_directory_lists_only_accredited_organisations_with_what_people_need_to_know(app, client, world):
    """Badge with its assured date, schedule in words, delivery, languages, accessibility and an honest wait."""
    page = client.get("/support/directory")
    assert_good_page(page)
    assert h1_text(page) == "Find support services and groups"
    assert names_listed(page) == EVERYTHING
    words = text_of(page)
    assured = utcnow().date() - timedelta(days=365)
    assert f"Accredited by Support Quality Standard, assured on {assured.day} {assured:%B} {assured.year}" in words
    assert "Every Monday and Thursday, 6pm to 7:30pm" in words
    assert "The second Wednesday of each month, 6pm to 7:30pm" in words
    assert "In person or online" in words and "English, Polish" in words and "English, British Sign Language" in words
    assert "Step-free access." in words
    assert "The organisation estimates 3 working days" in words
    assert "8 places left" in words
    assert "Lapsed" not in words and "Unapproved" not in words


@pytest.mark.parametrize(("query", "expected"), [
    ("category=criminal_damage", EVERYTHING - {"Bike theft helpline"}),
    ("category=bicycle_theft", EVERYTHING),
    ("borough=Hackney", EVERYTHING - {"Bike theft helpline"}),
    ("borough=Camden", EVERYTHING - {"Young people's group"}),
    ("language=pl", {"Online Polish support"}),
    ("language=bsl", {"Young people's group"}),
    ("delivery=online", {"Online Polish support", "Adults' evening group"}),
    ("delivery=in_person", EVERYTHING - {"Online Polish support"}),
    ("day=TH", {"Online Polish support"}),
    ("day=WE", {"Young people's group"}),
    ("day=SU", set()),
    ("age=10", {"Bike theft helpline", "Online Polish support"}),
    ("age=15", EVERYTHING - {"Adults' evening group"}),
    ("age=30", EVERYTHING - {"Young people's group"}),
    ("kind=peer_group", {"Young people's group", "Adults' evening group"}),
    ("kind=service", {"Bike theft helpline", "Online Polish support"}),
    ("kind=peer_group&borough=Camden&delivery=online", {"Adults' evening group"}),
])
def test_each_filter_narrows_the_results(client, world, query, expected):
    """Each filter keeps just the services that fit it."""
    page = client.get(f"/support/directory?{query}")
    assert page.status_code == 200
    assert_good_page(page)
    assert names_listed(page) == expected
    assert not error_messages(page)
    if not expected:
        assert "No services or groups match." in text_of(page)


@pytest.mark.parametrize(("query", "message"), [
    ("age=abc", "Enter age as a whole number, like 34"),
    ("age=1.5", "Enter age as a whole number, like 34"),
    ("age=-3", "Enter age as a whole number, like 34"),
    ("age=²", "Enter age as a whole number, like 34"),
    ("age=121", "Age must be between 0 and 120"),
    ("age=" + "9" * 500, "Enter age as a whole number, like 34"),
    ("category=robbery", "Select a type of crime from the list"),
    ("borough=Atlantis", "Select a borough from the list"),
    ("language=xx", "Select a language from the list"),
    ("delivery=teleport", "Select online or in person"),
    ("day=XX", "Select a day of the week from the list"),
    ("kind=robot", "Select services or groups"),
    ("category=%00%3Cscript%3E", "Select a type of crime from the list"),
])
def test_bad_filter_values_give_an_error_message_not_a_crash(client, world, query, message):
    """A wrong value is named on the page; the other results still show."""
    page = client.get(f"/support/directory?{query}")
    assert page.status_code == 200
    assert_good_page(page)
    assert error_messages(page) == [message]
    assert "<title>Error: " in page.get_data(as_text=True)
    assert "<script>" not in page.get_data(as_text=True)
    assert names_listed(page) == EVERYTHING


@pytest.mark.parametrize("query", ["page=abc", "page=-4", "page=99999999999999999999", "_scheme=javascript&page=2",
                                   "_external=1&_anchor=x", "category=theft&category=bicycle_theft"])
def test_odd_addresses_never_break_the_directory(client, world, query):
    """Paging and unknown parameters are ignored or corrected."""
    page = client.get(f"/support/directory?{query}")
    assert page.status_code == 200
    assert_good_page(page)


def test_the_directory_pages_through_results_keeping_the_filters(app, client):
    """Twenty to a page, GOV.UK pagination, and the filters carried in each link."""
    with app.app_context():
        organisation = make_organisation()
        for number in range(25):
            make_service(organisation, f"Service {number:02d}", schedule_byday="WE")
    first = client.get("/support/directory?day=WE")
    assert_good_page(first)
    assert len(names_listed(first)) == 20
    assert "25 results" in text_of(first)
    html = first.get_data(as_text=True)
    assert 'class="govuk-pagination' in html
    assert re.search(r'href="/support/directory\?day=WE&amp;page=2"', html)
    second = client.get("/support/directory?day=WE&page=2")
    assert len(names_listed(second)) == 5
    assert names_listed(first).isdisjoint(names_listed(second))
    assert names_listed(client.get("/support/directory?day=WE&page=50")) == names_listed(second)


def test_a_full_group_says_so_in_the_directory_and_on_its_page(app, client, make_user):
    """Every place taken: 'Full – no places at the moment'."""
    with app.app_context():
        organisation = make_organisation()
        group_id = make_peer_group(organisation, "Small group", capacity=2).id
    take_every_place(app, make_user, group_id)
    words = text_of(client.get("/support/directory"))
    assert "Small group" in words and "Full – no places at the moment" in words
    page = client.get(f"/support/directory/{group_id}")
    assert_good_page(page)
    assert "Full – no places at the moment" in text_of(page)


def test_the_service_page_shows_one_listed_service(app, client, world):
    """Details of a listed group, including its leaders' safety check; unlisted or unknown services are not found."""
    with app.app_context():
        group_id = db.session.scalar(select(SupportService.id).where(SupportService.name == "Young people's group"))
    page = client.get(f"/support/directory/{group_id}")
    assert_good_page(page)
    assert h1_text(page) == "Young people's group"
    words = text_of(page)
    assert "11 to 18" in words and "Hackney" in words and "Any kind of crime" in words
    assert "The people who lead the group have had a safety check: Enhanced DBS check" in words
    assert "Accredited by Support Quality Standard" in words
    assert client.get(f"/support/directory/{world['lapsed']}").status_code == 404
    assert client.get("/support/directory/999999").status_code == 404


def test_an_expired_accreditation_hides_the_organisation_everywhere(app, client, signed_in):
    """Directory, service page and the victim's matches all leave out an organisation whose accreditation ran out."""
    with app.app_context():
        organisation = make_organisation("Soon Lapsed")
        organisation_id = organisation.id
        service_id = make_service(organisation, "Camden call-back").id
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    client.post(f"/support/{crime_number}/assessment",
                data={"daily_life": "2", "feelings": "2", "feels_safe": "yes", "language": "en"})
    client.post(f"/support/{crime_number}/choose", data={"level": "contact"})
    assert "Camden call-back" in text_of(client.get(f"/support/{crime_number}/services"))
    assert client.get(f"/support/directory/{service_id}").status_code == 200

    with app.app_context():
        from portal.support.models import Organisation

        db.session.get(Organisation, organisation_id).accreditation_expires_on = utcnow().date() - timedelta(days=1)
        db.session.commit()
    assert "Camden call-back" not in text_of(client.get("/support/directory"))
    assert client.get(f"/support/directory/{service_id}").status_code == 404
    services = client.get(f"/support/{crime_number}/services")
    assert "Camden call-back" not in text_of(services)
    assert "We could not find a service that fits right now." in text_of(services)
    assert client.get(f"/support/{crime_number}/refer/{service_id}").status_code == 404


def test_guides_render_for_every_category(app, client):
    """Each active category has a guide (its own, or the general one) covering next steps, insurers, documents
    and locks."""
    index = client.get("/support/guides")
    assert_good_page(index)
    with app.app_context():
        categories = db.session.execute(select(CrimeCategory.code, CrimeCategory.name)
                                        .where(CrimeCategory.active.is_(True))).all()
    assert len(categories) >= 4
    for code, name in categories:
        assert f'href="/support/guides/{code}"' in index.get_data(as_text=True)
        page = client.get(f"/support/guides/{code}")
        assert page.status_code == 200, code
        assert_good_page(page)
        assert h1_text(page) == f"{name}: what to do next"
        words = text_of(page)
        for section in ("What to do next", "Your crime number and your insurer", "Download your report (PDF)",
                        "Replacing documents, cards and phones", "Locks and keeping things secure"):
            assert section in words, (code, section)
        if code in GUIDE_TEXT:
            assert GUIDE_TEXT[code] in words, code
    general = text_of(client.get("/support/guides/lost_property"))
    assert not any(text in general for text in GUIDE_TEXT.values())


@pytest.mark.parametrize("code", ["robbery", "BICYCLE_THEFT", "_layout", "general", "..%2Fbase", "x" * 300])
def test_unknown_guides_are_not_found(client, code):
    """Only real category codes name a guide."""
    assert client.get(f"/support/guides/{code}").status_code == 404


def test_a_guide_for_an_inactive_category_is_not_found(app, client):
    """An admin switched the category off: its guide goes too."""
    with app.app_context():
        category = db.session.scalar(select(CrimeCategory).where(CrimeCategory.code == "theft"))
        category.active = False
        db.session.commit()
    try:
        assert client.get("/support/guides/theft").status_code == 404
    finally:
        with app.app_context():
            db.session.scalar(select(CrimeCategory).where(CrimeCategory.code == "theft")).active = True
            db.session.commit()

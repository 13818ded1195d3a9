"""Issue 24 in a real browser: a victim whose support has finished, after their 12-week check-in, offers to help
others as a peer supporter and agrees to share the offer with the organisation that runs peer support in their
area; the organisation's coordinator records their checks and accepts them; the victim reads the decision. Every
page passes axe (WCAG 2.2 A and AA) and the page checks at 375 and 1280 px, and is kept as a screenshot under
test-artifacts/peer-supporter-journey/."""


import pyotp
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select

from portal.auth.roles import Role
from portal.clock import utcnow
from portal.extensions import db
from portal.peers.models import PeerSupporter
from portal.support.enums import Delivery, ServiceKind
from portal.support.models import SupportService
from tests.browser.conftest import heading, sign_in
from tests.browser.screens import SCREENS, Screen
from tests.paths import ARTIFACTS
from tests.peer_match_helpers import recovered_victim
from tests.support_helpers import make_organisation, make_service

FOLDER = ARTIFACTS / "peer-supporter-journey"
NETWORK = "Camden Peer Network"


def recovered_victim_and_a_peer_network(app, victim) -> str:
    """The recovered victim's case (tests/peer_match_helpers.py), and an organisation running one-to-one peer
    support in Camden to offer to. Returns the crime number."""
    with app.app_context():
        peers = make_organisation(NETWORK, email=None)
        make_service(peers, "One-to-one peer support", kind=ServiceKind.PEER_ONE_TO_ONE, delivery=Delivery.BOTH,
                     schedule_freq=None, schedule_byday=None, opens_at=None, closes_at=None)
    return recovered_victim(app, victim)


def victim_screens(new_context, account) -> list[Screen]:
    desktop = new_context(**SCREENS["desktop"])
    page = desktop.new_page()
    sign_in(page, account.email, account.password)
    expect(page).not_to_have_url("/login")
    page.close()
    phone = new_context(storage_state=desktop.storage_state(), **SCREENS["phone"])
    return [Screen(desktop, FOLDER, "victim-desktop", 1280), Screen(phone, FOLDER, "victim-phone", 375)]


def partner_screens(new_context, account) -> list[Screen]:
    desktop: BrowserContext = new_context(**SCREENS["desktop"])
    page = desktop.new_page()
    sign_in(page, account.email, account.password)
    expect(heading(page)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Your account")
    page.close()
    phone = new_context(storage_state=desktop.storage_state(), **SCREENS["phone"])
    return [Screen(desktop, FOLDER, "partner-desktop", 1280), Screen(phone, FOLDER, "partner-phone", 375)]


def test_a_recovered_victim_offers_to_help_and_the_organisation_accepts(app, new_context, make_account):
    victim = make_account(Role.VICTIM)
    crime_number = recovered_victim_and_a_peer_network(app, victim)
    with app.app_context():
        network_id = db.session.scalar(select(SupportService.organisation_id)
                                       .where(SupportService.kind == ServiceKind.PEER_ONE_TO_ONE))
    partner = make_account(Role.PARTNER, organisation_id=network_id)
    desktop, phone = victim_screens(new_context, victim)

    # On the phone: the way in, the questions (with a mistake put right) and the consent page; they say no.
    page = phone.page
    page.goto(f"/cases/{crime_number}/support")
    page.get_by_role("link", name="Help others as a peer supporter").click()
    expect(heading(page)).to_have_text("Help others as a peer supporter")
    phone.check("start")
    page.get_by_role("button", name="Offer to help others").click()
    expect(heading(page)).to_have_text("Your offer to help others")
    phone.check("questions")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what you went through")
    phone.check("questions-errors")
    page.get_by_label("Bicycle theft").check()
    page.get_by_label("English").check()
    page.get_by_label("Weekends").check()
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("The first name you want others to see").fill("Jo")
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Agree to share your offer")
    expect(page.locator("#receiving-organisations")).to_have_text(NETWORK)
    phone.check("consent")
    page.get_by_label("No, do not share my offer").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Offer to help others")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(select(PeerSupporter.id)) is None

    # On the computer: the offer made and agreed to.
    page = desktop.page
    page.goto(f"/cases/{crime_number}/peer-support")
    desktop.check("start")
    page.get_by_role("button", name="Offer to help others").click()
    page.get_by_label("Bicycle theft").check()
    page.get_by_label("English").check()
    page.get_by_label("Polish").check()
    page.get_by_label("Weekday evenings").check()
    page.get_by_label("Either").check()
    page.get_by_label("The first name you want others to see").fill("Jo")
    desktop.check("questions")
    page.get_by_role("button", name="Continue").click()
    desktop.check("consent")
    page.get_by_label("Yes, I agree").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#offer-decisions")).to_contain_text("They have not decided yet.")
    desktop.check("offer-sent")

    # The coordinator: the offers list, the offer, checks recorded, accepted; the peer supporters list.
    coordinator_desktop, coordinator_phone = partner_screens(new_context, partner)
    page = coordinator_phone.page
    page.goto("/partner/peer-offers")
    expect(page.locator("#offers")).to_contain_text("Jo")
    coordinator_phone.check("offers")
    page = coordinator_desktop.page
    page.goto("/partner/peer-offers")
    coordinator_desktop.check("offers")
    page.locator("#offers").get_by_role("link").first.click()
    expect(heading(page)).to_have_text("Offer from Jo")
    expect(page.locator("#offer-facts")).to_contain_text("Bicycle theft")
    expect(page.locator("#offer-facts")).not_to_contain_text(crime_number)
    coordinator_desktop.check("offer")
    today = utcnow().date()
    training = page.get_by_role("group", name="Training completed on (optional)")
    training.get_by_label("Day").fill(str(today.day))
    training.get_by_label("Month").fill(str(today.month))
    training.get_by_label("Year").fill(str(today.year + 1))
    page.get_by_role("button", name="Save the checks").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be today or in the past")
    coordinator_desktop.check("checks-error")
    training.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save the checks").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Checks saved.")
    page.get_by_role("button", name="Accept as a peer supporter").click()
    expect(page.locator("#status-tag")).to_have_text("Active")
    coordinator_desktop.check("accepted")
    page = coordinator_phone.page
    page.goto("/partner/peer-supporters")
    expect(page.locator("#supporters")).to_contain_text("Jo")
    coordinator_phone.check("supporters")

    # The victim reads the decision, on both screens.
    for screen in (desktop, phone):
        screen.page.goto(f"/cases/{crime_number}/peer-support")
        expect(screen.page.locator("#offer-decisions")).to_contain_text("They accepted you as a peer supporter.")
        screen.check("accepted")

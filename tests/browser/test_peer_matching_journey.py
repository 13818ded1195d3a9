"""Issue 24 in a real browser, at a phone's and a computer's width: a new victim who asked for one-to-one peer
support is matched. The coordinator proposes a suitable peer supporter, the victim reads who they are (a first name,
what they went through, languages, times) and agrees with a first name of their own, and the victim and the peer
supporter write to each other. axe, the page checks and the width are checked on every page."""

import pyotp
import pytest
from playwright.sync_api import expect

from portal.auth.roles import Role
from portal.extensions import db
from tests.browser.conftest import heading, sign_in
from tests.browser.screens import SCREENS, Screen
from tests.paths import ROOT
from tests.peer_match_helpers import one_to_one_organisation, peer_supporter, victim_asking_for_one_to_one

QUESTION = "Hello Jo. Did the nights get easier for you?"
ANSWER = "Hello Sam. They did, slowly. A routine before bed helped me most."


@pytest.mark.parametrize("size", list(SCREENS))
def test_a_new_victim_is_matched_and_exchanges_messages(app, new_context, make_account, size):
    width = SCREENS[size]["viewport"]["width"]
    folder = ROOT / "test-artifacts" / "peer-matching"
    with app.app_context():
        organisation_id, service_id = one_to_one_organisation()
        db.session.remove()
    partner = make_account(Role.PARTNER, organisation_id=organisation_id)
    jo = peer_supporter(app, organisation_id, "Jo", languages=("en", "pl"),
                        availability=("weekday_evenings", "weekends"))
    person = victim_asking_for_one_to_one(app, service_id)

    coordinator = Screen(new_context(**SCREENS[size]), folder, f"{size}-coordinator", width)
    sign_in(coordinator.page, partner.email)
    coordinator.page.get_by_label("Security code").fill(pyotp.TOTP(partner.totp_secret).now())
    coordinator.page.get_by_role("button", name="Continue").click()
    coordinator.page.goto(f"/partner/referrals/{person['reference']}")
    coordinator.check("referral")
    coordinator.page.get_by_role("link", name="Peer supporter").click()
    expect(heading(coordinator.page)).to_have_text("Peer supporter")
    expect(coordinator.page.locator("#suitable")).to_contain_text("Weekday evenings, Weekends")
    coordinator.check("suitable")
    coordinator.page.get_by_label("Jo").check()
    coordinator.page.get_by_role("button", name="Propose this peer supporter").click()
    expect(coordinator.page.locator("#match-status")).to_have_text("Waiting for the person to answer")
    coordinator.check("proposed")

    victim = Screen(new_context(**SCREENS[size]), folder, f"{size}-victim", width)
    sign_in(victim.page, person["user"].email)
    victim.page.goto(f"/cases/{person['crime_number']}/support")
    victim.check("support")
    victim.page.get_by_role("link", name="Your peer supporter").click()
    expect(victim.page.locator("#proposal")).to_contain_text("Jo")
    victim.check("proposal")
    victim.page.get_by_role("button", name="Continue").click()  # nothing chosen: the error summary
    expect(victim.page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether you want to talk with this peer supporter")
    victim.check("proposal-error")
    victim.page.get_by_label("Yes").check()
    victim.page.get_by_label("The first name you want them to see").fill("Sam")
    victim.page.get_by_role("button", name="Continue").click()
    expect(victim.page.locator(".govuk-notification-banner")).to_contain_text("You can now write to Jo.")
    victim.check("agreed")
    victim.page.get_by_label("Your message").fill(QUESTION)
    victim.page.get_by_role("button", name="Send message").click()
    expect(victim.page.locator("#message-thread")).to_contain_text(QUESTION)
    victim.check("sent")

    supporter = Screen(new_context(**SCREENS[size]), folder, f"{size}-supporter", width)
    sign_in(supporter.page, jo["user"].email)
    supporter.page.goto(f"/cases/{jo['crime_number']}/support")
    supporter.page.get_by_role("link", name="Your peer support conversations").click()
    expect(supporter.page.locator("#conversations")).to_contain_text("New messages")
    supporter.check("conversations")
    supporter.page.get_by_role("link", name="Sam").click()
    expect(heading(supporter.page)).to_have_text("Talk with Sam")
    expect(supporter.page.locator("#message-thread")).to_contain_text(QUESTION)
    expect(supporter.page.locator("body")).not_to_contain_text(person["crime_number"])
    supporter.check("conversation")
    supporter.page.get_by_label("Your message").fill(ANSWER)
    supporter.page.get_by_role("button", name="Send message").click()
    expect(supporter.page.locator("#message-thread")).to_contain_text(ANSWER)
    supporter.check("replied")

    victim.page.reload()
    expect(victim.page.locator("#message-thread")).to_contain_text(ANSWER)
    victim.check("reply")

    coordinator.page.reload()
    expect(coordinator.page.locator("#match-status")).to_have_text("Talking")
    coordinator.check("talking")
    coordinator.page.get_by_role("link", name="Read the conversation").click()
    expect(coordinator.page.locator("#message-thread")).to_contain_text(ANSWER)
    coordinator.check("conversation")

"""Issue 24 as one continuous journey in a real browser: a recovered victim offers to help others and agrees to
share the offer; the organisation's coordinator records the checks and accepts them; a new victim asks for
one-to-one peer support through the pages and is referred with consent; the coordinator proposes that same peer
supporter; the new victim agrees, writes; the supporter reads and replies; the victim reads the reply; the
coordinator reads the conversation. Each side sees only the other's chosen first name. Every page passes axe
(WCAG 2.2 A and AA), the page checks and the width at 1280 px, the key pages also at 375 px; screenshots are kept
under test-artifacts/peer-to-peer-journey/.

Only the preconditions are made in the database: the recovered victim's finished referral with an answered 12-week
check-in, the accredited organisation with its one-to-one peer service, the two accounts and their reports."""


import pyotp
from playwright.sync_api import BrowserContext, expect

from portal.auth.models import User
from portal.auth.roles import Role
from portal.clock import utcnow
from portal.extensions import db
from portal.support.enums import Delivery, ServiceKind
from tests.browser.conftest import first_link, heading, sign_in
from tests.browser.screens import SCREENS, Screen
from tests.paths import ARTIFACTS
from tests.peer_match_helpers import recovered_victim
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report

FOLDER = ARTIFACTS / "peer-to-peer-journey"
NETWORK = "Camden Peer Network"
ONE_TO_ONE = "One-to-one peer support"
# What each person told the police about themselves: the other side must never see it.
SUPPORTER_NAME, SUPPORTER_EMAIL = "Joanna Kowalczyk", "joanna.kowalczyk@example.org"
PERSON_NAME, PERSON_EMAIL = "Samira Haddad", "samira.haddad@example.org"
SUPPORTER_PRIVATE = (*SUPPORTER_NAME.split(), SUPPORTER_EMAIL)
PERSON_PRIVATE = (*PERSON_NAME.split(), PERSON_EMAIL)
QUESTION = "Hello Jo. My bike was taken last week and I keep checking the street. Did that pass for you?"
ANSWER = "Hello Sam. It did, after a few weeks. Talking about it helped me more than I expected."


def organisation_with_one_to_one(app) -> int:
    """An accredited organisation running online one-to-one peer support in Camden; its id."""
    with app.app_context():
        network = make_organisation(NETWORK)
        make_service(network, ONE_TO_ONE, kind=ServiceKind.PEER_ONE_TO_ONE, delivery=Delivery.ONLINE,
                     languages=["en", "pl"], schedule_freq=None, schedule_byday=None, opens_at=None, closes_at=None)
        return network.id


def new_victim(app, account) -> str:
    """The new victim's report of a bicycle theft in Camden yesterday (nothing about support yet)."""
    with app.app_context():
        user = db.session.get(User, account.id)
        db.session.expunge(user)
    return make_report(app, user=user, contact_name=PERSON_NAME, contact_email=PERSON_EMAIL,
                       description="Someone cut the lock and took my bike from outside the station.")


def screens(new_context, account, prefix: str, *, totp: bool = False) -> tuple[Screen, Screen]:
    """The account signed in once, on a computer and on a phone (the same cookies)."""
    desktop: BrowserContext = new_context(**SCREENS["desktop"])
    page = desktop.new_page()
    sign_in(page, account.email, account.password)
    if totp:
        expect(heading(page)).to_have_text("Enter your security code")
        page.get_by_label("Security code").fill(pyotp.TOTP(account.totp_secret).now())
        page.get_by_role("button", name="Continue").click()
        expect(heading(page)).to_have_text("Your account")
    else:
        expect(page).not_to_have_url("/login")
    page.close()
    phone = new_context(storage_state=desktop.storage_state(), **SCREENS["phone"])
    return (Screen(desktop, FOLDER, f"{prefix}-desktop", 1280), Screen(phone, FOLDER, f"{prefix}-phone", 375))


def assert_neutral(message, live_server: str, *private: str) -> None:
    """A message that says only that there is something to read and links to sign in: no case, no names, no words
    of the conversation."""
    assert message["Subject"] == "You have a new message"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert first_link(message) == f"{live_server}/login"
    for text in private:
        assert text not in body and text not in message["Subject"], f"{text!r} is in the message to {message['To']}"


def test_a_recovered_victim_becomes_a_peer_supporter_and_talks_with_a_new_victim(app, new_context, make_account,
                                                                                  read_email, live_server):
    network_id = organisation_with_one_to_one(app)
    supporter_account = make_account(Role.VICTIM)
    supporter_case = recovered_victim(app, supporter_account, contact_name=SUPPORTER_NAME,
                                      contact_email=SUPPORTER_EMAIL)
    person_account = make_account(Role.VICTIM)
    person_case = new_victim(app, person_account)
    coordinator_account = make_account(Role.PARTNER, organisation_id=network_id)

    # 1. The recovered victim offers to help and agrees to share the offer with the organisation.
    supporter, supporter_phone = screens(new_context, supporter_account, "supporter")
    page = supporter.page
    page.goto(f"/cases/{supporter_case}/support")
    supporter.check("support")
    page.get_by_role("link", name="Help others as a peer supporter").click()
    expect(heading(page)).to_have_text("Help others as a peer supporter")
    supporter.check("offer-start")
    supporter_phone.page.goto(page.url)
    expect(heading(supporter_phone.page)).to_have_text("Help others as a peer supporter")
    supporter_phone.check("offer-start")
    page.get_by_role("button", name="Offer to help others").click()
    expect(heading(page)).to_have_text("Your offer to help others")
    page.get_by_label("Bicycle theft").check()
    page.get_by_label("English").check()
    page.get_by_label("Weekends").check()
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("The first name you want others to see").fill("Jo")
    supporter.check("offer-questions")
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Agree to share your offer")
    expect(page.locator("#receiving-organisations")).to_have_text(NETWORK)
    supporter.check("offer-consent")
    page.get_by_label("Yes, I agree").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#offer-decisions")).to_contain_text("They have not decided yet.")
    supporter.check("offer-sent")

    # 2. The coordinator records the checks and accepts them.
    coordinator, coordinator_phone = screens(new_context, coordinator_account, "coordinator", totp=True)
    page = coordinator.page
    page.goto("/partner/peer-offers")
    expect(page.locator("#offers")).to_contain_text("Jo")
    coordinator.check("offers")
    page.locator("#offers").get_by_role("link").first.click()
    expect(heading(page)).to_have_text("Offer from Jo")
    facts = page.locator("#offer-facts")
    expect(facts).to_contain_text("Bicycle theft")
    for private in (supporter_case, *SUPPORTER_PRIVATE):
        expect(page.locator("main")).not_to_contain_text(private)
    coordinator.check("offer")
    coordinator_phone.page.goto(page.url)
    expect(heading(coordinator_phone.page)).to_have_text("Offer from Jo")
    coordinator_phone.check("offer")
    today = utcnow().date()
    training = page.get_by_role("group", name="Training completed on (optional)")
    training.get_by_label("Day").fill(str(today.day))
    training.get_by_label("Month").fill(str(today.month))
    training.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save the checks").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Checks saved.")
    coordinator.check("checks-saved")
    page.get_by_role("button", name="Accept as a peer supporter").click()
    expect(page.locator("#status-tag")).to_have_text("Active")
    coordinator.check("accepted")

    supporter.page.reload()
    expect(supporter.page.locator("#offer-decisions")).to_contain_text("They accepted you as a peer supporter.")
    supporter.check("offer-accepted")

    # 3. The new victim asks for one-to-one peer support and agrees what to share with the organisation.
    person, person_phone = screens(new_context, person_account, "person")
    page = person.page
    page.goto(f"/cases/{person_case}")
    person.check("case")
    page.locator("#get-support").click()
    expect(heading(page)).to_have_text("How are you?")
    person.check("assessment")
    page.get_by_role("group", name="How much is what happened affecting your daily life?") \
        .get_by_label("A little").check()
    page.get_by_role("group", name="How much is it affecting how you feel?").get_by_label("Quite a lot").check()
    page.get_by_role("group", name="Do you feel safe at the moment?").get_by_label("Yes").check()
    page.get_by_role("group", name="Would you like to meet other people who have been through something") \
        .get_by_label("Yes").check()
    page.get_by_label("Which language would you like support in?").select_option("en")
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Choose your support")
    person.check("choose")
    page.get_by_label("Information to help yourself").check()
    page.get_by_label("I would also like to talk one-to-one with a peer supporter").check()
    page.get_by_label("Weekends", exact=True).check()  # the time the peer supporter gave
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#one-to-one-matches")).to_contain_text(ONE_TO_ONE)
    person.check("services")
    page.get_by_role("button", name=f"Choose {ONE_TO_ONE}").click()
    expect(heading(page)).to_have_text(f"Agree what to share with {NETWORK}")
    person.check("refer")
    page.get_by_label("What kind of crime it was, and when it happened").check()
    page.get_by_role("button", name="Agree and send the referral").click()
    expect(heading(page)).to_have_text("Support for you")
    expect(page.locator("#support-referrals")).to_contain_text(NETWORK)
    person.check("referred")

    # 4. The coordinator finds the referral and proposes the peer supporter they accepted.
    page = coordinator.page
    page.goto("/partner/referrals")
    expect(heading(page)).to_have_text("Referrals")
    coordinator.check("referrals")
    page.get_by_role("link", name="RF-").first.click()
    expect(heading(page)).to_contain_text("Referral RF-")
    coordinator.check("referral")
    page.get_by_role("link", name="Peer supporter").click()
    expect(heading(page)).to_have_text("Peer supporter")
    expect(page.locator("#suitable")).to_contain_text("Jo")
    expect(page.locator("#suitable")).to_contain_text("Weekends")
    expect(page.locator("#person-times")).to_contain_text("Weekends")
    coordinator.check("suitable")
    page.get_by_label("Jo").check()
    page.get_by_role("button", name="Propose this peer supporter").click()
    expect(page.locator("#match-status")).to_have_text("Waiting for the person to answer")
    coordinator.check("proposed")
    matching_url = page.url

    # 5. The new victim reads who Jo is, agrees as "Sam" and writes.
    for screen in (person_phone, person):
        screen.page.goto(f"/cases/{person_case}/support")
        screen.page.get_by_role("link", name="Your peer supporter").click()
        expect(screen.page.locator("#proposal")).to_contain_text("Jo")
        screen.check("proposal")
    page = person.page
    for private in (supporter_case, *SUPPORTER_PRIVATE):
        expect(page.locator("body")).not_to_contain_text(private)
    page.get_by_label("Yes").check()
    page.get_by_label("The first name you want them to see").fill("Sam")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You can now write to Jo.")
    person.check("agreed")
    page.get_by_label("Your message").fill(QUESTION)
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#message-thread")).to_contain_text(QUESTION)
    person.check("sent")
    conversation_url = page.url
    assert_neutral(read_email(supporter_account.email), live_server, QUESTION[:20], person_case, supporter_case, "Sam",
                   PERSON_NAME, NETWORK)

    # 6. The peer supporter reads the message, seeing only "Sam", and replies.
    page = supporter.page
    page.goto(f"/cases/{supporter_case}/support")
    page.get_by_role("link", name="Your peer support conversations").click()
    expect(page.locator("#conversations")).to_contain_text("New messages")
    expect(page.locator("#conversations")).to_contain_text("Sam")
    supporter.check("conversations")
    page.get_by_role("link", name="Sam").click()
    expect(heading(page)).to_have_text("Talk with Sam")
    expect(page.locator("#message-thread")).to_contain_text(QUESTION)
    for private in (person_case, *PERSON_PRIVATE):
        expect(page.locator("body")).not_to_contain_text(private)
    supporter.check("conversation")
    supporter_phone.page.goto(page.url)
    expect(supporter_phone.page.locator("#message-thread")).to_contain_text(QUESTION)
    supporter_phone.check("conversation")
    page.get_by_label("Your message").fill(ANSWER)
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#message-thread")).to_contain_text(ANSWER)
    supporter.check("replied")
    assert_neutral(read_email(person_account.email), live_server, ANSWER[:20], person_case, supporter_case, "Jo ",
                   SUPPORTER_NAME, NETWORK)

    # 7. The new victim reads the reply, from Jo only.
    for screen in (person, person_phone):
        screen.page.goto(conversation_url)
        expect(screen.page.locator("#message-thread")).to_contain_text(ANSWER)
        for private in (supporter_case, *SUPPORTER_PRIVATE):
            expect(screen.page.locator("body")).not_to_contain_text(private)
        screen.check("reply")

    # 8. The coordinator sees them talking and reads the conversation.
    page = coordinator.page
    page.goto(matching_url)
    expect(page.locator("#match-status")).to_have_text("Talking")
    coordinator.check("talking")
    page.get_by_role("link", name="Read the conversation").click()
    expect(page.locator("#message-thread")).to_contain_text(QUESTION)
    expect(page.locator("#message-thread")).to_contain_text(ANSWER)
    coordinator.check("conversation")
    coordinator_phone.page.goto(page.url)
    expect(coordinator_phone.page.locator("#message-thread")).to_contain_text(ANSWER)
    coordinator_phone.check("conversation")

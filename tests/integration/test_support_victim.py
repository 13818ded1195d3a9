"""The victim's side of support: the needs assessment, choosing a level, matching, consent, referrals they can
follow on the case page, and withdrawing consent."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.extensions import db
from portal.support import referral_text, referrals
from portal.support.enums import ReferralStatus
from portal.support.models import Consent, NeedsAssessment, Referral, SupportService
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_peer_group, make_service
from tests.triage_helpers import make_report
from tests.wizard import error_messages as raw_error_messages

COPING = {"daily_life": "1", "feelings": "1", "feels_safe": "yes", "language": "en"}


def text_of(response) -> str:
    """The page's visible text, with tags removed and spaces collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r" ([.,])", r"\1", " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()))


def error_messages(response) -> list[str]:
    """The GOV.UK field error messages on a page, without the hidden 'Error:' prefix."""
    return [message.removeprefix("Error: ") for message in raw_error_messages(response)]


def count(app, model) -> int:
    """Rows in a table."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def the_referral(app, crime_number=None) -> Referral:
    """The newest referral, detached."""
    with app.app_context():
        referral = db.session.scalars(select(Referral).order_by(Referral.id.desc())).first()
        db.session.expunge_all()
        return referral


def support_world(app, **group_fields):
    """An accredited organisation with a Camden service (contact and specialist) and a peer group. Returns ids."""
    with app.app_context():
        organisation = make_organisation()
        service = make_service(organisation)
        group = make_peer_group(organisation, **group_fields)
        return {"organisation": organisation.id, "service": service.id, "group": group.id}


def partner_of(make_user, organisation_id: int) -> User:
    """A partner account belonging to the organisation."""
    return make_user(Role.PARTNER, organisation_id=organisation_id)


def act(app, change, user: User, referral_id: int, *args, **kwargs):
    """Drive a partner or officer change on a referral directly through the referral service."""
    with app.app_context():
        actor = db.session.get(User, user.id)
        referral = db.session.get(Referral, referral_id)
        change(actor, referral, referral.version, *args, **kwargs)


def assess(client, crime_number, **answers):
    """Take the needs assessment; returns the response."""
    return client.post(f"/support/{crime_number}/assessment", data={**COPING, **answers})


def choose(client, crime_number, level, peer=False):
    """Choose a support level."""
    data = {"level": level}
    if peer:
        data["peer"] = "y"
    return client.post(f"/support/{crime_number}/choose", data=data)


# Offer and assessment -------------------------------------------------------------------------------------------


def test_the_case_page_offers_support_and_the_support_page_lists_the_cases(app, client, signed_in):
    """Before any assessment the case page offers support; /support/ lists each case with a way to start."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    page = client.get(f"/cases/{crime_number}")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert "You can choose support" in text_of(page)
    assert f'href="/support/{crime_number}/assessment"' in html
    support = client.get(f"/cases/{crime_number}/support")  # the case's own support page
    assert_good_page(support)
    assert 'href="/support/' + crime_number + '/consents"' in support.get_data(as_text=True)

    index = client.get("/support/")
    assert_good_page(index)
    assert h1_text(index) == "Get support"
    assert crime_number in text_of(index)
    assert f'href="/support/{crime_number}/assessment"' in index.get_data(as_text=True)
    assert 'href="/support/directory"' in index.get_data(as_text=True)
    assert 'href="/support/guides"' in index.get_data(as_text=True)


def test_the_confirmation_page_links_a_signed_in_victim_to_support(app, client, signed_in):
    """A report made while signed in ends with a link to the needs assessment for that crime number."""
    from tests.wizard import submit, walk

    signed_in(Role.VICTIM)
    walk(client, check_pages=False)
    crime_number = submit(client)
    page = client.get("/report/confirmation")
    assert f'href="/support/{crime_number}/assessment"' in page.get_data(as_text=True)


def test_the_assessment_page_asks_gently_and_saves_the_answers(app, client, signed_in):
    """The questions are grouped; mental health is optional; a valid post saves and goes to the choice page."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    page = client.get(f"/support/{crime_number}/assessment")
    assert_good_page(page)
    words = text_of(page)
    for heading in ("How it is affecting you", "Your health and wellbeing", "How we communicate with you"):
        assert heading in words
    assert "have you been worried about your mental health? (optional)" in words
    assert "You do not have to answer this" in words
    assert "British Sign Language" in words and "easy read" in words

    response = assess(client, crime_number, daily_life="2", practical_needs=["locks", "insurance_letter"],
                      language="pl", communication=["interpreter", "easy_read"], contact_method="text",
                      contact_time="Weekday evenings", happened_before="yes")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/support/{crime_number}/choose"
    with app.app_context():
        saved = db.session.scalar(select(NeedsAssessment))
        assert saved.answers["daily_life"] == 2 and saved.answers["happened_before"] is True
        assert saved.answers["practical_needs"] == ["insurance_letter", "locks"]
        assert (saved.language, saved.interpreter, saved.bsl, saved.easy_read) == ("pl", True, False, True)
        assert (saved.contact_method, saved.contact_time) == ("text", "Weekday evenings")
        assert saved.answers["mental_health_worry"] is False

    again = client.get(f"/support/{crime_number}/assessment")
    assert re.search(r'value="pl"\s+selected', again.get_data(as_text=True))


def test_the_assessment_refuses_missing_oversized_and_hostile_answers(app, client, signed_in):
    """Every bad answer gets a clear message on the page, nothing is saved, and nothing is reflected unescaped."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    url = f"/support/{crime_number}/assessment"

    empty = client.post(url, data={})
    assert empty.status_code == 200
    assert_good_page(empty)
    assert {"Select how much it is affecting your daily life", "Select how much it is affecting how you feel",
            "Select yes if you feel safe at the moment", "Select a language from the list"} <= set(
        error_messages(empty))
    assert "<title>Error: " in empty.get_data(as_text=True)

    long = assess(client, crime_number, contact_time="x" * 201)
    assert "The best time must be 200 characters or fewer" in error_messages(long)

    hostile = client.post(url, data={
        "daily_life": "9", "feelings": "-1", "feels_safe": "<script>alert(1)</script>", "language": "xx" * 50,
        "practical_needs": ["locks", "../../etc"], "communication": ["root"], "contact_method": "pigeon",
        "mental_health_worry": "maybe", "contact_time": "<script>alert(1)</script>"})
    assert hostile.status_code == 200
    messages = error_messages(hostile)
    assert "Select how much it is affecting your daily life" in messages
    assert "Select a language from the list" in messages
    assert "Select the things you need help with from the list" in messages
    assert "Select the help you need from the list" in messages
    assert "Select how you would like to be contacted" in messages
    assert "<script>alert(1)</script>" not in hostile.get_data(as_text=True)
    assert count(app, NeedsAssessment) == 0

    nul = assess(client, crime_number, contact_time="evenings\x00")
    assert nul.status_code == 302


# Recommendation and choice ---------------------------------------------------------------------------------------


def test_the_recommendation_shows_its_reasons_and_the_victim_can_choose_otherwise_and_change_later(
        app, client, signed_in):
    """Not feeling safe leads to a specialist recommendation with the reason; the victim picks information,
    then changes to a call, and the case page shows each choice."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    assert client.get(f"/support/{crime_number}/choose").headers["Location"] == f"/support/{crime_number}/assessment"
    assess(client, crime_number, feels_safe="no", interested_in_peer_support="yes")

    page = client.get(f"/support/{crime_number}/choose")
    assert_good_page(page)
    words = text_of(page)
    assert "What we recommend Ongoing support from a specialist or advocate" in words
    assert "You told us you do not feel safe. A specialist can help you plan for your safety." in words
    assert "A peer-support group lets you talk to people who have been through something similar." in words
    assert "Ongoing support from a specialist or advocate Recommended for you" in words
    assert words.count("Recommended for you") == 1
    assert "We recommend this for you." in words  # the peer-support checkbox

    empty = client.post(f"/support/{crime_number}/choose", data={"level": "everything"})
    assert "Select the support you want" in error_messages(empty)

    chosen = choose(client, crime_number, "information")
    assert chosen.headers["Location"] == "/support/guides/bicycle_theft"
    guide = client.get(chosen.headers["Location"])
    assert "We have saved your choice" in text_of(guide)
    case = text_of(client.get(f"/cases/{crime_number}/support"))
    assert "The support you chose: Information to help yourself." in case
    assert "You chose the support you want" in text_of(client.get(f"/cases/{crime_number}/updates"))

    again = client.get(f"/support/{crime_number}/choose")
    assert re.search(r'value="information"\s+checked', again.get_data(as_text=True))
    changed = choose(client, crime_number, "contact", peer=True)
    assert changed.headers["Location"] == f"/support/{crime_number}/services"
    case = text_of(client.get(f"/cases/{crime_number}/support"))
    assert "The support you chose: A call from a support worker, and a peer-support group." in case
    assert "You changed the support you want" in text_of(client.get(f"/cases/{crime_number}/updates"))


# Matching -----------------------------------------------------------------------------------------------------------


def test_the_services_page_explains_each_suggestion(app, client, signed_in):
    """Suggestions for the chosen level and for peer groups, each with reasons, schedule, wait, places and badge."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    with app.app_context():
        other = make_organisation("Polish Support Line")
        make_service(other, "Polish helpline", delivery="online", languages=["en", "pl"], boroughs=[],
                     expected_wait_days=21, schedule_freq=None)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "contact", peer=True)

    page = client.get(f"/support/{crime_number}/services")
    assert_good_page(page)
    html, words = page.get_data(as_text=True), text_of(page)
    services = html[html.index('id="service-matches"'):html.index('id="group-matches"')]
    assert services.index("Support after theft") < services.index("Polish helpline")
    assert "It meets in or near Camden." in words
    assert "The organisation estimates 21 working days" in words
    assert "The organisation estimates 3 working days" in words
    assert "The wait is longer: about 21 working days." in words
    assert "interpreter" not in words
    assert "Every Tuesday, 6pm to 7:30pm" in words and "By appointment" in words
    assert "Accredited by Support Quality Standard, assured on" in words
    assert "8 places left" in words
    assert f'href="/support/{crime_number}/refer/{world["group"]}"' in html
    assert f'href="/support/{crime_number}/refer/{world["service"]}"' in html


def test_someone_who_asked_for_polish_is_offered_only_services_in_polish(app, client, signed_in):
    """A service in no language the person asked for is not suggested: here, the English-only service and group."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    with app.app_context():
        other = make_organisation("Polish Support Line")
        polish = make_service(other, "Polish helpline", delivery="online", languages=["pl"], boroughs=[],
                              schedule_freq=None).id
    crime_number = make_report(app, user=victim)
    assess(client, crime_number, language="pl")
    choose(client, crime_number, "contact", peer=True)
    page = client.get(f"/support/{crime_number}/services")
    assert_good_page(page)
    html, words = page.get_data(as_text=True), text_of(page)
    assert "It is available in Polish." in words
    assert f'href="/support/{crime_number}/refer/{polish}"' in html
    assert f'href="/support/{crime_number}/refer/{world["service"]}"' not in html
    assert f'href="/support/{crime_number}/refer/{world["group"]}"' not in html
    assert "We could not find a peer-support group with places that fits right now." in words

    assess(client, crime_number)  # now English: the Polish-only line is no longer offered
    choose(client, crime_number, "contact")
    html = client.get(f"/support/{crime_number}/services").get_data(as_text=True)
    assert f'href="/support/{crime_number}/refer/{polish}"' not in html
    assert f'href="/support/{crime_number}/refer/{world["service"]}"' in html


def test_access_needs_are_asked_kept_and_filter_the_suggestions(app, client, signed_in):
    """Step-free: an in-person place without it is not suggested; online only: no in-person-only service."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    with app.app_context():
        ramp = make_service(db.session.get(SupportService, world["service"]).organisation, "Step-free centre",
                            step_free=True).id
        online = make_service(make_organisation("Online Help"), "Video support", delivery="online", boroughs=[]).id
    crime_number = make_report(app, user=victim)
    assert 'name="access"' in client.get(f"/support/{crime_number}/assessment").get_data(as_text=True)
    assess(client, crime_number, access=["step_free"])
    choose(client, crime_number, "contact")
    assert 'value="step_free" checked' in client.get(f"/support/{crime_number}/assessment").get_data(as_text=True)
    page = client.get(f"/support/{crime_number}/services")
    html, words = page.get_data(as_text=True), text_of(page)
    assert f"/refer/{ramp}\"" in html and f"/refer/{online}\"" in html
    assert f"/refer/{world['service']}\"" not in html
    assert "The place it meets has step-free access." in words

    assess(client, crime_number, access=["online_only"])
    choose(client, crime_number, "contact")
    html = client.get(f"/support/{crime_number}/services").get_data(as_text=True)
    assert f"/refer/{online}\"" in html
    assert f"/refer/{ramp}\"" not in html and f"/refer/{world['service']}\"" not in html


def test_when_nothing_fits_the_services_page_says_so_and_links_to_the_directory(app, client, signed_in):
    """No listed service: an honest message and the directory."""
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "specialist", peer=True)
    page = client.get(f"/support/{crime_number}/services")
    assert_good_page(page)
    words = text_of(page)
    assert "We could not find a service that fits right now." in words
    assert "We could not find a peer-support group with places that fits right now." in words
    assert 'href="/support/directory"' in page.get_data(as_text=True)


# Referral round trip ------------------------------------------------------------------------------------------------


def test_a_victim_goes_from_crime_number_to_a_place_in_a_peer_group(app, client, signed_in, make_user):
    """Assessment, choice, matching, consent with chosen parts, then the partner's decisions shown on the case page."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number, interested_in_peer_support="yes")
    assert choose(client, crime_number, "information", peer=True).headers["Location"] == (
        f"/support/{crime_number}/services")
    services = client.get(f"/support/{crime_number}/services")
    refer_url = f"/support/{crime_number}/refer/{world['group']}"
    assert f'href="{refer_url}"' in services.get_data(as_text=True)

    consent_page = client.get(refer_url)
    assert_good_page(consent_page)
    words = text_of(consent_page)
    assert h1_text(consent_page) == "Agree what to share with Camden Victim Support"
    assert "Tuesday evening peer group" in words
    for scope_words in ("What kind of crime it was, and when it happened",
                        "Your name, how to contact you, and your communication needs", "What you told us happened"):
        assert scope_words in words
    assert "Without these, the organisation cannot get in touch with you." in words
    assert "You can withdraw your consent at any time" in words

    missing = client.post(refer_url, data={"scopes": ["contact_details"]})
    assert missing.status_code == 200
    assert error_messages(missing) == ["Select ‘what kind of crime it was, and when it happened’. The organisation "
                                       "needs this to help you"]
    assert "<title>Error: " in missing.get_data(as_text=True)
    assert client.post(refer_url, data={"scopes": ["category_and_dates", "anything"]}).status_code == 200
    assert count(app, Referral) == 0 and count(app, Consent) == 0

    sent = client.post(refer_url, data={"scopes": ["category_and_dates", "contact_details"]})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/cases/{crime_number}/support"
    referral = the_referral(app)
    assert (referral.status, referral.support_level) == (ReferralStatus.SENT, "peer")
    with app.app_context():
        consent = db.session.scalar(select(Consent))
        assert consent.scopes == ["category_and_dates", "contact_details"] and consent.given_at is not None

    case = client.get(f"/cases/{crime_number}/support")
    assert_good_page(case)
    words = text_of(case)
    assert "We have sent your referral to Camden Victim Support" in words
    assert ("Camden Victim Support Tuesday evening peer group Sent We have sent your referral. The organisation "
            "will look at it and decide whether they can help.") in words

    partner = partner_of(make_user, world["organisation"])
    act(app, referrals.accept, partner, referral.id)
    words = text_of(client.get(f"/cases/{crime_number}/support"))
    assert "Place confirmed The group has a place for you." in words

    act(app, referrals.record_contact, partner, referral.id, "reached")
    assert "Contacted The organisation has been in touch with you." in text_of(
        client.get(f"/cases/{crime_number}/support"))

    act(app, referrals.close, partner, referral.id, "joined_group")
    words = text_of(client.get(f"/cases/{crime_number}/support"))
    assert "Closed The organisation has finished working with you on this referral." in words
    assert "Outcome: You have a place in the group." in words


def test_a_declined_referral_shows_the_reason_in_plain_words(app, client, signed_in, make_user):
    """The partner declines for lack of capacity: the victim reads why, and can choose another service."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number, wants_to_talk="yes")
    choose(client, crime_number, "contact")
    client.post(f"/support/{crime_number}/refer/{world['service']}",
                data={"scopes": ["category_and_dates", "contact_details", "description"]})
    referral = the_referral(app)
    assert referral.support_level == "contact"

    act(app, referrals.decline, partner_of(make_user, world["organisation"]), referral.id, "lack_of_capacity")
    page = client.get(f"/cases/{crime_number}/support")
    words = text_of(page)
    assert "Not accepted The organisation cannot take your referral." in words
    assert ("Reason: The organisation has no space to help anyone new at the moment. This is not about you."
            in words)
    assert "lack_of_capacity" not in words
    assert f'href="/support/{crime_number}/services"' in page.get_data(as_text=True)


@pytest.mark.parametrize(("reason", "words"), [
    ("not_eligible", "This service is for people in a different situation, so the organisation cannot help you"),
    ("outside_area", "The organisation does not cover your area. You can choose another service."),
    ("duplicate_referral", "The organisation already has a referral for you, so it did not need this one."),
])
def test_the_new_decline_reasons_are_explained_to_the_victim(app, client, signed_in, make_user, reason, words):
    """Not eligible, outside the area, a duplicate: the organisation may decline for each, and the victim reads it
    in plain words, never the code."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "contact")
    client.post(f"/support/{crime_number}/refer/{world['service']}", data={"scopes": ["category_and_dates"]})
    act(app, referrals.decline, partner_of(make_user, world["organisation"]), the_referral(app).id, reason)
    page = text_of(client.get(f"/cases/{crime_number}/support"))
    assert words in page and reason not in page


@pytest.mark.parametrize("outcome", ["not_eligible", "outside_area", "duplicate_referral"])
def test_the_new_closing_reasons_close_a_referral_and_are_explained(app, client, signed_in, make_user, outcome):
    """The same three reasons close an accepted referral; every reason has words for the partner and the victim."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "contact")
    client.post(f"/support/{crime_number}/refer/{world['service']}", data={"scopes": ["category_and_dates"]})
    referral_id = the_referral(app).id
    partner = partner_of(make_user, world["organisation"])
    act(app, referrals.accept, partner, referral_id)
    act(app, referrals.close, partner, referral_id, outcome)
    assert the_referral(app).status == ReferralStatus.CLOSED and the_referral(app).reason_code == outcome
    page = text_of(client.get(f"/cases/{crime_number}/support"))
    assert referral_text.CLOSE_OUTCOMES_FOR_VICTIM[outcome] in page and outcome not in page
    assert set(referral_text.DECLINE_REASONS) == set(referral_text.DECLINE_REASONS_FOR_VICTIM)
    assert set(referral_text.CLOSE_OUTCOMES) == set(referral_text.CLOSE_OUTCOMES_FOR_VICTIM)


def test_unable_to_contact_is_explained(app, client, signed_in, make_user):
    """The partner gives up trying to reach the victim: the case page says so and what to do."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "contact")
    client.post(f"/support/{crime_number}/refer/{world['service']}", data={"scopes": ["category_and_dates"]})
    referral = the_referral(app)
    partner = partner_of(make_user, world["organisation"])
    act(app, referrals.accept, partner, referral.id)
    act(app, referrals.record_contact, partner, referral.id, "no_answer", give_up=True)
    words = text_of(client.get(f"/cases/{crime_number}/support"))
    assert "Could not reach you The organisation tried to contact you but could not reach you." in words


def test_the_same_service_cannot_be_chosen_twice(app, client, signed_in):
    """A second referral to a service with one still open is refused on the page, and the match says so."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "contact")
    url = f"/support/{crime_number}/refer/{world['service']}"
    client.post(url, data={"scopes": ["category_and_dates"]})
    again = client.post(url, data={"scopes": ["category_and_dates"]})
    assert again.status_code == 200
    assert "There is already an open referral to this service" in text_of(again)
    assert "<title>Error: " in again.get_data(as_text=True)
    assert count(app, Referral) == 1
    assert "You already have a referral here" in text_of(client.get(f"/support/{crime_number}/services"))


def test_a_full_group_cannot_be_chosen(app, client, signed_in, make_user):
    """A group with every place taken is not suggested, and its consent page explains it is full."""
    world = support_world(app, capacity=1)
    other_victim = make_user(Role.VICTIM)
    other_case = make_report(app, user=other_victim)
    with app.app_context():
        from portal.cases.models import Report

        report = db.session.scalar(select(Report).where(Report.crime_number == other_case))
        group = db.session.get(SupportService, world["group"])
        taken = referrals.refer_with_consent(db.session.get(User, other_victim.id), report, group, "peer",
                                             ["category_and_dates"])
        taken_id = taken.id
    act(app, referrals.accept, partner_of(make_user, world["organisation"]), taken_id)

    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "information", peer=True)
    assert "Tuesday evening peer group" not in text_of(client.get(f"/support/{crime_number}/services"))

    url = f"/support/{crime_number}/refer/{world['group']}"
    page = client.get(url)
    assert_good_page(page)
    assert "This group is full – there are no places at the moment. Choose another group." in text_of(page)
    assert 'name="scopes"' not in page.get_data(as_text=True)
    refused = client.post(url, data={"scopes": ["category_and_dates"]})
    assert refused.status_code == 200 and "This group is full" in text_of(refused)
    assert count(app, Referral) == 1


def test_an_unlisted_service_cannot_be_referred_to(app, client, signed_in):
    """A service of an organisation whose accreditation expired is 'not found' on the consent page."""
    from datetime import timedelta

    from portal.clock import utcnow

    victim = signed_in(Role.VICTIM)
    with app.app_context():
        lapsed = make_organisation("Lapsed Charity")
        lapsed.accreditation_expires_on = utcnow().date() - timedelta(days=1)
        db.session.commit()
        service_id = make_service(lapsed, "Old service").id
    crime_number = make_report(app, user=victim)
    assert client.get(f"/support/{crime_number}/refer/{service_id}").status_code == 404
    assert client.post(f"/support/{crime_number}/refer/{service_id}",
                       data={"scopes": ["category_and_dates"]}).status_code == 404
    assert client.get(f"/support/{crime_number}/refer/999999").status_code == 404


# Officer suggestions ------------------------------------------------------------------------------------------------


def propose(app, make_user, crime_number, service_id, level="contact") -> int:
    """An officer suggests a referral; returns its id."""
    officer = make_user(Role.OFFICER)
    with app.app_context():
        from portal.cases.models import Report

        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        referral = referrals.propose_referral(db.session.get(User, officer.id), report,
                                              db.session.get(SupportService, service_id), level)
        return referral.id


def test_the_victim_agrees_to_an_officers_suggestion_choosing_what_to_share(app, client, signed_in, make_user):
    """A suggestion waits on the case page; agreeing sends it with the chosen parts."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    referral_id = propose(app, make_user, crime_number, world["service"])

    case = client.get(f"/cases/{crime_number}")
    words = text_of(case)
    assert "Support we suggest" in words and "Waiting for your decision" in words
    url = f"/support/{crime_number}/suggestions/{referral_id}"
    assert f'href="{url}"' in case.get_data(as_text=True)

    page = client.get(url)
    assert_good_page(page)
    assert h1_text(page) == "We suggest support from Camden Victim Support"
    assert "Select yes if you want to be referred" in error_messages(client.post(url, data={}))
    missing = client.post(url, data={"decision": "yes", "scopes": ["description"]})
    assert any("The organisation needs this to help you" in m for m in error_messages(missing))
    assert the_referral(app).status == ReferralStatus.PROPOSED

    agreed = client.post(url, data={"decision": "yes", "scopes": ["category_and_dates", "contact_details"]})
    assert agreed.headers["Location"] == f"/cases/{crime_number}/support"
    referral = the_referral(app)
    assert referral.status == ReferralStatus.SENT and referral.consent_id is not None
    assert "Support we suggest" not in text_of(client.get(f"/cases/{crime_number}"))  # no longer waiting
    words = text_of(client.get(f"/cases/{crime_number}/support"))
    assert "Support we suggest" not in words
    assert "Sent We have sent your referral." in words

    late = client.get(url)
    assert late.status_code == 302 and late.headers["Location"] == f"/cases/{crime_number}/support"


def test_the_victim_says_no_to_a_suggestion_and_nothing_is_shared(app, client, signed_in, make_user):
    """Saying no withdraws the suggestion without any consent."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    referral_id = propose(app, make_user, crime_number, world["service"])
    response = client.post(f"/support/{crime_number}/suggestions/{referral_id}", data={"decision": "no"})
    assert response.headers["Location"] == f"/cases/{crime_number}/support"
    assert the_referral(app).status == ReferralStatus.WITHDRAWN
    assert count(app, Consent) == 0
    words = text_of(client.get(f"/cases/{crime_number}/support"))
    assert "You said no. Nothing was shared with Camden Victim Support." in words


# Consent ------------------------------------------------------------------------------------------------------------


def test_withdrawing_consent_is_shown_and_ends_the_partners_access(app, client, signed_in, make_user):
    """The consents page lists what was shared, when and how; withdrawing (after a check) stops the referral."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "contact")
    client.post(f"/support/{crime_number}/refer/{world['service']}",
                data={"scopes": ["category_and_dates", "description"]})
    referral = the_referral(app)
    partner = partner_of(make_user, world["organisation"])
    act(app, referrals.accept, partner, referral.id)
    with app.app_context():
        assert referrals.partner_can_see(db.session.get(User, partner.id), db.session.get(Referral, referral.id))
        consent_id = db.session.scalar(select(Consent.id))

    page = client.get(f"/support/{crime_number}/consents")
    assert_good_page(page)
    words = text_of(page)
    assert "Camden Victim Support" in words and "Active" in words
    assert "What kind of crime it was, and when it happened" in words and "What you told us happened" in words
    assert "Your name, how to contact you" not in words
    assert "Online, by you" in words and "Support after theft" in words
    withdraw_url = f"/support/{crime_number}/consents/{consent_id}/withdraw"
    assert f'href="{withdraw_url}"' in page.get_data(as_text=True)

    confirm = client.get(withdraw_url)
    assert_good_page(confirm)
    assert h1_text(confirm) == "Withdraw your consent for Camden Victim Support?"
    done = client.post(withdraw_url)
    assert done.headers["Location"] == f"/support/{crime_number}/consents"
    words = text_of(client.get(done.headers["Location"]))
    assert "Camden Victim Support can no longer see any of your details" in words
    assert "Withdrawn on" in words

    referral = the_referral(app)
    assert referral.status == ReferralStatus.WITHDRAWN
    with app.app_context():
        assert not referrals.partner_can_see(db.session.get(User, partner.id), db.session.get(Referral, referral.id))
    case = text_of(client.get(f"/cases/{crime_number}/support"))
    assert "Withdrawn You stopped this referral. The organisation can no longer see any of your details." in case
    assert "You withdrew your consent for Camden Victim Support" in text_of(
        client.get(f"/cases/{crime_number}/updates"))

    again = client.post(withdraw_url)
    assert again.headers["Location"] == f"/support/{crime_number}/consents"
    assert client.get(withdraw_url).status_code == 302


def test_verbal_consent_says_who_gave_it(app, client, signed_in, make_user):
    """Consent an officer recorded is shown as told to an officer, with who gave it."""
    from datetime import timedelta

    from portal.cases.models import Report
    from portal.clock import utcnow

    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=victim)
    officer = make_user(Role.OFFICER)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        referrals.propose_and_record_consent(db.session.get(User, officer.id), report,
                                             db.session.get(SupportService, world["service"]), "contact",
                                             "Sam's mother, Jo", utcnow() - timedelta(hours=1),
                                             ["category_and_dates", "contact_details"])
    words = text_of(client.get(f"/support/{crime_number}/consents"))
    assert "Told to a police officer, by Sam's mother, Jo, who recorded it" in words


# Access -------------------------------------------------------------------------------------------------------------


def test_another_victim_gets_not_found_on_every_support_case_route(app, client, signed_in, make_user):
    """Every /support/<crime number>/ route answers 404 to a victim not linked to the case."""
    owner = make_user(Role.VICTIM)
    world = support_world(app)
    crime_number = make_report(app, user=owner)
    owner_client = app.test_client()
    sign_in_as(owner_client, owner)
    assess(owner_client, crime_number)
    choose(owner_client, crime_number, "contact")
    owner_client.post(f"/support/{crime_number}/refer/{world['service']}", data={"scopes": ["category_and_dates"]})
    with app.app_context():
        consent_id = db.session.scalar(select(Consent.id))
    proposal_id = propose(app, make_user, crime_number, world["group"], "peer")

    signed_in(Role.VICTIM)
    routes = [
        ("GET", "assessment", {}), ("POST", "assessment", COPING), ("GET", "choose", {}),
        ("POST", "choose", {"level": "contact"}), ("GET", "services", {}),
        ("GET", f"refer/{world['group']}", {}), ("POST", f"refer/{world['group']}", {"scopes": ["category_and_dates"]}),
        ("GET", f"suggestions/{proposal_id}", {}), ("POST", f"suggestions/{proposal_id}", {"decision": "no"}),
        ("GET", "consents", {}), ("GET", f"consents/{consent_id}/withdraw", {}),
        ("POST", f"consents/{consent_id}/withdraw", {}),
    ]
    for method, path, data in routes:
        response = client.open(f"/support/{crime_number}/{path}", method=method, data=data)
        assert response.status_code == 404, (method, path, response.status_code)
    assert count(app, NeedsAssessment) == 1
    assert the_referral(app).status == ReferralStatus.PROPOSED
    with app.app_context():
        assert db.session.get(Consent, consent_id).is_active


def test_ids_from_another_case_are_not_found(app, client, signed_in):
    """A suggestion or consent of another case cannot be reached through the victim's own case."""
    victim = signed_in(Role.VICTIM)
    world = support_world(app)
    first = make_report(app, user=victim)
    second = make_report(app, user=victim)
    assess(client, first)
    choose(client, first, "contact")
    client.post(f"/support/{first}/refer/{world['service']}", data={"scopes": ["category_and_dates"]})
    with app.app_context():
        consent_id = db.session.scalar(select(Consent.id))
    referral_id = the_referral(app).id
    assert client.get(f"/support/{second}/consents/{consent_id}/withdraw").status_code == 404
    assert client.post(f"/support/{second}/consents/{consent_id}/withdraw").status_code == 404
    assert client.get(f"/support/{second}/suggestions/{referral_id}").status_code == 404
    assert client.get(f"/support/{first}/consents/99999/withdraw").status_code == 404


@pytest.mark.parametrize("role", [Role.WITNESS, Role.OFFICER, Role.PARTNER, Role.ADMIN])
def test_only_victims_and_witnesses_use_the_case_support_pages(app, client, signed_in, make_user, role):
    """Staff and partners are refused the support pages, while the directory and guides stay open. A witness has
    their own support pages, but a case they are not linked to is 'not found' (witness_support tests the rest)."""
    crime_number = make_report(app, user=make_user(Role.VICTIM))
    signed_in(role)
    assert client.get("/support/").status_code == (200 if role == Role.WITNESS else 403)
    assert client.get(f"/support/{crime_number}/assessment").status_code == (404 if role == Role.WITNESS else 403)
    assert client.get("/support/directory").status_code == 200
    assert client.get("/support/guides").status_code == 200


def test_the_case_pages_read_support_in_a_fixed_number_of_statements(app, client, signed_in):
    """More referrals do not mean more SQL on the victim's case overview or the case's support page."""
    from tests.sql_counting import counting_statements

    victim = signed_in(Role.VICTIM)
    with app.app_context():
        organisation = make_organisation()
        service_ids = [make_service(organisation, f"Service {n}").id for n in range(4)]
    crime_number = make_report(app, user=victim)
    assess(client, crime_number)
    choose(client, crime_number, "contact")

    def statements_after(referred: int) -> tuple[int, int]:
        client.post(f"/support/{crime_number}/refer/{service_ids[referred - 1]}",
                    data={"scopes": ["category_and_dates"]})
        counts = []
        for path in (f"/cases/{crime_number}", f"/cases/{crime_number}/support"):
            client.get(path)
            with counting_statements(app) as statements:
                assert client.get(path).status_code == 200
            counts.append(len(statements))
        return counts[0], counts[1]

    one = statements_after(1)
    for referred in (2, 3):
        statements_after(referred)
    assert statements_after(4) == one

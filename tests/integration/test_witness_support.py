"""Issue 20: support for witnesses. A witness on a case takes the needs assessment, chooses their support and is
referred, with consent, to an accredited organisation, in words that fit a witness. Their support is theirs alone:
the victim's pages, timeline and data download show none of it (nor the witness the victim's); a witness can share
only the kind of crime and its dates and their own contact details, never what the victim said; and the charity
sees the witness's details, not the victim's."""

import json

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.support.enums import ReferralStatus
from portal.support.models import Consent, NeedsAssessment, Referral
from portal.surveys.models import CheckIn
from portal.surveys.schedule import send_due
from tests.conftest import sign_in_as
from tests.integration.test_witness_tasks import hearing, hearing_world  # noqa: F401 - the fixtures
from tests.pagecheck import assert_good_page
from tests.support_helpers import make_organisation, make_service

COPING = {"daily_life": "2", "feelings": "2", "feels_safe": "yes", "language": "en"}


@pytest.fixture
def support(app, make_user, hearing):  # noqa: F811 - the fixture
    """The hearing's case, an accredited charity with a Camden service, and one of its staff signed in."""
    with app.app_context():
        organisation = make_organisation("Witness Help Camden")
        service = make_service(organisation, "Support for witnesses")
        organisation_id, service_id = organisation.id, service.id
    partner = make_user(Role.PARTNER, organisation_id=organisation_id)
    client = app.test_client()
    sign_in_as(client, partner)
    hearing["clients"]["partner"] = client
    hearing["service_id"] = service_id
    return hearing


def referred(app, world) -> tuple[str, Referral]:
    """The witness takes the assessment, chooses a call from a support worker, and is referred with consent."""
    witness, number = world["clients"]["witness"], world["number"]
    assert witness.post(f"/support/{number}/assessment", data=COPING).headers["Location"] == \
        f"/support/{number}/choose"
    assert witness.post(f"/support/{number}/choose", data={"level": "contact"}).headers["Location"] == \
        f"/support/{number}/services"
    sent = witness.post(f"/support/{number}/refer/{world['service_id']}",
                        data={"scopes": ["category_and_dates", "contact_details"]})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/support/{number}/services"
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        db.session.expunge(referral)
    return number, referral


def test_a_witness_is_referred_with_consent_and_follows_their_own_referral(app, support):
    witness, number = support["clients"]["witness"], support["number"]
    case_page = witness.get(f"/cases/{number}").get_data(as_text=True)
    assert f"/support/{number}/assessment" in case_page and "Support is free for witnesses" in case_page
    index = witness.get("/support/")
    assert_good_page(index)
    assert "Cases you are a witness on" in index.get_data(as_text=True) and number in index.get_data(as_text=True)
    page = witness.get(f"/support/{number}/assessment")
    assert_good_page(page)
    assert "Support is free for witnesses, whether or not the case goes to court." in page.get_data(as_text=True)

    number, referral = referred(app, support)
    assert referral.witness_link_id is not None and referral.status == ReferralStatus.SENT
    services = witness.get(f"/support/{number}/services")
    assert_good_page(services)
    html = services.get_data(as_text=True)
    assert "Your referrals" in html and "Witness Help Camden" in html and "You already have a referral here" in html
    chosen = witness.get("/support/").get_data(as_text=True)
    assert "Your support and referrals" in chosen and f"/support/{number}/services" in chosen
    consents = witness.get(f"/support/{number}/consents")
    assert_good_page(consents)
    assert "Witness Help Camden" in consents.get_data(as_text=True)

    # The charity reads the witness's details, never the victim's.
    partner = support["clients"]["partner"]
    shown = partner.get(f"/partner/referrals/{referral.reference}")
    assert_good_page(shown)
    text = shown.get_data(as_text=True)
    assert support["people"]["witness"].email in text and "Not given: a witness on the case" in text
    with app.app_context():
        victim = db.session.get(User, support["people"]["victim"].id)
    for victims in (victim.email, "My bike was taken", "What they told the police happened"):
        assert victims not in text, victims

    # The charity accepts: the witness is emailed a neutral line; the victim is told nothing.
    def updates_to(email):
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.recipient == email, OutboxMessage.template == "case_update"))
    before_witness, before_victim = updates_to(support["people"]["witness"].email), updates_to(victim.email)
    with app.app_context():
        version = db.session.get(Referral, referral.id).version
    assert partner.post(f"/partner/referrals/{referral.reference}/accept",
                        data={"version": str(version)}).status_code == 302
    assert updates_to(support["people"]["witness"].email) == before_witness + 1
    assert updates_to(victim.email) == before_victim
    assert "Witness Help Camden" in witness.get(f"/support/{number}/services").get_data(as_text=True)

    # The witness withdraws their consent: the charity loses access at once.
    with app.app_context():
        consent_id = db.session.scalars(select(Consent.id)).one()
    assert witness.post(f"/support/{number}/consents/{consent_id}/withdraw").status_code == 302
    assert partner.get(f"/partner/referrals/{referral.reference}").status_code == 404


def test_the_victim_sees_none_of_the_witness_s_support_nor_the_witness_the_victim_s(app, support):
    number, referral = referred(app, support)
    victim = support["clients"]["victim"]
    for url in (f"/cases/{number}", f"/support/{number}/consents", "/support/"):
        html = victim.get(url).get_data(as_text=True)
        assert "Witness Help Camden" not in html, url
    # The victim has not been assessed: their case still offers support, and their choice page sends them to it.
    assert victim.get(f"/support/{number}/choose").headers["Location"] == f"/support/{number}/assessment"
    victim_data = victim.get("/account/data/download.json").get_data(as_text=True)
    assert referral.reference not in victim_data and "Witness Help Camden" not in victim_data
    witness_data = json.loads(support["clients"]["witness"].get("/account/data/download.json").get_data(as_text=True))
    case = next(c for c in witness_data["witness_cases"] if c["crime_number"] == number)
    assert [r["reference"] for r in case["support"]["referrals"]] == [referral.reference]
    assert len(case["support"]["needs_assessments"]) == 1
    # The other witness on the case has their own support pages, with nothing of the first witness's.
    other = support["clients"]["other"]
    assert other.get(f"/support/{number}/choose").headers["Location"] == f"/support/{number}/assessment"
    with app.app_context():
        other_consents = [c.id for c in db.session.scalars(select(Consent))]
    assert other.get(f"/support/{number}/consents/{other_consents[0]}/withdraw").status_code == 404
    # Once the victim takes the assessment, theirs and the witness's are two separate records.
    assert victim.post(f"/support/{number}/assessment", data=COPING).status_code == 302
    with app.app_context():
        people = set(db.session.scalars(select(NeedsAssessment.witness_link_id)))
    assert people == {None, referral.witness_link_id}
    # A witness's referral gets its own check-ins: the witness's (their link), never shown to the victim.
    with app.app_context():
        send_due()
        check_ins = db.session.scalars(select(CheckIn).where(CheckIn.referral_id == referral.id)).all()
        assert {c.witness_link_id for c in check_ins} == {referral.witness_link_id} and len(check_ins) == 3
    assert 'id="check-in-prompt"' not in victim.get(f"/cases/{number}").get_data(as_text=True)
    assert victim.get(f"/cases/{number}/check-ins/0").status_code == 404


@pytest.mark.parametrize("scopes", [["category_and_dates", "description"], ["description"], ["made_up"]])
def test_a_witness_cannot_share_what_the_victim_told_the_police(app, support, scopes):
    witness, number = support["clients"]["witness"], support["number"]
    witness.post(f"/support/{number}/assessment", data=COPING)
    witness.post(f"/support/{number}/choose", data={"level": "contact"})
    form = witness.get(f"/support/{number}/refer/{support['service_id']}").get_data(as_text=True)
    assert 'value="description"' not in form and 'value="contact_details"' in form
    refused = witness.post(f"/support/{number}/refer/{support['service_id']}", data={"scopes": scopes})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Referral)).all() == []


def test_the_charity_reaches_a_witness_only_by_the_ways_they_said_are_safe(app, support):
    number = support["number"]
    assert support["clients"]["witness"].post(f"/cases/{number}/witness-contact", data={
        "channels": ["text"], "mobile_number": "07700 900982"}).status_code == 302
    number, referral = referred(app, support)
    text = support["clients"]["partner"].get(f"/partner/referrals/{referral.reference}").get_data(as_text=True)
    assert "07700 900982" in text and "Text message" in text
    assert support["people"]["witness"].email not in text  # email is not safe for them

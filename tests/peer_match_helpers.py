"""One-to-one peer support for tests: an organisation running it, its peer supporters (accepted, with a status),
and a victim who asked for it and was referred with consent, through the real pages where it matters."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from portal.peers import conversations
from portal.peers import matches as peer_matches
from portal.peers.enums import Decision, SupporterStatus
from portal.peers.match_models import PeerMatch
from portal.peers.models import PeerOffer, PeerSupporter
from portal.support import assessments, referrals
from portal.support.enums import Delivery, ReferralStatus, ServiceKind
from portal.support.models import Organisation, Referral, SupportService
from portal.support.recommendation import Impact, NeedsAnswers
from portal.surveys.models import CheckIn
from tests.conftest import new_user, sign_in_as
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report

PERSON_CONTACT = "person.marker@example.org"
SUPPORTER_CONTACT = "07700 900123"


def one_to_one_organisation(name: str = "Camden Peer Network") -> tuple[int, int]:
    """An accredited organisation with an online one-to-one peer support service: (organisation id, service id).
    Needs an app context."""
    organisation = make_organisation(name)
    service = make_service(organisation, f"{name} one-to-one", kind=ServiceKind.PEER_ONE_TO_ONE,
                           delivery=Delivery.ONLINE, languages=["en", "pl"], schedule_freq=None, schedule_byday=None,
                           opens_at=None, closes_at=None)
    return organisation.id, service.id


def peer_supporter(app, organisation_id: int, first_name: str, *, categories=("bicycle_theft",), languages=("en",),
                   availability=("weekday_evenings",), status=SupporterStatus.ACTIVE) -> dict:
    """A person who went through something themselves (with their own case and account), accepted by the
    organisation as a peer supporter with this status."""
    user = new_user(app, Role.VICTIM)
    crime_number = make_report(app, user=user, contact_email=f"{first_name.lower()}@example.org")
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        now = utcnow()
        offer = PeerOffer(user_id=user.id, report_id=report.id, first_name=first_name, categories=list(categories),
                          languages=list(languages), availability=list(availability), delivery=Delivery.BOTH,
                          borough="Camden", consented_at=now - timedelta(days=30),
                          shared_contact="supporter-offer-marker@example.org")
        db.session.add(offer)
        db.session.flush()
        supporter = PeerSupporter(offer_id=offer.id, organisation_id=organisation_id, decision=Decision.ACCEPTED,
                                  decided_at=now - timedelta(days=20), status=status)
        db.session.add(supporter)
        db.session.commit()
        return {"user": user, "id": supporter.id, "crime_number": crime_number, "first_name": first_name}


def victim_asking_for_one_to_one(app, service_id: int, talk_times=("any",), **report_fields) -> dict:
    """A victim who chose information and asked for one-to-one peer support (through the choice page), saying when
    they could usually talk (any time unless given), then was referred to the one-to-one service with consent
    (through the referral page)."""
    victim = new_user(app, Role.VICTIM)
    crime_number = make_report(app, user=victim, **report_fields)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        report_id = report.id
        assessments.save_assessment(db.session.get(User, victim.id), report, NeedsAnswers(daily_life=Impact.A_LITTLE))
    client = app.test_client()
    sign_in_as(client, victim)
    chosen = client.post(f"/support/{crime_number}/choose", data={"level": "information", "one_to_one": "y",
                                                                    "talk_times": list(talk_times)})
    assert chosen.status_code == 302, chosen.get_data(as_text=True)
    services = client.get(f"/support/{crime_number}/services").get_data(as_text=True)
    assert f"/support/{crime_number}/refer/{service_id}" in services
    referred = client.post(f"/support/{crime_number}/refer/{service_id}", data={"scopes": ["category_and_dates"]})
    assert referred.status_code == 302, referred.get_data(as_text=True)
    with app.app_context():
        reference = db.session.scalar(select(Referral.reference).where(Referral.report_id == report_id,
                                                                        Referral.service_id == service_id))
    return {"user": victim, "client": client, "crime_number": crime_number, "reference": reference}


def two_peer_organisations(app) -> tuple[int, int, int]:
    """Camden Peer Network and Hackney Peer Network, each running one-to-one peer support: (Camden's id, its
    service's id, Hackney's id)."""
    with app.app_context():
        organisation_id, service_id = one_to_one_organisation()
        other_id, _other_service = one_to_one_organisation("Hackney Peer Network")
    return organisation_id, service_id, other_id


def signed_in(app, built: dict) -> dict:
    """A world built once for a module (the person referred, Jo the peer supporter, the partners of both
    organisations), for one test: each of them signed in with a client of this test's own."""

    def client_of(user):
        client = app.test_client()
        sign_in_as(client, user)
        return client

    return {**built, "person": {**built["person"], "client": client_of(built["person"]["user"])},
            "partner": client_of(built["partner"]), "other_partner": client_of(built["other_partner"]),
            "jo_client": client_of(built["jo"]["user"])}


def partner_client(app, organisation_id: int):
    """A signed-in partner of the organisation."""
    client = app.test_client()
    sign_in_as(client, new_user(app, Role.PARTNER, organisation_id=organisation_id))
    return client


def supporter_client(app, supporter: dict):
    """The peer supporter, signed in with their own account."""
    client = app.test_client()
    sign_in_as(client, supporter["user"])
    return client


def person_url(person: dict, tail: str = "") -> str:
    return f"/cases/{person['crime_number']}/support/{person['reference']}/peer-supporter{tail}"


def partner_url(person: dict, tail: str = "") -> str:
    return f"/partner/referrals/{person['reference']}/peer-supporter{tail}"


def match_id_of(app, reference: str) -> int:
    """The newest pairing on the referral."""
    with app.app_context():
        referral_id = db.session.scalar(select(Referral.id).where(Referral.reference == reference))
        return db.session.scalar(select(PeerMatch.id).where(PeerMatch.referral_id == referral_id)
                                 .order_by(PeerMatch.id.desc()))


def propose_and_agree(app, person: dict, partner, supporter: dict, first_name: str = "Sam") -> int:
    """The organisation proposes the peer supporter and the person agrees as `first_name`; the pairing's id."""
    proposed = partner.post(partner_url(person), data={"supporter": str(supporter["id"])})
    assert proposed.status_code == 302, proposed.get_data(as_text=True)
    agreed = person["client"].post(person_url(person, "/answer"), data={"agree": "yes", "first_name": first_name})
    assert agreed.status_code == 302, agreed.get_data(as_text=True)
    return match_id_of(app, person["reference"])


def text_of(response) -> str:
    """The page's text without markup, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def pair_with_a_peer_supporter(users: dict, report_id: int, other_report_id: int) -> dict:
    """The access matrix's pairing: the victim referred for one-to-one peer support to the consenting partner's
    organisation, paired (proposed, agreed as 'Sam') with the other victim as its peer supporter, who reported a
    concern. Runs inside the world's app context."""
    charity = db.session.scalar(select(Organisation).where(Organisation.name == "Consented Charity"))
    return pair(charity, db.session.get(User, users["partner_consent"].id), db.session.get(User, users["victim"].id),
                db.session.get(Report, report_id), db.session.get(User, users["other_victim"].id), other_report_id)


def pair(charity, partner, victim, report, supporter_user, supporter_report_id: int) -> dict:
    """A one-to-one service of the charity; the victim referred to it with consent; the supporter (a past victim
    with their own report) accepted and active there, proposed, agreed to as 'Sam', a message each way and a concern
    the supporter reported. Route values: the referral's reference, the pairing, the concern, the supporter record.
    Runs inside an app context."""
    service = make_service(charity, "One-to-one peer support", kind=ServiceKind.PEER_ONE_TO_ONE,
                           delivery=Delivery.ONLINE)
    referral = referrals.refer_with_consent(victim, report, service, "peer", ["category_and_dates"])
    offer = PeerOffer(user_id=supporter_user.id, report_id=supporter_report_id, first_name="Jo",
                      categories=[report.category.code], languages=["en"], availability=["weekends"],
                      delivery=Delivery.ONLINE, borough="Camden", consented_at=utcnow())
    db.session.add(offer)
    db.session.flush()
    supporter = PeerSupporter(offer_id=offer.id, organisation_id=charity.id, decision=Decision.ACCEPTED,
                              status=SupporterStatus.ACTIVE)
    db.session.add(supporter)
    db.session.commit()
    match = peer_matches.propose(partner, referral, supporter.id)
    peer_matches.answer(victim, match, "yes", "Sam")
    conversations.send(victim, match, "Hello Jo")
    conversations.send(supporter_user, match, "Hello Sam")
    concern = peer_matches.report_concern(supporter_user, match, "Something worried me.")
    return {"peer_referral": referral.reference, "peer_match": match.id, "peer_concern": concern.id,
            "peer_supporter_record": supporter.id}


def recovered_victim(app, account, **report_fields) -> str:
    """A victim who has been through it: their report in Camden, its referral to a support charity now closed,
    and their 12-week check-in answered, so they may offer to help others. Returns the crime number."""
    with app.app_context():
        charity = make_organisation("Camden Victim Support")
        service_id, charity_id = make_service(charity, "Support after theft").id, charity.id
        user = db.session.get(User, account.id)
        db.session.expunge(user)
    crime_number = make_report(app, user=user, **report_fields)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        referral = referrals.refer_with_consent(db.session.get(User, account.id), report,
                                                db.session.get(SupportService, service_id), "contact",
                                                ["category_and_dates", "contact_details"])
        referral.status = ReferralStatus.CLOSED
        now = utcnow()
        db.session.add(CheckIn(referral_id=referral.id, report_id=report.id, organisation_id=charity_id,
                               support_level="contact", weeks=12, due_at=now - timedelta(days=2),
                               invited_at=now - timedelta(days=2), answered_at=now - timedelta(days=1), coping=4))
        db.session.commit()
    return crime_number

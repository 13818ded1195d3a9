"""Demo data for one-to-one peer support: Camden Victim Support's one-to-one service, a peer supporter with an
account of their own (peer-supporter@example.org, a past victim it accepted), and two of the demo victim's cases
referred for it with consent: one paired and talking (with messages both ways, the peer supporter's contact details
shared, and a concern from each side for the coordinator to deal with), one waiting for the coordinator to propose
someone. Made through the referral and pairing services, so each step has its timeline, audit and neutral
notifications."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.auth.services import create_user, get_user_by_email
from portal.cases.models import Report
from portal.clock import utcnow
from portal.devtools.demo_peer_witness import demo_talk_times
from portal.extensions import db
from portal.peers import conversations, matches
from portal.peers.enums import Decision, SupporterStatus
from portal.peers.match_models import PeerMatch
from portal.peers.models import PeerOffer, PeerSupporter
from portal.reporting.services import get_category, save_answers, start_draft, submit_report
from portal.support import referrals
from portal.support.enums import Delivery, ServiceKind
from portal.support.models import Organisation, Referral, SupportService

SUPPORTER_EMAIL = "peer-supporter@example.org"
ONE_TO_ONE = {
    "name": "One-to-one peer support", "kind": ServiceKind.PEER_ONE_TO_ONE, "levels": ["peer"],
    "description": "We pair you with a trained volunteer who went through something similar. You write to each "
                   "other on this site, and we keep an eye on the conversation to keep you both safe.",
    "categories": [], "boroughs": [], "languages": ["en", "pl"], "delivery": Delivery.ONLINE,
    "expected_wait_days": 5, "facilitator_check": "Enhanced DBS check",
}
SCOPES = ["category_and_dates"]


def _one_to_one_service(camden: Organisation) -> SupportService:
    service = db.session.scalar(select(SupportService).where(SupportService.organisation_id == camden.id,
                                                             SupportService.kind == ServiceKind.PEER_ONE_TO_ONE))
    if service is None:
        service = SupportService(organisation_id=camden.id, facilitator_checked_on=utcnow().date()
                                 - timedelta(days=60), **ONE_TO_ONE)
        db.session.add(service)
        db.session.commit()
    return service


def _supporter_case(user, category: str) -> Report:
    """The peer supporter's own (long finished) report: it holds their safe channel, and nobody else sees it."""
    draft, _token = start_draft(user)
    save_answers(draft, {
        "danger_now": "no", "immediate_risk": "no", "category": category,
        "category_route": get_category(category).route.value, "reporter_role": "victim",
        "occurred_on": (utcnow().date() - timedelta(days=400)).isoformat(), "borough": "Camden",
        "location": "Near Camden Road station", "description": "My flat was broken into while I was at work.",
        "has_property": "no", "suspect_description": "", "other_witnesses": "", "evidence_done": True,
        "contact_name": "Jo Peer", "contact_email": user.email, "safe_channels": ["email"], "voicemail_allowed": "no",
        "neutral_sender": "yes", "contact_needs": [], "follow_up": "none", "would_have_reported": "no"})
    return submit_report(draft, user)


def _peer_supporter(camden: Organisation, password: str, categories: list[str]) -> PeerSupporter:
    user = get_user_by_email(SUPPORTER_EMAIL) or create_user(SUPPORTER_EMAIL, password, Role.VICTIM, verified=True)
    db.session.commit()
    found = db.session.scalar(select(PeerSupporter).join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id).where(
        PeerOffer.user_id == user.id, PeerSupporter.organisation_id == camden.id))
    if found is not None:
        return found
    report = _supporter_case(user, categories[0])
    now = utcnow()
    offer = PeerOffer(user_id=user.id, report_id=report.id, first_name="Jo", categories=categories,
                      languages=["en", "pl"], availability=["weekday_evenings", "weekends"], delivery=Delivery.BOTH,
                      borough="Camden", consented_at=now - timedelta(days=60))
    db.session.add(offer)
    db.session.flush()
    supporter = PeerSupporter(offer_id=offer.id, organisation_id=camden.id, decision=Decision.ACCEPTED,
                              decided_at=now - timedelta(days=45), status=SupporterStatus.ACTIVE,
                              training_completed_on=(now - timedelta(days=50)).date(),
                              references_received_on=(now - timedelta(days=55)).date(),
                              safeguarding_checked_on=(now - timedelta(days=48)).date())
    db.session.add(supporter)
    db.session.commit()
    return supporter


def demo_peer_matches(victim, partner, password: str) -> list[str]:
    """The one-to-one service, the peer supporter and the demo victim's two referrals for it. Only once."""
    camden = db.session.scalar(select(Organisation).where(Organisation.name == "Camden Victim Support"))
    if camden is None or victim is None or partner is None or partner.organisation_id != camden.id:
        return []
    service = _one_to_one_service(camden)
    if db.session.scalar(select(func.count()).select_from(Referral).where(Referral.service_id == service.id)):
        return [f"Demo one-to-one peer support: already there ({SUPPORTER_EMAIL} is the peer supporter)"]
    cases = list(db.session.scalars(select(Report).where(Report.reporter_user_id == victim.id)
                                    .order_by(Report.id).limit(2)))
    if len(cases) < 2:
        return []
    supporter = _peer_supporter(camden, password, sorted({case.category.code for case in cases}))
    talking, waiting = (referrals.refer_with_consent(victim, case, service, "peer", SCOPES) for case in cases)
    match = matches.propose(partner, talking, supporter.id)
    matches.answer(victim, match, "yes", "Sam")
    supporter_user = get_user_by_email(SUPPORTER_EMAIL)
    conversations.send(victim, match, "Hello Jo. Thank you for agreeing to talk. I still jump at every noise at "
                                      "night, and I am not sure that is normal.")
    conversations.send(supporter_user, match, "Hello Sam. It is very normal: I was the same for months. What "
                                              "helped me was a routine before bed. Shall I tell you what I did?")
    matches.share_contact(supporter_user, match, "jo.peer.demo@example.org")
    matches.report_concern(supporter_user, match, "Sam said they are not sleeping and feel low most days. Could "
                                                  "someone from the team check in with them?")
    # Sam's own concern too, so each side's data download ('Your data') shows its own concern and not the other's.
    matches.report_concern(victim, match, "Jo mentioned meeting up in person. I would rather keep to messages for "
                                          "now.")
    count = db.session.scalar(select(func.count()).select_from(PeerMatch))
    times = demo_talk_times(victim, cases[1].crime_number)
    return [f"Demo one-to-one peer support ({count} pairing): {SUPPORTER_EMAIL} is Jo, a peer supporter of Camden "
            "Victim Support",
            f"  {talking.reference} paired      {cases[0].crime_number}: Sam and Jo are talking; a concern from "
            "each side to deal with (each side's 'Your data' download holds only its own)",
            f"  {waiting.reference} waiting     {cases[1].crime_number}: propose a peer supporter", *times]

"""Demo data for peer supporters (issue 24): one-to-one peer support at two organisations, and the demo victim's
offer to help others, made through the peer services after their 12-week check-in on a case whose support has
finished, with Camden Victim Support's checks recorded and the offer accepted (Polska Pomoc London has not decided)."""

from datetime import timedelta

from sqlalchemy import select

from portal.cases.models import Report
from portal.clock import today_in_london, utcnow
from portal.extensions import db
from portal.peers import queries, services
from portal.peers.models import PeerOffer, PeerSupporter
from portal.support.enums import Delivery, ReferralStatus, ServiceKind
from portal.support.models import Organisation, Referral, SupportService
from portal.surveys.models import CheckIn

ONE_TO_ONE = {
    "Camden Victim Support": {
        "name": "One-to-one peer support", "kind": ServiceKind.PEER_ONE_TO_ONE, "levels": ["peer"],
        "description": "We pair you with a trained volunteer who has been through a crime too, to talk on the phone, "
                       "online or over a coffee, for up to 8 weeks.",
        "categories": [], "boroughs": ["Camden", "Islington"], "languages": ["en"], "delivery": Delivery.BOTH,
        "location_name": "Camden Support Centre", "address": "12 Crowndale Road", "postcode": "NW1 1TN",
        "expected_wait_days": 10, "active": True},
    "Polska Pomoc London": {
        "name": "Wsparcie rówieśnicze: one-to-one peer support in Polish", "kind": ServiceKind.PEER_ONE_TO_ONE,
        "levels": ["peer"], "description": "A Polish-speaking volunteer who has been through a crime talks with you "
                                           "online, once a week.",
        "categories": [], "boroughs": [], "languages": ["pl", "en"], "delivery": Delivery.ONLINE,
        "expected_wait_days": 14, "active": True},
}


def _one_to_one_services() -> None:
    for organisation_name, spec in ONE_TO_ONE.items():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == organisation_name))
        if organisation is None:
            continue
        if db.session.scalar(select(SupportService.id).where(SupportService.organisation_id == organisation.id,
                                                             SupportService.name == spec["name"])) is None:
            db.session.add(SupportService(organisation_id=organisation.id, **spec))
    db.session.commit()


def _finished_case(victim) -> Report | None:
    """The demo victim's case whose referrals are all finished, with a closed one to hang the check-in on."""
    for report in db.session.scalars(select(Report).where(Report.reporter_user_id == victim.id).order_by(Report.id)):
        referrals = list(db.session.scalars(select(Referral).where(Referral.report_id == report.id,
                                                                   Referral.witness_link_id.is_(None))))
        closed = [r for r in referrals if r.status == ReferralStatus.CLOSED]
        if closed and all(r.status in (ReferralStatus.CLOSED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN)
                          for r in referrals):
            return report
    return None


def demo_peers(victim, partner) -> list[str]:
    """One-to-one peer services, the victim's 12-week check-in answered and their offer, accepted by the demo
    partner's organisation after its checks. Only once."""
    if victim is None or partner is None or partner.organisation_id is None:
        return []
    _one_to_one_services()
    if db.session.scalar(select(PeerOffer.id).where(PeerOffer.user_id == victim.id).limit(1)) is not None:
        return ["Demo peer supporter: already there (victim@example.org, at /partner/peer-offers)"]
    report = _finished_case(victim)
    if report is None:
        return []
    referral = db.session.scalar(select(Referral).where(Referral.report_id == report.id,
                                                        Referral.status == ReferralStatus.CLOSED).limit(1))
    now = utcnow()
    if db.session.scalar(select(CheckIn.id).where(CheckIn.referral_id == referral.id, CheckIn.weeks == 12)) is None:
        db.session.add(CheckIn(referral_id=referral.id, report_id=report.id, organisation_id=referral.organisation_id,
                               support_level=referral.support_level, weeks=12, due_at=now - timedelta(days=3),
                               invited_at=now - timedelta(days=3), answered_at=now - timedelta(days=2), coping=4,
                               safety=4, wellbeing=4, confidence=3, daily_life=4))
        db.session.commit()
    answers = services.OfferAnswers(categories=(report.category.code, "criminal_damage"), languages=("en", "pl"),
                                    availability=("weekday_evenings", "weekends"), delivery="both", first_name="Sam",
                                    shared_contact=None)
    codes = [category.code for category in queries.offer_categories()]
    offer = services.make_offer(victim, report, answers, codes)
    held = db.session.scalar(select(PeerSupporter).where(PeerSupporter.offer_id == offer.id,
                                                         PeerSupporter.organisation_id == partner.organisation_id))
    lines = [f"Demo peer supporter: victim@example.org offered to help others (after {report.crime_number}), "
             f"shared with {len(offer.supporters)} organisations"]
    if held is not None:
        today = today_in_london()
        services.record_checks(partner, held.id, today - timedelta(days=1), today - timedelta(days=1),
                               today - timedelta(days=1))
        services.accept(partner, held.id)
        lines.append("  Camden Victim Support checked and accepted them: /partner/peer-supporters")
    lines.append(f"  {len(queries.active_supporters())} active peer supporter(s)")
    return lines

"""Demo data for a peer-support group's places: members, a waiting list and a moved meeting, made through the
referral and place services (so each has its history, timeline events, audit and notifications)."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.cases.models import Report
from portal.clock import today_in_london
from portal.extensions import db
from portal.support import places, referrals
from portal.support.enums import Delivery, ServiceKind
from portal.support.group_models import GroupPlace
from portal.support.models import Organisation, SupportService

# A small group, so that three people joining make two members and one person waiting.
DEMO_GROUP = {
    "name": "Thursday afternoon group", "kind": ServiceKind.PEER_GROUP, "levels": ["peer"], "capacity": 2,
    "description": "A small daytime group for people affected by burglary, led by a trained volunteer.",
    "categories": [], "boroughs": ["Camden"], "languages": ["en"], "delivery": Delivery.IN_PERSON,
    "location_name": "Camden Support Centre", "address": "12 Crowndale Road", "postcode": "NW1 1TN",
    "expected_wait_days": 7, "schedule_freq": "WEEKLY", "schedule_byday": "TH", "opens_at": "14:00",
    "closes_at": "15:30", "facilitator_check": "Enhanced DBS check",
}
SCOPES = ["category_and_dates", "contact_details"]


def demo_groups(victim, partner) -> list[str]:
    """The demo group with two members and one person waiting (all the demo victim's cases), and next week's
    meeting moved. Only once."""
    camden = db.session.scalar(select(Organisation).where(Organisation.name == "Camden Victim Support"))
    if camden is None or victim is None or partner is None or partner.organisation_id != camden.id:
        return []
    group = db.session.scalar(select(SupportService).where(SupportService.organisation_id == camden.id,
                                                           SupportService.name == DEMO_GROUP["name"]))
    if group is None:
        group = SupportService(organisation_id=camden.id, facilitator_checked_on=today_in_london() - timedelta(days=60),
                               **DEMO_GROUP)
        db.session.add(group)
        db.session.commit()
    if db.session.scalar(select(func.count()).select_from(GroupPlace).where(GroupPlace.service_id == group.id)):
        return [f"Demo group: {group.name} already has members"]
    cases = list(db.session.scalars(select(Report).where(Report.reporter_user_id == victim.id)
                                    .order_by(Report.id.desc()).limit(3)))
    if len(cases) < 3:
        return []
    # All three are referred before any is accepted (a group takes no new referral while its places are spoken for).
    sent = [referrals.refer_with_consent(victim, case, group, "peer", SCOPES) for case in cases]
    for referral in sent:
        referrals.accept(partner, referral, referral.version)
    for referral in sent:
        referrals.close(partner, referral, referral.version, places.JOINED)
    meeting = today_in_london() + timedelta(days=1)
    while meeting.weekday() != 3:  # Thursday
        meeting += timedelta(days=1)
    places.change_session(partner, group.id, meeting, "moved", meeting + timedelta(days=1), "14:00")
    return [f"Demo group: {group.name}, 2 members and 1 waiting ({cases[-1].crime_number} is first on the list); "
            f"the meeting on {meeting:%d %B} moved to the Friday",
            *(f"  {referral.reference} joined           {case.crime_number} to Camden Victim Support"
              for referral, case in zip(sent, cases, strict=True))]

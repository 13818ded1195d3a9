"""Organisations, services and referrals for support tests, made through the models and the referral services."""

from datetime import timedelta

from portal.clock import utcnow
from portal.extensions import db
from portal.support.enums import Delivery, ServiceKind
from portal.support.models import Organisation, SupportService


def make_organisation(name: str = "Camden Victim Support", *, accredited: bool = True, approved: bool = True,
                      email: str | None = "referrals@charity.example.org", **fields) -> Organisation:
    """An organisation; accredited means assured last year and expiring next year. Needs an app context."""
    today = utcnow().date()
    organisation = Organisation(
        name=name, description=f"{name} helps people affected by crime.", email=email, approved=approved,
        accreditation_body="Support Quality Standard" if accredited else None,
        assured_date=today - timedelta(days=365) if accredited else None,
        accreditation_expires_on=today + timedelta(days=365) if accredited else None, **fields)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_service(organisation: Organisation, name: str = "Support after theft", *,
                 kind: ServiceKind = ServiceKind.SERVICE, levels=("contact", "specialist"), **fields) -> SupportService:
    """A service (or, with kind=PEER_GROUP, a group) of an organisation. Needs an app context."""
    values = dict(
        organisation_id=organisation.id, kind=kind,
        levels=list(levels) if kind == ServiceKind.SERVICE else ["peer"], name=name,
        description=f"{name}: someone to talk to and practical help.", categories=[], boroughs=["Camden"],
        languages=["en"], delivery=Delivery.IN_PERSON, expected_wait_days=3, schedule_freq="WEEKLY",
        schedule_byday="TU", opens_at="18:00", closes_at="19:30", accessibility="Step-free access.",
    )
    values.update(fields)
    service = SupportService(**values)
    db.session.add(service)
    db.session.commit()
    return service


def make_peer_group(organisation: Organisation, name: str = "Tuesday evening peer group", **fields) -> SupportService:
    """A peer-support group with places and a checked facilitator."""
    fields.setdefault("capacity", 8)
    fields.setdefault("facilitator_check", "Enhanced DBS check")
    fields.setdefault("facilitator_checked_on", utcnow().date() - timedelta(days=30))
    return make_service(organisation, name, kind=ServiceKind.PEER_GROUP, **fields)

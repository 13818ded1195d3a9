"""What a partner writes of their own: their organisation's services and peer-support groups (the only partner
code that writes them), and safeguarding concerns raised on a referral for the police.

Every write is scoped to the acting partner's organisation, checked against the rules below (raising
`DomainError` on the field to fix) and audited. Accepting, declining, contact and closing a referral are
`portal.support.referrals`.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import CrimeCategory, Report
from portal.cases.timeline import add_timeline_event
from portal.clock import today_in_london
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.notifications.services import queue_email_to
from portal.partners.case_view import case_view
from portal.postal_address import normalise_postcode
from portal.reporting.boroughs import BOROUGHS
from portal.support import referrals, schedules
from portal.support.enums import Delivery, ServiceKind
from portal.support.matching import LANGUAGE_NAMES
from portal.support.models import Organisation, Referral, SupportService
from portal.support.referral_states import OPEN_STATUSES
from portal.support.referrals import partner_can_see
from portal.tasks.enums import Asker, TaskType
from portal.tasks.models import Task
from portal.tasks.services import raise_task

NAME_MAX = 200
DESCRIPTION_MAX = 5000
LOCATION_MAX = 200
ADDRESS_MAX = 300
ACCESSIBILITY_MAX = 2000
CHECK_MAX = 200
SERVICE_LEVELS = ("contact", "specialist")
AGE_MAX = 120
CAPACITY_MAX = 10000
WAIT_MAX = 365


@dataclass(frozen=True)
class ServiceDetails:
    """Everything an organisation says about one service or group."""

    name: str
    kind: str
    description: str
    delivery: str
    levels: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    boroughs: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    location_name: str | None = None
    address: str | None = None
    postcode: str | None = None
    accessibility: str | None = None
    step_free: bool = False
    minimum_age: int | None = None
    maximum_age: int | None = None
    capacity: int | None = None
    expected_wait_days: int = 5
    schedule_freq: str | None = None
    schedule_interval: int = 1
    schedule_byday: str | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    facilitator_check: str | None = None
    facilitator_checked_on: date | None = None
    active: bool = True


def category_choices() -> list[tuple[str, str]]:
    """Every crime category (code, name), in the order the public sees them."""
    rows = db.session.execute(select(CrimeCategory.code, CrimeCategory.name)
                              .order_by(CrimeCategory.sort_order, CrimeCategory.id))
    return [(code, name) for code, name in rows]


def services_for(organisation_id: int) -> list[SupportService]:
    """The organisation's services and groups, by name."""
    return list(db.session.scalars(select(SupportService).where(SupportService.organisation_id == organisation_id)
                                   .order_by(SupportService.name, SupportService.id)))


def own_service(actor: User, service_id: int) -> SupportService | None:
    """One of the actor's organisation's services, or None (another organisation's looks the same as none)."""
    if actor.organisation_id is None:
        return None
    return db.session.scalar(select(SupportService).where(SupportService.id == service_id,
                                                          SupportService.organisation_id == actor.organisation_id))


def _text(value: str | None, maximum: int, what: str, name: str, required: bool = False) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {what}", field=name)
    if len(value) > maximum:
        raise DomainError(f"{what[0].upper()}{what[1:]} must be {maximum} characters or fewer", field=name)
    return value or None


def _number(value: int | None, low: int, high: int, message: str, name: str) -> int | None:
    if value is not None and not low <= value <= high:
        raise DomainError(message, field=name)
    return value


def _only(values, allowed, message: str, name: str) -> list[str]:
    chosen = list(dict.fromkeys(values or ()))
    if any(value not in allowed for value in chosen):
        raise DomainError(message, field=name)
    return chosen


def _checked(details: ServiceDetails) -> dict:
    """The details as column values, or a DomainError naming the first thing to fix."""
    try:
        kind = ServiceKind(details.kind)
    except ValueError:
        raise DomainError("Select whether this is a service or a peer-support group", field="kind") from None
    try:
        delivery = Delivery(details.delivery)
    except ValueError:
        raise DomainError("Select how the support is given", field="delivery") from None
    values: dict[str, Any] = {
        "kind": kind,
        "delivery": delivery,
        "name": _text(details.name, NAME_MAX, "the name", "name", required=True),
        "description": _text(details.description, DESCRIPTION_MAX, "a description", "description", required=True),
        "location_name": _text(details.location_name, LOCATION_MAX, "the place name", "location_name"),
        "address": _text(details.address, ADDRESS_MAX, "the address", "address"),
        "accessibility": _text(details.accessibility, ACCESSIBILITY_MAX, "the accessibility information",
                               "accessibility"),
        "categories": _only(details.categories, {code for code, _name in category_choices()},
                            "Select crime categories from the list", "categories"),
        "boroughs": [b for b in BOROUGHS if b in _only(details.boroughs, BOROUGHS, "Select boroughs from the list",
                                                       "boroughs")],
        "languages": _only(details.languages, LANGUAGE_NAMES, "Select languages from the list", "languages"),
        "minimum_age": _number(details.minimum_age, 0, AGE_MAX, f"The minimum age must be between 0 and {AGE_MAX}",
                               "minimum_age"),
        "maximum_age": _number(details.maximum_age, 0, AGE_MAX, f"The maximum age must be between 0 and {AGE_MAX}",
                               "maximum_age"),
        "capacity": _number(details.capacity, 1, CAPACITY_MAX,
                            f"The number of places must be between 1 and {CAPACITY_MAX}", "capacity"),
        "expected_wait_days": _number(details.expected_wait_days, 0, WAIT_MAX,
                                      f"The usual wait must be between 0 and {WAIT_MAX} days", "expected_wait_days"),
        "step_free": bool(details.step_free),
        "active": bool(details.active),
    }
    if values["expected_wait_days"] is None:
        raise DomainError("Enter the usual wait in days", field="expected_wait_days")
    if kind in (ServiceKind.PEER_GROUP, ServiceKind.PEER_ONE_TO_ONE):
        values["levels"] = ["peer"]
    else:
        values["levels"] = [level for level in SERVICE_LEVELS
                            if level in _only(details.levels, SERVICE_LEVELS, "Select the support this service gives",
                                              "levels")]
        if not values["levels"]:
            raise DomainError("Select the support this service gives", field="levels")
    if not values["languages"]:
        raise DomainError("Select at least one language the support is given in", field="languages")
    if (values["minimum_age"] is not None and values["maximum_age"] is not None
            and values["maximum_age"] < values["minimum_age"]):
        raise DomainError("The maximum age must be the same as or more than the minimum age", field="maximum_age")
    typed = (details.postcode or "").strip()
    postcode = normalise_postcode(typed)  # kept in capitals with one space, as every postcode in the portal
    if typed and postcode is None:
        raise DomainError("Enter a real postcode, like NW1 2DB", field="postcode")
    values["postcode"] = postcode
    if delivery in (Delivery.IN_PERSON, Delivery.BOTH) and not (values["location_name"] or values["address"]):
        raise DomainError("Enter where the support happens, or choose online", field="location_name")
    values.update(_schedule(details))
    values.update(_facilitator(details, kind))
    return values


def _clock(value: str | None) -> str | None:
    """A typed time in the stored form: '6.30' and '6:30' become '06:30'."""
    value = (value or "").strip().replace(".", ":")
    if re.match(r"^[0-9]:[0-9]{2}$", value):
        value = "0" + value
    return value or None


def _schedule(details: ServiceDetails) -> dict:
    schedule = schedules.Schedule(details.schedule_freq or None, details.schedule_interval or 1,
                                  details.schedule_byday or None, _clock(details.opens_at), _clock(details.closes_at))
    for name in ("opens_at", "closes_at"):
        value = getattr(schedule, name)
        if value and not schedules.TIME.match(value):
            raise DomainError("Enter times in 24-hour form, like 18:30", field=name)
    if schedule.opens_at and schedule.closes_at and schedule.closes_at <= schedule.opens_at:
        raise DomainError("The finish time must be after the start time", field="closes_at")
    if schedule.closes_at and not schedule.opens_at:
        raise DomainError("Enter the start time as well as the finish time", field="opens_at")
    problem = schedules.check(schedule)
    if problem:
        if "weekly or monthly" in problem:
            name = "schedule_freq"
        elif "gap" in problem:
            name = "schedule_interval"
        elif "day" in problem:
            name = "schedule_byday"
        else:
            name = "closes_at"
        raise DomainError(problem, field=name)
    if schedule.freq is None:
        return {"schedule_freq": None, "schedule_interval": 1, "schedule_byday": None,
                "opens_at": schedule.opens_at, "closes_at": schedule.closes_at}
    return {"schedule_freq": schedule.freq, "schedule_interval": schedule.interval,
            "schedule_byday": schedule.byday, "opens_at": schedule.opens_at, "closes_at": schedule.closes_at}


def _facilitator(details: ServiceDetails, kind: ServiceKind) -> dict:
    check = _text(details.facilitator_check, CHECK_MAX, "the safeguarding check", "facilitator_check")
    checked_on = details.facilitator_checked_on
    if checked_on is not None and checked_on > today_in_london():
        raise DomainError("The date of the check must be today or in the past", field="facilitator_checked_on")
    if kind == ServiceKind.PEER_GROUP:
        if not check:
            raise DomainError("Enter the safeguarding check the group’s facilitators have had",
                              field="facilitator_check")
        if checked_on is None:
            raise DomainError("Enter the date of the facilitators’ safeguarding check",
                              field="facilitator_checked_on")
    elif checked_on is not None and not check:
        raise DomainError("Enter the safeguarding check, or leave the date empty", field="facilitator_check")
    return {"facilitator_check": check, "facilitator_checked_on": checked_on}


def _require_partner(actor: User) -> int:
    if actor.role != Role.PARTNER or actor.organisation_id is None:
        raise DomainError("Your account is not linked to an organisation")
    return actor.organisation_id


def _summary(service: SupportService) -> str:
    return f"{service.kind.value} {service.name!r} active={service.active}"


def create_service(actor: User, details: ServiceDetails) -> SupportService:
    """Add a service or group to the actor's organisation."""
    try:
        organisation_id = _require_partner(actor)
        values = _checked(details)
    except DomainError:
        db.session.rollback()
        raise
    service = SupportService(organisation_id=organisation_id, **values)
    db.session.add(service)
    db.session.flush()
    record_audit(actor.id, "service.created", "support_service", str(service.id), _summary(service))
    db.session.commit()
    return service


def update_service(actor: User, service: SupportService, details: ServiceDetails) -> SupportService:
    """Change one of the actor's organisation's services or groups."""
    try:
        organisation_id = _require_partner(actor)
        if service.organisation_id != organisation_id:
            raise DomainError("This service is not available")
        values = _checked(details)
    except DomainError:
        db.session.rollback()
        raise
    before = _summary(service)
    for name, value in values.items():
        setattr(service, name, value)
    record_audit(actor.id, "service.updated", "support_service", str(service.id), f"{before} -> {_summary(service)}")
    db.session.commit()
    return service


# Safeguarding concerns ---------------------------------------------------------------------------------------

# A task keeps up to 1000 characters of the asker's words (`raise_task`), as a victim's call note does: a longer
# concern is refused with a message rather than cut short without anyone knowing.
CONCERN_MAX = 1000
TITLE_MAX = 200  # a timeline event's title


def can_raise_concern(referral: Referral) -> bool:
    """A concern can be raised while the organisation has the referral in hand: sent to them and not yet
    answered, accepted, contacted, or unable to make contact. Not once declined or closed (they are no longer
    working with the person), and a withdrawn referral is not theirs to see at all."""
    return referral.status in OPEN_STATUSES


@refusals_roll_back
def raise_safeguarding_concern(actor: User, referral: Referral, concern: str | None) -> Task:
    """A partner tells the police safeguarding team they are worried about the person on a referral, in one
    transaction: the task (due the same working day), an event on the case's timeline that only police staff
    see, the audit event, and a neutral email to the case's named officer if it has one. The person the concern is
    about is not told: it is not on their timeline, their requests or their data download."""
    if not partner_can_see(actor, referral):
        raise DomainError(N_("This referral is not available"))
    if not can_raise_concern(referral):
        raise DomainError(N_("You cannot do that with this referral now."))
    concern = (concern or "").strip()
    if not concern:
        raise DomainError(N_("Enter what you are worried about"), field="concern")
    if len(concern) > CONCERN_MAX:
        raise DomainError(N_("What you are worried about must be %(max)d characters or fewer"), field="concern",
                          max=CONCERN_MAX)
    report = db.session.get(Report, referral.report_id)
    organisation = db.session.get(Organisation, referral.organisation_id)
    if report is None or organisation is None:
        raise DomainError(N_("This referral is not available"))
    task = raise_task(report, TaskType.SAFEGUARDING_CONCERN, Asker.PARTNER, actor, note=concern)
    # Police staff only (neither the victim nor a witness sees it). The name is written into the title rather than
    # given as a value, because values are filled into the body too, and the body is the partner's own words.
    title = f"Safeguarding concern from {organisation.name}"
    add_timeline_event(report.id, "safeguarding_concern", title if len(title) <= TITLE_MAX else
                       f"{title[:TITLE_MAX - 1]}…", concern, actor_id=actor.id,
                       reason_code=TaskType.SAFEGUARDING_CONCERN.value)
    record_audit(actor.id, "referral.concern_raised", "referral", referral.reference,
                 f"task {task.id} on {report.crime_number}")
    if report.named_officer_id is not None:
        officer = db.session.get(User, report.named_officer_id)
        if officer is not None and officer.is_active:
            queue_email_to(officer, "case_update", sign_in_link=absolute_url("auth.login"))
    db.session.commit()
    return task


# Contact attempts -------------------------------------------------------------------------------------------

LEFT_MESSAGE = "left_message"
VOICEMAIL_REFUSED = ("Do not leave a message: the person has not said a voicemail is safe. If you left one, raise "
                     "a safeguarding concern")


def voicemail_allowed(referral: Referral) -> bool:
    """Whether the person said a voicemail is safe, and shared that with this organisation (their contact details
    are covered by the consent). Anything less means no."""
    view = case_view(referral)
    return bool(view is not None and view.contact is not None and view.contact.voicemail_allowed)


def record_contact_attempt(partner: User, referral: Referral, expected_version: int, outcome: str,
                           note: str | None = None, give_up: bool = False) -> Referral:
    """One attempt to reach the person (portal.support.referrals.record_contact), refusing 'left a message' when
    a voicemail is not safe for them."""
    if outcome == LEFT_MESSAGE and not voicemail_allowed(referral):
        raise DomainError(VOICEMAIL_REFUSED, field="outcome")
    return referrals.record_contact(partner, referral, expected_version, outcome, note, give_up=give_up)

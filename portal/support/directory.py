"""The directory: listed services, searched and filtered in SQL, and the candidates for matching.

Only services of approved organisations with an accreditation in date on the day are listed.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import contains_eager

from portal.clock import utcnow
from portal.extensions import db
from portal.paging import page_within
from portal.support.enums import Delivery, ServiceKind
from portal.support.matching import Candidate, Need
from portal.support.models import Organisation, SupportService
from portal.support.referrals import places_taken
from portal.support.waits import waits_for

PER_PAGE = 20


def listed_clause(today: date):
    """The SQL condition for an organisation that may be listed and receive referrals."""
    return and_(Organisation.approved.is_(True), Organisation.assured_date <= today,
                Organisation.accreditation_expires_on >= today)


def _json_has(column, value: str):
    """A JSON list column holds this string (portable: SQLite and PostgreSQL store the list as text)."""
    return cast(column, String).contains(f'"{value}"', autoescape=True)


def _json_empty(column):
    return func.replace(cast(column, String), " ", "") == "[]"


@dataclass(frozen=True)
class Filters:
    """What a person narrowed the directory to. Every field is optional and already validated."""

    category: str | None = None
    borough: str | None = None
    language: str | None = None
    delivery: str | None = None  # "online" or "in_person"
    day: str | None = None  # "MO" ... "SU"
    age: int | None = None
    kind: str | None = None  # "service" or "peer_group"


@dataclass(frozen=True)
class Page:
    """One page of results, with each service's places taken."""

    services: list[SupportService]
    total: int
    page: int
    pages: int
    taken: dict[int, int]


def _listed(today: date):
    return (select(SupportService).join(SupportService.organisation)
            .options(contains_eager(SupportService.organisation))
            .where(SupportService.active.is_(True), listed_clause(today)))


def _filtered(query, filters: Filters):
    if filters.category:
        query = query.where(or_(_json_empty(SupportService.categories),
                                _json_has(SupportService.categories, filters.category)))
    if filters.borough:
        query = query.where(or_(_json_empty(SupportService.boroughs),
                                _json_has(SupportService.boroughs, filters.borough),
                                SupportService.delivery != Delivery.IN_PERSON))
    if filters.language:
        query = query.where(_json_has(SupportService.languages, filters.language))
    if filters.delivery == "online":
        query = query.where(SupportService.delivery.in_([Delivery.ONLINE, Delivery.BOTH]))
    elif filters.delivery == "in_person":
        query = query.where(SupportService.delivery.in_([Delivery.IN_PERSON, Delivery.BOTH]))
    if filters.day:
        query = query.where(SupportService.schedule_byday.contains(filters.day, autoescape=True))
    if filters.age is not None:
        query = query.where(or_(SupportService.minimum_age.is_(None), SupportService.minimum_age <= filters.age),
                            or_(SupportService.maximum_age.is_(None), SupportService.maximum_age >= filters.age))
    if filters.kind:
        query = query.where(SupportService.kind == ServiceKind(filters.kind))
    return query


def search(filters: Filters, page: int = 1, per_page: int = PER_PAGE, today: date | None = None) -> Page:
    """Listed services matching the filters, by name, one page at a time."""
    query = _filtered(_listed(today or utcnow().date()), filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page, pages = page_within(page, total, per_page)
    services = list(db.session.scalars(query.order_by(SupportService.name, SupportService.id)
                                       .limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(services, total, page, pages, places_taken(s.id for s in services))


def listed_service(service_id: int, today: date | None = None) -> SupportService | None:
    """One service, only if it is listed today."""
    return db.session.scalar(_listed(today or utcnow().date()).where(SupportService.id == service_id))


def listed_organisations(today: date | None = None) -> list[Organisation]:
    """Organisations that may be listed today, by name."""
    return list(db.session.scalars(select(Organisation).where(listed_clause(today or utcnow().date()))
                                   .order_by(Organisation.name)))


def places_left(service: SupportService, taken: dict[int, int]) -> int | None:
    """Places left, or None when the service has no fixed limit."""
    if service.capacity is None:
        return None
    return max(service.capacity - taken.get(service.id, 0), 0)


def candidates_for(need: Need, today: date | None = None) -> list[Candidate]:
    """The listed services that could help with this need, as plain values for the matching rules."""
    kind = {"peer": ServiceKind.PEER_GROUP, "peer_one_to_one": ServiceKind.PEER_ONE_TO_ONE}.get(need.level,
                                                                                            ServiceKind.SERVICE)
    services = list(db.session.scalars(_filtered(_listed(today or utcnow().date()),
                                                 Filters(category=need.category, kind=kind.value))).unique())
    taken = places_taken(s.id for s in services)
    waits = waits_for(services)
    return [Candidate(id=s.id, name=s.name, organisation=s.organisation.name, kind=s.kind,
                      levels=tuple(s.levels or ()), categories=tuple(s.categories or ()),
                      boroughs=tuple(s.boroughs or ()), languages=tuple(s.languages or ()), delivery=s.delivery,
                      wait_days=waits[s.id].days, places_left=places_left(s, taken),
                      minimum_age=s.minimum_age, maximum_age=s.maximum_age, step_free=s.step_free)
            for s in services]


def restorative_justice_services(borough: str, today: date | None = None) -> list[SupportService]:
    """Listed restorative justice services that cover the borough (or all of London, or work online), by name."""
    query = _filtered(_listed(today or utcnow().date()), Filters(borough=borough))
    return list(db.session.scalars(query.where(SupportService.kind == ServiceKind.RESTORATIVE_JUSTICE)
                                   .order_by(SupportService.name)).unique())

"""Read-only queries for the partner pages, always scoped to one organisation.

A partner's referrals are those sent to their organisation, in a status the organisation may see, under a
consent that has not been withdrawn. Every query here starts from `_visible`, so no page can forget a rule.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from portal.auth.models import User
from portal.cases.models import Report, TimelineEvent, WitnessLink
from portal.clock import utcnow
from portal.extensions import db
from portal.paging import page_within
from portal.support.enums import ReferralStatus as S
from portal.support.models import Consent, Referral, SupportService
from portal.support.referral_states import VISIBLE_TO_PARTNER
from portal.tasks.enums import Asker, TaskType
from portal.tasks.models import Task

PAGE_SIZE = 25

# The inbox's lists, in the order they are shown.
VIEWS = ("new", "overdue", "open", "closed")
VIEW_NAMES = {"new": _l("New"), "overdue": _l("Overdue"), "open": _l("Open"), "closed": _l("Closed")}
WAITING_FOR_CONTACT = (S.SENT, S.ACCEPTED, S.UNABLE_TO_CONTACT)
OPEN = (S.ACCEPTED, S.CONTACTED, S.UNABLE_TO_CONTACT)
CLOSED = (S.DECLINED, S.CLOSED)



def _visible(organisation_id: int) -> list:
    """The WHERE clauses for the referrals an organisation may see (used with a join to Consent)."""
    return [Referral.organisation_id == organisation_id, Referral.status.in_(list(VISIBLE_TO_PARTNER)),
            Consent.withdrawn_at.is_(None)]


def _overdue(now: datetime):
    return and_(Referral.status.in_(WAITING_FOR_CONTACT), Referral.first_contact_at.is_(None),
                Referral.first_contact_due_at < now)


def _view_clause(view: str, now: datetime):
    if view == "new":
        return Referral.status == S.SENT
    if view == "overdue":
        return _overdue(now)
    if view == "open":
        return Referral.status.in_(OPEN)
    return Referral.status.in_(CLOSED)


def _order(view: str) -> tuple:
    if view == "new":
        return (Referral.sent_at, Referral.id)
    if view in ("overdue", "open"):
        return (Referral.first_contact_due_at, Referral.id)
    return (Referral.closed_at.desc(), Referral.id.desc())


def is_overdue(referral: Referral, now: datetime | None = None) -> bool:
    """No first contact yet, and the organisation's target has passed."""
    return bool(referral.status in WAITING_FOR_CONTACT and referral.first_contact_at is None
                and referral.first_contact_due_at is not None and referral.first_contact_due_at < (now or utcnow()))


@dataclass(frozen=True)
class Inbox:
    """One page of one of the inbox's lists, with the size of every list."""

    view: str
    referrals: list[Referral]
    counts: dict[str, int]
    page: int
    pages: int
    now: datetime


def inbox(organisation_id: int, view: str, page: int = 1, now: datetime | None = None) -> Inbox:
    """A page of the organisation's referrals in one list. Two queries: the counts, then the page."""
    now = now or utcnow()
    view = view if view in VIEWS else "new"
    visible = _visible(organisation_id)

    def counted(clause):
        return func.coalesce(func.sum(case((clause, 1), else_=0)), 0)

    # The same referrals as `_visible`, but the withdrawn consents (few) are excluded with an anti-join rather
    # than every referral being joined to its consent: the counts read all of an organisation's referrals.
    withdrawn = select(Consent.id).where(Consent.id == Referral.consent_id, Consent.withdrawn_at.is_not(None))
    row = db.session.execute(
        select(*(counted(_view_clause(v, now)) for v in VIEWS)).select_from(Referral)
        .where(Referral.organisation_id == organisation_id, Referral.status.in_(list(VISIBLE_TO_PARTNER)),
               Referral.consent_id.is_not(None), ~withdrawn.exists())).one()
    counts = dict(zip(VIEWS, (int(value) for value in row), strict=True))
    page, pages = page_within(page, counts[view], PAGE_SIZE)
    referrals = list(db.session.scalars(
        select(Referral).join(Consent, Consent.id == Referral.consent_id)
        .where(*visible, _view_clause(view, now)).order_by(*_order(view))
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).unique())
    return Inbox(view, referrals, counts, page, pages, now)


# What referrals.py issues: "RF-" and eight letters or digits (nine for generated referrals, portal/generator.py).
# Anything else (NUL bytes included) is never looked up.
REFERENCE_SHAPE = re.compile(r"\ARF-[A-Z0-9]{8,9}\Z")


def referral_by_reference(reference: str) -> Referral | None:
    """A referral by its reference, whoever it belongs to (callers check `partner_can_see`)."""
    reference = (reference or "").strip().upper()
    if not REFERENCE_SHAPE.match(reference):
        return None
    return db.session.scalar(select(Referral).where(Referral.reference == reference))


EXPORT_COLUMNS = ("reference", "service", "status", "sent", "first_contact_due", "accepted", "first_contact",
                  "closed", "outcome_or_reason", "support_level")


def export_rows(organisation_id: int) -> Iterator[tuple]:
    """Every referral the organisation may see, oldest first, as plain values with no personal data.

    Read in batches, so a large export does not load every referral at once.
    """
    query = (select(Referral.reference, SupportService.name, Referral.status, Referral.sent_at,
                    Referral.first_contact_due_at, Referral.accepted_at, Referral.first_contact_at,
                    Referral.closed_at, Referral.reason_code, Referral.support_level)
             .select_from(Referral).join(Consent, Consent.id == Referral.consent_id)
             .join(SupportService, SupportService.id == Referral.service_id)
             .where(*_visible(organisation_id)).order_by(Referral.sent_at, Referral.id)
             .execution_options(yield_per=500))
    for row in db.session.execute(query):
        yield tuple(row)


def count_visible(organisation_id: int) -> int:
    """How many referrals the organisation may see."""
    return db.session.scalar(select(func.count(Referral.id)).join(Consent, Consent.id == Referral.consent_id)
                             .where(*_visible(organisation_id))) or 0


def report_for(referral: Referral) -> Report | None:
    """The case a referral was made from."""
    return db.session.get(Report, referral.report_id)


def progress_events(report_id: int, kinds) -> list[TimelineEvent]:
    """The case's victim-visible updates of these kinds, newest first (internal events are never loaded)."""
    return list(db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.report_id == report_id, TimelineEvent.visible_to_victim.is_(True),
                                    TimelineEvent.kind.in_(list(kinds)))
        .order_by(TimelineEvent.occurred_at.desc(), TimelineEvent.id.desc())))


def witness_for(referral: Referral) -> tuple[WitnessLink, User] | None:
    """For a witness's own referral, their link to the case (with how it is safe to reach them) and their account
    (None for the victim's referral, or a link no longer used)."""
    link = db.session.get(WitnessLink, referral.witness_link_id) if referral.witness_link_id is not None else None
    account = db.session.get(User, link.witness_user_id) if link is not None and link.witness_user_id else None
    return (link, account) if link is not None and account is not None else None


def concerns_raised(referral: Referral) -> list[Task]:
    """The safeguarding concerns the referral's organisation raised on the person's case, newest first, with the
    police's answer once there is one. One statement. (A concern raised by an account since deleted is no longer
    known to be theirs, so it is not listed.)"""
    return list(db.session.scalars(
        select(Task).join(User, User.id == Task.raised_by_id)
        .where(Task.report_id == referral.report_id, Task.type == TaskType.SAFEGUARDING_CONCERN,
               Task.asker == Asker.PARTNER, User.organisation_id == referral.organisation_id)
        .order_by(Task.raised_at.desc(), Task.id.desc())))

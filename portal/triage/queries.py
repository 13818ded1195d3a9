"""Read-only queries for the staff pages. Each page runs a fixed, small number of queries."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.staff_names import staff_names
from portal.cases.access import POLICE_ROLES
from portal.cases.enums import CaseStatus, DeadlineKind
from portal.cases.models import CrimeCategory, Report, SlaAlert, TimelineEvent, VictimsCodeDeadline
from portal.cases.victims_code import deadlines_for
from portal.clock import LONDON, utcnow
from portal.extensions import db
from portal.messages.queries import unread_for_staff
from portal.paging import page_within

PAGE_SIZE = 25
RISK_FILTERS = ("repeat_victim", "safeguarding", "enhanced_rights")


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to."""

    borough: str | None = None
    category: str | None = None
    status: str | None = None
    risk: str | None = None
    mine: bool = False


@dataclass
class QueueRow:
    """One report in the queue."""

    report: Report
    minutes_left: int
    overdue: bool
    overdue_deadlines: int
    claimed_by: str | None
    unread_messages: int = 0


@dataclass
class QueuePage:
    """A page of the queue with its headline counts."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    due_soon: int
    overdue: int
    triaged_today: int
    filters: QueueFilters = field(default_factory=QueueFilters)


def _filtered(filters: QueueFilters, user: User):
    """The queue's WHERE clauses."""
    clauses = []
    status = filters.status or CaseStatus.RECEIVED.value
    if status != "all":
        clauses.append(Report.status == CaseStatus(status))
    if filters.borough:
        clauses.append(Report.borough == filters.borough)
    if filters.category:
        clauses.append(Report.category_id == select(CrimeCategory.id).where(CrimeCategory.code == filters.category)
                       .scalar_subquery())
    if filters.risk == "repeat_victim":
        clauses.append(Report.is_repeat_victim.is_(True))
    elif filters.risk == "safeguarding":
        clauses.append(Report.safeguarding.is_(True))
    elif filters.risk == "enhanced_rights":
        clauses.append(Report.enhanced_rights.is_(True))
    if filters.mine:
        clauses.append((Report.claimed_by_id == user.id) | (Report.named_officer_id == user.id))
    return clauses


def london_midnight(now: datetime) -> datetime:
    """The start of today in London, in UTC."""
    london = now.astimezone(LONDON)
    return london.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def triage_queue(filters: QueueFilters, user: User, page: int = 1, now: datetime | None = None) -> QueuePage:
    """Reports ordered by when their triage is due, with countdowns and overdue flags."""
    now = now or utcnow()
    clauses = _filtered(filters, user)
    # count(*), not count(id): the counts can then be read from the (status, triage_due_at) index alone.
    total = db.session.scalar(select(func.count()).select_from(Report).where(*clauses)) or 0
    page, pages = page_within(page, total, PAGE_SIZE)
    reports = list(db.session.scalars(
        select(Report).where(*clauses).order_by(Report.triage_due_at, Report.id)
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ))
    ids = [r.id for r in reports]
    overdue_counts: dict[int, int] = {report_id: count for report_id, count in db.session.execute(
        select(VictimsCodeDeadline.report_id, func.count(VictimsCodeDeadline.id))
        .where(VictimsCodeDeadline.report_id.in_(ids), VictimsCodeDeadline.met_at.is_(None),
               VictimsCodeDeadline.due_at < now)
        .group_by(VictimsCodeDeadline.report_id)
    )} if ids else {}
    unread = unread_for_staff(ids)  # one grouped query for the whole page, none if the page is empty
    claimers = {r.claimed_by_id for r in reports if r.claimed_by_id}
    names = staff_names(claimers)
    untriaged = Report.status == CaseStatus.RECEIVED

    def counted(*where):
        return select(func.count()).select_from(Report).where(*where).scalar_subquery()

    # Three indexed counts in one statement (each subquery has its own WHERE, so none reads the whole table).
    due_soon, overdue, triaged_today = db.session.execute(select(
        counted(untriaged, Report.triage_due_at >= now, Report.triage_due_at < now + timedelta(minutes=15)),
        counted(untriaged, Report.triage_due_at < now),
        counted(Report.triaged_at >= london_midnight(now)),
    )).one()
    rows = [
        QueueRow(r, int((r.triage_due_at - now).total_seconds() // 60),
                 r.status == CaseStatus.RECEIVED and r.triage_due_at < now,
                 overdue_counts.get(r.id, 0), names.get(r.claimed_by_id) if r.claimed_by_id is not None else None,
                 unread.get(r.id, 0))
        for r in reports
    ]
    return QueuePage(rows, total, page, pages, due_soon, overdue, triaged_today, filters)


@dataclass
class CaseView:
    """Everything the staff case page shows."""

    report: Report
    timeline: list[TimelineEvent]
    deadlines: list[VictimsCodeDeadline]
    audit: list[AuditEvent]
    people: dict[int, str]
    unread_messages: int = 0


def case_view(report: Report) -> CaseView:
    """Load a case's timeline, deadlines, audit trail, the names of the people involved and unread messages."""
    timeline = list(db.session.scalars(select(TimelineEvent).where(TimelineEvent.report_id == report.id)
                                       .order_by(TimelineEvent.occurred_at, TimelineEvent.id)))
    deadlines = deadlines_for(report.id)
    audit = list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "report",
                                                              AuditEvent.object_id == report.crime_number)
                                    .order_by(AuditEvent.occurred_at.desc()).limit(50)))
    ids = {e.actor_id for e in timeline} | {a.actor_id for a in audit} | {report.claimed_by_id,
                                                                          report.named_officer_id}
    ids.discard(None)
    people = staff_names(ids)
    unread = unread_for_staff([report.id]).get(report.id, 0)
    return CaseView(report, timeline, deadlines, audit, people, unread)


def compliance_rates(now: datetime | None = None) -> list[dict]:
    """For each kind of promise: how many fell due, how many were met on time, and the rate."""
    now = now or utcnow()
    due = VictimsCodeDeadline.due_at < now
    on_time = VictimsCodeDeadline.met_at.is_not(None) & (VictimsCodeDeadline.met_at <= VictimsCodeDeadline.due_at)
    rows = db.session.execute(
        select(VictimsCodeDeadline.kind, func.count(VictimsCodeDeadline.id).filter(due | on_time),
               func.count(VictimsCodeDeadline.id).filter(on_time))
        .group_by(VictimsCodeDeadline.kind)
    ).all()
    result = []
    for kind in DeadlineKind:
        fell_due, met = next(((d, m) for k, d, m in rows if k == kind), (0, 0))
        result.append({"kind": kind, "fell_due": fell_due, "met": met,
                       "rate": round(100 * met / fell_due) if fell_due else None})
    return result


def open_alerts() -> list[SlaAlert]:
    """SLA alerts not yet cleared, most urgent first."""
    return list(db.session.scalars(select(SlaAlert).where(SlaAlert.cleared_at.is_(None)).order_by(SlaAlert.due_at)))


def staff_account(user_id: int) -> User | None:
    """A police staff account by id (None for any other account, or none)."""
    account = db.session.get(User, user_id)
    return account if account is not None and account.role in POLICE_ROLES else None

"""The insight figures as SQL aggregates over the case tables. Every function runs one statement, grouped in the
database, and returns plain dataclasses: never a row per case.

The pages read the same figures from the daily rollups (``portal.insight.rollups``). What stays in use here:
the dataclasses, the group and measure expressions the refresh job builds the rollups with
(``portal.insight.refresh``), the diversions, the requests and the feedback ratings (read live) and the
categories. The other query functions are the live reference the tests compare the rollups with
(``tests/test_insight_rollups.py``).

Requests are read live because a median cannot be added up from daily sums: one statement counts them by type,
and one reads the two times of each finished request, for the percentiles (``portal.insight.percentiles``).

Witnesses' answers about hearings and the changes to hearings are read live too, in three statements of a row per
answer, per witness and hearing, and per change (a hearing's time is in JSON, and months are London's): see the
section at the end.

Counting people: a case (report) stands for one person. Each figure says how many distinct cases it is built
from (``people``), which is what small-number suppression looks at.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, literal, or_, select
from sqlalchemy.orm import aliased

from portal.cases.enums import CaseStatus, DeadlineKind, Route
from portal.cases.models import CrimeCategory, Report, TimelineEvent, VictimsCodeDeadline, WitnessLink
from portal.clock import LONDON, utcnow
from portal.equality.models import CHARACTERISTICS, EqualityRecord
from portal.extensions import db
from portal.feedback.models import RATINGS, Feedback
from portal.insight.filters import Filters
from portal.insight.percentiles import percentile, working_days_taken
from portal.reporting.models import Diversion
from portal.support.models import Organisation, Referral
from portal.surveys.models import CheckIn, Survey
from portal.tasks.enums import OWED, TaskStatus, TaskType
from portal.tasks.models import Task
from portal.tracking.hearings import CHANGES, HEARING
from portal.tracking.models import CourtAvailability
from portal.tracking.reminders import REMINDERS, hearing_time

SATISFIED_FROM = 4  # answers of 4 or 5 on the 1 to 5 scale count as satisfied
MEASURES = ("overall", "kept_informed", "treated_fairly", "ease_of_reporting")
CHECK_IN_ITEMS = ("coping", "safety", "wellbeing", "confidence", "daily_life")
# The ways experience and outcomes can be broken down.
DIMENSIONS = ("borough", "support_level", "organisation", *CHARACTERISTICS)


@dataclass(frozen=True)
class Rate:
    """How many things were counted, how many met the standard, and the people (cases) behind them."""

    key: str | None
    people: int
    total: int
    met: int

    @property
    def percent(self) -> float | None:
        return 100 * self.met / self.total if self.total else None


@dataclass(frozen=True)
class Mean:
    """A mean over ``count`` things built from ``people`` cases."""

    key: str | None
    people: int
    count: int
    mean: float | None


@dataclass(frozen=True)
class Count:
    """How many cases."""

    key: str | None
    people: int


@dataclass(frozen=True)
class ServiceLevels:
    """The 45-minute and 48-hour targets, by borough."""

    triage: list[Rate]
    response: list[Rate]


@dataclass(frozen=True)
class DeadlinesByBorough:
    """Victims' Code promises (all kinds) and the 2-working-day referral offer, by borough."""

    all_kinds: list[Rate]
    referral_offer: list[Rate]


@dataclass(frozen=True)
class PartnerTimes:
    """Hours from a referral being sent to its acceptance and to first contact, by borough."""

    to_accept: list[Mean]
    to_contact: list[Mean]


@dataclass(frozen=True)
class DemandByBorough:
    """Reports, the new-demand share and the reports handled another way, by borough."""

    reports: list[Count]
    new_demand: list[Rate]
    information: list[Count]
    referred_elsewhere: list[Count]


@dataclass(frozen=True)
class Satisfaction:
    """For one group: each survey question's share of satisfied answers."""

    key: str | None
    people: int
    measures: dict[str, Rate]


# --- helpers -------------------------------------------------------------------------------------------------


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _hours(start, end):
    """Hours from one timestamp to another, in SQL."""
    if _dialect() == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 24.0
    return func.extract("epoch", end - start) / 3600.0


def _week(column):
    """The Monday starting the timestamp's week (UTC), as YYYY-MM-DD."""
    if _dialect() == "sqlite":
        return func.date(column, "weekday 0", "-6 days")
    return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")


def report_clauses(filters: Filters, when=Report.submitted_at) -> list:
    """The WHERE clauses on reports for the filters (index-friendly: plain comparisons on the columns): the period
    on `when` (the report's submission, unless the caller counts something else by its own time), the borough and
    category on the report."""
    clauses = []
    if filters.submitted_from is not None:
        clauses.append(when >= filters.submitted_from)
    if filters.submitted_before is not None:
        clauses.append(when < filters.submitted_before)
    if filters.borough:
        clauses.append(Report.borough == filters.borough)
    if filters.category_id is not None:
        clauses.append(Report.category_id == filters.category_id)
    return clauses


def _people(condition, column=Report.id):
    """Distinct cases meeting a condition."""
    return func.count(distinct(case((condition, column))))


def _n(condition):
    """Rows meeting a condition."""
    return func.count(case((condition, 1)))


def combine_rates(rates: Iterable[Rate], key: str | None = None) -> Rate:
    """The overall rate of groups that do not overlap (a sum over a handful of aggregate rows)."""
    rates = list(rates)
    return Rate(key, sum(r.people for r in rates), sum(r.total for r in rates), sum(r.met for r in rates))


def combine_means(means: Iterable[Mean], key: str | None = None) -> Mean:
    """The overall mean of groups that do not overlap, weighted by their counts."""
    means = [m for m in means if m.count]
    count = sum(m.count for m in means)
    mean = sum(m.mean * m.count for m in means if m.mean is not None) / count if count else None
    return Mean(key, sum(m.people for m in means), count, mean)


def combine_counts(counts: Iterable[Count], key: str | None = None) -> Count:
    """The total of groups that do not overlap."""
    return Count(key, sum(c.people for c in counts))


def categories() -> list[CrimeCategory]:
    """Every crime category, for the filter, in display order."""
    return list(db.session.scalars(select(CrimeCategory).order_by(CrimeCategory.sort_order, CrimeCategory.name)))


# --- service levels ------------------------------------------------------------------------------------------


def service_levels(filters: Filters, now: datetime) -> ServiceLevels:
    """Reports triaged within 45 minutes and responded to within 48 hours, by borough.

    A report counts once its target has passed or it has been met; a report still inside its time is not yet
    counted either way.
    """
    triage_counted = or_(Report.triaged_at.is_not(None), Report.triage_due_at < now)
    triage_met = and_(Report.triaged_at.is_not(None), Report.triaged_at <= Report.triage_due_at)
    response_counted = or_(Report.first_response_at.is_not(None), Report.response_due_at < now)
    response_met = and_(Report.first_response_at.is_not(None), Report.first_response_at <= Report.response_due_at)
    rows = db.session.execute(
        select(Report.borough, _n(triage_counted), _n(triage_met), _n(response_counted), _n(response_met))
        .where(*report_clauses(filters)).group_by(Report.borough).order_by(Report.borough)
    ).all()
    return ServiceLevels(
        triage=[Rate(borough, counted, counted, met) for borough, counted, met, _rc, _rm in rows],
        response=[Rate(borough, counted, counted, met) for borough, _tc, _tm, counted, met in rows],
    )


def _deadline_conditions(now: datetime):
    deadline = VictimsCodeDeadline
    on_time = and_(deadline.met_at.is_not(None), deadline.met_at <= deadline.due_at)
    fell_due = or_(deadline.due_at < now, deadline.met_at.is_not(None))
    return fell_due, on_time


def deadlines_by_kind(filters: Filters, now: datetime) -> list[Rate]:
    """Victims' Code promises that have fallen due (or been met) and how many were met on time, by kind."""
    deadline = VictimsCodeDeadline
    fell_due, on_time = _deadline_conditions(now)
    rows = dict((kind, rest) for kind, *rest in db.session.execute(
        select(deadline.kind, _people(fell_due, deadline.report_id), _n(fell_due), _n(on_time))
        .join(Report, Report.id == deadline.report_id)
        .where(*report_clauses(filters)).group_by(deadline.kind)
    ).all())
    return [Rate(kind.value, *rows.get(kind, (0, 0, 0))) for kind in DeadlineKind]


def deadlines_by_borough(filters: Filters, now: datetime) -> DeadlinesByBorough:
    """All Victims' Code promises, and the offer of a referral to support within 2 working days, by borough."""
    deadline = VictimsCodeDeadline
    fell_due, on_time = _deadline_conditions(now)
    referral = deadline.kind == DeadlineKind.SUPPORT_REFERRAL
    rows = db.session.execute(
        select(Report.borough, _people(fell_due, deadline.report_id), _n(fell_due), _n(on_time),
               _people(and_(referral, fell_due), deadline.report_id), _n(and_(referral, fell_due)),
               _n(and_(referral, on_time)))
        .join(Report, Report.id == deadline.report_id)
        .where(*report_clauses(filters)).group_by(Report.borough).order_by(Report.borough)
    ).all()
    return DeadlinesByBorough(
        all_kinds=[Rate(row[0], row[1], row[2], row[3]) for row in rows if row[2]],
        referral_offer=[Rate(row[0], row[4], row[5], row[6]) for row in rows if row[5]],
    )


def partner_times(filters: Filters) -> PartnerTimes:
    """Mean hours from a referral being sent to being accepted, and to the first contact, by borough."""
    sent = Referral.sent_at.is_not(None)
    accepted = and_(sent, Referral.accepted_at.is_not(None))
    contacted = and_(sent, Referral.first_contact_at.is_not(None))
    rows = db.session.execute(
        select(Report.borough,
               _people(accepted, Referral.report_id), _n(accepted),
               func.avg(case((accepted, _hours(Referral.sent_at, Referral.accepted_at)))),
               _people(contacted, Referral.report_id), _n(contacted),
               func.avg(case((contacted, _hours(Referral.sent_at, Referral.first_contact_at)))))
        .join(Report, Report.id == Referral.report_id)
        .where(sent, *report_clauses(filters)).group_by(Report.borough).order_by(Report.borough)
    ).all()
    return PartnerTimes(
        to_accept=[Mean(row[0], row[1], row[2], _float(row[3])) for row in rows if row[2]],
        to_contact=[Mean(row[0], row[4], row[5], _float(row[6])) for row in rows if row[5]],
    )


def _float(value) -> float | None:
    return float(value) if value is not None else None


# --- demand --------------------------------------------------------------------------------------------------


def reports_by_category(filters: Filters) -> list[Count]:
    """Reports by crime category (named), most first."""
    count = func.count(Report.id)
    rows = db.session.execute(
        select(CrimeCategory.name, count).join(CrimeCategory, CrimeCategory.id == Report.category_id)
        .where(*report_clauses(filters)).group_by(CrimeCategory.id, CrimeCategory.name)
        .order_by(count.desc(), CrimeCategory.name)
    ).all()
    return [Count(name, number) for name, number in rows]


def demand_by_borough(filters: Filters) -> DemandByBorough:
    """Reports by borough, with the share that would not have been reported otherwise and the reports handled
    another way (recorded as information, or referred elsewhere at triage)."""
    new = Report.would_have_reported == "no"
    rows = db.session.execute(
        select(Report.borough, func.count(Report.id), _n(new), _n(Report.is_information_report.is_(True)),
               _n(Report.status == CaseStatus.REFERRED_ELSEWHERE))
        .where(*report_clauses(filters)).group_by(Report.borough).order_by(Report.borough)
    ).all()
    return DemandByBorough(
        reports=[Count(row[0], row[1]) for row in rows],
        new_demand=[Rate(row[0], row[1], row[1], row[2]) for row in rows],
        information=[Count(row[0], row[3]) for row in rows],
        referred_elsewhere=[Count(row[0], row[4]) for row in rows],
    )


def diversions_by_route(filters: Filters) -> list[Count]:
    """People sent elsewhere before reporting, by where to. Diversions have a time and a category but no
    borough (they happen before the borough question), so a borough filter cannot apply to them."""
    clauses = []
    if filters.submitted_from is not None:
        clauses.append(Diversion.occurred_at >= filters.submitted_from)
    if filters.submitted_before is not None:
        clauses.append(Diversion.occurred_at < filters.submitted_before)
    if filters.category_id is not None:
        clauses.append(Diversion.category_id == filters.category_id)
    rows: dict[Route, int] = {route: count for route, count in db.session.execute(
        select(Diversion.route, func.count(Diversion.id)).where(*clauses).group_by(Diversion.route))}
    return [Count(route.value, rows.get(route, 0)) for route in (Route.FRAUD, Route.SPECIALIST)]


def feedback_ratings(filters: Filters) -> list[Count]:
    """Anonymous feedback (/feedback) by rating, best first, counted by the London day it was given. Each answer
    counts as one person. Feedback has no borough or category (it says nothing about anyone's case), so only the
    dates apply."""
    clauses = []
    if filters.date_from is not None:
        clauses.append(Feedback.given_on >= filters.date_from)
    if filters.date_to is not None:
        clauses.append(Feedback.given_on <= filters.date_to)
    rows: dict[int, int] = {rating: count for rating, count in db.session.execute(
        select(Feedback.rating, func.count(Feedback.id)).where(*clauses).group_by(Feedback.rating))}
    return [Count(str(rating), rows.get(rating, 0)) for rating in reversed(RATINGS)]


def reports_by_week(filters: Filters) -> list[Count]:
    """Reports by the week they were made (weeks start on Monday), oldest first."""
    week = _week(Report.submitted_at).label("week")
    rows = db.session.execute(
        select(week, func.count(Report.id)).where(*report_clauses(filters)).group_by(week).order_by(week)
    ).all()
    return [Count(str(start), number) for start, number in rows]


# --- experience and outcomes ---------------------------------------------------------------------------------

def _first_referral(column, *joined):
    """For the case in the outer query: a column of its first referral sent (None if it has none)."""
    return (select(column).where(Referral.report_id == Report.id, Referral.sent_at.is_not(None), *joined)
            .order_by(Referral.sent_at, Referral.id).limit(1).correlate(Report).scalar_subquery())


def _characteristic(name: str):
    """The answer given from the person's account, or else with the report: two lookups by unique keys (kept
    apart from the case; correlated lookups keep the planner on the unique indexes whatever its statistics)."""
    column = getattr(EqualityRecord, name)
    by_account = select(column).where(EqualityRecord.user_id == Report.reporter_user_id).correlate(Report)
    by_report = select(column).where(EqualityRecord.report_id == Report.id).correlate(Report)
    return func.coalesce(by_account.scalar_subquery(), by_report.scalar_subquery())


def satisfaction_group(dimension: str | None):
    """The group of a case for a breakdown of satisfaction (the case's own value: one group per case)."""
    if dimension is None:
        return literal(None)
    if dimension == "borough":
        return Report.borough
    if dimension == "support_level":
        return _first_referral(Referral.support_level)
    if dimension == "organisation":
        return _first_referral(Organisation.name, Organisation.id == Referral.organisation_id)
    return _characteristic(dimension)


def satisfaction_columns() -> list:
    """For each survey question: the cases that answered it, the answers, and the answers of 4 or 5."""
    columns = []
    for name in MEASURES:
        answer = getattr(Survey, name)
        columns += [_people(answer.is_not(None), Survey.report_id), func.count(answer),
                    _n(answer >= SATISFIED_FROM)]
    return columns


def satisfaction(filters: Filters, dimension: str | None = None) -> list[Satisfaction]:
    """Answered surveys: for each question, how many answered and how many answered 4 or 5, overall (no
    dimension) or by a dimension. A case answering twice (after the decision and at closure) counts twice in
    the shares and once in ``people``. Support level and organisation are those of the case's first referral."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(dimension)
    columns = satisfaction_columns()
    group = satisfaction_group(dimension).label("grp")
    statement = (select(group, func.count(distinct(Survey.report_id)), *columns)
                 .join(Report, Report.id == Survey.report_id)
                 .where(Survey.answered_at.is_not(None), *report_clauses(filters)))
    if dimension is not None:
        statement = statement.group_by(group).order_by(group)
    results = []
    for key, people, *numbers in db.session.execute(statement).all():
        if not people:
            continue
        measures = {name: Rate(name, *numbers[3 * i:3 * i + 3]) for i, name in enumerate(MEASURES)}
        results.append(Satisfaction(key, people, measures))
    return results


def _score(check_in):
    """The mean of the answered items of one check-in, in SQL."""
    items = [getattr(check_in, name) for name in CHECK_IN_ITEMS]
    answered = sum(case((item.is_not(None), 1), else_=0) for item in items)
    total = sum(func.coalesce(item, 0) for item in items)
    return total * 1.0 / func.nullif(answered, 0), answered


def coping_pairs():
    """The week-0 and week-12 check-ins of a referral (aliases) and the change in the mean score between them."""
    start, end = aliased(CheckIn, name="check_in_start"), aliased(CheckIn, name="check_in_end")
    return start, end, _score(end)[0] - _score(start)[0]


def coping_clauses(start, end) -> list:
    """Both check-ins the victim's (a witness's own check-ins are not counted: the figures are victims' coping and
    recovery) and answered, with at least one item each."""
    return [start.witness_link_id.is_(None), end.witness_link_id.is_(None), start.weeks == 0,
            start.answered_at.is_not(None), _score(start)[1] > 0, _score(end)[1] > 0]


def coping_group(dimension: str | None, start):
    """The group of a referral for a breakdown of coping change (joins Organisation for ``organisation``)."""
    if dimension is None:
        return literal(None)
    if dimension == "borough":
        return Report.borough
    if dimension == "support_level":
        return start.support_level
    if dimension == "peer":
        return case((start.support_level == "peer", "peer"), else_="other")
    if dimension == "organisation":
        return Organisation.name
    return _characteristic(dimension)


def coping_change(filters: Filters, dimension: str | None = None) -> list[Mean]:
    """Change in the mean of the five check-in items from referral (week 0) to 12 weeks, over referrals with
    both check-ins answered: overall, by a dimension, or ``"peer"`` (peer-support groups against the rest)."""
    if dimension is not None and dimension not in (*DIMENSIONS, "peer"):
        raise ValueError(dimension)
    start, end, change = coping_pairs()
    group = coping_group(dimension, start).label("grp")
    statement = (
        select(group, func.count(distinct(start.report_id)), func.count(start.id), func.avg(change))
        .select_from(start)
        .join(end, and_(end.referral_id == start.referral_id, end.weeks == 12, end.answered_at.is_not(None)))
        .join(Report, Report.id == start.report_id)
        .where(*coping_clauses(start, end), *report_clauses(filters))
    )
    if dimension == "organisation":
        statement = statement.join(Organisation, Organisation.id == start.organisation_id)
    if dimension is not None:
        statement = statement.group_by(group).order_by(group)
    return [Mean(key, people, count, _float(mean))
            for key, people, count, mean in db.session.execute(statement).all() if count]


# --- requests (tasks), read live ---------------------------------------------------------------------------------

FINISHED = (TaskStatus.DONE, TaskStatus.CANNOT_DO)


@dataclass(frozen=True)
class Requests:
    """Requests of one type (``key``; None for all of them), each figure with the cases (people) behind it."""

    key: str | None
    people: int  # cases with a request raised
    raised: int
    finished_people: int
    finished: int  # done, or "we could not do this"
    due_people: int
    due: int  # finished, or past their due time: the requests the share on time is out of
    on_time: int  # finished at or before their due time
    overdue_people: int
    overdue: int  # still open or in progress, and past their due time now
    median_days: int | None = None  # working days to finish, over the finished requests
    p90_days: int | None = None

    @property
    def percent_on_time(self) -> float | None:
        return 100 * self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class RequestsByType:
    """Requests of each type raised in the period (only types with any), and all of them together."""

    types: list[Requests]
    overall: Requests


def _tasks(statement, filters: Filters):
    """A statement over tasks, narrowed by the filters (joining the case only when a filter is on the case)."""
    if filters.borough or filters.category_id is not None:
        statement = statement.join(Report, Report.id == Task.report_id)
    # Raised in the period; the borough and category are the case's.
    return statement.where(*report_clauses(filters, when=Task.raised_at))


def requests_by_type(filters: Filters, now: datetime | None = None) -> RequestsByType:
    """Requests raised in the period, by type and overall: how many, how many finished, the share finished by
    their due time, the median and 90th percentile of the working days to finish, and how many are still open past
    their due time ``now``. Two statements, whatever the number of requests."""
    now = now or utcnow()
    finished = Task.status.in_(FINISHED)
    due = or_(finished, Task.due_at < now)
    on_time = and_(finished, Task.completed_at.is_not(None), Task.completed_at <= Task.due_at)
    overdue = and_(Task.status.in_(OWED), Task.due_at < now)
    columns = [func.count(distinct(Task.report_id)), func.count(Task.id),
               _people(finished, Task.report_id), _n(finished), _people(due, Task.report_id), _n(due), _n(on_time),
               _people(overdue, Task.report_id), _n(overdue)]
    by_type = _tasks(select(Task.type.label("type"), *columns), filters).group_by(Task.type)
    overall = _tasks(select(literal(None).label("type"), *columns), filters)
    counts = {row[0]: row[1:] for row in db.session.execute(by_type.union_all(overall)).all()}
    days: dict[TaskType, list[int]] = {}
    for task_type, raised_at, completed_at in db.session.execute(_tasks(
            select(Task.type, Task.raised_at, Task.completed_at), filters)
            .where(finished, Task.completed_at.is_not(None))):
        days.setdefault(task_type, []).append(working_days_taken(raised_at, completed_at))
    every = [taken for taken_by_type in days.values() for taken in taken_by_type]

    def requests(key: TaskType | None, taken: list[int]) -> Requests:
        (people, raised, finished_people, finished_count, due_people, due_count, on_time_count, overdue_people,
         overdue_count) = counts.get(key) or (0,) * len(columns)
        return Requests(key.value if key is not None else None, people, raised, finished_people, finished_count,
                        due_people, due_count, on_time_count, overdue_people, overdue_count,
                        median_days=percentile(taken, 50), p90_days=percentile(taken, 90))

    return RequestsByType(
        types=[requests(task_type, days.get(task_type, [])) for task_type in TaskType
               if (counts.get(task_type) or (0, 0))[1]],
        overall=requests(None, every),
    )



# --- witnesses and hearings, read live ------------------------------------------------------------------------
#
# Witnesses' answers about hearings, the answers owed 7 days before a hearing, and hearings moved, adjourned or
# vacated, by calendar month in London time. A hearing is a witness-visible update listing it, with its time in
# the update's values; a change names the updates it replaces (portal/tracking/hearings.py). The hearing's time is
# in JSON, which SQLite and PostgreSQL read differently, so the months are worked out here over one row per answer,
# per witness and hearing, and per change: three statements whatever the numbers. A witness (a person, for
# small-number suppression) is a witness's link to a case; for changes to hearings, a case stands for a person.

ASK_BEFORE = dict(REMINDERS)["7 days"]  # the no-answer point: the first reminder, when witness care are told
CHANGE_OF_REASON = {reason: change for change, (reason, *_rest) in CHANGES.items()}  # moved, adjourned, vacated


@dataclass(frozen=True)
class HearingChanges:
    """Changes to hearings in one month (``key``: YYYY-MM; None for the whole period)."""

    key: str | None
    people: int  # cases with any change
    counts: dict[str, tuple[int, int]]  # by change ("moved", "adjourned", "vacated"): (cases, changes)


@dataclass(frozen=True)
class Witnesses:
    """The witness figures by month (YYYY-MM, every month from the first with data to the last) and overall."""

    cannot_attend: list[Rate]  # people: witnesses answering; total: answers; met: "I cannot attend"
    cannot_attend_overall: Rate
    no_reply: list[Rate]  # people: witnesses asked; total: answers owed; met: none given by the no-answer point
    no_reply_overall: Rate
    changes: list[HearingChanges]
    changes_overall: HearingChanges


def month_of(moment: datetime) -> str:
    """The calendar month in London, as YYYY-MM."""
    return f"{moment.astimezone(LONDON):%Y-%m}"


def _months(keys: Iterable[str]) -> list[str]:
    """Every month from the first key to the last, the months between included (a month with nothing is shown)."""
    ordered = sorted(keys)
    if not ordered:
        return []
    year, month = (int(part) for part in ordered[0].split("-"))
    found = []
    while (key := f"{year:04d}-{month:02d}") <= ordered[-1]:
        found.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _in_period(filters: Filters, moment: datetime) -> bool:
    return ((filters.submitted_from is None or moment >= filters.submitted_from)
            and (filters.submitted_before is None or moment < filters.submitted_before))


def _on_cases(statement, filters: Filters, report_id):
    """Narrowed to the filters' borough and category (the case's), joining the case only when one is on."""
    if not (filters.borough or filters.category_id is not None):
        return statement
    return (statement.join(Report, Report.id == report_id)
            .where(*report_clauses(Filters(borough=filters.borough, category_id=filters.category_id))))


def _by_month(found: dict[str, list[tuple[int, bool]]]) -> tuple[list[Rate], Rate]:
    """(witness, counted) pairs by month as rates, every month from the first to the last, and overall. The
    people are the distinct witnesses."""
    def rate(key: str | None, pairs: list[tuple[int, bool]]) -> Rate:
        return Rate(key, len({witness for witness, _counted in pairs}), len(pairs),
                    sum(1 for _witness, counted in pairs if counted))

    every = [pair for pairs in found.values() for pair in pairs]
    return [rate(month, found.get(month, [])) for month in _months(found)], rate(None, every)


def _cannot_attend(filters: Filters) -> tuple[list[Rate], Rate]:
    """Each witness's latest answer about each hearing, in the month they gave it, and whether it was "I cannot
    attend". An answer before the period cannot be the latest when there is one in it, so only those from the
    period's start on are read."""
    answer = CourtAvailability
    statement = (select(answer.witness_link_id, answer.hearing_event_id, answer.available, answer.answered_at)
                 .join(WitnessLink, WitnessLink.id == answer.witness_link_id))
    if filters.submitted_from is not None:
        statement = statement.where(answer.answered_at >= filters.submitted_from)
    latest: dict[tuple[int, int], tuple[datetime, bool]] = {}
    for link_id, event_id, available, answered_at in db.session.execute(
            _on_cases(statement, filters, WitnessLink.report_id).order_by(answer.answered_at, answer.id)):
        latest[(link_id, event_id)] = (answered_at, available)
    found: dict[str, list[tuple[int, bool]]] = {}
    for (link_id, _event_id), (answered_at, available) in latest.items():
        if _in_period(filters, answered_at):
            found.setdefault(month_of(answered_at), []).append((link_id, not available))
    return _by_month(found)


Change = tuple[int, str, datetime, dict]  # case, change, when it was made, the update's values


def _hearing_changes(filters: Filters) -> list[Change]:
    """Every change to a hearing made before the period ends (the earlier ones can replace a hearing in it)."""
    event = TimelineEvent
    statement = select(event.report_id, event.reason_code, event.occurred_at, event.text_values).where(
        event.kind == "hearing_change", event.reason_code.in_(list(CHANGE_OF_REASON)))
    if filters.submitted_before is not None:
        statement = statement.where(event.occurred_at < filters.submitted_before)
    return [(report_id, CHANGE_OF_REASON[reason], occurred_at, values or {})
            for report_id, reason, occurred_at, values in db.session.execute(
                _on_cases(statement, filters, event.report_id))]


def _replaced_at(changes: list[Change]) -> dict[int, datetime]:
    """When each replaced hearing update was first replaced (values["replaces"]: their ids, comma-separated)."""
    replaced: dict[int, datetime] = {}
    for _report_id, _change, occurred_at, values in changes:
        for part in str(values.get("replaces", "")).split(","):
            if part.strip().isdigit():
                event_id = int(part)
                replaced[event_id] = min(occurred_at, replaced.get(event_id, occurred_at))
    return replaced


def _no_reply(filters: Filters, now: datetime, replaced: dict[int, datetime]) -> tuple[list[Rate], Rate]:
    """For each witness and hearing, in the month the hearing starts: had the witness said whether they can attend
    by 7 days before it (the no-answer point)? Counted once that point has passed, for a hearing listed and a
    witness who joined the case by then, and a hearing not moved, adjourned or vacated by then (a moved hearing is
    a new hearing, counted on its own)."""
    event, link, answer = TimelineEvent, WitnessLink, CourtAvailability
    first_answer = (select(func.min(answer.answered_at))
                    .where(answer.witness_link_id == link.id, answer.hearing_event_id == event.id)
                    .correlate(event, link).scalar_subquery())
    statement = (select(event, link.id, link.linked_at, first_answer)
                 .join(link, link.report_id == event.report_id)
                 .where(event.reason_code == HEARING, event.visible_to_witness.is_(True),
                        link.linked_at.is_not(None)))
    if filters.submitted_before is not None:  # listed by the no-answer point, which is before the hearing
        statement = statement.where(event.occurred_at < filters.submitted_before)
    found: dict[str, list[tuple[int, bool]]] = {}
    for hearing, link_id, linked_at, answered_at in db.session.execute(
            _on_cases(statement, filters, event.report_id)):
        starts = hearing_time(hearing)
        if starts is None or not _in_period(filters, starts):
            continue
        point = starts - ASK_BEFORE
        replaced_at = replaced.get(hearing.id)
        if point > now or hearing.occurred_at > point or linked_at > point \
                or (replaced_at is not None and replaced_at <= point):
            continue
        found.setdefault(month_of(starts), []).append((link_id, answered_at is None or answered_at > point))
    return _by_month(found)


def _changes_by_month(filters: Filters, changes: list[Change]) -> tuple[list[HearingChanges], HearingChanges]:
    """Changes made in the period, by the month they were made and by kind, every month from the first to the
    last, and overall."""
    found: dict[str, list[tuple[int, str]]] = {}
    for report_id, change, occurred_at, _values in changes:
        if _in_period(filters, occurred_at):
            found.setdefault(month_of(occurred_at), []).append((report_id, change))

    def summed(key: str | None, made: list[tuple[int, str]]) -> HearingChanges:
        counts = {change: (len({case_id for case_id, kind in made if kind == change}),
                           sum(1 for _case_id, kind in made if kind == change)) for change in CHANGES}
        return HearingChanges(key, len({case_id for case_id, _kind in made}), counts)

    every = [made for made_in_month in found.values() for made in made_in_month]
    return [summed(month, found.get(month, [])) for month in _months(found)], summed(None, every)


def witnesses(filters: Filters, now: datetime | None = None) -> Witnesses:
    """The witness figures for the filters. The period is on when the answer was given, when the hearing starts
    and when the change was made; the borough and category are the case's. Three statements."""
    now = now or utcnow()
    cannot_attend, cannot_attend_overall = _cannot_attend(filters)
    changes = _hearing_changes(filters)
    no_reply, no_reply_overall = _no_reply(filters, now, _replaced_at(changes))
    by_month, changes_overall = _changes_by_month(filters, changes)
    return Witnesses(cannot_attend, cannot_attend_overall, no_reply, no_reply_overall, by_month, changes_overall)

"""The job that works out the daily rollups (``flask insight refresh``).

Each run rebuilds whole London days: it deletes the days' rows and inserts them again from the case tables with
``INSERT … SELECT … GROUP BY`` (the database does the counting), in one transaction, so a reader sees the old
figures or the new ones, never half. Running it twice gives the same rows.

Which days: the last ``RECENT_DAYS`` London days (reports that recent are still being triaged, answered,
referred and surveyed), and any older day with a case touched since the last run: the report changed
(``reports.updated_at``), a survey or check-in answered, a referral changed, a Victims' Code promise met or
fallen due, or an equality record given or changed. ``--all`` rebuilds every day (after deleting cases, or to
start afresh); the first run always does.

The London day: SQLite has no time zones, so the day is the UTC time shifted by the offset of the period it falls
in (GMT or BST; the periods are found with ``zoneinfo`` and written into the statement as a ``CASE``).
PostgreSQL converts with ``Europe/London``.
"""

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    distinct,
    func,
    insert,
    literal_column,
    or_,
    select,
    union,
)

from portal.cases.enums import CaseStatus
from portal.cases.models import Report, VictimsCodeDeadline
from portal.clock import utcnow
from portal.equality.models import EqualityRecord
from portal.extensions import db
from portal.insight import queries
from portal.insight.filters import LONDON, london_midnight
from portal.insight.models import (
    ALL_KINDS,
    OVERALL,
    PEER,
    DailyCoping,
    DailyDeadlines,
    DailyReferrals,
    DailyReports,
    DailySatisfaction,
    RefreshState,
)
from portal.support.models import Organisation, Referral
from portal.surveys.models import CheckIn, Survey

RECENT_DAYS = 120  # reports made this recently are rebuilt on every run
MARGIN = timedelta(minutes=5)  # changes this long before the last run are looked at again (clock granularity)
TABLES = (DailyReports, DailyDeadlines, DailyReferrals, DailySatisfaction, DailyCoping)
BUCKET = ("day", "borough", "category_id")
GROUP_BY = (literal_column("r_day"), literal_column("r_borough"), literal_column("r_category"))


@dataclass(frozen=True)
class Refreshed:
    """What a run did."""

    as_of: datetime
    days: int
    ranges: list[tuple[date, date]]
    seconds: float


def london_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def offset_periods(start: datetime, end: datetime) -> list[tuple[datetime, datetime, int]]:
    """[start, end) cut where London's UTC offset changes: (from, to, offset in hours). The clocks change on
    the hour (01:00 UTC), so looking at every whole hour finds each change exactly."""
    periods = []
    offset = int(start.astimezone(LONDON).utcoffset().total_seconds() // 3600)
    period_start = start
    hour = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while hour < end:
        hour_offset = int(hour.astimezone(LONDON).utcoffset().total_seconds() // 3600)
        if hour_offset != offset:
            periods.append((period_start, hour, offset))
            period_start, offset = hour, hour_offset
        hour += timedelta(hours=1)
    periods.append((period_start, end, offset))
    return periods


def _day(periods: list[tuple[datetime, datetime, int]]):
    """The London day of the report's submission. SQLite: shifted by the offset of the period the moment falls
    in (a day with a clock change has two). PostgreSQL: converted with the time zone."""
    if db.session.get_bind().dialect.name == "sqlite":
        shifts = [(Report.submitted_at < period_end, literal_column(f"'+{offset} hours'"))
                  for _start, period_end, offset in periods[:-1]]
        last = literal_column(f"'+{periods[-1][2]} hours'")
        return func.date(Report.submitted_at, case(*shifts, else_=last) if shifts else last)
    return cast(func.timezone(literal_column("'Europe/London'"), Report.submitted_at), Date)


def _bucket(periods) -> list:
    return [_day(periods).label("r_day"), Report.borough.label("r_borough"),
            Report.category_id.label("r_category")]


def _n(condition):
    return func.count(case((condition, 1)))


def _insert(model, names: list[str], statement) -> None:
    db.session.execute(insert(model).from_select([*BUCKET, *names], statement))


def _reports(period, periods, now: datetime) -> None:
    triage_counted = or_(Report.triaged_at.is_not(None), Report.triage_due_at < now)
    triage_met = and_(Report.triaged_at.is_not(None), Report.triaged_at <= Report.triage_due_at)
    response_counted = or_(Report.first_response_at.is_not(None), Report.response_due_at < now)
    response_met = and_(Report.first_response_at.is_not(None), Report.first_response_at <= Report.response_due_at)
    _insert(DailyReports, ["reports", "new_demand", "information", "referred_elsewhere", "triage_counted",
                           "triage_met", "response_counted", "response_met"],
            select(*_bucket(periods), func.count(Report.id), _n(Report.would_have_reported == "no"),
                   _n(Report.is_information_report.is_(True)), _n(Report.status == CaseStatus.REFERRED_ELSEWHERE),
                   _n(triage_counted), _n(triage_met), _n(response_counted), _n(response_met))
            .where(*period).group_by(*GROUP_BY))


def _deadlines(period, periods, now: datetime) -> None:
    """One pass over the promises into a temporary table (bucket, case, kind, fallen due, met), then the kinds
    and every kind together summed from it."""
    deadline = VictimsCodeDeadline
    on_time = and_(deadline.met_at.is_not(None), deadline.met_at <= deadline.due_at)
    fell_due = or_(deadline.due_at < now, deadline.met_at.is_not(None))
    due = Table("insight_due_promises", MetaData(), Column("r_day", Date), Column("r_borough", String(40)),
                Column("r_category", Integer), Column("report_id", Integer), Column("kind", String(40)),
                Column("fell_due", Integer), Column("met", Integer), prefixes=["TEMPORARY"])
    connection = db.session.connection()
    due.drop(connection, checkfirst=True)
    due.create(connection)
    db.session.execute(insert(due).from_select(
        [column.name for column in due.columns],
        select(*_bucket(periods), Report.id, deadline.kind, _n(fell_due), _n(on_time))
        .join(Report, Report.id == deadline.report_id).where(fell_due, *period)
        .group_by(Report.id, deadline.kind)))
    names = ["kind", "people", "fell_due", "met"]
    bucket = (due.c.r_day, due.c.r_borough, due.c.r_category)
    _insert(DailyDeadlines, names, select(*bucket, due.c.kind, func.count(), func.sum(due.c.fell_due),
                                          func.sum(due.c.met)).group_by(*bucket, due.c.kind))
    _insert(DailyDeadlines, names, select(*bucket, literal_column(f"'{ALL_KINDS}'"),
                                          func.count(distinct(due.c.report_id)), func.sum(due.c.fell_due),
                                          func.sum(due.c.met)).group_by(*bucket))
    due.drop(connection)


def _referrals(period, periods) -> None:
    sent = Referral.sent_at.is_not(None)
    accepted = and_(sent, Referral.accepted_at.is_not(None))
    contacted = and_(sent, Referral.first_contact_at.is_not(None))

    def hours(condition, end):
        return func.coalesce(func.sum(case((condition, queries._hours(Referral.sent_at, end)))), 0.0)

    _insert(DailyReferrals, ["accepted_people", "accepted", "accept_hours", "contacted_people", "contacted",
                             "contact_hours"],
            select(*_bucket(periods), queries._people(accepted, Referral.report_id), _n(accepted),
                   hours(accepted, Referral.accepted_at), queries._people(contacted, Referral.report_id),
                   _n(contacted), hours(contacted, Referral.first_contact_at))
            .join(Report, Report.id == Referral.report_id).where(sent, *period).group_by(*GROUP_BY))


@cache
def _answered_cases() -> Table:
    """A temporary table: one row per case with answered surveys, holding its bucket, its group in each
    dimension and its answers counted per question, so the twelve breakdowns are summed from it. One Table
    object for the process: SQLAlchemy caches compiled statements by the tables in them, and a new object each
    refresh made every statement over it be compiled again."""
    columns = [Column("r_day", Date), Column("r_borough", String(40)), Column("r_category", Integer)]
    columns += [Column(f"g_{dimension}", String(200)) for dimension in queries.DIMENSIONS]
    for name in queries.MEASURES:
        columns += [Column(f"{name}_people", Integer), Column(f"{name}_answered", Integer),
                    Column(f"{name}_satisfied", Integer)]
    return Table("insight_answered_cases", MetaData(), *columns, prefixes=["TEMPORARY"])


def _satisfaction(period, periods) -> None:
    cases = _answered_cases()
    connection = db.session.connection()
    cases.drop(connection, checkfirst=True)
    cases.create(connection)
    measures = []
    for name in queries.MEASURES:
        answer = getattr(Survey, name)
        measures += [func.max(case((answer.is_not(None), 1), else_=0)), func.count(answer),
                     _n(answer >= queries.SATISFIED_FROM)]
    db.session.execute(insert(cases).from_select(
        [column.name for column in cases.columns],
        select(*_bucket(periods),
               *(queries.satisfaction_group(dimension).label(f"g_{dimension}") for dimension in queries.DIMENSIONS),
               *measures)
        .join(Report, Report.id == Survey.report_id).where(Survey.answered_at.is_not(None), *period)
        .group_by(Report.id)))
    names = ["dimension", "value", "people"]
    sums = []
    for name in queries.MEASURES:
        names += [f"{name}_people", f"{name}_answered", f"{name}_satisfied"]
        sums += [func.sum(cases.c[f"{name}_{part}"]) for part in ("people", "answered", "satisfied")]
    for dimension in queries.DIMENSIONS:
        _insert(DailySatisfaction, names,
                select(cases.c.r_day, cases.c.r_borough, cases.c.r_category, literal_column(f"'{dimension}'"),
                       cases.c[f"g_{dimension}"], func.count(), *sums)
                .group_by(cases.c.r_day, cases.c.r_borough, cases.c.r_category, cases.c[f"g_{dimension}"]))
    cases.drop(connection)


COPING_DIMENSIONS = (OVERALL, PEER, *queries.DIMENSIONS)


@cache
def _check_in_pairs() -> Table:
    """A temporary table of referrals with both check-ins answered (one Table object, as _answered_cases)."""
    return Table("insight_check_in_pairs", MetaData(), Column("r_day", Date), Column("r_borough", String(40)),
                 Column("r_category", Integer), Column("report_id", Integer), Column("change", Float),
                 *(Column(f"g_{dimension}", String(200)) for dimension in COPING_DIMENSIONS), prefixes=["TEMPORARY"])


def _coping(period, periods) -> None:
    """From a temporary table of referrals with both check-ins answered (bucket, case, group in each breakdown,
    change in score), one pass over the check-ins, then each breakdown summed from it."""
    dimensions = COPING_DIMENSIONS
    pairs = _check_in_pairs()
    connection = db.session.connection()
    pairs.drop(connection, checkfirst=True)
    pairs.create(connection)
    start, end, change = queries.coping_pairs()
    groups = [queries.coping_group(None if dimension == OVERALL else dimension, start).label(f"g_{dimension}")
              for dimension in dimensions]
    db.session.execute(insert(pairs).from_select(
        [column.name for column in pairs.columns],
        select(*_bucket(periods), start.report_id, change, *groups)
        .select_from(start)
        .join(end, and_(end.referral_id == start.referral_id, end.weeks == 12, end.answered_at.is_not(None)))
        .join(Report, Report.id == start.report_id)
        .join(Organisation, Organisation.id == start.organisation_id)
        .where(*queries.coping_clauses(start, end), *period)))
    for dimension in dimensions:
        group = pairs.c[f"g_{dimension}"]
        _insert(DailyCoping, ["dimension", "value", "people", "pairs", "change_sum"],
                select(pairs.c.r_day, pairs.c.r_borough, pairs.c.r_category, literal_column(f"'{dimension}'"),
                       group, func.count(distinct(pairs.c.report_id)), func.count(), func.sum(pairs.c.change))
                .group_by(pairs.c.r_day, pairs.c.r_borough, pairs.c.r_category, group))
    pairs.drop(connection)


def rebuild(first: date, last: date, now: datetime) -> None:
    """Delete and insert again the rows of the London days first to last (both included). No commit."""
    for model in TABLES:
        db.session.execute(delete(model).where(model.day >= first, model.day <= last))
    start, end = london_midnight(first), london_midnight(last + timedelta(days=1))
    periods = offset_periods(start, end)
    period = (Report.submitted_at >= start, Report.submitted_at < end)
    _reports(period, periods, now)
    _deadlines(period, periods, now)
    _referrals(period, periods)
    _satisfaction(period, periods)
    _coping(period, periods)


def touched_days(since: datetime, before: datetime, now: datetime) -> set[date]:
    """The London days of cases made before ``before`` with anything counted changed since ``since``."""
    changed = union(
        select(Report.id).where(Report.updated_at >= since),
        select(Survey.report_id).where(Survey.answered_at >= since),
        select(CheckIn.report_id).where(CheckIn.answered_at >= since, CheckIn.witness_link_id.is_(None)),
        select(Referral.report_id).where(Referral.updated_at >= since),
        select(VictimsCodeDeadline.report_id).where(VictimsCodeDeadline.met_at >= since),
        select(VictimsCodeDeadline.report_id).where(VictimsCodeDeadline.met_at.is_(None),
                                                    VictimsCodeDeadline.due_at >= since,
                                                    VictimsCodeDeadline.due_at < now),
        select(EqualityRecord.report_id).where(EqualityRecord.updated_at >= since,
                                               EqualityRecord.report_id.is_not(None)),
        select(Report.id).join(EqualityRecord, EqualityRecord.user_id == Report.reporter_user_id)
        .where(EqualityRecord.updated_at >= since),
    ).subquery()
    moments = db.session.scalars(select(distinct(Report.submitted_at))
                                 .where(Report.id.in_(select(changed.c[0])), Report.submitted_at < before))
    return {london_day(moment) for moment in moments}


def ranges_of(days: set[date]) -> list[tuple[date, date]]:
    """Runs of consecutive days, as (first, last)."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(days):
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def refresh(everything: bool = False, now: datetime | None = None) -> Refreshed:
    """Rebuild the recent and touched days (or every day), record the run, and commit."""
    clock = time.perf_counter()
    now = now or utcnow()
    state = db.session.get(RefreshState, 1)
    today = london_day(now)
    if everything or state is None:
        first_made, last_made = db.session.execute(select(func.min(Report.submitted_at),
                                                          func.max(Report.submitted_at))).one()
        for model in TABLES:
            db.session.execute(delete(model))
        ranges = [(london_day(first_made), max(london_day(last_made), today))] if first_made else []
    else:
        window_start = today - timedelta(days=RECENT_DAYS - 1)
        older = touched_days(state.as_of - MARGIN, london_midnight(window_start), now)
        ranges = [*ranges_of(older), (window_start, today)]
    for first, last in ranges:
        rebuild(first, last, now)
    days = sum((last - first).days + 1 for first, last in ranges)
    seconds = time.perf_counter() - clock
    values = dict(as_of=now, finished_at=utcnow(), seconds=seconds, days=days,
                  first_day=ranges[0][0] if ranges else None, last_day=ranges[-1][1] if ranges else None)
    if state is None:
        db.session.add(RefreshState(id=1, **values))
    else:
        for key, value in values.items():
            setattr(state, key, value)
    db.session.commit()
    return Refreshed(now, days, ranges, seconds)


def last_refresh() -> RefreshState | None:
    return db.session.get(RefreshState, 1)


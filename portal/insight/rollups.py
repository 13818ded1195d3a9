"""The insight figures read from the daily rollups (``portal.insight.models``): each function is one statement,
a ``SUM`` over the rows of the buckets the filters select, grouped in the database. They return the same
dataclasses as the live queries in ``portal.insight.queries``, which the tests use as the reference."""

from sqlalchemy import case, func, select

from portal.cases.enums import DeadlineKind
from portal.cases.models import CrimeCategory
from portal.extensions import db
from portal.insight.filters import Filters
from portal.insight.models import (
    ALL_KINDS,
    OVERALL,
    DailyCoping,
    DailyDeadlines,
    DailyReferrals,
    DailyReports,
    DailySatisfaction,
)
from portal.insight.queries import (
    DIMENSIONS,
    MEASURES,
    Count,
    DeadlinesByBorough,
    DemandByBorough,
    Mean,
    PartnerTimes,
    Rate,
    Satisfaction,
    ServiceLevels,
    _float,
)


def bucket_clauses(model, filters: Filters) -> list:
    """The buckets the filters select: London days (both ends included), borough and category."""
    clauses = []
    if filters.date_from:
        clauses.append(model.day >= filters.date_from)
    if filters.date_to:
        clauses.append(model.day <= filters.date_to)
    if filters.borough:
        clauses.append(model.borough == filters.borough)
    if filters.category_id is not None:
        clauses.append(model.category_id == filters.category_id)
    return clauses


def _sum(column):
    return func.coalesce(func.sum(column), 0)


def _sum_if(condition, column):
    return func.coalesce(func.sum(case((condition, column), else_=0)), 0)


# --- service levels ------------------------------------------------------------------------------------------


def service_levels(filters: Filters) -> ServiceLevels:
    day = DailyReports
    rows = db.session.execute(
        select(day.borough, _sum(day.triage_counted), _sum(day.triage_met), _sum(day.response_counted),
               _sum(day.response_met))
        .where(*bucket_clauses(day, filters)).group_by(day.borough).order_by(day.borough)
    ).all()
    return ServiceLevels(
        triage=[Rate(borough, counted, counted, met) for borough, counted, met, _rc, _rm in rows],
        response=[Rate(borough, counted, counted, met) for borough, _tc, _tm, counted, met in rows],
    )


def deadlines_by_kind(filters: Filters) -> list[Rate]:
    day = DailyDeadlines
    rows = {kind: rest for kind, *rest in db.session.execute(
        select(day.kind, _sum(day.people), _sum(day.fell_due), _sum(day.met))
        .where(day.kind != ALL_KINDS, *bucket_clauses(day, filters)).group_by(day.kind)
    ).all()}
    return [Rate(kind.value, *rows.get(kind.value, (0, 0, 0))) for kind in DeadlineKind]


def deadlines_by_borough(filters: Filters) -> DeadlinesByBorough:
    day = DailyDeadlines
    every, referral = day.kind == ALL_KINDS, day.kind == DeadlineKind.SUPPORT_REFERRAL.value
    rows = db.session.execute(
        select(day.borough, _sum_if(every, day.people), _sum_if(every, day.fell_due), _sum_if(every, day.met),
               _sum_if(referral, day.people), _sum_if(referral, day.fell_due), _sum_if(referral, day.met))
        .where(day.kind.in_([ALL_KINDS, DeadlineKind.SUPPORT_REFERRAL.value]), *bucket_clauses(day, filters))
        .group_by(day.borough).order_by(day.borough)
    ).all()
    return DeadlinesByBorough(
        all_kinds=[Rate(row[0], row[1], row[2], row[3]) for row in rows if row[2]],
        referral_offer=[Rate(row[0], row[4], row[5], row[6]) for row in rows if row[5]],
    )


def partner_times(filters: Filters) -> PartnerTimes:
    day = DailyReferrals
    rows = db.session.execute(
        select(day.borough, _sum(day.accepted_people), _sum(day.accepted), func.sum(day.accept_hours),
               _sum(day.contacted_people), _sum(day.contacted), func.sum(day.contact_hours))
        .where(*bucket_clauses(day, filters)).group_by(day.borough).order_by(day.borough)
    ).all()
    return PartnerTimes(
        to_accept=[Mean(row[0], row[1], row[2], _float(row[3]) / row[2]) for row in rows if row[2]],
        to_contact=[Mean(row[0], row[4], row[5], _float(row[6]) / row[5]) for row in rows if row[5]],
    )


# --- demand --------------------------------------------------------------------------------------------------


def reports_by_category(filters: Filters) -> list[Count]:
    day = DailyReports
    count = func.sum(day.reports)
    rows = db.session.execute(
        select(CrimeCategory.name, count).join(CrimeCategory, CrimeCategory.id == day.category_id)
        .where(*bucket_clauses(day, filters)).group_by(CrimeCategory.id, CrimeCategory.name)
        .order_by(count.desc(), CrimeCategory.name)
    ).all()
    return [Count(name, number) for name, number in rows]


def demand_by_borough(filters: Filters) -> DemandByBorough:
    day = DailyReports
    rows = db.session.execute(
        select(day.borough, _sum(day.reports), _sum(day.new_demand), _sum(day.information),
               _sum(day.referred_elsewhere))
        .where(*bucket_clauses(day, filters)).group_by(day.borough).order_by(day.borough)
    ).all()
    return DemandByBorough(
        reports=[Count(row[0], row[1]) for row in rows],
        new_demand=[Rate(row[0], row[1], row[1], row[2]) for row in rows],
        information=[Count(row[0], row[3]) for row in rows],
        referred_elsewhere=[Count(row[0], row[4]) for row in rows],
    )


def _week(column):
    """The Monday starting the London day's week, as YYYY-MM-DD."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.date(column, "weekday 0", "-6 days")
    return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")


def reports_by_week(filters: Filters) -> list[Count]:
    """Reports by the London week they were made in (weeks start on Monday), oldest first."""
    day = DailyReports
    week = _week(day.day).label("week")
    rows = db.session.execute(
        select(week, func.sum(day.reports)).where(*bucket_clauses(day, filters)).group_by(week).order_by(week)
    ).all()
    return [Count(str(start), number) for start, number in rows]


# --- experience and outcomes ---------------------------------------------------------------------------------


def satisfaction(filters: Filters, dimension: str | None = None) -> list[Satisfaction]:
    """Each case is in exactly one group of each dimension, so the overall figure is the sum of the borough
    rows."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(dimension)
    row = DailySatisfaction
    columns = []
    for name in MEASURES:
        columns += [_sum(getattr(row, f"{name}_people")), _sum(getattr(row, f"{name}_answered")),
                    _sum(getattr(row, f"{name}_satisfied"))]
    group = row.value if dimension is not None else None
    statement = (select(*([group] if group is not None else []), _sum(row.people), *columns)
                 .where(row.dimension == (dimension or "borough"), *bucket_clauses(row, filters)))
    if group is not None:
        statement = statement.group_by(group).order_by(group)
    results = []
    for values in db.session.execute(statement).all():
        key, people, *numbers = values if group is not None else (None, *values)
        if not people:
            continue
        measures = {name: Rate(name, *numbers[3 * i:3 * i + 3]) for i, name in enumerate(MEASURES)}
        results.append(Satisfaction(key, people, measures))
    return results


def coping_change(filters: Filters, dimension: str | None = None) -> list[Mean]:
    if dimension is not None and dimension not in (*DIMENSIONS, "peer"):
        raise ValueError(dimension)
    row = DailyCoping
    statement = (select(row.value, _sum(row.people), _sum(row.pairs), func.sum(row.change_sum))
                 .where(row.dimension == (dimension or OVERALL), *bucket_clauses(row, filters))
                 .group_by(row.value).order_by(row.value))
    return [Mean(key, people, pairs, _float(total) / pairs)
            for key, people, pairs, total in db.session.execute(statement).all() if pairs]


def coping_changes(filters: Filters) -> dict[str, list[Mean]]:
    """Every coping breakdown at once, by dimension (OVERALL for the whole), in one statement: a page showing
    three of them reads the rollup once."""
    row = DailyCoping
    statement = (select(row.dimension, row.value, _sum(row.people), _sum(row.pairs), func.sum(row.change_sum))
                 .where(*bucket_clauses(row, filters))
                 .group_by(row.dimension, row.value).order_by(row.dimension, row.value))
    found: dict[str, list[Mean]] = {}
    for dimension, key, people, pairs, total in db.session.execute(statement).all():
        if pairs:
            found.setdefault(dimension, []).append(Mean(key, people, pairs, _float(total) / pairs))
    return found

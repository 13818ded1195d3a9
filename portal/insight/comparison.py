"""Coping and recovery compared by the kind of support people received (issue 24), read live in one statement.

Who counts: a series of check-ins with both the start (week 0) and the 12-week check-in answered, with at least one
item each (as for the referred people's figures). A referral's series counts under its service's kind of support
(portal.insight.support_kinds); a series of the comparison sample counts as no support or information only, unless
a referral was sent on the case before the 12-week answer (the person had left the comparison by then). A person
with two referrals counts once in each of the two kinds. Only victims' own series: a witness's support has none.

For each kind (and each group of a breakdown): the people (cases) behind it, the series, the mean coping answer at
the start and at 12 weeks and its change (over series where coping was answered both times), and the change in the
mean of the five check-in items (the cope-and-recover score the other figures use).
"""

from dataclasses import dataclass, replace

from sqlalchemy import String, and_, case, cast, distinct, exists, func, null, select, union_all
from sqlalchemy.orm import aliased

from portal.cases.models import Report
from portal.equality.models import CHARACTERISTICS
from portal.extensions import db
from portal.insight import queries
from portal.insight.filters import Filters
from portal.insight.support_kinds import SupportKind, kind_of_support_sql
from portal.support.models import NeedsAssessment, Referral, SupportService
from portal.surveys.models import CheckIn

# The ways the comparison can be broken down: borough and each equality characteristic.
COMPARISON_DIMENSIONS = ("borough", *CHARACTERISTICS)


@dataclass(frozen=True)
class Outcome:
    """One kind of support (in one group of a breakdown): people and series, and the sums behind the means (so
    groups add up exactly: a case is in one group of a breakdown)."""

    kind: SupportKind
    group: str | None
    people: int  # cases with a start and a 12-week answer
    series: int
    coping_people: int  # cases that answered coping at the start and at 12 weeks
    coping_series: int
    coping_start_sum: float
    coping_end_sum: float
    score_change_sum: float

    @property
    def coping_start(self) -> float | None:
        return self.coping_start_sum / self.coping_series if self.coping_series else None

    @property
    def coping_end(self) -> float | None:
        return self.coping_end_sum / self.coping_series if self.coping_series else None

    @property
    def coping_change(self) -> float | None:
        if not self.coping_series:
            return None
        return (self.coping_end_sum - self.coping_start_sum) / self.coping_series

    @property
    def score_change(self) -> float | None:
        return self.score_change_sum / self.series if self.series else None


def combined(outcomes: list[Outcome]) -> list[Outcome]:
    """A breakdown's groups added up, by kind: the comparison overall."""
    totals: dict[SupportKind, Outcome] = {}
    for outcome in outcomes:
        before = totals.get(outcome.kind)
        if before is None:
            totals[outcome.kind] = replace(outcome, group=None)
            continue
        totals[outcome.kind] = Outcome(
            outcome.kind, None, before.people + outcome.people, before.series + outcome.series,
            before.coping_people + outcome.coping_people, before.coping_series + outcome.coping_series,
            before.coping_start_sum + outcome.coping_start_sum, before.coping_end_sum + outcome.coping_end_sum,
            before.score_change_sum + outcome.score_change_sum)
    order = list(SupportKind)
    return sorted(totals.values(), key=lambda outcome: order.index(outcome.kind))


def _chosen_level():
    """The support level the victim chose on the case (their latest choice), for the report in the outer query."""
    return (select(NeedsAssessment.chosen_level)
            .where(NeedsAssessment.report_id == Report.id, NeedsAssessment.witness_link_id.is_(None),
                   NeedsAssessment.chosen_level.is_not(None))
            .order_by(NeedsAssessment.chosen_at.desc(), NeedsAssessment.id.desc()).limit(1)
            .correlate(Report).scalar_subquery())


def _series():
    """Every answered start and 12-week pair, with the service kind (none for the comparison sample)."""
    start, end = aliased(CheckIn, name="check_in_start"), aliased(CheckIn, name="check_in_end")
    score_start, answered_start = queries._score(start)
    score_end, answered_end = queries._score(end)
    both = and_(start.coping.is_not(None), end.coping.is_not(None))
    columns = [start.report_id.label("report_id"), score_start.label("score_start"), score_end.label("score_end"),
               case((both, start.coping), else_=null()).label("coping_start"),
               case((both, end.coping), else_=null()).label("coping_end")]
    # Victims' check-ins only: a witness's own are never counted in the outcome figures.
    answered = [start.witness_link_id.is_(None), end.witness_link_id.is_(None), start.weeks == 0,
                start.answered_at.is_not(None), answered_start > 0, answered_end > 0]
    referred = (select(cast(SupportService.kind, String(20)).label("service_kind"), *columns)
                .select_from(start)
                .join(end, and_(end.referral_id == start.referral_id, end.weeks == 12, end.answered_at.is_not(None)))
                .join(Referral, Referral.id == start.referral_id)
                .join(SupportService, SupportService.id == Referral.service_id)
                .where(Referral.witness_link_id.is_(None), *answered))
    sent = aliased(Referral, name="sent_before")
    referred_first = exists().where(sent.report_id == start.report_id, sent.witness_link_id.is_(None),
                                    sent.sent_at.is_not(None), sent.sent_at <= end.answered_at)
    compared = (select(cast(null(), String(20)).label("service_kind"), *columns)
                .select_from(start)
                .join(end, and_(end.draw_id == start.draw_id, end.weeks == 12, end.answered_at.is_not(None)))
                .where(start.draw_id.is_not(None), ~referred_first, *answered))
    return union_all(referred, compared).subquery("series")


def _group(dimension: str | None):
    if dimension is None:
        return null()
    if dimension == "borough":
        return Report.borough
    return queries._characteristic(dimension)


def coping_comparison(filters: Filters, dimension: str | None = None) -> list[Outcome]:
    """The comparison for the filters (on the report), by kind within each group of a dimension (None: overall,
    added up from the borough breakdown). Kinds with nobody are left out (the figures show them as 0)."""
    if dimension is None:
        return combined(coping_comparison(filters, "borough"))
    if dimension not in COMPARISON_DIMENSIONS:
        raise ValueError(dimension)
    series = _series()
    kind = kind_of_support_sql(series.c.service_kind, _chosen_level()).label("kind")
    group = _group(dimension).label("grp")
    coping_answered = series.c.coping_start.is_not(None)
    statement = (
        select(kind, group, func.count(distinct(series.c.report_id)), func.count(),
               func.count(distinct(case((coping_answered, series.c.report_id)))), func.count(series.c.coping_start),
               func.sum(series.c.coping_start), func.sum(series.c.coping_end),
               func.sum(series.c.score_end - series.c.score_start))
        .select_from(series)
        .join(Report, Report.id == series.c.report_id)
        .where(*queries.report_clauses(filters))
        .group_by(kind, group)
    )
    found = []
    for key, grp, *numbers in db.session.execute(statement).all():
        if key is None:  # restorative justice: not compared
            continue
        people, count, coping_people, coping_count, start, end, score = numbers
        found.append(Outcome(SupportKind(key), grp, people, count, coping_people, coping_count,
                             float(start or 0), float(end or 0), float(score or 0)))
    order = list(SupportKind)
    return sorted(found, key=lambda outcome: (outcome.group or "", order.index(outcome.kind)))

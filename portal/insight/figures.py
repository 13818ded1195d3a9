"""Every published figure, in one registry: its id, title, the query behind it and its columns. The pages, the
charts and the CSV downloads all read figures from here, so they always show the same, suppressed, numbers."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from portal.cases.enums import DeadlineKind
from portal.equality.models import CHARACTERISTICS
from portal.equality.questions import BY_CHARACTERISTIC
from portal.i18n import uk_date
from portal.insight import comparison, queries, rollups
from portal.insight.filters import Filters
from portal.insight.support_kinds import SupportKind
from portal.insight.suppression import Cell, Shown, suppress, suppress_one
from portal.support.assessments import LEVEL_WORDS
from portal.tasks.due_times import DUE_TIMES
from portal.tasks.enums import TaskType

PERCENT, HOURS, COUNT, POINTS, WORKING_DAYS = "percent", "hours", "count", "points", "working_days"
SCORE = "score"  # a mean answer on the 1 to 5 scale
# Gaps to the overall figure at least this big are flagged (percentage points, or points on the 1 to 5 scale).
NOTABLE_GAP = {PERCENT: 5.0, POINTS: 0.3}

DIMENSION_NAMES = {
    "borough": _l("Borough"), "support_level": _l("Support level"), "organisation": _l("Organisation"),
    "age_band": _l("Age"), "sex": _l("Sex"), "gender_identity": _l("Gender identity"),
    "ethnicity": _l("Ethnic group"), "disability": _l("Disability"), "sexuality": _l("Sexual orientation"),
    "religion": _l("Religion"), "mental_health": _l("Mental health condition"),
    "repeat_victimisation": _l("Repeat victimisation"),
}
KIND_NAMES = {
    DeadlineKind.TRIAGE: _l("Triaged within 45 minutes"),
    DeadlineKind.FIRST_RESPONSE: _l("First response within 48 hours"),
    DeadlineKind.SUPPORT_REFERRAL: _l("Referral to support offered within 2 working days"),
    DeadlineKind.DECISION_NOT_TO_INVESTIGATE: _l("Told of a decision not to investigate within 5 working days"),
    DeadlineKind.KEY_EVENT: _l("Told of a key event in time"),
    DeadlineKind.ROUTINE_UPDATE: _l("Routine update at the agreed frequency"),
}
SUPPORT_KIND_NAMES = {
    SupportKind.NONE: _l("No support"), SupportKind.INFORMATION: _l("Information only"),
    SupportKind.SUPPORT_WORKER: _l("A support worker"), SupportKind.GROUP: _l("A peer-support group"),
    SupportKind.PEER_ONE_TO_ONE: _l("One-to-one peer support"),
}
MEASURE_NAMES = {
    "overall": _l("Satisfied overall"), "kept_informed": _l("Satisfied with being kept informed"),
    "treated_fairly": _l("Satisfied with being treated fairly and with respect"),
    "ease_of_reporting": _l("Satisfied with how easy it was to report online"),
}


@dataclass(frozen=True)
class Column:
    """A value column: its heading and unit."""

    heading: str
    unit: str


@dataclass(frozen=True)
class Row:
    """One row as published: people and values already suppressed, and the gap to overall if any."""

    label: str
    people: Shown | None
    values: list[Shown]
    gap: float | None = None

    @property
    def suppressed(self) -> bool:
        return bool(self.people and self.people.suppressed) or all(v.suppressed for v in self.values)


@dataclass
class FigureData:
    """A figure ready to show: a table (and the chart draws the first value column)."""

    figure: "Figure"
    group_heading: str
    people_heading: str | None
    columns: list[Column]
    rows: list[Row]
    overall: Row | None = None
    gaps: bool = False

    @property
    def unit(self) -> str:
        return self.columns[0].unit

    def people_text(self, row: Row) -> str:
        """The people column of a row, as the page shows it."""
        if row.people is None:
            return ""
        return row.people.reason if row.people.suppressed else shown_value(row.people.people, COUNT)

    def value_text(self, value: Shown, index: int) -> str:
        """A value cell, as the page shows it."""
        return value.reason if value.suppressed else shown_value(value.value, self.columns[index].unit)

    def gap_words(self, row: Row) -> str | None:
        """The gap to overall in words, for example "12 percentage points below overall"."""
        return gap_words(row.gap, self.unit)

    def notable(self, row: Row) -> bool:
        return row.gap is not None and abs(row.gap) >= NOTABLE_GAP.get(self.unit, 0) and round(abs(row.gap), 1) > 0


@dataclass(frozen=True)
class Figure:
    """One published figure."""

    id: str
    title: str
    description: str
    build: Callable[["Results"], FigureData] = field(compare=False)
    notes: tuple[str, ...] = ()  # what counts, in plain words, shown under the table


class Results:
    """The figures' sums for one request, each read at most once however many figures use it: from the daily
    rollups (``portal.insight.rollups``), except those in ``LIVE``, read live from ``portal.insight.queries``: the
    diversions (few), the requests (percentiles) and the witness figures (months of hearing times kept in JSON)."""

    LIVE = ("diversions_by_route", "requests_by_type", "witnesses", "feedback_ratings")
    # Read live from their own modules.
    ELSEWHERE = {"coping_comparison": comparison.coping_comparison}

    def __init__(self, filters: Filters, breakdown: str | None = None):
        self.filters = filters
        self.breakdown = breakdown  # the page's breakdown, if any: the comparison reads it once for both figures
        self._cache: dict = {}

    def get(self, name: str, *args):
        if name == "coping_change":  # every coping breakdown comes from one read of the rollup
            if "coping_changes" not in self._cache:
                self._cache["coping_changes"] = rollups.coping_changes(self.filters)
            return self._cache["coping_changes"].get(args[0] if args and args[0] else rollups.OVERALL, [])
        if name == "satisfaction" and not (args and args[0]):
            return _satisfaction_overall(self.get(name, "borough"))
        if name == "coping_comparison" and not (args and args[0]):
            dimension = self.breakdown if self.breakdown in comparison.COMPARISON_DIMENSIONS else "borough"
            return comparison.combined(self.get(name, dimension))
        key = (name, *args)
        if key not in self._cache:
            function = self.ELSEWHERE.get(name) or getattr(queries if name in self.LIVE else rollups, name)
            self._cache[key] = function(self.filters, *args)
        return self._cache[key]


def _satisfaction_overall(by_borough: list[queries.Satisfaction]) -> list[queries.Satisfaction]:
    """The overall satisfaction, added up from the borough breakdown (each case is in one borough, and the rollup's
    overall is the sum of its borough rows), so a page showing both reads the rollup once."""
    people = sum(group.people for group in by_borough)
    if not people:
        return []
    measures = {name: queries.combine_rates((group.measures[name] for group in by_borough), name)
                for name in queries.MEASURES}
    return [queries.Satisfaction(None, people, measures)]


# --- formatting ----------------------------------------------------------------------------------------------


def whole(value: float) -> int:
    """Round half away from zero (Python's round() rounds halves to even)."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def shown_value(value: float | None, unit: str) -> str:
    """A value as the page shows it."""
    if value is None:
        return "–"
    if unit == PERCENT:
        return f"{whole(value)}%"
    if unit == HOURS:
        return str(_l("%(hours)s hours", hours=format_decimal(round(value, 1), format="#,##0.0")))
    if unit == POINTS:
        return f"{'+' if round(value, 1) > 0 else ''}{format_decimal(round(value, 1), format='0.0')}"
    if unit == SCORE:
        return format_decimal(round(value, 1), format="0.0")
    if unit == WORKING_DAYS:
        days = format_decimal(value, format="#,##0")
        return str(_l("%(days)s working day", days=days) if value == 1 else _l("%(days)s working days", days=days))
    return format_decimal(value, format="#,##0")


def csv_value(value: float | None, unit: str) -> str:
    """A value as the CSV holds it: a plain number."""
    if value is None:
        return ""
    if unit in (PERCENT, HOURS):
        return f"{value:.1f}"
    if unit == WORKING_DAYS:
        return str(int(value))
    if unit in (POINTS, SCORE):
        return f"{value:.2f}"
    return str(int(value))


def gap_words(gap: float | None, unit: str) -> str | None:
    """A gap to the overall figure in words."""
    if gap is None:
        return None
    if unit == PERCENT:
        size = abs(whole(gap))
        if size == 0:
            return str(_l("the same as overall"))
        if gap < 0:
            return str(_l("%(n)d percentage points below overall", n=size))
        return str(_l("%(n)d percentage points above overall", n=size))
    size = round(abs(gap), 1)
    if size == 0:
        return str(_l("the same as overall"))
    if gap < 0:
        return str(_l("%(n)s points below overall", n=f"{size:.1f}"))
    return str(_l("%(n)s points above overall", n=f"{size:.1f}"))


# --- building tables -----------------------------------------------------------------------------------------


def _table(figure: "Figure", group_heading: str, people_heading: str | None, columns: list[Column],
           groups: list[tuple[str, int, list[tuple[int, float | None]]]],
           overall: tuple[int, list[tuple[int, float | None]]] | None = None, gaps: bool = False,
           total_shown: bool | None = None, overall_label: str | None = None) -> FigureData:
    """Suppress a breakdown, column by column, and line the results up as rows.

    ``groups`` holds (label, people, [(people behind the value, value) for each column]). A row whose people are
    hidden hides all its values. ``total_shown`` defaults to whether an overall row is shown. The overall row is
    called "Total" for counts and "All" otherwise, unless ``overall_label`` names it.
    """
    total_shown = overall is not None if total_shown is None else total_shown
    people = suppress([Cell(label, number, number) for label, number, _values in groups], total_shown)
    by_column = [suppress([Cell(label, values[i][0], values[i][1]) for label, _n, values in groups], total_shown)
                 for i in range(len(columns))]
    overall_row = None
    if overall is not None:
        name = overall_label or str(_l("Total") if columns[0].unit == COUNT else _l("All"))
        overall_row = Row(name, suppress_one(name, overall[0], overall[0]),
                          [suppress_one(name, n, value) for n, value in overall[1]])
    rows = []
    for index, (label, _n, _values) in enumerate(groups):
        row_people = people[index]
        values = [column[index] if not row_people.suppressed or column[index].suppressed
                  else Shown(label, None, None, row_people.reason) for column in by_column]
        gap = None
        if gaps and overall_row is not None and not values[0].suppressed and values[0].value is not None \
                and not overall_row.values[0].suppressed and overall_row.values[0].value is not None:
            gap = values[0].value - overall_row.values[0].value
        rows.append(Row(label, row_people, values, gap))
    return FigureData(figure, group_heading, people_heading, columns, rows, overall_row, gaps)


def _rate_table(figure, group_heading, people_heading, value_heading, rates: list[queries.Rate], labels=None,
                overall: queries.Rate | None = None, total_shown=None) -> FigureData:
    labels = labels or (lambda key: key)
    groups = [(str(labels(r.key)), r.people, [(r.people, r.percent)]) for r in rates]
    whole_rate = overall or queries.combine_rates(rates)
    return _table(figure, group_heading, people_heading, [Column(value_heading, PERCENT)], groups,
                  (whole_rate.people, [(whole_rate.people, whole_rate.percent)]), total_shown=total_shown)


def _mean_table(figure, group_heading, people_heading, value_heading, means: list[queries.Mean], unit=HOURS,
                labels=None, overall: queries.Mean | None = None, gaps=False) -> FigureData:
    labels = labels or (lambda key: key)
    groups = [(str(labels(m.key)), m.people, [(m.people, m.mean)]) for m in means]
    whole_mean = overall or queries.combine_means(means)
    return _table(figure, group_heading, people_heading, [Column(value_heading, unit)], groups,
                  (whole_mean.people, [(whole_mean.people, whole_mean.mean)]), gaps=gaps)


def _count_table(figure, group_heading, counts: list[queries.Count], labels=None, total=True,
                 heading=None) -> FigureData:
    labels = labels or (lambda key: key)
    groups = [(str(labels(c.key)), c.people, [(c.people, c.people)]) for c in counts]
    whole_count = queries.combine_counts(counts)
    overall = (whole_count.people, [(whole_count.people, whole_count.people)]) if total else None
    return _table(figure, group_heading, None, [Column(str(heading or _l("Reports")), COUNT)], groups, overall)


# --- labels --------------------------------------------------------------------------------------------------


def month_label(key: str) -> str:
    """A month (YYYY-MM) in words: "November 2026"."""
    return format_date(date.fromisoformat(f"{key}-01"), "MMMM yyyy")


def week_label(key: str) -> str:

    return str(_l("Week starting %(day)s", day=uk_date(date.fromisoformat(key))))


def dimension_label(dimension: str) -> Callable[[str | None], str]:
    """Words for a group of a dimension."""
    if dimension in CHARACTERISTICS:
        return BY_CHARACTERISTIC[dimension].label
    if dimension == "support_level":
        return lambda key: LEVEL_WORDS.get(key, key) if key else str(_l("No referral"))
    if dimension == "organisation":
        return lambda key: key if key else str(_l("No referral"))
    if dimension == "peer":
        return lambda key: str(_l("Peer-support group")) if key == "peer" else str(_l("Other support"))
    return lambda key: key or str(_l("Not known"))


# --- the figures ---------------------------------------------------------------------------------------------

REPORTS = _l("Reports")
BOROUGH = _l("Borough")


def _triage(figure, results):
    return _rate_table(figure, str(BOROUGH), str(REPORTS), str(_l("Triaged within 45 minutes")),
                       results.get("service_levels").triage)


def _response(figure, results):
    return _rate_table(figure, str(BOROUGH), str(REPORTS), str(_l("Responded to within 48 hours")),
                       results.get("service_levels").response)


def _code_by_kind(figure, results):
    rates = [r for r in results.get("deadlines_by_kind") if r.total]
    overall = queries.combine_rates(results.get("deadlines_by_borough").all_kinds)
    return _rate_table(figure, str(_l("Promise")), str(_l("Promises due")), str(_l("Met on time")), rates,
                       labels=lambda key: KIND_NAMES[DeadlineKind(key)], overall=overall)


def _code_by_borough(figure, results):
    return _rate_table(figure, str(BOROUGH), str(_l("Cases with promises due")), str(_l("Met on time")),
                       results.get("deadlines_by_borough").all_kinds)


def _referral_offer(figure, results):
    return _rate_table(figure, str(BOROUGH), str(_l("Cases due an offer")), str(_l("Offered in time")),
                       results.get("deadlines_by_borough").referral_offer)


def _to_accept(figure, results):
    return _mean_table(figure, str(BOROUGH), str(_l("Referrals accepted")), str(_l("Mean time to accept")),
                       results.get("partner_times").to_accept)


def _to_contact(figure, results):
    return _mean_table(figure, str(BOROUGH), str(_l("Referrals contacted")), str(_l("Mean time to first contact")),
                       results.get("partner_times").to_contact)


def _headline(figure, results):
    levels = results.get("service_levels")
    code = results.get("deadlines_by_borough")
    satisfied = results.get("satisfaction")
    rates = [
        (_l("Reports triaged within 45 minutes"), queries.combine_rates(levels.triage)),
        (_l("Reports responded to within 48 hours"), queries.combine_rates(levels.response)),
        (_l("Victims’ Code promises met on time"), queries.combine_rates(code.all_kinds)),
        (_l("Referral to support offered within 2 working days"), queries.combine_rates(code.referral_offer)),
    ]
    if satisfied:
        overall = satisfied[0].measures["overall"]
        rates.append((_l("People satisfied overall (survey answers of 4 or 5 out of 5)"), overall))
    groups = [(str(label), rate.people, [(rate.people, rate.percent)]) for label, rate in rates]
    return _table(figure, str(_l("Measure")), str(_l("Cases")), [Column(str(_l("Rate")), PERCENT)], groups,
                  total_shown=False)


def _by_category(figure, results):
    return _count_table(figure, str(_l("Crime category")), results.get("reports_by_category"))


def _by_borough(figure, results):
    return _count_table(figure, str(BOROUGH), results.get("demand_by_borough").reports)


def _by_week(figure, results):
    return _count_table(figure, str(_l("Week")), results.get("reports_by_week"), labels=week_label)


def _new_demand(figure, results):
    return _rate_table(figure, str(BOROUGH), str(REPORTS),
                       str(_l("Would not have reported otherwise")), results.get("demand_by_borough").new_demand)


def _handled_elsewhere(figure, results):
    demand = results.get("demand_by_borough")
    counts = [queries.Count(str(_l("Recorded as an information report (not a crime)")),
                            queries.combine_counts(demand.information).people),
              queries.Count(str(_l("Referred to another organisation at triage")),
                            queries.combine_counts(demand.referred_elsewhere).people)]
    return _count_table(figure, str(_l("Where to")), counts, total=False)


DIVERSION_WORDS = {"fraud": _l("Sent to the national fraud reporting service"),
                   "specialist": _l("Sent to specialist support (for example domestic abuse or sexual offences)")}


def _diversions(figure, results):
    counts = [queries.Count(str(DIVERSION_WORDS[count.key]), count.people)
              for count in results.get("diversions_by_route")]
    return _count_table(figure, str(_l("Where to")), counts, total=False, heading=_l("People"))


def _satisfaction_by_question(figure, results):
    overall = results.get("satisfaction")
    measures = overall[0].measures if overall else {name: queries.Rate(name, 0, 0, 0) for name in queries.MEASURES}
    groups = [(str(MEASURE_NAMES[name]), rate.people, [(rate.people, rate.percent)])
              for name, rate in measures.items()]
    return _table(figure, str(_l("Question")), str(_l("People answering")),
                  [Column(str(_l("Answered 4 or 5 out of 5")), PERCENT)], groups, total_shown=False)


def _satisfaction_by(dimension):
    def build(figure, results):
        groups_data = results.get("satisfaction", dimension)
        overall = results.get("satisfaction")
        label = dimension_label(dimension)
        columns = [Column(str(MEASURE_NAMES[name]), PERCENT) for name in queries.MEASURES]
        groups = [(str(label(g.key)), g.people, [(g.measures[name].people, g.measures[name].percent)
                                                 for name in queries.MEASURES]) for g in groups_data]
        whole_data = None
        if overall:
            o = overall[0]
            whole_data = (o.people, [(o.measures[name].people, o.measures[name].percent) for name in queries.MEASURES])
        else:
            whole_data = (0, [(0, None) for _name in queries.MEASURES])
        return _table(figure, str(DIMENSION_NAMES[dimension]), str(_l("People answering")), columns, groups,
                      whole_data, gaps=True)

    return build


def _coping_by(dimension):
    def build(figure, results):
        overall = results.get("coping_change")
        whole_mean = overall[0] if overall else queries.Mean(None, 0, 0, None)
        heading = DIMENSION_NAMES.get(dimension, _l("Support"))
        return _mean_table(figure, str(heading), str(_l("Referrals with both check-ins")),
                           str(_l("Change in score from referral to 12 weeks")),
                           results.get("coping_change", dimension), unit=POINTS,
                           labels=dimension_label(dimension), overall=whole_mean, gaps=True)

    return build


COMPARISON_NOTES = (
    _l("This compares groups of people. It does not show that the support caused the difference: the people in "
       "each group may differ in other ways, for example in what happened to them or how they were coping at the "
       "start."),
    _l("No support and information only: victims who were not referred, 1 in 10 of them chosen at random and asked "
       "the same questions at the same times as people who were referred. Information only means they chose "
       "information and self-help as their level of support."),
    _l("Counted: people who answered at the start (the referral, or when they were chosen) and again 12 weeks "
       "later. Someone referred to two kinds of support counts in both. Someone referred after being chosen counts "
       "under their referral from then on."),
    _l("Coping is the answer to how well the person is coping, from 1 (not at all) to 5 (very well). The "
       "cope-and-recover score is the mean of all five check-in answers. A positive change means people were "
       "doing better."),
)


def _comparison_columns() -> list[Column]:
    return [Column(str(_l("Change in coping")), POINTS), Column(str(_l("Coping at the start")), SCORE),
            Column(str(_l("Coping at 12 weeks")), SCORE),
            Column(str(_l("Change in the cope-and-recover score")), POINTS)]


def _comparison_values(outcome: comparison.Outcome | None) -> list[tuple[int, float | None]]:
    if outcome is None:
        return [(0, None)] * 4
    coping = outcome.coping_people
    return [(coping, outcome.coping_change), (coping, outcome.coping_start), (coping, outcome.coping_end),
            (outcome.people, outcome.score_change)]


def _comparison(figure, results):
    """Every kind of support, in order (a kind with nobody shows 0); small numbers hidden, no total shown."""
    found = {outcome.kind: outcome for outcome in results.get("coping_comparison")}
    groups = [(str(SUPPORT_KIND_NAMES[kind]), found[kind].people if kind in found else 0,
               _comparison_values(found.get(kind))) for kind in SupportKind]
    return _table(figure, str(_l("Kind of support")), str(_l("People answering at the start and 12 weeks")),
                  _comparison_columns(), groups, total_shown=False)


def _comparison_by(dimension):
    """Each group of the dimension, each kind of support within it. The overall comparison (on the same page)
    shows each kind's total, so within each kind the groups are suppressed as a breakdown with its total shown."""

    def build(figure, results):
        outcomes = results.get("coping_comparison", dimension)
        label = dimension_label(dimension)
        columns = _comparison_columns()
        by_kind: dict[SupportKind, list[int]] = {}
        for index, outcome in enumerate(outcomes):
            by_kind.setdefault(outcome.kind, []).append(index)
        people: dict[int, Shown] = {}
        values: dict[int, list[Shown]] = {index: [] for index in range(len(outcomes))}
        for indexes in by_kind.values():
            shown = suppress([Cell(str(i), outcomes[i].people, outcomes[i].people) for i in indexes])
            people.update(zip(indexes, shown, strict=True))
            for column in range(len(columns)):
                cells = [Cell(str(i), *_comparison_values(outcomes[i])[column]) for i in indexes]
                for i, cell in zip(indexes, suppress(cells), strict=True):
                    values[i].append(cell)
        rows = []
        for index, outcome in enumerate(outcomes):
            name = str(_l("%(group)s: %(kind)s", group=label(outcome.group),
                          kind=str(SUPPORT_KIND_NAMES[outcome.kind]).lower()))
            row_people = people[index]
            cells = [cell if not row_people.suppressed or cell.suppressed
                     else Shown(name, None, None, row_people.reason) for cell in values[index]]
            rows.append(Row(name, row_people, cells))
        return FigureData(figure, str(_l("%(dimension)s and kind of support",
                                         dimension=str(DIMENSION_NAMES[dimension]))),
                          str(_l("People answering at the start and 12 weeks")), columns, rows)

    return build


SUPPORT_KIND_PEOPLE = {
    SupportKind.NONE: _l("people who received no support"),
    SupportKind.INFORMATION: _l("people who had information only"),
    SupportKind.SUPPORT_WORKER: _l("people who had a support worker"),
    SupportKind.GROUP: _l("people in a peer-support group"),
    SupportKind.PEER_ONE_TO_ONE: _l("people who had one-to-one peer support"),
}


@dataclass(frozen=True)
class Headline:
    """The published summary's plain-words comparison: a headline sentence and a line for each kind of support."""

    sentence: str
    lines: list[str]


def _change_words(change: float) -> str:
    size = format_decimal(abs(round(change, 1)), format="0.0")
    if round(change, 1) > 0:
        return str(_l("up %(size)s points", size=size))
    if round(change, 1) < 0:
        return str(_l("down %(size)s points", size=size))
    return str(_l("no change"))


def comparison_headline(results: Results) -> Headline:
    """Which kinds of support saw coping improve most, with counts; a kind with 1 to 9 people is not shown."""
    found = {outcome.kind: outcome for outcome in results.get("coping_comparison")}
    lines, shown = [], []
    for kind in SupportKind:
        outcome = found.get(kind)
        people = outcome.coping_people if outcome else 0
        cell = suppress_one(kind.value, people, outcome.coping_change if outcome else None)
        name = SUPPORT_KIND_NAMES[kind]
        if cell.suppressed:
            lines.append(str(_l("%(kind)s: fewer than 10 people answered, so we do not show this.", kind=name)))
        elif people == 0 or cell.value is None:
            lines.append(str(_l("%(kind)s: nobody has answered yet.", kind=name)))
        else:
            shown.append((cell.value, kind, people))
            lines.append(str(_l("%(kind)s: coping %(change)s on a scale of 1 to 5 (%(people)s people).", kind=name,
                                change=_change_words(cell.value), people=format_decimal(people, format="#,##0"))))
    if not shown:
        sentence = str(_l("Too few people have answered at the start and 12 weeks later to compare the kinds of "
                          "support yet."))
    else:
        change, kind, people = max(shown, key=lambda item: item[0])
        if round(change, 1) > 0:
            sentence = str(_l("Coping improved most for %(who)s: %(change)s on a scale of 1 to 5, from %(people)s "
                              "people.", who=SUPPORT_KIND_PEOPLE[kind], change=_change_words(change),
                              people=format_decimal(people, format="#,##0")))
        else:
            sentence = str(_l("On average, coping did not improve for any kind of support with enough people to "
                              "show."))
    return Headline(sentence, lines)


RATING_NAMES = {"5": _l("Very satisfied"), "4": _l("Satisfied"), "3": _l("Neither satisfied nor dissatisfied"),
                "2": _l("Dissatisfied"), "1": _l("Very dissatisfied")}
ANSWERS = _l("Answers")


def _feedback_by_rating(figure, results):
    return _count_table(figure, str(_l("Rating")), results.get("feedback_ratings"),
                        labels=lambda key: RATING_NAMES[key], heading=ANSWERS)


def _feedback_satisfied(figure, results):
    counts = results.get("feedback_ratings")
    answers = sum(count.people for count in counts)
    satisfied = sum(count.people for count in counts if int(count.key) >= queries.SATISFIED_FROM)
    rate = queries.Rate(None, answers, answers, satisfied)
    return _table(figure, str(_l("Measure")), str(ANSWERS), [Column(str(_l("Share")), PERCENT)],
                  [(str(_l("Satisfied or very satisfied")), answers, [(answers, rate.percent)])], total_shown=False)


FEEDBACK_NOTES = (
    _l("From the anonymous feedback page that the banner at the top of every page links to. Anyone can give "
       "feedback, with or without a report, so these are not the same people as the survey answers above."),
    _l("Counted by the day it was given (London time). Feedback says nothing about a borough or a crime category, "
       "so those filters do not apply to it. Each answer counts as one person."),
    _l("Comments are not shown: even without names, what someone wrote could identify them."),
)


def _requests_by_type(figure, results):
    """Every column of a type's row, each with the cases behind it: a percentile over fewer than 10 cases' finished
    requests is hidden like any other figure."""
    found = results.get("requests_by_type")

    def values(r: queries.Requests) -> list[tuple[int, float | None]]:
        return [(r.people, r.raised), (r.finished_people, r.finished), (r.due_people, r.percent_on_time),
                (r.finished_people, r.median_days), (r.finished_people, r.p90_days),
                (r.overdue_people, r.overdue)]

    columns = [Column(str(_l("Requests raised")), COUNT), Column(str(_l("Finished")), COUNT),
               Column(str(_l("Finished by the due time")), PERCENT),
               Column(str(_l("Median time to finish")), WORKING_DAYS),
               Column(str(_l("90th percentile time to finish")), WORKING_DAYS),
               Column(str(_l("Still open and past due")), COUNT)]
    groups = [(DUE_TIMES[TaskType(r.key)].name, r.people, values(r)) for r in found.types]
    return _table(figure, str(_l("Request")), str(_l("Cases")), columns, groups,
                  (found.overall.people, values(found.overall)), overall_label=str(_l("All requests")))


MONTH, ALL_MONTHS = _l("Month"), _l("All months")
CHANGE_NAMES = {"adjourned": _l("Adjourned"), "moved": _l("Moved to a new date"), "vacated": _l("Vacated")}


def _witness_rates(figure, people_heading, rate_heading, count_heading, rates: list[queries.Rate],
                   overall: queries.Rate) -> FigureData:
    """A month's rate and what it is out of, both built from the witnesses in that month."""
    groups = [(month_label(str(r.key)), r.people, [(r.people, r.percent), (r.people, r.total)]) for r in rates]
    return _table(figure, str(MONTH), str(people_heading), [Column(str(rate_heading), PERCENT),
                                                           Column(str(count_heading), COUNT)], groups,
                  (overall.people, [(overall.people, overall.percent), (overall.people, overall.total)]),
                  overall_label=str(ALL_MONTHS))


def _cannot_attend(figure, results):
    found = results.get("witnesses")
    return _witness_rates(figure, _l("Witnesses answering"), _l("Said they cannot attend"), _l("Answers"),
                          found.cannot_attend, found.cannot_attend_overall)


def _no_reply(figure, results):
    found = results.get("witnesses")
    return _witness_rates(figure, _l("Witnesses asked"), _l("No answer 7 days before"), _l("Answers asked for"),
                          found.no_reply, found.no_reply_overall)


def _hearing_changes(figure, results):
    """Each kind of change, with the cases behind it."""
    found = results.get("witnesses")

    def values(month: queries.HearingChanges) -> list[tuple[int, float | None]]:
        return [month.counts[change] for change in CHANGE_NAMES]

    groups = [(month_label(str(m.key)), m.people, values(m)) for m in found.changes]
    overall = found.changes_overall
    return _table(figure, str(MONTH), str(_l("Cases")), [Column(str(name), COUNT) for name in CHANGE_NAMES.values()],
                  groups, (overall.people, values(overall)))


def _figure(figure_id, title, description, build, notes=()) -> Figure:
    figure = Figure(figure_id, title, description, lambda results: build(figure, results), tuple(notes))
    return figure


SERVICE = [
    _figure("headline-service-levels", _l("Headline service levels"),
            _l("The share of cases meeting each service standard, and the share of survey answers satisfied "
               "overall."), _headline),
    _figure("triage-by-borough", _l("Reports triaged within 45 minutes, by borough"),
            _l("The share of reports reviewed by police staff within 45 minutes of being made. Reports still "
               "inside the 45 minutes are not counted yet."), _triage),
    _figure("response-by-borough", _l("Reports responded to within 48 hours, by borough"),
            _l("The share of reports where the person heard from us within 48 hours."), _response),
    _figure("victims-code-by-kind", _l("Victims’ Code promises met on time, by promise"),
            _l("Promises that have fallen due or been met, and the share met by their due date."), _code_by_kind),
    _figure("victims-code-by-borough", _l("Victims’ Code promises met on time, by borough"),
            _l("Every kind of promise together."), _code_by_borough),
    _figure("referral-offer-by-borough", _l("Referral to support offered within 2 working days, by borough"),
            _l("The Victims’ Code promise to offer a referral to support services within 2 working days."),
            _referral_offer),
    _figure("partner-time-to-accept", _l("Time for support organisations to accept a referral, by borough"),
            _l("The mean time in hours from a referral being sent to the organisation accepting it."), _to_accept),
    _figure("partner-time-to-contact", _l("Time for support organisations to make first contact, by borough"),
            _l("The mean time in hours from a referral being sent to the organisation's first contact with the "
               "person."), _to_contact),
]
DEMAND = [
    _figure("reports-by-category", _l("Reports by crime category"), _l("How many reports of each kind."),
            _by_category),
    _figure("reports-by-borough", _l("Reports by borough"), _l("How many reports in each borough."), _by_borough),
    _figure("reports-by-week", _l("Reports by week"), _l("How many reports were made each week (weeks start on "
                                                          "Monday)."), _by_week),
    _figure("new-demand-by-borough", _l("New demand: reports people would not otherwise have made, by borough"),
            _l("The share of reports where the person said they would not have reported the crime without this "
               "online service."), _new_demand),
    _figure("reports-handled-another-way", _l("Reports handled another way"),
            _l("Reports recorded as information rather than as a crime, and reports referred to another "
               "organisation at triage."), _handled_elsewhere),
    _figure("diversions-by-route", _l("People sent elsewhere before reporting"),
            _l("People the online form sent to another service instead of taking a report here. These are counted "
               "before anyone gives a borough, so the borough filter does not apply to them."), _diversions),
]
EXPERIENCE_FIXED = [
    _figure("satisfaction-by-question", _l("Satisfaction, by survey question"),
            _l("The share of survey answers of 4 or 5 on a scale of 1 to 5, for each question."),
            _satisfaction_by_question),
    _figure("coping-change-peer-vs-other", _l("Coping and recovery: peer-support groups against other support"),
            _l("The change in the mean of the five check-in scores (1 to 5) from the referral to 12 weeks later. "
               "A positive change means people were coping better."), _coping_by("peer")),
    _figure("coping-comparison-by-support", _l("Coping and recovery by the kind of support people received"),
            _l("Coping at the start and 12 weeks later, and the change, for people who received no support, "
               "information only, a support worker, a peer-support group or one-to-one peer support."),
            _comparison, COMPARISON_NOTES),
    _figure("feedback-by-rating", _l("Feedback on the service, by rating"),
            _l("How many people answered “Overall, how did you feel about the service you received today?” with "
               "each rating."), _feedback_by_rating, FEEDBACK_NOTES),
    _figure("feedback-satisfied", _l("Feedback on the service: share satisfied"),
            _l("The share of feedback answers that were “Satisfied” or “Very satisfied”."), _feedback_satisfied,
            FEEDBACK_NOTES[1:2]),
]
SATISFACTION_BY = {
    dimension: _figure(f"satisfaction-by-{dimension.replace('_', '-')}",
                       _l("Satisfaction by %(dimension)s", dimension=str(DIMENSION_NAMES[dimension]).lower()),
                       _l("The share of survey answers of 4 or 5 out of 5, for each question, compared with "
                          "everyone."), _satisfaction_by(dimension))
    for dimension in queries.DIMENSIONS
}
COPING_BY = {
    dimension: _figure(f"coping-change-by-{dimension.replace('_', '-')}",
                       _l("Coping and recovery by %(dimension)s", dimension=str(DIMENSION_NAMES[dimension]).lower()),
                       _l("The change in the mean check-in score (1 to 5) from the referral to 12 weeks later, "
                          "compared with everyone."), _coping_by(dimension))
    for dimension in queries.DIMENSIONS
}
COMPARISON_BY = {
    dimension: _figure(f"coping-comparison-by-{dimension.replace('_', '-')}",
                       _l("Coping and recovery by kind of support and %(dimension)s",
                          dimension=str(DIMENSION_NAMES[dimension]).lower()),
                       _l("The same comparison within each group. Groups with fewer than 10 people are hidden."),
                       _comparison_by(dimension), COMPARISON_NOTES[:1])
    for dimension in comparison.COMPARISON_DIMENSIONS
}
REQUESTS = [
    _figure("requests-by-type", _l("Requests by type"),
            _l("What people asked of us (and the work the service raised for them), by type: how many requests "
               "were raised in the period, how many are finished, the share finished by their due time, the working "
               "days they took, and how many are still open past their due time now."), _requests_by_type),
]
WITNESSES = [
    _figure("witness-cannot-attend-by-month", _l("Witnesses who said they cannot attend a hearing, by month"),
            _l("Of the answers witnesses gave about whether they can attend a hearing, the share that said they "
               "cannot, by the month the answer was given."), _cannot_attend,
            [_l("Each witness’s latest answer about each hearing counts once, in the month they gave it (London "
                "time). If a witness changes their answer, only the new answer counts, in its own month."),
             _l("Answers about a hearing that was later moved, adjourned or vacated still count: the witness gave "
                "them."),
             _l("A witness is one person invited to one case. Witnesses answering is how many gave the answers; "
                "a witness who answered about two hearings gave two answers."),
             _l("A dash (–) means there were no answers in that month.")]),
    _figure("witness-no-reply-by-month", _l("Witnesses with no answer 7 days before a hearing, by month"),
            _l("Of the witnesses asked whether they can attend a hearing, the share who had not answered 7 days "
               "before it, by the month the hearing was due to start."), _no_reply,
            [_l("Worked out from the witnesses’ answers, not from witness care’s “no answer” requests: a request is "
                "raised only when the reminder goes out, only once for each witness and hearing, and never for a "
                "closed account, so the answers are the surer record."),
             _l("Answers asked for: one from each witness who had joined the case 7 days before a hearing, for "
                "that hearing. They count in the month the hearing was due to start (London time), once the point "
                "7 days before it has passed."),
             _l("Not counted: hearings listed, or witnesses who joined the case, less than 7 days before the "
                "hearing; and hearings moved, adjourned or vacated more than 7 days before. A moved hearing is a "
                "new hearing, counted on its own date, so a hearing that moved is not counted twice."),
             _l("An answer given less than 7 days before the hearing, or never, counts as no answer."),
             _l("A dash (–) means no witness was asked about a hearing in that month.")]),
    _figure("hearing-changes-by-month", _l("Hearings adjourned, moved and vacated, by month"),
            _l("How many hearings were adjourned (put off until a date the court will set), moved to a new date or "
               "vacated (cancelled), by the month the change was made."), _hearing_changes,
            [_l("Each change is counted once, in the month it was recorded (London time), however many people "
                "were told of it."),
             _l("Cases is how many cases had a hearing changed. A hearing moved and then adjourned counts once as "
                "moved and once as adjourned."),
             _l("A month with no changes shows 0.")]),
]
PUBLIC = ["headline-service-levels", "triage-by-borough", "response-by-borough", "satisfaction-by-borough"]

FIGURES: dict[str, Figure] = {figure.id: figure for figure in
                              [*SERVICE, *DEMAND, *EXPERIENCE_FIXED, *REQUESTS, *WITNESSES, *SATISFACTION_BY.values(),
                               *COPING_BY.values(), *COMPARISON_BY.values()]}
# Which page each figure belongs to (its CSV is available to the same people).
PAGES = {
    "service": [figure.id for figure in SERVICE],
    "demand": [figure.id for figure in DEMAND],
    "experience": [figure.id for figure in EXPERIENCE_FIXED],
    "requests": [figure.id for figure in REQUESTS],
    "witnesses": [figure.id for figure in WITNESSES],
}


def build(figure_id: str, results: Results) -> FigureData:
    """A figure's data for these results."""
    return FIGURES[figure_id].build(results)

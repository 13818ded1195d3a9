"""The daily rollups behind the insight pages: they give exactly what the live queries over the case tables give,
a refresh can run again with the same result, and a refresh of recent days leaves older untouched days alone."""

from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from portal.cases.enums import DeadlineKind
from portal.cases.models import Report, VictimsCodeDeadline
from portal.extensions import db
from portal.insight import queries, rollups
from portal.insight.filters import Filters
from portal.insight.models import DailyCoping, DailyDeadlines, DailyReferrals, DailyReports, DailySatisfaction
from portal.insight.refresh import RECENT_DAYS, london_day, offset_periods, refresh
from portal.surveys.models import Survey, SurveyKind
from tests.integration.test_insight import (
    add_check_ins,
    add_deadlines,
    add_equality,
    add_referrals,
    add_reports,
    add_surveys,
    category_id,
    organisation_and_service,
)

TABLES = (DailyReports, DailyDeadlines, DailyReferrals, DailySatisfaction, DailyCoping)


def _mixed_data(make_user) -> None:
    """Cases over several boroughs, categories and days (both sides of the clock change and of London midnight),
    with every kind of row the figures read, in uneven mixes."""
    first = organisation_and_service("First Support")
    second = organisation_and_service("Second Support")
    moments = [
        datetime(2026, 2, 28, 23, 30, tzinfo=UTC),  # 28 February in London (GMT)
        datetime(2026, 3, 31, 23, 30, tzinfo=UTC),  # 1 April in London (BST)
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # before the clocks went forward
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # after
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # 25 October in London (BST)
        datetime(2026, 10, 27, 23, 30, tzinfo=UTC),  # 27 October in London (GMT)
    ]
    users = [make_user(email=f"person{i}@example.org").id for i in range(3)]
    for index, moment in enumerate(moments):
        borough = ("Camden", "Hackney", "Lambeth")[index % 3]
        category = ("theft", "bicycle_theft")[index % 2]
        on_time = add_reports(7 + index, borough=borough, category=category, submitted=moment, triage_minutes=20,
                              response_hours=10, would_have_reported="no" if index % 2 else "yes",
                              user_id=users[index % 3])
        late = add_reports(3 + index % 4, borough=borough, category="theft", submitted=moment, triage_minutes=90,
                           response_hours=None, information=index == 2)
        add_deadlines(on_time, DeadlineKind.TRIAGE, met_after_hours=0.5, due_hours=1)
        add_deadlines(late, DeadlineKind.TRIAGE, met_after_hours=None, due_hours=1)
        add_deadlines(on_time[:4], DeadlineKind.SUPPORT_REFERRAL, met_after_hours=20 + index * 10)
        add_deadlines(late, DeadlineKind.KEY_EVENT, met_after_hours=None, due_in_past=False)
        add_surveys(on_time[:5], overall=5 - index % 3, kept_informed=4, treated_fairly=None, ease_of_reporting=2)
        add_surveys(on_time[:3], overall=2, kept_informed=None, kind=SurveyKind.AT_CLOSURE)
        add_surveys(late[:2], overall=1, answered=False)
        add_equality(report_ids=on_time[:2], disability="yes", age_band="25_34")
        add_equality(report_ids=late[:1], disability="prefer_not_to_say")
        referrals = add_referrals(on_time[:4], first if index % 2 else second,
                                  level="peer" if index % 3 else "contact", accept_hours=3 + index,
                                  contact_hours=None if index == 4 else 30 + index)
        add_check_ins(referrals[:3], start=(2, 2, 3, 2, 1), end=(3 + index % 2, 3, 4, 2, 2))
        add_check_ins(referrals[3:], start=(1, 1, 1, 1, 1), end=None)
        # A second referral of the same cases, at another level, so a case is in two support-level groups.
        again = add_referrals(on_time[:2], second, level="specialist", accept_hours=1,
                              sent=utcnow_minus(days=50))
        add_check_ins(again, start=(3, 3, 3, 3, 3), end=(2, 2, 2, 2, 2), level="specialist")
    add_equality(user_ids=users[:2], disability="no", sexuality="gay_or_lesbian")


def utcnow_minus(days: int) -> datetime:
    from portal.clock import utcnow

    return utcnow() - timedelta(days=days)


def _plain(value):
    """A result with floats rounded, so sums divided by counts compare with the database's means."""
    if is_dataclass(value):
        return tuple((f.name, _plain(getattr(value, f.name))) for f in fields(value))
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, float):
        return round(value, 9)
    return value


FILTERS = [
    Filters(),
    Filters(borough="Hackney"),
    Filters(date_from=date(2026, 3, 1), date_to=date(2026, 4, 1)),
    Filters(date_from=date(2026, 3, 29), date_to=date(2026, 3, 29)),
    Filters(date_from=date(2026, 10, 25), date_to=date(2026, 10, 27), borough="Lambeth"),
    Filters(date_to=date(2026, 2, 28)),
]


def test_the_rollups_give_what_the_live_queries_give(app, ctx, make_user):
    _mixed_data(make_user)
    from portal.clock import utcnow

    now = utcnow()
    refresh(everything=True, now=now)
    for filters in [*FILTERS, Filters(category_id=category_id("theft"))]:
        for name in ("service_levels", "deadlines_by_kind", "deadlines_by_borough"):
            assert _plain(getattr(rollups, name)(filters)) == _plain(getattr(queries, name)(filters, now)), name
        for name in ("partner_times", "reports_by_category", "demand_by_borough", "reports_by_week"):
            assert _plain(getattr(rollups, name)(filters)) == _plain(getattr(queries, name)(filters)), name
        for dimension in (None, *queries.DIMENSIONS):
            assert _plain(rollups.satisfaction(filters, dimension)) == \
                _plain(queries.satisfaction(filters, dimension)), dimension
        for dimension in (None, "peer", *queries.DIMENSIONS):
            assert _plain(rollups.coping_change(filters, dimension)) == \
                _plain(queries.coping_change(filters, dimension)), dimension
    # The data really is mixed: several groups, people counted once however many rows they have.
    assert len(rollups.satisfaction(Filters(), "disability")) == 3
    assert len(rollups.coping_change(Filters(), "support_level")) == 2
    promises = rollups.deadlines_by_borough(Filters()).all_kinds
    assert sum(r.total for r in promises) > sum(r.people for r in promises)


def test_reports_fall_on_their_london_day(app, ctx):
    add_reports(2, submitted=datetime(2026, 2, 28, 23, 30, tzinfo=UTC))
    add_reports(3, submitted=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    add_reports(4, submitted=datetime(2026, 10, 24, 23, 0, tzinfo=UTC))  # BST: 00:00 on 25 October
    add_reports(5, submitted=datetime(2026, 10, 25, 23, 0, tzinfo=UTC))  # GMT again: still 25 October
    refresh(everything=True)
    days = dict(db.session.execute(select(DailyReports.day, DailyReports.reports)).all())
    assert days == {date(2026, 2, 28): 2, date(2026, 4, 1): 3, date(2026, 10, 25): 9}


def test_the_offset_periods_split_at_the_clock_changes():
    periods = offset_periods(datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 10, 26, tzinfo=UTC))
    assert periods == [
        (datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 3, 29, 1, tzinfo=UTC), 0),
        (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC), 1),
        (datetime(2026, 10, 25, 1, tzinfo=UTC), datetime(2026, 10, 26, tzinfo=UTC), 0),
    ]


def _snapshot() -> dict:
    rows = {}
    for model in TABLES:
        columns = [c for c in model.__table__.columns if c.name != "id"]
        rows[model.__tablename__] = sorted(
            (tuple(round(v, 9) if isinstance(v, float) else v for v in row)
             for row in db.session.execute(select(*columns)).all()), key=repr)
    return rows


def test_a_refresh_can_run_again_with_the_same_result(app, ctx, make_user):
    _mixed_data(make_user)
    add_reports(12, borough="Camden", triage_minutes=10)  # recent, so the short refresh rebuilds its day
    refresh(everything=True)
    first = _snapshot()
    refresh(everything=True)
    assert _snapshot() == first
    refresh()
    assert _snapshot() == first
    refresh()
    assert _snapshot() == first
    assert sum(len(rows) for rows in first.values()) > 100


def test_days_outside_the_window_are_left_alone_until_touched(app, ctx):
    old_day = utcnow_minus(days=RECENT_DAYS + 30)
    old = add_reports(12, borough="Camden", submitted=old_day, triage_minutes=10)
    recent = add_reports(12, borough="Camden", triage_minutes=10)
    # As if the old cases were last changed long ago.
    db.session.execute(update(Report).where(Report.id.in_(old)).values(updated_at=old_day))
    db.session.commit()
    refresh(everything=True)
    old_london_day = london_day(old_day)
    assert db.session.scalars(select(DailyReports.reports).where(DailyReports.day == old_london_day)).all() == [12]

    # An old answer recorded behind the refresh's back (answered long ago) is not looked for...
    db.session.add(Survey(report_id=old[0], kind=SurveyKind.AFTER_DECISION, invited_at=old_day,
                          answered_at=old_day + timedelta(days=1), overall=5))
    db.session.add(Survey(report_id=recent[0], kind=SurveyKind.AFTER_DECISION, invited_at=utcnow_minus(days=1),
                          answered_at=utcnow_minus(days=1), overall=5))
    db.session.commit()
    done = refresh()
    assert done.ranges[0][1] - done.ranges[0][0] == timedelta(days=RECENT_DAYS - 1)
    assert len(done.ranges) == 1
    assert [s.people for s in rollups.satisfaction(Filters())] == [1]  # only the recent case's answer

    # ...but a case touched since the last run has its day rebuilt, however old.
    db.session.add(Survey(report_id=old[1], kind=SurveyKind.AFTER_DECISION, invited_at=old_day,
                          answered_at=utcnow_minus(days=0), overall=4))
    db.session.commit()
    done = refresh()
    assert len(done.ranges) == 2 and done.ranges[0][0] == done.ranges[0][1]
    assert [s.people for s in rollups.satisfaction(Filters())] == [3]

    # A Victims' Code promise that falls due after the last run counts from the next run.
    db.session.add(VictimsCodeDeadline(report_id=old[2], kind=DeadlineKind.KEY_EVENT, description="A promise",
                                       starts_at=old_day, due_at=utcnow_minus(days=0) + timedelta(seconds=1)))
    db.session.commit()
    refresh()
    assert sum(r.total for r in rollups.deadlines_by_kind(Filters())) == 0
    refresh(now=utcnow_minus(days=0) + timedelta(minutes=1))
    assert sum(r.total for r in rollups.deadlines_by_kind(Filters())) == 1


def test_the_command_refreshes_and_says_how_long_it_took(app, ctx):
    add_reports(10)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["insight", "refresh", "--all"])
    assert result.exit_code == 0, result.output
    assert "insight figures rebuilt for" in result.output and " s" in result.output
    result = runner.invoke(args=["insight", "refresh"])
    assert result.exit_code == 0 and f"for {RECENT_DAYS} day(s)" in result.output
    assert rollups.demand_by_borough(Filters()).reports[0].people == 10


def test_the_pages_say_when_the_figures_were_worked_out(app, ctx):
    from portal.insight.views import figures_as_of

    with app.test_request_context("/insight/"):
        assert figures_as_of() == "The figures have not been worked out yet."
        refresh(now=datetime(2026, 7, 1, 12, 5, tzinfo=UTC))
        assert figures_as_of() == "Figures as of 1 July 2026 at 1:05pm (London time)."


@pytest.mark.parametrize("dimension", ["shoe_size", "'; drop table reports; --"])
def test_unknown_dimensions_are_refused(app, ctx, dimension):
    with pytest.raises(ValueError):
        rollups.satisfaction(Filters(), dimension)
    with pytest.raises(ValueError):
        rollups.coping_change(Filters(), dimension)

"""Daily rollups behind the insight pages: counts per bucket, worked out by ``portal.insight.refresh`` and summed
by ``portal.insight.rollups``.

A bucket is (the London day the report was made, borough, crime category). Every case falls in exactly one
bucket, so counts of people (distinct cases) add up across buckets, and the dashboard's filters (London days,
borough, category) select whole buckets: the sums are exact.
"""

from datetime import date, datetime

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.cases.models import Report
from portal.database import Base

# The rollups are rebuilt by ranges of submission time, so the refresh finds a day's reports by that column.
Index("ix_reports_submitted_at", Report.submitted_at)

ALL_KINDS = "all"  # the deadline row counting every kind of Victims' Code promise together
OVERALL = "all"  # the coping row over every referral (a case may have referrals in several groups)
PEER = "peer"  # the coping rows comparing peer-support groups with other support


class BucketMixin:
    """The bucket a row belongs to."""

    day: Mapped[date] = mapped_column(primary_key=True)
    borough: Mapped[str] = mapped_column(String(40), primary_key=True)
    category_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class GroupedBucketMixin:
    """A bucket split by one group of one dimension (a borough, a support level, an equality answer, ...)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    borough: Mapped[str] = mapped_column(String(40))
    category_id: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(30))
    value: Mapped[str | None] = mapped_column(String(200))


class DailyReports(BucketMixin, Base):
    """Reports: demand, and the 45-minute and 48-hour targets (counted once met or once the target passed)."""

    __tablename__ = "insight_daily_reports"

    reports: Mapped[int] = mapped_column(Integer)
    new_demand: Mapped[int] = mapped_column(Integer)
    information: Mapped[int] = mapped_column(Integer)
    referred_elsewhere: Mapped[int] = mapped_column(Integer)
    triage_counted: Mapped[int] = mapped_column(Integer)
    triage_met: Mapped[int] = mapped_column(Integer)
    response_counted: Mapped[int] = mapped_column(Integer)
    response_met: Mapped[int] = mapped_column(Integer)


class DailyDeadlines(BucketMixin, Base):
    """Victims' Code promises that had fallen due (or been met) at the refresh, by kind, and ``ALL_KINDS``.
    ``people`` is the cases with at least one such promise of the kind."""

    __tablename__ = "insight_daily_deadlines"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    people: Mapped[int] = mapped_column(Integer)
    fell_due: Mapped[int] = mapped_column(Integer)
    met: Mapped[int] = mapped_column(Integer)


class DailyReferrals(BucketMixin, Base):
    """Referrals sent: sums of hours to acceptance and to first contact, and how many (means are sum/count)."""

    __tablename__ = "insight_daily_referrals"

    accepted_people: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer)
    accept_hours: Mapped[float] = mapped_column(Float)
    contacted_people: Mapped[int] = mapped_column(Integer)
    contacted: Mapped[int] = mapped_column(Integer)
    contact_hours: Mapped[float] = mapped_column(Float)


class DailySatisfaction(GroupedBucketMixin, Base):
    """Answered surveys of a bucket's cases, for one group of one dimension (a case is in one group of each
    dimension, so the borough rows also give the overall figure). Per question: the cases that answered it,
    the answers, and the answers of 4 or 5."""

    __tablename__ = "insight_daily_satisfaction"
    __table_args__ = (Index("ix_insight_daily_satisfaction_dimension", "dimension", "day"),)

    people: Mapped[int] = mapped_column(Integer)
    overall_people: Mapped[int] = mapped_column(Integer)
    overall_answered: Mapped[int] = mapped_column(Integer)
    overall_satisfied: Mapped[int] = mapped_column(Integer)
    kept_informed_people: Mapped[int] = mapped_column(Integer)
    kept_informed_answered: Mapped[int] = mapped_column(Integer)
    kept_informed_satisfied: Mapped[int] = mapped_column(Integer)
    treated_fairly_people: Mapped[int] = mapped_column(Integer)
    treated_fairly_answered: Mapped[int] = mapped_column(Integer)
    treated_fairly_satisfied: Mapped[int] = mapped_column(Integer)
    ease_of_reporting_people: Mapped[int] = mapped_column(Integer)
    ease_of_reporting_answered: Mapped[int] = mapped_column(Integer)
    ease_of_reporting_satisfied: Mapped[int] = mapped_column(Integer)


class DailyCoping(GroupedBucketMixin, Base):
    """Referrals of a bucket's cases with the week-0 and week-12 check-ins answered, for one group of one
    dimension (``OVERALL`` and ``PEER`` included): the cases, the referrals and the sum of the changes in the
    mean check-in score."""

    __tablename__ = "insight_daily_coping"
    __table_args__ = (Index("ix_insight_daily_coping_dimension", "dimension", "day"),)

    people: Mapped[int] = mapped_column(Integer)
    pairs: Mapped[int] = mapped_column(Integer)
    change_sum: Mapped[float] = mapped_column(Float)


class RefreshState(Base):
    """The last refresh (one row): the moment its figures are as of, and how it went."""

    __tablename__ = "insight_refresh"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[datetime]
    finished_at: Mapped[datetime]
    seconds: Mapped[float] = mapped_column(Float)
    first_day: Mapped[date | None]
    last_day: Mapped[date | None]
    days: Mapped[int] = mapped_column(Integer)

"""Surveys after a decision and at closure, and cope-and-recover check-ins after a referral or for the comparison
sample (people drawn at random from those who were not referred)."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, enum_column

# Every closed question is on a 1 to 5 scale, 5 the best; None means not answered.
SCALE = range(1, 6)


class SurveyKind(enum.StrEnum):
    """The event a satisfaction survey asks about. One survey per case per event, at most."""

    AFTER_DECISION = "after_decision"  # after the triage decision
    AT_CLOSURE = "at_closure"  # when the case is closed


class Survey(Base):
    """One satisfaction survey offered on one case for one event, and the answers if given."""

    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("report_id", "kind"), Index("ix_surveys_answered", "answered_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    kind: Mapped[SurveyKind] = mapped_column(enum_column(SurveyKind, 20))
    invited_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    overall: Mapped[int | None]  # overall satisfaction
    kept_informed: Mapped[int | None]
    treated_fairly: Mapped[int | None]  # treated fairly and with respect
    ease_of_reporting: Mapped[int | None]  # ease of reporting online
    comment: Mapped[str | None] = mapped_column(Text)


# Weeks after the referral was sent (or the comparison draw) at which a check-in is due.
CHECK_IN_WEEKS = (0, 4, 12)


class ComparisonDraw(Base):
    """One draw for the comparison sample: each eligible case is drawn once (the unique report), at the first run
    of the survey job after its triage decision, and `chosen` says whether it was picked for check-ins.

    Without people who were not referred there is nothing to compare referred people's recovery with. A chosen
    case gets check-ins at 0, 4 and 12 weeks from `drawn_at`, like a referral's (portal.surveys.comparison).
    """

    __tablename__ = "comparison_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), unique=True)
    drawn_at: Mapped[datetime]
    chosen: Mapped[bool]


class CheckIn(Base):
    """A cope-and-recover check-in: five short items, at the start and 4 and 12 weeks later.

    Either for a referral (the organisation and support level are copied from it, so outcomes compare without
    joins) or for a case chosen in the comparison sample (`draw_id`; no organisation, no level): exactly one.

    Whose it is: the victim's (no witness link), or, for a witness's own referral, that witness's (`witness_link_id`,
    copied from the referral; only a referral's check-in can be a witness's). The witness answers their own; the
    outcome figures count only the victims' (portal.insight).
    """

    __tablename__ = "check_ins"
    __table_args__ = (UniqueConstraint("referral_id", "weeks"), UniqueConstraint("draw_id", "weeks"),
                      CheckConstraint("(referral_id IS NULL) <> (draw_id IS NULL)", name="referral_or_draw"),
                      CheckConstraint("witness_link_id IS NULL OR referral_id IS NOT NULL",
                                      name="witness_only_on_referral"),
                      Index("ix_check_ins_due", "invited_at", "due_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"))
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("comparison_draws.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    witness_link_id: Mapped[int | None] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"),
                                                        index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                        index=True)
    support_level: Mapped[str | None] = mapped_column(String(20))
    weeks: Mapped[int]
    due_at: Mapped[datetime]
    invited_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    coping: Mapped[int | None]
    safety: Mapped[int | None]  # feeling safe
    wellbeing: Mapped[int | None]
    confidence: Mapped[int | None]  # confidence in the justice system
    daily_life: Mapped[int | None]  # getting on with daily life

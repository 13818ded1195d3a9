"""Victims' Code deadlines and SLA alerts."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, enum_column
from portal.reporting.models import Report


class DeadlineKind(enum.StrEnum):
    """What the Victims' Code (or our own service standard) promises, and by when."""

    TRIAGE = "triage"  # reviewed within 45 minutes (service standard)
    FIRST_RESPONSE = "first_response"  # heard from us within 48 hours (service standard)
    SUPPORT_REFERRAL = "support_referral"  # offered a referral to support within 2 working days
    DECISION_NOT_TO_INVESTIGATE = "decision_not_to_investigate"  # told within 5 working days
    KEY_EVENT = "key_event"  # told within 5 working days, or 1 for enhanced rights
    ROUTINE_UPDATE = "routine_update"  # at the frequency the victim agreed


class VictimsCodeDeadline(Base):
    """One promise on one case: when it fell due, and when (if) it was met."""

    __tablename__ = "victims_code_deadlines"
    __table_args__ = (Index("ix_victims_code_deadlines_open", "met_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DeadlineKind] = mapped_column(enum_column(DeadlineKind, 40))
    description: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    due_at: Mapped[datetime]
    met_at: Mapped[datetime | None]
    # When the officer (or the supervisors) were reminded that it falls due; set once, so never sent twice.
    reminded_at: Mapped[datetime | None]


class SlaAlert(Base):
    """A report about to miss (or missing) its triage or response target, for supervisors."""

    __tablename__ = "sla_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DeadlineKind] = mapped_column(enum_column(DeadlineKind, 40))
    raised_at: Mapped[datetime]
    due_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None] = mapped_column(index=True)

    report: Mapped["Report"] = relationship(lazy="joined")

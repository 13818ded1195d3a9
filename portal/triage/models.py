"""Alerts to supervisors about reports near or past their triage and response targets."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.cases.enums import DeadlineKind
from portal.cases.models import Report
from portal.database import Base, enum_column


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

"""Equality monitoring answers: optional, apart from the case, and read only by the insight aggregates."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, TimestampMixin

PREFER_NOT_TO_SAY = "prefer_not_to_say"
# The questions, each answered with one of its codes (see portal.equality.questions) or left blank.
CHARACTERISTICS = ("age_band", "sex", "gender_identity", "ethnicity", "disability", "sexuality", "religion",
                   "mental_health", "repeat_victimisation")


class EqualityRecord(TimestampMixin, Base):
    """One person's answers: by account (given from the account page) or by report (given after reporting
    without an account). Never joined into a case, staff or partner page."""

    __tablename__ = "equality_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), unique=True)
    age_band: Mapped[str | None] = mapped_column(String(30))
    sex: Mapped[str | None] = mapped_column(String(30))
    gender_identity: Mapped[str | None] = mapped_column(String(30))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    disability: Mapped[str | None] = mapped_column(String(30))
    sexuality: Mapped[str | None] = mapped_column(String(30))
    religion: Mapped[str | None] = mapped_column(String(30))
    mental_health: Mapped[str | None] = mapped_column(String(30))
    repeat_victimisation: Mapped[str | None] = mapped_column(String(30))

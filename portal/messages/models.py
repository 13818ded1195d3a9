"""Messages on a case: the victim with the police, each witness with the Witness Care Unit, and the person referred
with their support organisation."""

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class CaseMessage(Base):
    """One message in a case's thread. ``read_at`` is when the other side first opened the thread after it."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_staff: Mapped[bool]
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class WitnessMessage(Base):
    """One message between a witness and the Witness Care Unit, in that witness's own thread on a case.

    Kept apart from the victim's thread (a table of its own), so no query for one side can return the other's.
    ``from_staff`` is true when witness care wrote it; ``read_at`` is when the other side first opened the thread.
    """

    __tablename__ = "witness_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    witness_link_id: Mapped[int] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_staff: Mapped[bool]
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class ReferralMessage(Base):
    """One message between the person referred and the support organisation, in that referral's own thread.

    A table of its own, apart from the police's and witness care's threads, so no query for one can return another.
    ``from_partner`` is true when the organisation wrote it; ``read_at`` is when the other side first opened the
    thread after it.
    """

    __tablename__ = "referral_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_partner: Mapped[bool]
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

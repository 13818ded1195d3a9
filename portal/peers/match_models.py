"""One-to-one peer support: a person referred for it, paired by the organisation with one of its peer supporters.

A `PeerMatch` is the pairing on one referral: proposed by the organisation, agreed or declined by the person, then
a conversation (`PeerMessage`) that the organisation can pause and resume and either side can end. Each side is
shown to the other only by a first name they chose; each may choose to share contact details, and neither sees the
other's until both have chosen. A concern either side reports (`PeerConcern`) is the organisation's safeguarding
task until someone there marks it dealt with. The peer supporter never sees the person's case.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, TimestampMixin, enum_column
from portal.peers.match_enums import MatchStatus, Side
from portal.peers.models import PeerSupporter
from portal.support.models import Referral


class PeerMatch(TimestampMixin, Base):
    """A peer supporter proposed to, and perhaps talking with, the person on a one-to-one peer support referral."""

    __tablename__ = "peer_matches"
    __table_args__ = (Index("ix_peer_matches_referral", "referral_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("peer_supporters.id", ondelete="CASCADE"), index=True)
    status: Mapped[MatchStatus] = mapped_column(enum_column(MatchStatus, 10))
    proposed_at: Mapped[datetime]
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[Side | None] = mapped_column(enum_column(Side, 12))
    # The first name the person chose to be shown by; empty until they choose it when agreeing.
    person_first_name: Mapped[str | None] = mapped_column(String(40))
    # Each side's "share my contact details" choice: the details they chose, or empty for not shared. Shown to the
    # other side only once both are set.
    person_contact: Mapped[str | None] = mapped_column(String(200))
    supporter_contact: Mapped[str | None] = mapped_column(String(200))

    referral: Mapped[Referral] = relationship(lazy="joined")
    supporter: Mapped[PeerSupporter] = relationship(lazy="joined")

    @property
    def both_shared(self) -> bool:
        """Whether both sides chose to share contact details (only then does either see the other's)."""
        return bool(self.person_contact and self.supporter_contact)

    @property
    def can_write(self) -> bool:
        """Whether either side can send a message now: agreed, not paused, not ended."""
        return self.status == MatchStatus.AGREED


class PeerMessage(Base):
    """One message between the person and their peer supporter. A table of its own, apart from every other
    thread. ``read_at`` is when the other side first opened the conversation after it."""

    __tablename__ = "peer_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("peer_matches.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_supporter: Mapped[bool]
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class PeerConcern(Base):
    """A concern one side reported about the conversation: a safeguarding task for the organisation."""

    __tablename__ = "peer_concerns"
    __table_args__ = (Index("ix_peer_concerns_open", "organisation_id", "dealt_with_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("peer_matches.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    raised_by: Mapped[Side] = mapped_column(enum_column(Side, 12))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500))
    raised_at: Mapped[datetime]
    dealt_with_at: Mapped[datetime | None]
    dealt_with_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(500))

    match: Mapped[PeerMatch] = relationship(lazy="joined")

"""Peer-support groups' members and waiting lists, and the meetings a coordinator cancelled or moved.

Written only by portal.support.places."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, TimestampMixin
from portal.support.models import Referral

MEMBER, WAITING, LEFT = "member", "waiting", "left"


class GroupPlace(TimestampMixin, Base):
    """One person's place in a peer-support group, or on its waiting list, from their referral closed as 'joined
    the group'. A member holds one of the group's places until a coordinator records that they left; the waiting
    list is in order of waiting_since, then id."""

    __tablename__ = "group_places"
    __table_args__ = (Index("ix_group_places_list", "service_id", "status", "waiting_since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("support_services.id", ondelete="CASCADE"))
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(10))  # MEMBER, WAITING or LEFT
    waiting_since: Mapped[datetime]
    joined_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]

    referral: Mapped[Referral] = relationship(lazy="joined")


class GroupSessionChange(Base):
    """A coordinator cancelled or moved one meeting of a group; its members were told by their safe channels."""

    __tablename__ = "group_session_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("support_services.id", ondelete="CASCADE"), index=True)
    session_on: Mapped[date]
    change: Mapped[str] = mapped_column(String(10))  # "cancelled" or "moved"
    moved_to: Mapped[date | None]
    starts_at: Mapped[str | None] = mapped_column(String(5))  # "18:30", for a moved meeting
    made_at: Mapped[datetime]
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

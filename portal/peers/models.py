"""Offers to be a peer supporter, and each organisation's record of one.

An offer is the person's: what they went through (crime category codes), languages, availability, online or in
person, and the first name others will see. It is made with consent to the accredited organisations that run peer
support in their area, one `PeerSupporter` row each: that organisation's decision, its own checks (dates only) and,
once accepted, the person's status with it. Withdrawing the offer takes it from every organisation at once.
A later piece of work pairs victims with accepted, active peer supporters (`queries.active_supporters`).
"""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, TimestampMixin, enum_column
from portal.peers.enums import Decision, SupporterStatus
from portal.support.enums import Delivery
from portal.support.models import Organisation


class PeerOffer(TimestampMixin, Base):
    """One person's offer to help others, shared with their consent. One live offer per account at a time."""

    __tablename__ = "peer_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The case whose support led to the offer: it shows the person is eligible and gives the borough. No
    # organisation ever sees it.
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    # A witness's offer: their link to the case (their support and safe channels); None for the victim's.
    witness_link_id: Mapped[int | None] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"),
                                                        index=True)
    first_name: Mapped[str] = mapped_column(String(40))
    categories: Mapped[list] = mapped_column(JSON, default=list)  # crime category codes
    languages: Mapped[list] = mapped_column(JSON, default=list)  # ISO 639 codes, "bsl" for British Sign Language
    availability: Mapped[list] = mapped_column(JSON, default=list)  # Availability values
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery, 20))
    # Contact details the person chose to give the organisations (optional); nothing else of theirs is shown.
    shared_contact: Mapped[str | None] = mapped_column(String(200))
    borough: Mapped[str] = mapped_column(String(40))
    consented_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]

    supporters: Mapped[list["PeerSupporter"]] = relationship(back_populates="offer", order_by="PeerSupporter.id")


class PeerSupporter(TimestampMixin, Base):
    """An offer as one organisation holds it: its decision, its checks and the person's status with it."""

    __tablename__ = "peer_supporters"
    __table_args__ = (UniqueConstraint("offer_id", "organisation_id"),
                      Index("ix_peer_supporters_lists", "organisation_id", "decision"))

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("peer_offers.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, 10))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decline_reason: Mapped[str | None] = mapped_column(String(20))
    decline_note: Mapped[str | None] = mapped_column(String(200))
    # Set when accepted; LEFT when the organisation records it or the person withdraws the offer.
    status: Mapped[SupporterStatus | None] = mapped_column(enum_column(SupporterStatus, 10))
    # The organisation's own checks: dates only, never documents.
    training_completed_on: Mapped[date | None]
    references_received_on: Mapped[date | None]
    safeguarding_checked_on: Mapped[date | None]
    ended_at: Mapped[datetime | None]

    offer: Mapped[PeerOffer] = relationship(back_populates="supporters", lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

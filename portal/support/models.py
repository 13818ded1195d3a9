"""Support: organisations and their services (following Open Referral UK), needs assessments, consents and
referrals.

Field names follow the Open Referral UK profile of HSDS 3.0 where there is one (organization, service,
schedule, languages, service areas, accreditations, assured_date), so the open-data API is a plain mapping.
"""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, TimestampMixin, enum_column
from portal.support.enums import ConsentScope, ConsentSource, Delivery, ReferralStatus, ServiceKind


def whose(model, witness_link_id: int | None):
    """The condition for one person's support rows (assessments, consents, referrals) on a case: the victim's
    (no witness link) or one witness's. Every query for a person's support uses it, so neither sees the other's."""
    column = model.witness_link_id
    return column.is_(None) if witness_link_id is None else column == witness_link_id


class Organisation(TimestampMixin, Base):
    """A charity or community group that receives referrals. Listed only while approved and accredited."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(30))
    # Approval by an admin, and the accreditation that lets the organisation be listed and receive referrals.
    approved: Mapped[bool] = mapped_column(default=False)
    accreditation_body: Mapped[str | None] = mapped_column(String(200))
    assured_date: Mapped[date | None]
    accreditation_expires_on: Mapped[date | None]
    # How soon the organisation aims to make first contact after a referral is sent, in working days.
    first_contact_target_days: Mapped[int] = mapped_column(default=2, server_default="2")

    services: Mapped[list["SupportService"]] = relationship(back_populates="organisation",
                                                            order_by="SupportService.name")

    def is_accredited(self, today: date) -> bool:
        """Approved, assured and not expired on this day."""
        return bool(self.approved and self.assured_date and self.accreditation_expires_on
                    and self.assured_date <= today <= self.accreditation_expires_on)


class SupportService(TimestampMixin, Base):
    """One service or peer-support group an organisation offers (an ORUK service with one schedule)."""

    __tablename__ = "support_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ServiceKind] = mapped_column(enum_column(ServiceKind, 20))
    # The support levels this service provides: any of "contact", "specialist", "peer".
    levels: Mapped[list] = mapped_column(JSON, default=list)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    # Crime category codes it helps with; empty means every category.
    categories: Mapped[list] = mapped_column(JSON, default=list)
    # London boroughs it covers; empty means all of London.
    boroughs: Mapped[list] = mapped_column(JSON, default=list)
    # ISO 639 language codes, plus "bsl" for British Sign Language.
    languages: Mapped[list] = mapped_column(JSON, default=list)
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery, 20))
    location_name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10))
    accessibility: Mapped[str | None] = mapped_column(Text)
    # Whether the place it meets has step-free access (a filter in matching: people who need it get only these
    # in person, or services they can take part in online).
    step_free: Mapped[bool] = mapped_column(default=False, server_default=false())
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    # Places (for groups) or open cases (for services) it can take; None means no fixed limit.
    capacity: Mapped[int | None]
    # What the organisation says is the usual wait from referral to first contact, in working days: their own
    # estimate, shown (labelled as theirs) until enough referrals measure it (portal.support.waits).
    expected_wait_days: Mapped[int] = mapped_column(default=5, server_default="5")
    # The schedule as an iCalendar recurrence, as Open Referral UK holds it.
    schedule_freq: Mapped[str | None] = mapped_column(String(10))  # "WEEKLY" or "MONTHLY"
    schedule_interval: Mapped[int] = mapped_column(default=1, server_default="1")
    schedule_byday: Mapped[str | None] = mapped_column(String(40))  # "TU", "MO,TH" or, monthly, "2TU"
    opens_at: Mapped[str | None] = mapped_column(String(5))  # "18:00"
    closes_at: Mapped[str | None] = mapped_column(String(5))
    # Peer-support facilitators' safeguarding check (for example an enhanced DBS check), and when it was done.
    facilitator_check: Mapped[str | None] = mapped_column(String(200))
    facilitator_checked_on: Mapped[date | None]

    organisation: Mapped[Organisation] = relationship(back_populates="services", lazy="joined")


class NeedsAssessment(TimestampMixin, Base):
    """A victim's answers about the support they need, the recommendation and their choice. The latest counts."""

    __tablename__ = "needs_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    # Whose support this is: None for the case's victim, else the witness (by their link to the case). A witness's
    # support is theirs alone: the victim's pages and download never show it, nor the witness the victim's.
    witness_link_id: Mapped[int | None] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"),
                                                        index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    recommended_level: Mapped[str] = mapped_column(String(20))
    recommended_peer: Mapped[bool] = mapped_column(default=False)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    # What the victim chose; None until they choose.
    chosen_level: Mapped[str | None] = mapped_column(String(20))
    wants_peer: Mapped[bool] = mapped_column(default=False)
    # Whether the victim also asked to talk one-to-one with a peer supporter (issue 24; victims only).
    wants_peer_one_to_one: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When they could usually talk to a peer supporter (Availability values, or ["any"]); asked with one-to-one
    # peer support. None when not asked (assessments from before the question): treated as any time.
    peer_times: Mapped[list | None] = mapped_column(JSON)
    chosen_at: Mapped[datetime | None]
    # Communication needs, shared with an organisation only when the victim shares contact details.
    language: Mapped[str | None] = mapped_column(String(10))
    interpreter: Mapped[bool] = mapped_column(default=False)
    bsl: Mapped[bool] = mapped_column(default=False)
    easy_read: Mapped[bool] = mapped_column(default=False)
    # Access needs, filters in matching: step-free access to any place they go; support only online.
    step_free: Mapped[bool] = mapped_column(default=False, server_default=false())
    online_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    contact_method: Mapped[str | None] = mapped_column(String(20))
    contact_time: Mapped[str | None] = mapped_column(String(200))


class Consent(Base):
    """Agreement to share parts of one case with one organisation. Withdrawing it ends the organisation's access."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    # Whose support this is: None for the case's victim, else the witness (by their link to the case). A witness's
    # support is theirs alone: the victim's pages and download never show it, nor the witness the victim's.
    witness_link_id: Mapped[int | None] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"),
                                                        index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[ConsentSource] = mapped_column(enum_column(ConsentSource, 10))
    given_at: Mapped[datetime]
    # For verbal consent: the officer who recorded it and who gave it ("the victim", or a named parent or carer).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    given_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        """Not withdrawn."""
        return self.withdrawn_at is None

    def covers(self, scope: ConsentScope) -> bool:
        """Whether this consent, while active, lets the organisation see this part of the case."""
        return self.is_active and scope.value in (self.scopes or [])


class Referral(TimestampMixin, Base):
    """A case referred, with consent, to one service of one organisation."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_inbox", "organisation_id", "status", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    # Whose support this is: None for the case's victim, else the witness (by their link to the case). A witness's
    # support is theirs alone: the victim's pages and download never show it, nor the witness the victim's.
    witness_link_id: Mapped[int | None] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"),
                                                        index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("support_services.id", ondelete="CASCADE"), index=True)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus, 20))
    version: Mapped[int] = mapped_column(default=1)
    support_level: Mapped[str] = mapped_column(String(20))
    suggested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None]
    first_contact_due_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    first_contact_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reason_code: Mapped[str | None] = mapped_column(String(40))  # decline reason, or the closing outcome
    note: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    service: Mapped[SupportService] = relationship(lazy="joined")
    consent: Mapped[Consent | None] = relationship(lazy="joined")
    events: Mapped[list["ReferralEvent"]] = relationship(back_populates="referral", cascade="all, delete-orphan",
                                                         order_by="ReferralEvent.occurred_at")

    __mapper_args__ = {"version_id_col": version}


class ReferralEvent(Base):
    """Something that happened to a referral: a change of status or a contact attempt."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30))  # "status" or "contact_attempt"
    status: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)

    referral: Mapped[Referral] = relationship(back_populates="events")

"""The case: a report with its category, property and evidence, its timeline, its Victims' Code deadlines,
and the crime-number sequence."""

from datetime import date, datetime
from typing import overload

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.cases.enums import CaseStatus, DeadlineKind, FollowUp, ReporterRole, Route
from portal.database import Base, TimestampMixin, enum_column
from portal.i18n import DEFAULT_LANGUAGE, current_language, translated, uk_datetime


class CrimeCategory(TimestampMixin, Base):
    """A kind of crime or incident a person can choose, and where it routes them."""

    __tablename__ = "crime_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    hint: Mapped[str | None] = mapped_column(String(300))
    route: Mapped[Route] = mapped_column(enum_column(Route, 20))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def title(self) -> str:
        """The name in the page's language (portal.reporting.category_words puts it in the catalogue)."""
        return translated(self.name)

    @property
    def hint_text(self) -> str | None:
        """The hint in the page's language."""
        return translated(self.hint)


class CrimeNumberSequence(Base):
    """The last sequence number issued in a year. Incremented in the report's own transaction."""

    __tablename__ = "crime_number_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)


class Report(TimestampMixin, Base):
    """One report of a crime or incident: the case, known to people by its crime number."""

    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_triage_queue", "status", "triage_due_at"),
        Index("ix_reports_triage_due", "triage_due_at", "id"),
        Index("ix_reports_borough_queue", "borough", "status", "triage_due_at"),
        Index("ix_reports_reporter_email", "contact_email"),
        # Covers the insight service-level and demand aggregates, so they read the index and not the table.
        Index("ix_reports_insight", "borough", "submitted_at", "category_id", "triage_due_at", "triaged_at",
              "response_due_at", "first_response_at", "would_have_reported", "is_information_report", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    crime_number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus, 40), default=CaseStatus.RECEIVED)
    is_information_report: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)

    reporter_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reporter_role: Mapped[ReporterRole] = mapped_column(enum_column(ReporterRole, 20))
    # Asked only of someone reporting for someone else: whether the victim is a person or a business, their name
    # if given, and whether they know about the report (yes, no or not_sure).
    victim_kind: Mapped[str | None] = mapped_column(String(20))
    victim_name: Mapped[str | None] = mapped_column(String(200))
    victim_knows: Mapped[str | None] = mapped_column(String(10))
    category_id: Mapped[int] = mapped_column(ForeignKey("crime_categories.id"))

    occurred_on: Mapped[date]
    occurred_until: Mapped[date | None]
    occurred_time: Mapped[str | None] = mapped_column(String(5))
    borough: Mapped[str] = mapped_column(String(40), index=True)
    # Indexed: the repeat-victim check at submission looks for earlier reports at the same postcode.
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    location: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    suspect_description: Mapped[str | None] = mapped_column(Text)
    other_witnesses: Mapped[str | None] = mapped_column(Text)
    hate_motivations: Mapped[list] = mapped_column(JSON, default=list)
    third_party_organisation: Mapped[str | None] = mapped_column(String(200))

    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    safe_channels: Mapped[list] = mapped_column(JSON, default=list)
    safe_times: Mapped[str | None] = mapped_column(String(200))
    # Quiet hours in London time: no message is delivered from quiet_from_hour until quiet_until_hour.
    quiet_from_hour: Mapped[int | None]
    quiet_until_hour: Mapped[int | None]
    # A postal address, asked for only when letter is a safe channel: the lines as typed, and a UK postcode.
    contact_address: Mapped[str | None] = mapped_column(String(500))
    contact_address_postcode: Mapped[str | None] = mapped_column(String(10))
    voicemail_allowed: Mapped[bool] = mapped_column(default=False)
    neutral_sender: Mapped[bool] = mapped_column(default=True)
    # The one exception to "no case details in messages": the person asked, in so many words, for the crime
    # number in their confirmation (for an insurer). Off unless they chose it; when they chose it is recorded.
    crime_number_in_confirmation: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    crime_number_opt_in_at: Mapped[datetime | None]
    # Contact needs, shown prominently to staff and partners: an interpreter (and in which language),
    # British Sign Language, large print.
    interpreter_language: Mapped[str | None] = mapped_column(String(60))
    needs_bsl: Mapped[bool] = mapped_column(default=False)
    needs_large_print: Mapped[bool] = mapped_column(default=False)
    # The language the report was made in: emails to a reporter with no account are sent in it.
    locale: Mapped[str | None] = mapped_column(String(5))
    follow_up: Mapped[FollowUp] = mapped_column(enum_column(FollowUp, 10))
    would_have_reported: Mapped[str] = mapped_column(String(10))

    risk_flags: Mapped[list] = mapped_column(JSON, default=list)
    is_repeat_victim: Mapped[bool] = mapped_column(default=False)
    enhanced_rights: Mapped[bool] = mapped_column(default=False)
    enhanced_rights_reason: Mapped[str | None] = mapped_column(String(40))
    safeguarding: Mapped[bool] = mapped_column(default=False)
    named_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    update_every_days: Mapped[int] = mapped_column(default=28)

    submitted_at: Mapped[datetime]
    triage_due_at: Mapped[datetime]
    response_due_at: Mapped[datetime]
    # When triage and the first response to the victim actually happened (for the 45-minute and 48-hour targets).
    triaged_at: Mapped[datetime | None] = mapped_column(index=True)
    first_response_at: Mapped[datetime | None]

    category: Mapped[CrimeCategory] = relationship(lazy="joined")
    # The account the report is linked to, if any (loaded when asked for).
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_user_id])
    property_items: Mapped[list["PropertyItem"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="PropertyItem.id"
    )
    evidence: Mapped[list["EvidenceFile"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="EvidenceFile.id"
    )

    __mapper_args__ = {"version_id_col": version}


class PropertyItem(Base):
    """Something stolen or damaged, with its value."""

    __tablename__ = "property_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    value_pence: Mapped[int | None]
    damaged: Mapped[bool] = mapped_column(default=False)

    report: Mapped[Report] = relationship(back_populates="property_items")


class EvidenceFile(TimestampMixin, Base):
    """A photo or PDF uploaded with a report, stored outside static/ under a random name."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("report_drafts.id", ondelete="SET NULL"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))

    report: Mapped[Report | None] = relationship(back_populates="evidence")


class TimelineEvent(Base):
    """Something that happened on a case, and who may see it.

    An event seen by neither the victim nor witnesses is internal to staff.
    """

    __tablename__ = "timeline_events"
    __table_args__ = (Index("ix_timeline_events_report_time", "report_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    visible_to_victim: Mapped[bool] = mapped_column(default=False)
    visible_to_witness: Mapped[bool] = mapped_column(default=False)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    # Values for %(name)s placeholders in the title and body, which are stored in English with the placeholders,
    # so that they can be shown in the reader's language (an organisation's name, say).
    text_values: Mapped[dict | None] = mapped_column(JSON)

    @overload
    def shown(self, text: str) -> str: ...
    @overload
    def shown(self, text: str | None) -> str | None: ...
    def shown(self, text: str | None) -> str | None:
        """The title or body in the page's language, with its values filled in."""
        if not text:
            return text
        words = translated(text)
        values = self.text_values
        if not values:
            return words
        try:
            return words % self._values(values, translate=True)
        except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: show the English
            return text % self._values(values, translate=False)

    @staticmethod
    def _values(values: dict, translate: bool) -> dict:
        """The values to fill in: a date as a date in the page's language; fixed text (a level of support), or a
        list of it (what was shared, joined with semicolons), translated; a name as it is."""
        def one(value):
            return translated(value) if translate else value

        shown = {}
        for key, value in values.items():
            if isinstance(value, dict) and "datetime" in value:
                shown[key] = uk_datetime(datetime.fromisoformat(value["datetime"]))
            elif isinstance(value, list):  # lower case mid-sentence in English; other languages as translated
                english = not translate or current_language() == DEFAULT_LANGUAGE
                shown[key] = "; ".join(one(item).lower() if english else one(item) for item in value)
            elif isinstance(value, str):
                shown[key] = one(value)
            else:
                shown[key] = value
        return shown

    @property
    def shown_title(self) -> str:
        """The title as the victim or witness reads it."""
        return self.shown(self.title)

    @property
    def shown_body(self) -> str | None:
        """The body as the victim or witness reads it."""
        return self.shown(self.body)


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


class WitnessLink(TimestampMixin, Base):
    """An invitation for a witness to follow a case, and, once used, the link to their account."""

    __tablename__ = "witness_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    invited_email: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime]
    witness_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    linked_at: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # How it is safe to write to the witness (portal.notifications.services.queue_for_witness): any of "email"
    # (their account's address), "text" and "letter"; None means email, as every witness is written to until they
    # say otherwise. The mobile number and the name and postal address are kept only while text or letter is safe.
    safe_channels: Mapped[list | None] = mapped_column(JSON)
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_address: Mapped[str | None] = mapped_column(Text)
    contact_address_postcode: Mapped[str | None] = mapped_column(String(10))


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

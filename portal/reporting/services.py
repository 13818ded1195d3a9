"""Report services: drafts, evidence on drafts, submission with a crime number, and claiming a report.

The only code in reporting that writes through the database session.
"""

import hashlib
import secrets
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select

from portal import contact_needs
from portal.audit.services import record_audit
from portal.auth.models import User
from portal.cases.crime_numbers import format_crime_number
from portal.cases.enums import CaseStatus, FollowUp, ReporterRole, Route
from portal.cases.models import CrimeCategory, EvidenceFile, PropertyItem, Report
from portal.cases.sequence import next_sequence_value
from portal.cases.timeline import add_timeline_event
from portal.cases.victims_code import open_submission_deadlines
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import N_, current_language
from portal.links import absolute_url
from portal.notifications.services import queue_for_reporter
from portal.postal_address import PostalAddress
from portal.reporting import evidence as evidence_store
from portal.reporting.journey import first_incomplete, stop_page, wants_letters
from portal.reporting.models import Diversion, ReportDraft

TRIAGE_WITHIN = timedelta(minutes=45)
RESPOND_WITHIN = timedelta(hours=48)
DRAFT_LIFETIME = timedelta(days=30)
REPEAT_WINDOW = timedelta(days=365)
MAX_EVIDENCE_FILES = 5


def _digest(token: str) -> str:
    """The stored form of a draft token."""
    return hashlib.sha256(token.encode()).hexdigest()


# Categories ----------------------------------------------------------------------------------


def list_categories() -> list[CrimeCategory]:
    """Active categories in display order."""
    return list(db.session.scalars(
        select(CrimeCategory).where(CrimeCategory.active.is_(True)).order_by(CrimeCategory.sort_order)
    ))


def get_category(code: str) -> CrimeCategory | None:
    """An active category by its code."""
    return db.session.scalar(select(CrimeCategory).where(CrimeCategory.code == code, CrimeCategory.active.is_(True)))


# Drafts --------------------------------------------------------------------------------------


def find_draft(token: str | None, user: User | None) -> ReportDraft | None:
    """The draft this browser (by its token) or this signed-in person is working on."""
    draft = None
    if token:
        draft = db.session.scalar(select(ReportDraft).where(ReportDraft.token_hash == _digest(token)))
    if draft is None and user is not None:
        draft = db.session.scalar(
            select(ReportDraft).where(ReportDraft.user_id == user.id).order_by(ReportDraft.last_saved_at.desc())
        )
    if draft is not None and draft.last_saved_at < utcnow() - DRAFT_LIFETIME:
        return None
    if draft is not None and draft.user_id is not None and (user is None or draft.user_id != user.id):
        return None  # a signed-in person's draft is theirs alone
    return draft


def start_draft(user: User | None) -> tuple[ReportDraft, str]:
    """Begin a new report and return it with the token the browser keeps."""
    token = secrets.token_urlsafe(32)
    draft = ReportDraft(token_hash=_digest(token), user_id=user.id if user else None, answers={},
                        last_saved_at=utcnow())
    db.session.add(draft)
    db.session.commit()
    return draft, token


def save_answers(draft: ReportDraft, updates: dict, remove: tuple[str, ...] = ()) -> dict:
    """Merge answers into the draft and save it at once (so nothing is lost if the browser closes)."""
    answers = dict(draft.answers or {})
    answers.update(updates)
    for key in remove:
        answers.pop(key, None)
    draft.answers = answers
    draft.last_saved_at = utcnow()
    db.session.commit()
    return answers


DIVERSION_ROUTES = {"fraud": Route.FRAUD, "specialist-support": Route.SPECIALIST}


def record_diversion(draft: ReportDraft | None, page: str) -> Diversion | None:
    """Count a person sent elsewhere by a diversion page: once per unfinished report and route, with only the
    time, the route and the category (no personal data). Other stop pages, and visits without a draft, count
    nothing."""
    route = DIVERSION_ROUTES.get(page)
    if route is None or draft is None:
        return None
    answers = dict(draft.answers or {})
    counted = set(answers.get("diversions_counted", []))
    if route.value in counted:
        return None
    category = get_category(answers.get("category") or "")
    diversion = Diversion(occurred_at=utcnow(), route=route, category_id=category.id if category else None)
    db.session.add(diversion)
    answers["diversions_counted"] = sorted(counted | {route.value})
    draft.answers = answers
    db.session.commit()
    return diversion


def discard_draft(draft: ReportDraft) -> None:
    """Delete a draft and any files uploaded to it."""
    for item in db.session.scalars(select(EvidenceFile).where(EvidenceFile.draft_id == draft.id,
                                                              EvidenceFile.report_id.is_(None))):
        evidence_store.delete_evidence(item.storage_key)
        db.session.delete(item)
    db.session.delete(draft)
    db.session.commit()


def purge_old_drafts(now=None) -> int:
    """Delete drafts not saved for 30 days, with their files. Returns how many."""
    cutoff = (now or utcnow()) - DRAFT_LIFETIME
    old = list(db.session.scalars(select(ReportDraft).where(ReportDraft.last_saved_at < cutoff)))
    for draft in old:
        discard_draft(draft)
    return len(old)


# Evidence on drafts --------------------------------------------------------------------------


def draft_evidence(draft: ReportDraft) -> list[EvidenceFile]:
    """Files uploaded to a draft, oldest first."""
    return list(db.session.scalars(
        select(EvidenceFile).where(EvidenceFile.draft_id == draft.id, EvidenceFile.report_id.is_(None))
        .order_by(EvidenceFile.id)
    ))


def add_evidence(draft: ReportDraft, data: bytes, filename: str) -> EvidenceFile:
    """Check and store an uploaded file against the draft. Raises DomainError with a message for the form.

    A draft holds at most 5 files, adding up to at most EVIDENCE_MAX_DRAFT_BYTES (25MB) as kept: a file that
    cannot fit is refused before it is decoded, and a kept copy that turns out not to fit is deleted."""
    files = draft_evidence(draft)
    if len(files) >= MAX_EVIDENCE_FILES:
        raise DomainError(N_("You can upload up to %(count)d files"), field="file", count=MAX_EVIDENCE_FILES)
    room = current_app.config["EVIDENCE_MAX_DRAFT_BYTES"] - sum(item.size_bytes for item in files)
    if len(data) > room:
        raise _no_room()
    stored = evidence_store.store_evidence(data, filename)
    if stored.size_bytes > room:
        evidence_store.delete_evidence(stored.storage_key)
        raise _no_room()
    item = EvidenceFile(draft_id=draft.id, storage_key=stored.storage_key, original_name=stored.original_name,
                        content_type=stored.content_type, size_bytes=stored.size_bytes, sha256=stored.sha256)
    db.session.add(item)
    draft.last_saved_at = utcnow()
    db.session.commit()
    return item


def _no_room() -> DomainError:
    """The refusal of a file that would take a draft's files past their total size."""
    return DomainError(N_("The selected file is too big: the files on one report must add up to %(size)s or less"),
                       field="file", size=evidence_store.size_text(current_app.config["EVIDENCE_MAX_DRAFT_BYTES"]))


def remove_evidence(draft: ReportDraft, evidence_id: int) -> None:
    """Remove a file from a draft."""
    item = db.session.get(EvidenceFile, evidence_id)
    if item is None or item.draft_id != draft.id or item.report_id is not None:
        raise DomainError(N_("That file is not part of this report"))
    evidence_store.delete_evidence(item.storage_key)
    db.session.delete(item)
    db.session.commit()


# Submission ----------------------------------------------------------------------------------


def _pence(value: str | None) -> int | None:
    """'£250.50' → 25050."""
    if not value:
        return None
    pounds = value.replace("£", "").strip()
    whole, _, fraction = pounds.partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


def submit_report(draft: ReportDraft, user: User | None) -> Report:
    """Turn a complete draft into a report with a crime number, in one transaction.

    Writes the first victim-visible timeline event, the audit event and the confirmation email together.
    Raises DomainError if the answers are incomplete or lead to a stop page.
    """
    answers = dict(draft.answers or {})
    if stop_page(answers) or first_incomplete(answers) is not None:
        raise DomainError(N_("Some questions have not been answered"))
    category = get_category(answers["category"])
    if category is None or category.route in (Route.FRAUD, Route.SPECIALIST):
        raise DomainError(N_("Select what happened"))

    # A postal address is kept only for someone who said a letter is safe (the journey asked for it then).
    address = PostalAddress.of_answers(answers) if wants_letters(answers) else PostalAddress()
    now = utcnow()
    try:
        sequence = next_sequence_value(now.year % 100)
        report = Report(
            crime_number=format_crime_number(current_app.config["CRIME_NUMBER_PREFIX"], now.year, sequence),
            status=CaseStatus.RECEIVED,
            is_information_report=category.route == Route.INFORMATION,
            reporter_user_id=user.id if user else None,
            reporter_role=ReporterRole(answers["reporter_role"]),
            category=category,
            occurred_on=date.fromisoformat(answers["occurred_on"]),
            occurred_until=date.fromisoformat(answers["occurred_until"]) if answers.get("occurred_until") else None,
            occurred_time=answers.get("occurred_time") or None,
            borough=answers["borough"],
            postcode=answers.get("postcode") or None,
            location=answers.get("location") or None,
            description=answers["description"],
            suspect_description=answers.get("suspect_description") or None,
            other_witnesses=answers.get("other_witnesses") or None,
            hate_motivations=answers.get("hate_motivations", []) if category.route == Route.HATE_INCIDENT else [],
            third_party_organisation=(answers.get("third_party_organisation") or None)
            if answers.get("via_third_party") == "yes" else None,
            contact_name=answers["contact_name"],
            contact_email=(answers.get("contact_email") or "").lower() or None,
            contact_phone=answers.get("contact_phone") or None,
            safe_channels=answers.get("safe_channels", []),
            contact_address=address.lines or None,
            contact_address_postcode=address.kept_postcode,
            safe_times=answers.get("safe_times") or None,
            voicemail_allowed=answers.get("voicemail_allowed") == "yes",
            neutral_sender=answers.get("neutral_sender") != "no",
            # The one exception to "no case details in messages": asked for in so many words, and when.
            crime_number_in_confirmation=bool(answers.get("crime_number_in_confirmation")),
            crime_number_opt_in_at=now if answers.get("crime_number_in_confirmation") else None,
            follow_up=FollowUp(answers["follow_up"]),
            would_have_reported=answers["would_have_reported"],
            locale=current_language(),
            submitted_at=now,
            triage_due_at=now + TRIAGE_WITHIN,
            response_due_at=now + RESPOND_WITHIN,
        )
        contact_needs.apply(report, answers.get("contact_needs") or [], answers.get("interpreter_language"))
        if answers.get("has_property") == "yes":
            report.property_items = [
                PropertyItem(description=item["description"], value_pence=_pence(item.get("value")),
                             damaged=bool(item.get("damaged")))
                for item in answers.get("property_items", [])
            ]
        report.is_repeat_victim = is_repeat_victim(report, now)
        if report.is_repeat_victim:
            report.risk_flags = ["repeat_victim"]
        db.session.add(report)
        db.session.flush()
        open_submission_deadlines(report)
        for item in draft_evidence(draft):
            item.report_id = report.id
            item.draft_id = None
        add_timeline_event(
            report.id, "received", N_("We received your report"),
            N_("A member of police staff will review it within 45 minutes. You will hear from us within 48 hours."),
            victim=True,
        )
        record_audit(user.id if user else None, "report.submitted", "report", report.crime_number,
                     "crime number in the confirmation: " + ("yes" if report.crime_number_in_confirmation else "no"))
        # The same gate as every later message: only by a safe channel (email, text or letter; when none can be
        # used, a call task), never in quiet hours. The crime number goes in this message alone, and only when
        # the person asked for it.
        queue_for_reporter(report, "report_received", sign_in_link=absolute_url("auth.login"),
                           crime_number=report.crime_number if report.crime_number_in_confirmation else None)
        db.session.delete(draft)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def is_repeat_victim(report: Report, now) -> bool:
    """Whether the same person (account or email) or the same address reported in the last 12 months."""
    since = now - REPEAT_WINDOW
    same = []
    if report.reporter_user_id is not None:
        same.append(Report.reporter_user_id == report.reporter_user_id)
    if report.contact_email:
        same.append(Report.contact_email == report.contact_email)
    if report.postcode and report.location:
        same.append(and_(Report.postcode == report.postcode,
                         func.lower(Report.location) == report.location.lower()))
    if not same:
        return False
    return db.session.scalar(select(Report.id).where(Report.submitted_at >= since, or_(*same)).limit(1)) is not None


def get_report(report_id: int) -> Report | None:
    """A report by id."""
    return db.session.get(Report, report_id)

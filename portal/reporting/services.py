"""Report services: drafts, links to go on with a draft on another device, evidence on drafts, submission with a
crime number, and claiming a report.

The only code in reporting that writes through the database session.
"""

import hashlib
import re
import secrets
from datetime import date, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, and_, delete, func, or_, select, update

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
from portal.notifications.channels import Destination, uk_mobile
from portal.notifications.models import Channel
from portal.notifications.services import queue_for_reporter, queue_requested
from portal.postal_address import PostalAddress
from portal.reporting import evidence as evidence_store
from portal.reporting import money
from portal.reporting.journey import first_incomplete, stop_page, wants_letters
from portal.reporting.models import Diversion, ReportDraft, ResumeLink

TRIAGE_WITHIN = timedelta(minutes=45)
RESPOND_WITHIN = timedelta(hours=48)
DRAFT_LIFETIME = timedelta(days=30)
RESUME_LINK_DAYS = 7
RESUME_LINK_LIFETIME = timedelta(days=RESUME_LINK_DAYS)
# A link's secret as secrets.token_urlsafe(32) writes it: anything else is not looked up at all.
_RESUME_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
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
    """Delete a draft, any files uploaded to it and any links sent to go on with it."""
    _delete_resume_links(draft)
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


# Links to go on with a draft on another device ------------------------------------------------


def send_resume_link(draft: ReportDraft, channel: str, recipient: str) -> ResumeLink:
    """Send a guest a single-use link to go on with their unfinished report on any device, by email or by a text
    to a UK mobile, at once, in one transaction with the link and its audit event.

    Only a hash of the link's secret is kept, and the link itself is never logged or audited (the outbox row holds
    it until it is sent, then loses it: portal.secret_paths). It works for RESUME_LINK_DAYS, and the draft is
    counted as saved now, so it outlives the link. The words are neutral unless the person has already said they
    need not be (nothing chosen yet is taken as neutral, to be safe). Raises DomainError for a signed-in person's
    draft (their account keeps it) and for an address or number that cannot be used."""
    if draft.user_id is not None:
        raise DomainError(N_("Your report is saved in your account. Sign in to go on with it"))
    destination = _resume_destination(channel, recipient)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    try:
        link = ResumeLink(draft_id=draft.id, token_hash=_digest(token), channel=destination.channel.value,
                          expires_at=now + RESUME_LINK_LIFETIME)
        db.session.add(link)
        draft.last_saved_at = now
        queue_requested(destination, "resume_link", locale=current_language(),
                        neutral=(draft.answers or {}).get("neutral_sender") != "no",
                        link=absolute_url("reporting.resume_link", token=token), days=RESUME_LINK_DAYS)
        record_audit(None, "report.resume_link_sent", "report_draft", str(draft.id), f"by {destination.channel.value}")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return link


def _resume_destination(channel: str, recipient: str) -> Destination:
    """Where a link goes: an email address as typed (without surrounding spaces), or a UK mobile written the one
    way."""
    recipient = (recipient or "").strip()
    if channel == Channel.TEXT.value:
        mobile = uk_mobile(recipient)
        if mobile is None:
            raise DomainError(N_("Enter a UK mobile number, like 07700 900982"), field="mobile")
        return Destination(Channel.TEXT, mobile)
    if channel == Channel.EMAIL.value and "@" in recipient and len(recipient) <= 254:
        return Destination(Channel.EMAIL, recipient)
    raise DomainError(N_("Enter an email address in the correct format, like name@example.com"), field="email")


def _live_resume_link(token: str) -> ResumeLink | None:
    """The link this secret belongs to, while it can still be used: not used, not expired, and its draft still a
    guest's draft that has not been deleted. None for anything else, whatever the reason."""
    if not _RESUME_TOKEN.fullmatch(token or ""):
        return None
    link = db.session.scalar(select(ResumeLink).where(ResumeLink.token_hash == _digest(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    draft = db.session.get(ReportDraft, link.draft_id)
    if draft is None or draft.user_id is not None or draft.last_saved_at < utcnow() - DRAFT_LIFETIME:
        return None
    return link


def resume_link_works(token: str) -> bool:
    """Whether a link to go on with a report can still be used (looking changes nothing)."""
    return _live_resume_link(token) is not None


def use_resume_link(token: str) -> str:
    """Open a draft on this device with a link sent to the guest: the link is spent (with every other link to that
    draft, so an older message cannot open it again), and the draft gets a new browser token, which this
    browser keeps, so the browser it was started in can no longer open it. Returns the new token. Raises
    DomainError, the same for every link that does not work (unknown, used, expired, its report gone)."""
    link = _live_resume_link(token)
    if link is None:
        raise DomainError(N_("This link has expired or has already been used"))
    now = utcnow()
    try:
        # Spent in one statement that only an unused link passes, so two devices opening it at once cannot both.
        spent = cast(CursorResult, db.session.execute(
            update(ResumeLink).where(ResumeLink.id == link.id, ResumeLink.used_at.is_(None))
            .values(used_at=now).execution_options(synchronize_session=False)))
        if spent.rowcount != 1:
            raise DomainError(N_("This link has expired or has already been used"))
        db.session.execute(update(ResumeLink).where(ResumeLink.draft_id == link.draft_id,
                                                    ResumeLink.used_at.is_(None))
                           .values(used_at=now).execution_options(synchronize_session=False))
        draft = db.session.get(ReportDraft, link.draft_id)
        if draft is None:
            raise DomainError(N_("This link has expired or has already been used"))
        new_token = secrets.token_urlsafe(32)
        draft.token_hash = _digest(new_token)
        record_audit(None, "report.resume_link_used", "report_draft", str(link.draft_id),
                     f"by {link.channel} link")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return new_token


def _delete_resume_links(draft: ReportDraft) -> None:
    """Delete a draft's links with it, in the caller's transaction (SQLite does not enforce the foreign key's
    cascade, and a new draft could be given the old one's id)."""
    db.session.execute(delete(ResumeLink).where(ResumeLink.draft_id == draft.id)
                       .execution_options(synchronize_session=False))


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


def _victim(answers: dict) -> dict:
    """Who the victim is, kept only when the person reported for someone else."""
    if answers.get("reporter_role") != ReporterRole.ON_BEHALF:
        return {}
    return {"victim_kind": answers["victim_kind"], "victim_name": answers.get("victim_name") or None,
            "victim_knows": answers["victim_knows"]}


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
        # One sequence for both kinds of number, so the digits alone never name two reports.
        prefix = current_app.config["INFORMATION_REPORT_PREFIX" if category.route == Route.INFORMATION
                                    else "CRIME_NUMBER_PREFIX"]
        report = Report(
            crime_number=format_crime_number(prefix, now.year, sequence),
            status=CaseStatus.RECEIVED,
            is_information_report=category.route == Route.INFORMATION,
            reporter_user_id=user.id if user else None,
            reporter_role=ReporterRole(answers["reporter_role"]),
            **_victim(answers),
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
                PropertyItem(description=item["description"], value_pence=money.pence(item.get("value")),
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
                           crime_number=report.crime_number if report.crime_number_in_confirmation else None,
                           information=report.is_information_report)
        _delete_resume_links(draft)
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

"""What a victim asks of their own case: a call, a visit time, a review, new evidence, how we keep in touch."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import contact_needs as needs
from portal.audit.services import record_audit
from portal.cases.access import require_victim
from portal.cases.enums import CaseStatus, DeadlineKind
from portal.cases.models import EvidenceFile, TimelineEvent, VictimsCodeDeadline
from portal.cases.timeline import add_timeline_event
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import N_
from portal.notifications.channels import uk_mobile
from portal.postal_address import PostalAddress
from portal.reporting import evidence as evidence_store
from portal.reporting.services import MAX_EVIDENCE_FILES
from portal.tasks.contact import ask_for_call_if_unreachable
from portal.tasks.enums import Asker, TaskType
from portal.tasks.services import raise_task


def _own_report(user, report) -> None:
    """Refuse to act on a case that is not linked to this person as its victim."""
    require_victim(user, report)


def ask_for_call(user, report, note: str | None) -> TimelineEvent:
    """The victim asks to talk to someone. Staff see it on the case; the named officer is emailed."""
    _own_report(user, report)
    note = (note or "").strip()[:1000] or None
    event = add_timeline_event(report.id, "call_requested", N_("You asked us to call you"), note, actor_id=user.id,
                               victim=True)
    raise_task(report, TaskType.CALL_BACK, Asker.VICTIM, user, note)
    record_audit(user.id, "case.call_requested", "report", report.crime_number)
    db.session.commit()
    return event


def answer_visit(user, report, accept: bool, preferred: str | None) -> TimelineEvent:
    """The victim accepts the proposed visit time, or asks for another."""
    _own_report(user, report)
    if report.status != CaseStatus.ATTENDANCE_ARRANGED:
        raise DomainError(N_("There is no visit to answer"))
    preferred = (preferred or "").strip()[:500]
    if not accept and not preferred:
        raise DomainError(N_("Tell us when would suit you better"), field="preferred")
    title = N_("You accepted the visit time") if accept else N_("You asked for a different visit time")
    event = add_timeline_event(report.id, "visit_answer", title, None if accept else preferred, actor_id=user.id,
                               victim=True)
    if not accept:
        raise_task(report, TaskType.VISIT_REARRANGE, Asker.VICTIM, user, preferred)
    record_audit(user.id, "case.visit_answered", "report", report.crime_number, "accepted" if accept else "change")
    db.session.commit()
    return event


UPDATE_FREQUENCIES = (7, 14, 28)
CHANNEL_NAMES = ("email", "phone", "text", "letter")


def update_preferences(user, report, *, every_days: int, channels: list[str], safe_times: str | None,
                       voicemail: bool, neutral_sender: bool, quiet_from: int | None = None,
                       quiet_until: int | None = None, contact_needs: list[str] | None = None,
                       interpreter_language: str | None = None, address: PostalAddress | None = None,
                       mobile: str | None = None) -> None:
    """The victim changes how often we update them and how it is safe to reach them.

    With text among the channels a UK mobile number is needed (`mobile`, kept as the case's phone number); with
    letter, a UK postal address (`address`); without letter, any address the case kept is cleared.
    Notifications read these from the case at the moment they are queued, so the change applies
    at once.
    """
    _own_report(user, report)
    if every_days not in UPDATE_FREQUENCIES:
        raise DomainError(_l("Select how often you want updates"), field="every_days")
    if not channels or any(c not in CHANNEL_NAMES for c in channels):
        raise DomainError(_l("Select at least one safe way to contact you"), field="channels")
    if (quiet_from is None) != (quiet_until is None) or (quiet_from is not None and quiet_from == quiet_until):
        raise DomainError(_l("Select both times for your quiet hours, or neither"), field="quiet_from")
    if quiet_from is not None and quiet_until is not None and not (0 <= quiet_from <= 23 and 0 <= quiet_until <= 23):
        raise DomainError(_l("Select both times for your quiet hours, or neither"), field="quiet_from")

    found = needs.problem(contact_needs or [], interpreter_language)
    if found:
        raise DomainError(found[1], field=found[0])
    if "text" in channels and uk_mobile(mobile) is None:
        raise DomainError(_l("Enter a UK mobile number, like 07700 900982"), field="mobile_number")
    kept = PostalAddress()  # no letters, no address: one kept before is cleared
    if "letter" in channels:
        kept = address or PostalAddress()
        problems = kept.problems()
        if problems:
            raise DomainError(problems[0][1], field=problems[0][0])
    needs.apply(report, contact_needs or [], interpreter_language)
    report.quiet_from_hour, report.quiet_until_hour = quiet_from, quiet_until
    report.update_every_days = every_days
    report.safe_channels = list(channels)
    if "text" in channels:
        report.contact_phone = " ".join((mobile or "").split())
    report.contact_address, report.contact_address_postcode = kept.lines or None, kept.kept_postcode
    report.safe_times = (safe_times or "").strip()[:200] or None
    report.voicemail_allowed = voicemail
    report.neutral_sender = neutral_sender
    ask_for_call_if_unreachable(report)
    for deadline in db.session.scalars(select(VictimsCodeDeadline).where(
            VictimsCodeDeadline.report_id == report.id, VictimsCodeDeadline.kind == DeadlineKind.ROUTINE_UPDATE,
            VictimsCodeDeadline.met_at.is_(None))):
        deadline.due_at = deadline.starts_at + timedelta(days=every_days)
        deadline.description = f"Routine update (every {every_days} days)"
    add_timeline_event(report.id, "preferences", N_("You changed how we keep in touch"), actor_id=user.id, victim=True)
    record_audit(user.id, "case.preferences_changed", "report", report.crime_number)
    db.session.commit()


VICTIM_REQUESTS = {
    "review": (N_("You asked for the decision to be reviewed"),
               N_("A different officer will look at the decision and tell you the outcome.")),
    "statement": (N_("You asked to make a Victim Personal Statement"),
                  N_("An officer will contact you to take your statement. It tells the court how the crime affected "
                  "you.")),
    "property": (N_("You asked for your property to be returned"),
                 N_("An officer will tell you whether the police hold any of your property, and when and where you "
                 "can collect it.")),
}


REQUEST_TASKS = {"statement": TaskType.PERSONAL_STATEMENT, "property": TaskType.PROPERTY_RETURN}


def review_kind(report) -> TaskType:
    """Which review a victim can ask for: the Victims' Right to Review where a suspect was interviewed under
    caution and not charged; otherwise the service's own request to look again at the decision."""
    reached = set(db.session.scalars(select(TimelineEvent.reason_code).where(
        TimelineEvent.report_id == report.id,
        TimelineEvent.reason_code.in_((CaseStatus.SUSPECT_INTERVIEWED.value, CaseStatus.CHARGED.value)))))
    interviewed = CaseStatus.SUSPECT_INTERVIEWED.value in reached
    return TaskType.RIGHT_TO_REVIEW if interviewed and CaseStatus.CHARGED.value not in reached else TaskType.LOOK_AGAIN


def make_request(user, report, kind: str) -> TimelineEvent:
    """The victim asks for a review of a decision, to make a Victim Personal Statement or for their property."""
    _own_report(user, report)
    if kind not in VICTIM_REQUESTS:
        raise DomainError(N_("That request is not available"))
    if kind == "review" and report.status != CaseStatus.NO_FURTHER_INVESTIGATION:
        raise DomainError(N_("There is no decision to review"))
    title, body = VICTIM_REQUESTS[kind]
    event = add_timeline_event(report.id, f"request_{kind}", title, body, actor_id=user.id, victim=True)
    raise_task(report, review_kind(report) if kind == "review" else REQUEST_TASKS[kind], Asker.VICTIM, user)
    record_audit(user.id, f"case.request_{kind}", "report", report.crime_number)
    db.session.commit()
    return event


def add_evidence_later(user, report, data: bytes, filename: str):
    """The victim adds a photo or PDF after reporting; it joins the case's evidence and the timeline."""
    _own_report(user, report)
    if len(report.evidence) >= MAX_EVIDENCE_FILES * 2:
        raise DomainError(N_("A case can hold up to %(count)d files"), field="file", count=MAX_EVIDENCE_FILES * 2)
    stored = evidence_store.store_evidence(data, filename)
    item = EvidenceFile(report_id=report.id, storage_key=stored.storage_key, original_name=stored.original_name,
                        content_type=stored.content_type, size_bytes=stored.size_bytes, sha256=stored.sha256)
    db.session.add(item)
    add_timeline_event(report.id, "evidence_added", N_("You added a file"), stored.original_name, actor_id=user.id,
                       victim=True)
    raise_task(report, TaskType.INFORMATION_ADDED, Asker.VICTIM, user, stored.original_name)
    record_audit(user.id, "case.evidence_added", "report", report.crime_number, stored.original_name)
    db.session.commit()
    return item

"""Witness links: invitations with a one-time code, joining a case, and court availability.

The only code that writes witness links. A witness sees witness-visible events only, never the victim's
details, answers or messages.
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.services import get_user_by_email
from portal.cases.access import witness_link_for
from portal.cases.models import Report, TimelineEvent, WitnessLink
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.notifications.channels import uk_mobile
from portal.notifications.services import queue_email, queue_email_to
from portal.postal_address import PostalAddress
from portal.tasks.enums import OWED, Asker, TaskType
from portal.tasks.models import Task
from portal.tasks.services import raise_task
from portal.tracking.hearings import replaced_hearings
from portal.tracking.models import CourtAvailability

CODE_LIFETIME = timedelta(days=14)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXY346789"  # no 0/O, 1/I, 2/Z, 5/S lookalikes


def _digest(code: str) -> str:
    """The stored form of a code (case and spacing do not matter)."""
    normalised = "".join(code.upper().split()).replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def invite_witness(actor: User, report: Report, email: str) -> str:
    """Create a one-time code for a witness and email them a link. Returns the code (for a letter or call)."""
    email = email.strip().lower()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    link = WitnessLink(report_id=report.id, invited_email=email, code_hash=_digest(code),
                       code_expires_at=utcnow() + CODE_LIFETIME, invited_by_id=actor.id)
    db.session.add(link)
    account = get_user_by_email(email)
    join_link = absolute_url("witnesses.join_by_link", code=code)
    if account is not None:  # someone who already has an account is written to in the language they chose
        queue_email_to(account, "witness_invite", link=join_link, code=code)
    else:
        # A witness was never asked about the sender, so the invitation is always neutral (as for an account holder).
        queue_email(email, "witness_invite", link=join_link, code=code, neutral=True)
    record_audit(actor.id, "witness.invited", "report", report.crime_number)
    db.session.commit()
    return code


# One answer for every code that does not work (unknown, for another case, expired or used), so trying codes
# teaches nothing about which ones are real.
CODE_REFUSED = N_("This code does not work. Check the crime number and the code, or ask the officer for a new "
                  "code")


def join_case(user: User, code: str, crime_number: str | None = None) -> Report:
    """Link the signed-in witness to the case the code belongs to. The code works once, until it expires, and
    stays spent once used, even if the witness later closes their account."""
    link = db.session.scalar(select(WitnessLink).where(WitnessLink.code_hash == _digest(code or "")))
    if link is None or link.linked_at is not None or link.code_expires_at <= utcnow():
        raise DomainError(CODE_REFUSED, field="code")
    report = db.session.get(Report, link.report_id)
    if crime_number is not None and report.crime_number != crime_number:
        raise DomainError(CODE_REFUSED, field="code")
    if report.reporter_user_id == user.id:
        raise DomainError(N_("You reported this case, so you already follow it"), field="code")
    link.witness_user_id = user.id
    link.linked_at = utcnow()
    record_audit(user.id, "witness.linked", "report", report.crime_number)
    db.session.commit()
    return report


def witness_timeline(report: Report) -> list[TimelineEvent]:
    """Events witnesses may see, oldest first."""
    return list(db.session.scalars(select(TimelineEvent).where(TimelineEvent.report_id == report.id,
                                                               TimelineEvent.visible_to_witness.is_(True))
                                   .order_by(TimelineEvent.occurred_at, TimelineEvent.id)))


def confirm_availability(user: User, report: Report, hearing_event_id: int, available: bool,
                         note: str | None) -> CourtAvailability:
    """A witness says whether they can attend a hearing. The latest answer counts. "I cannot attend" raises a task
    for witness care, due the same working day (one at a time for each witness: a second "no" while the first is
    still owed adds to the case's timeline, not to the queue). Staff see it on the timeline; no other witness
    and not the victim."""
    link = witness_link_for(user, report)
    hearing = db.session.get(TimelineEvent, hearing_event_id)
    if link is None or hearing is None or hearing.report_id != report.id or not hearing.visible_to_witness \
            or hearing.reason_code != "court_hearing_scheduled" or hearing.id in replaced_hearings([report.id]):
        raise DomainError(N_("That hearing is not part of this case"))
    answer = CourtAvailability(witness_link_id=link.id, hearing_event_id=hearing.id, available=available,
                               note=(note or "").strip()[:1000] or None, answered_at=utcnow())
    db.session.add(answer)
    if not available:
        add_timeline_event(report.id, "witness_cannot_attend", "A witness said they cannot attend a hearing",
                           answer.note, actor_id=user.id)
        if not _owed_cannot_attend(report, user):
            raise_task(report, TaskType.WITNESS_CANNOT_ATTEND, Asker.WITNESS, user, answer.note)
    record_audit(user.id, "witness.availability", "report", report.crime_number,
                 "available" if available else "not available")
    db.session.commit()
    return answer


# What a witness can ask for, in the words staff read on the task (the witness's page has its own words).
SPECIAL_MEASURES = {"screen": "a screen", "video_link": "giving evidence by video link",
                    "waiting_area": "a separate waiting area", "court_visit": "a visit to the court before the day",
                    "other": "something else"}
EXPENSES = {"travel": "travel", "meals": "meals", "earnings": "loss of earnings", "care": "childcare or other care"}


def _witness_request(user: User, report: Report, task_type: TaskType, title: str, note: str, action: str) -> Task:
    """Raise a witness's request as a witness-care task, with a staff-only timeline event and the audit."""
    if witness_link_for(user, report) is None:
        raise DomainError(N_("You are not a witness on this case"))
    add_timeline_event(report.id, task_type.value, title, note, actor_id=user.id)
    task = raise_task(report, task_type, Asker.WITNESS, user, note)
    record_audit(user.id, action, "report", report.crime_number)
    db.session.commit()
    return task


def ask_for_special_measures(user: User, report: Report, measures: list[str], details: str | None) -> Task:
    """A witness asks for help to give evidence (special measures). Witness care ask the court and answer on the
    task, which the witness reads on their case page."""
    chosen = [SPECIAL_MEASURES[code] for code in SPECIAL_MEASURES if code in measures]
    if not chosen:
        raise DomainError(N_("Select at least one kind of help"), field="measures")
    note = f"Asked for: {', '.join(chosen)}." + (f"\n{details.strip()[:1000]}" if (details or "").strip() else "")
    return _witness_request(user, report, TaskType.SPECIAL_MEASURES, "A witness asked for special measures", note,
                            "witness.special_measures")


def claim_expenses(user: User, report: Report, items: list[str], amount: str, details: str | None) -> Task:
    """A witness starts an expenses claim. Witness care check it and answer on the task."""
    chosen = [EXPENSES[code] for code in EXPENSES if code in items]
    if not chosen:
        raise DomainError(N_("Select what you are claiming for"), field="items")
    note = f"Claiming £{amount.strip().lstrip('£').strip()} for {', '.join(chosen)}." + (
        f"\n{details.strip()[:1000]}" if (details or "").strip() else "")
    return _witness_request(user, report, TaskType.EXPENSES_CLAIM, "A witness started an expenses claim", note,
                            "witness.expenses_claim")


def _owed_cannot_attend(report: Report, witness: User) -> bool:
    return db.session.scalar(select(Task.id).where(
        Task.report_id == report.id, Task.type == TaskType.WITNESS_CANNOT_ATTEND, Task.raised_by_id == witness.id,
        Task.status.in_(OWED)).limit(1)) is not None


def witnesses_on(report: Report) -> list[dict]:
    """For staff: each invitation, whether it was used, and the latest court answers."""
    links = list(db.session.scalars(select(WitnessLink).where(WitnessLink.report_id == report.id)
                                    .order_by(WitnessLink.id)))
    answers = {}
    if links:
        for answer in db.session.scalars(select(CourtAvailability).where(
                CourtAvailability.witness_link_id.in_([link.id for link in links]))
                .order_by(CourtAvailability.answered_at)):
            answers[answer.witness_link_id] = answer
    return [{"link": link, "answer": answers.get(link.id)} for link in links]


WITNESS_CHANNELS = ("email", "text", "letter")


def set_contact(user: User, report: Report, channels: list[str], mobile: str | None, name: str | None,
                address: PostalAddress | None) -> WitnessLink:
    """A witness says how it is safe to write to them about the case: any of email (to their account's address),
    text message (to a UK mobile) and letter (to their name and a UK postal address). Details for a channel no
    longer safe are deleted. Every later message to them follows it (portal.notifications.services.queue_for_witness).
    """
    link = witness_link_for(user, report)
    try:
        if link is None:
            raise DomainError(N_("That case is not linked to your account"))
        chosen = [channel for channel in WITNESS_CHANNELS if channel in (channels or [])]
        if not chosen or len(chosen) != len(set(channels or [])):
            raise DomainError(N_("Select at least one safe way to contact you"), field="channels")
        if "text" in chosen and uk_mobile(mobile) is None:
            raise DomainError(N_("Enter a UK mobile number, like 07700 900982"), field="mobile_number")
        name = " ".join((name or "").split())[:200]
        kept = PostalAddress()
        if "letter" in chosen:
            if not name:
                raise DomainError(N_("Enter your full name"), field="contact_name")
            kept = address or PostalAddress()
            problems = kept.problems()
            if problems:
                raise DomainError(problems[0][1], field=problems[0][0])
    except DomainError:
        db.session.rollback()
        raise
    link.safe_channels = chosen
    link.contact_phone = " ".join((mobile or "").split()) if "text" in chosen else None
    link.contact_name = name if "letter" in chosen else None
    link.contact_address, link.contact_address_postcode = kept.lines or None, kept.kept_postcode
    record_audit(user.id, "case.preferences_changed", "report", report.crime_number, "as a witness")
    db.session.commit()
    return link

"""Write messages and mark them read: the victim's with the police, and the person referred's with their support
organisation. The only code that writes them.

Emails about a message never carry its text or the crime number: a neutral subject and a sign-in link.
"""

from typing import cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.access import require_victim
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import DEFAULT_LANGUAGE, N_
from portal.links import absolute_url
from portal.messages.models import CaseMessage, ReferralMessage
from portal.notifications.services import queue_email, queue_email_to, queue_for_reporter
from portal.support.referral_states import OPEN_STATUSES
from portal.support.referrals import partner_can_see

BODY_MAX = 3000
STAFF_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def clean_body(body: str | None) -> str:
    """The message text with browser line endings made plain, or a domain error if it is empty or too long."""
    text = (body or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise DomainError(N_("Enter a message"), field="body")
    if len(text) > BODY_MAX:
        raise DomainError(N_("Message must be %(max)d characters or fewer"), field="body", max=BODY_MAX)
    return text


def _own_report(user, report) -> None:
    """Refuse a case that is not linked to this person as its victim."""
    require_victim(user, report)


def _is_staff(user) -> bool:
    """Police staff who may read and answer a case's messages."""
    return user is not None and user.role in STAFF_ROLES


def _officer_to_tell(report) -> User | None:
    """The named officer, or failing that the officer who claimed the report, if their account is active."""
    officer_id = report.named_officer_id or report.claimed_by_id
    officer = db.session.get(User, officer_id) if officer_id else None
    return officer if officer is not None and officer.is_active else None


def _sign_in_link() -> str:
    """Where every message email points."""
    return absolute_url("auth.login")


@refusals_roll_back
def send_victim_message(user, report, body: str, adds_information: bool) -> CaseMessage:
    """The victim writes to the police. Optionally records that it adds to what they reported."""
    _own_report(user, report)
    text = clean_body(body)
    message = CaseMessage(report_id=report.id, sender_id=user.id, from_staff=False, body=text, sent_at=utcnow())
    db.session.add(message)
    if adds_information:
        add_timeline_event(report.id, "information_added", N_("You added information"), text, actor_id=user.id,
                           victim=True)
    record_audit(user.id, "message.sent", "report", report.crime_number,
                 "adds information" if adds_information else None)
    officer = _officer_to_tell(report)
    if officer is not None:
        queue_email_to(officer, "new_message", sign_in_link=_sign_in_link())
    db.session.commit()
    return message


@refusals_roll_back
def send_staff_message(actor, report, body: str) -> CaseMessage:
    """Police staff write to the victim. The outbox decides whether and when the victim is emailed."""
    if not _is_staff(actor):
        raise DomainError(N_("Only police staff can reply to the victim"))
    if report.reporter_user_id is None:
        raise DomainError(N_("Nobody can read messages on this case: it is not linked to an account"), field="body")
    text = clean_body(body)
    message = CaseMessage(report_id=report.id, sender_id=actor.id, from_staff=True, body=text, sent_at=utcnow())
    db.session.add(message)
    record_audit(actor.id, "message.sent", "report", report.crime_number, "to the victim")
    queue_for_reporter(report, "new_message", sign_in_link=_sign_in_link())
    db.session.commit()
    return message


def mark_read(reader, report) -> int:
    """Mark the other side's unread messages as read; staff reading the thread is audited. Returns how many."""
    if _is_staff(reader):
        from_staff = False
        record_audit(reader.id, "messages.viewed", "report", report.crime_number)
    else:
        _own_report(reader, report)
        from_staff = True
    # An UPDATE's result is a CursorResult, which has the rowcount (Session.execute is typed as a plain Result).
    result = cast(CursorResult, db.session.execute(
        update(CaseMessage)
        .where(CaseMessage.report_id == report.id, CaseMessage.from_staff.is_(from_staff),
               CaseMessage.read_at.is_(None))
        .values(read_at=utcnow())
    ))
    db.session.commit()
    return result.rowcount


# The person referred and their support organisation -----------------------------------------------------------


def referral_thread_open(referral) -> bool:
    """Whether either side can write on the referral: the victim's own (not a witness's), still open, under consent
    that has not been withdrawn."""
    return (referral.witness_link_id is None and referral.status in OPEN_STATUSES
            and referral.consent is not None and referral.consent.is_active)


def _referral_report(referral) -> Report:
    report = db.session.get(Report, referral.report_id)
    if report is None:
        raise DomainError(N_("That case is not linked to your account"))
    return report


@refusals_roll_back
def send_to_support_worker(user, referral, body: str) -> ReferralMessage:
    """The victim writes to the organisation their referral went to. The organisation is emailed a neutral line and a
    sign-in link, never the text."""
    report = _referral_report(referral)
    require_victim(user, report)
    if not referral_thread_open(referral):
        raise DomainError(N_("You cannot send messages about this referral now"), field="body")
    text = clean_body(body)
    message = ReferralMessage(referral_id=referral.id, sender_id=user.id, from_partner=False, body=text,
                              sent_at=utcnow())
    db.session.add(message)
    record_audit(user.id, "message.sent", "referral", referral.reference, "to the support organisation")
    if referral.organisation.email:
        queue_email(referral.organisation.email, "partner_new_message", locale=DEFAULT_LANGUAGE,
                    sign_in_link=_sign_in_link())
    db.session.commit()
    return message


@refusals_roll_back
def send_to_person_referred(partner, referral, body: str) -> ReferralMessage:
    """A support worker writes to the person referred. They are told there is a message as every message to them is
    sent: by a safe channel, outside their quiet hours, in neutral words if they asked, never with the text."""
    if not partner_can_see(partner, referral) or not referral_thread_open(referral):
        raise DomainError(N_("You cannot send messages about this referral now"), field="body")
    report = _referral_report(referral)
    if report.reporter_user_id is None:
        raise DomainError(N_("Nobody can read messages on this case: it is not linked to an account"), field="body")
    text = clean_body(body)
    message = ReferralMessage(referral_id=referral.id, sender_id=partner.id, from_partner=True, body=text,
                              sent_at=utcnow())
    db.session.add(message)
    record_audit(partner.id, "message.sent", "referral", referral.reference, "to the person referred")
    queue_for_reporter(report, "new_message", sign_in_link=_sign_in_link())
    db.session.commit()
    return message


def mark_referral_thread_read(reader, referral) -> int:
    """Mark the other side's unread messages on the referral as read; a support worker reading the thread is audited
    (the person sees it under who viewed their case). Returns how many."""
    if reader is not None and reader.role == Role.PARTNER:
        if not partner_can_see(reader, referral):
            raise DomainError(N_("That case is not linked to your account"))
        from_partner = False
        record_audit(reader.id, "referral.messages_viewed", "referral", referral.reference)
    else:
        require_victim(reader, _referral_report(referral))
        from_partner = True
    # An UPDATE's result is a CursorResult, which has the rowcount (Session.execute is typed as a plain Result).
    result = cast(CursorResult, db.session.execute(
        update(ReferralMessage)
        .where(ReferralMessage.referral_id == referral.id, ReferralMessage.from_partner.is_(from_partner),
               ReferralMessage.read_at.is_(None))
        .values(read_at=utcnow())
    ))
    db.session.commit()
    return result.rowcount

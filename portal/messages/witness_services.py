"""Write messages between a witness and the Witness Care Unit, and mark them read. The only code that writes them.

Each witness has their own thread on a case (by their witness link), apart from the victim's thread with the police
and from every other witness's. Witness care reads the unread ones on their task queue and on the case's witnesses
page; the witness is emailed a neutral line and a sign-in link when witness care replies, never the text.
"""

from typing import cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.access import witness_link_for
from portal.cases.models import Report, WitnessLink
from portal.clock import utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.messages.models import WitnessMessage
from portal.messages.services import clean_body
from portal.notifications.services import queue_for_witness


def _own_link(user: User, report: Report) -> WitnessLink:
    """The person's own witness link to the case, or a refusal."""
    link = witness_link_for(user, report) if user is not None else None
    if link is None:
        raise DomainError(N_("That case is not linked to your account"))
    return link


def _is_witness_care(user: User | None) -> bool:
    return user is not None and user.role == Role.WITNESS_CARE


@refusals_roll_back
def send_witness_message(user: User, report: Report, body: str) -> WitnessMessage:
    """A witness writes to witness care about the case they follow."""
    link = _own_link(user, report)
    text = clean_body(body)
    message = WitnessMessage(witness_link_id=link.id, sender_id=user.id, from_staff=False, body=text,
                             sent_at=utcnow())
    db.session.add(message)
    record_audit(user.id, "message.sent", "report", report.crime_number, "to witness care")
    db.session.commit()
    return message


@refusals_roll_back
def send_witness_care_message(actor: User, link: WitnessLink, body: str) -> WitnessMessage:
    """Witness care write to a witness. The witness is told there is a message by their safe channel, if their
    account is open."""
    if not _is_witness_care(actor):
        raise DomainError(N_("Only the Witness Care Unit can reply to a witness"))
    witness = db.session.get(User, link.witness_user_id) if link.witness_user_id is not None else None
    if witness is None:
        raise DomainError(N_("Nobody can read messages to this witness: they have not joined the case"), field="body")
    text = clean_body(body)
    message = WitnessMessage(witness_link_id=link.id, sender_id=actor.id, from_staff=True, body=text,
                             sent_at=utcnow())
    db.session.add(message)
    report = db.session.get(Report, link.report_id)
    record_audit(actor.id, "message.sent", "report", report.crime_number if report else None, "to a witness")
    queue_for_witness(link, witness, "new_message", sign_in_link=absolute_url("auth.login"))
    db.session.commit()
    return message


def mark_witness_thread_read(reader: User, report: Report, link: WitnessLink) -> int:
    """Mark the other side's unread messages in this witness's thread as read; witness care reading it is audited.
    Returns how many."""
    if _is_witness_care(reader):
        from_staff = False
        record_audit(reader.id, "messages.viewed", "report", report.crime_number, "a witness's messages")
    else:
        if _own_link(reader, report).id != link.id:
            raise DomainError(N_("That case is not linked to your account"))
        from_staff = True
    # An UPDATE's result is a CursorResult, which has the rowcount (Session.execute is typed as a plain Result).
    result = cast(CursorResult, db.session.execute(
        update(WitnessMessage)
        .where(WitnessMessage.witness_link_id == link.id, WitnessMessage.from_staff.is_(from_staff),
               WitnessMessage.read_at.is_(None))
        .values(read_at=utcnow())
    ))
    db.session.commit()
    return result.rowcount

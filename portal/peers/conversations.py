"""Messages between the person and their peer supporter: the only code that writes them, and marking them read.

Nobody can write while the organisation has paused the conversation, or after it ended. The other side is told there
is a new message by their safe channel, never what it says. The organisation's coordinator reads the conversation
(audited), but does not write in it.
"""

from typing import cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult

from portal.audit.services import record_audit
from portal.cases.models import Report
from portal.clock import utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.messages.services import clean_body
from portal.notifications.services import queue_for_reporter
from portal.peers import reach
from portal.peers.match_enums import Side
from portal.peers.match_models import PeerMatch, PeerMessage
from portal.peers.matches import open_for_pairing, side_of

PAUSED_OR_ENDED = N_("You cannot send messages in this conversation now")


@refusals_roll_back
def send(user, match: PeerMatch, body: str | None) -> PeerMessage:
    """One side writes to the other. Refused while paused, after it ended, or once the referral closed."""
    side = side_of(user, match)
    if not match.can_write or not open_for_pairing(match.referral):
        raise DomainError(PAUSED_OR_ENDED, field="body")
    text = clean_body(body)
    from_supporter = side == Side.SUPPORTER
    message = PeerMessage(match_id=match.id, sender_id=user.id, from_supporter=from_supporter, body=text,
                          sent_at=utcnow())
    db.session.add(message)
    record_audit(user.id, "peer_match.message_sent", "peer_match", str(match.id), side.value)
    if from_supporter:
        report = db.session.get(Report, match.referral.report_id)
        if report is not None:
            queue_for_reporter(report, "new_message", sign_in_link=absolute_url("auth.login"))
    else:
        reach.tell_offerer(match.supporter.offer, "new_message")
    db.session.commit()
    return message


def mark_read(user, match: PeerMatch) -> int:
    """Mark the other side's unread messages as read for the one reading. Returns how many."""
    side = side_of(user, match)
    result = cast(CursorResult, db.session.execute(
        update(PeerMessage)
        .where(PeerMessage.match_id == match.id, PeerMessage.from_supporter.is_(side == Side.PERSON),
               PeerMessage.read_at.is_(None))
        .values(read_at=utcnow())))
    db.session.commit()
    return result.rowcount

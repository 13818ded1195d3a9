"""What the person who offered to help reads about each organisation's decision."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.peers.enums import Decision, DeclineReason, SupporterStatus

# The organisation's decision, as the person who offered reads it.
DECLINE_WORDS_FOR_PERSON = {
    DeclineReason.NO_CAPACITY: _l("They cannot take on more peer supporters at the moment."),
    DeclineReason.CHECKS_NOT_MET: _l("Their checks could not be completed."),
    DeclineReason.NOT_A_FIT: _l("Your offer does not fit the peer support they run."),
    DeclineReason.TOO_SOON: _l("They ask people to wait longer after their own support."),
    DeclineReason.OTHER: _l("They gave another reason. You can ask them about it."),
}
STATUS_FOR_PERSON = {
    SupporterStatus.ACTIVE: _l("They accepted you as a peer supporter."),
    SupporterStatus.PAUSED: _l("They accepted you as a peer supporter. It is paused for now."),
    SupporterStatus.LEFT: _l("You are no longer one of their peer supporters."),
}
NOT_DECIDED = _l("They have not decided yet.")


def decision_words(decision: str, status: str | None, decline_reason: str | None) -> str:
    """An organisation's decision on an offer, in plain words."""
    if decision == Decision.ACCEPTED and status is not None:
        return str(STATUS_FOR_PERSON[SupporterStatus(status)])
    if decision == Decision.DECLINED:
        reason = DECLINE_WORDS_FOR_PERSON.get(decline_reason or "", DECLINE_WORDS_FOR_PERSON[DeclineReason.OTHER])
        return _("They did not take your offer up. %(reason)s", reason=str(reason))
    return str(NOT_DECIDED)


def decision_for_person(supporter) -> str:
    """One organisation's decision on the offer, in plain words."""
    return decision_words(supporter.decision, supporter.status, supporter.decline_reason)

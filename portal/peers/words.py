"""Peer supporters' words: what a person reads about each organisation's decision, and the lists' names."""

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
LIST_NAMES = {"new": _l("New"), "accepted": _l("Accepted"), "declined": _l("Declined")}
TAG_NAMES = {Decision.NEW: _l("New"), Decision.ACCEPTED: _l("Accepted"), Decision.DECLINED: _l("Declined")}
TAG_COLOURS = {Decision.NEW: "govuk-tag--blue", Decision.ACCEPTED: "govuk-tag--green",
               Decision.DECLINED: "govuk-tag--grey", SupporterStatus.ACTIVE: "govuk-tag--green",
               SupporterStatus.PAUSED: "govuk-tag--yellow", SupporterStatus.LEFT: "govuk-tag--grey"}


def decision_for_person(supporter) -> str:
    """One organisation's decision on the offer, in plain words."""
    if supporter.decision == Decision.ACCEPTED and supporter.status is not None:
        return str(STATUS_FOR_PERSON[supporter.status])
    if supporter.decision == Decision.DECLINED:
        reason = DECLINE_WORDS_FOR_PERSON.get(supporter.decline_reason, DECLINE_WORDS_FOR_PERSON[DeclineReason.OTHER])
        return f"{_l('They did not take your offer up.')} {reason}"
    return str(NOT_DECIDED)

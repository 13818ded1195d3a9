"""Which status can follow which. The one place case transitions are decided."""

from portal.cases.enums import CaseStatus as S
from portal.domain import DomainError

_INVESTIGATING = {S.SUSPECT_IDENTIFIED, S.SUSPECT_ARRESTED, S.SUSPECT_INTERVIEWED, S.RELEASED_UNDER_INVESTIGATION}
_TRIAGE_OUTCOMES = {S.NO_FURTHER_INVESTIGATION, S.UNDER_INVESTIGATION, S.ATTENDANCE_ARRANGED, S.REFERRED_ELSEWHERE}

TRANSITIONS: dict[S, frozenset[S]] = {
    S.RECEIVED: frozenset({S.TRIAGED, *_TRIAGE_OUTCOMES, S.CLOSED}),
    S.TRIAGED: frozenset({*_TRIAGE_OUTCOMES, S.CLOSED}),
    S.ATTENDANCE_ARRANGED: frozenset({S.UNDER_INVESTIGATION, S.NO_FURTHER_INVESTIGATION, S.CLOSED}),
    S.REFERRED_ELSEWHERE: frozenset({S.CLOSED}),
    # A review of a decision not to investigate can reopen the case.
    S.NO_FURTHER_INVESTIGATION: frozenset({S.UNDER_INVESTIGATION, S.CLOSED}),
    S.UNDER_INVESTIGATION: frozenset({*_INVESTIGATING, S.CHARGED, S.NO_FURTHER_INVESTIGATION, S.CLOSED}),
    **{status: frozenset({*(_INVESTIGATING - {status}), S.CHARGED, S.NO_FURTHER_INVESTIGATION, S.CLOSED})
       for status in _INVESTIGATING},
    S.CHARGED: frozenset({S.COURT_HEARING_SCHEDULED, S.OUTCOME, S.CLOSED}),
    # Another hearing can be listed (an adjournment, or a trial after a first hearing).
    S.COURT_HEARING_SCHEDULED: frozenset({S.COURT_HEARING_SCHEDULED, S.OUTCOME, S.CLOSED}),
    S.OUTCOME: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.UNDER_INVESTIGATION}),
}

# Statuses waiting for their first triage decision.
AWAITING_TRIAGE = frozenset({S.RECEIVED})
# The key events of an investigation: each has a Victims' Code deadline for telling the victim.
KEY_EVENTS = frozenset({*_INVESTIGATING, S.CHARGED, S.COURT_HEARING_SCHEDULED, S.OUTCOME, S.CLOSED})


class IllegalTransition(DomainError):
    """A status change the rules do not allow."""


def allowed_next(status: S) -> frozenset[S]:
    """Every status that may follow this one."""
    return TRANSITIONS.get(status, frozenset())


def check_transition(current: S, target: S) -> None:
    """Raise IllegalTransition, with a message for staff, unless current may move to target."""
    if target not in allowed_next(current):
        raise IllegalTransition(
            f"A case that is ‘{describe(current)}’ cannot move to ‘{describe(target)}’"
        )


def describe(status: S) -> str:
    """The status in plain words, for staff messages."""
    return status.value.replace("_", " ")

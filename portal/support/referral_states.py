"""Which referral status may follow which. The one table every referral change is checked against."""

from portal.domain import DomainError
from portal.support.enums import ReferralStatus as S

TRANSITIONS: dict[S, frozenset[S]] = {
    S.PROPOSED: frozenset({S.SENT, S.WITHDRAWN}),
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.CONTACTED, S.UNABLE_TO_CONTACT, S.CLOSED, S.WITHDRAWN}),
    S.CONTACTED: frozenset({S.CLOSED, S.WITHDRAWN}),
    S.UNABLE_TO_CONTACT: frozenset({S.CONTACTED, S.CLOSED, S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Referrals the organisation is working on (they count against a service's places).
OPEN_STATUSES = frozenset({S.SENT, S.ACCEPTED, S.CONTACTED, S.UNABLE_TO_CONTACT})
TAKING_A_PLACE = frozenset({S.ACCEPTED, S.CONTACTED})
FINISHED = frozenset({S.DECLINED, S.CLOSED, S.WITHDRAWN})
# What the organisation can see at all: never a proposal nobody has consented to, never a withdrawn referral.
VISIBLE_TO_PARTNER = frozenset(S) - {S.PROPOSED, S.WITHDRAWN}


def can_move(current: S, target: S) -> bool:
    """Whether the referral may go from current to target."""
    return target in TRANSITIONS[current]


def check_transition(current: S, target: S) -> None:
    """Refuse a move the table does not allow, in words a partner or officer understands."""
    if not can_move(current, target):
        raise DomainError(f"This referral is {current.value.replace('_', ' ')}, so it cannot be "
                          f"{target.value.replace('_', ' ')} now")

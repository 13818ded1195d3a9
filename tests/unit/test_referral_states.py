"""The referral transition table: every move allowed or refused, written out here rather than read from the code."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import DomainError
from portal.support.enums import ReferralStatus as S
from portal.support.referral_states import (
    FINISHED,
    OPEN_STATUSES,
    TAKING_A_PLACE,
    TRANSITIONS,
    VISIBLE_TO_PARTNER,
    can_move,
    check_transition,
)

# The moves the design allows: proposed -> sent on consent; sent -> accepted | declined; accepted -> contacted |
# unable to contact | closed; unable to contact -> contacted (reached later) | closed; contacted -> closed; and the
# victim may withdraw at any point before the referral is finished.
ALLOWED = {
    (S.PROPOSED, S.SENT), (S.PROPOSED, S.WITHDRAWN),
    (S.SENT, S.ACCEPTED), (S.SENT, S.DECLINED), (S.SENT, S.WITHDRAWN),
    (S.ACCEPTED, S.CONTACTED), (S.ACCEPTED, S.UNABLE_TO_CONTACT), (S.ACCEPTED, S.CLOSED),
    (S.ACCEPTED, S.WITHDRAWN),
    (S.UNABLE_TO_CONTACT, S.CONTACTED), (S.UNABLE_TO_CONTACT, S.CLOSED), (S.UNABLE_TO_CONTACT, S.WITHDRAWN),
    (S.CONTACTED, S.CLOSED), (S.CONTACTED, S.WITHDRAWN),
}
EVERY_MOVE = [(current, target) for current in S for target in S]


def test_the_table_covers_every_status():
    """No status is missing from the table, so no referral can get stuck by accident."""
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_each_allowed_move_is_allowed(current, target):
    """The moves the design names pass the check."""
    assert can_move(current, target)
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [m for m in EVERY_MOVE if m not in ALLOWED])
def test_every_other_move_is_refused_in_words(current, target):
    """Anything else, including staying put, is refused with a message that names both statuses."""
    assert not can_move(current, target)
    with pytest.raises(DomainError) as refused:
        check_transition(current, target)
    message = refused.value.message
    assert current.value.replace("_", " ") in message and target.value.replace("_", " ") in message
    assert "_" not in message


@pytest.mark.parametrize("finished", [S.DECLINED, S.CLOSED, S.WITHDRAWN])
def test_finished_referrals_are_final(finished):
    """Declined, closed and withdrawn referrals cannot move again."""
    assert finished in FINISHED
    assert not any(can_move(finished, target) for target in S)


def test_nothing_goes_back_to_proposed():
    """Once a victim has agreed, the referral is never waiting for consent again."""
    assert not any(can_move(current, S.PROPOSED) for current in S)


def test_proposed_and_withdrawn_referrals_are_invisible_to_partners():
    """A partner never sees a suggestion nobody agreed to, or a referral the victim took back."""
    assert S.PROPOSED not in VISIBLE_TO_PARTNER and S.WITHDRAWN not in VISIBLE_TO_PARTNER
    assert VISIBLE_TO_PARTNER == {S.SENT, S.ACCEPTED, S.DECLINED, S.CONTACTED, S.UNABLE_TO_CONTACT, S.CLOSED}


def test_open_and_place_taking_statuses():
    """Open referrals are the ones being worked on; only accepted or contacted ones hold a group place."""
    assert OPEN_STATUSES == {S.SENT, S.ACCEPTED, S.CONTACTED, S.UNABLE_TO_CONTACT}
    assert TAKING_A_PLACE == {S.ACCEPTED, S.CONTACTED}
    assert TAKING_A_PLACE <= OPEN_STATUSES
    assert not OPEN_STATUSES & FINISHED and S.PROPOSED not in OPEN_STATUSES


@given(st.lists(st.sampled_from(list(S)), max_size=12))
def test_any_sequence_of_allowed_moves_ends_somewhere_sensible(targets):
    """Following only allowed moves from a proposal, a finished referral never moves again, and every move the
    table allows from the current status is one the design names."""
    status = S.PROPOSED
    for target in targets:
        if can_move(status, target):
            assert (status, target) in ALLOWED
            assert status not in FINISHED
            status = target
    assert status in TRANSITIONS

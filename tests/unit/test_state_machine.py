"""The case state machine and the wording templates, without a database."""

import pytest

from portal.cases.enums import CaseStatus as S
from portal.cases.status_text import STATUS_TEXT
from portal.cases.transitions import (
    KEY_EVENTS,
    TRANSITIONS,
    IllegalTransition,
    allowed_next,
    check_transition,
)
from portal.triage import wording


def test_every_status_has_rules_and_plain_words():
    """No status is left without transitions or victim-facing wording."""
    assert set(TRANSITIONS) == set(S)
    assert set(STATUS_TEXT) == set(S)


def reachable_from(start: S) -> set[S]:
    """Every status reachable from start."""
    seen, todo = {start}, [start]
    while todo:
        for nxt in allowed_next(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_every_status_can_be_reached_from_received_and_every_case_can_close():
    """The machine has no dead ends and no unreachable statuses."""
    assert reachable_from(S.RECEIVED) == set(S)
    for status in S:
        assert S.CLOSED in reachable_from(status) or status == S.CLOSED


@pytest.mark.parametrize(("current", "target"), [
    (S.RECEIVED, S.CHARGED), (S.RECEIVED, S.OUTCOME), (S.REFERRED_ELSEWHERE, S.UNDER_INVESTIGATION),
    (S.OUTCOME, S.CHARGED), (S.CLOSED, S.CHARGED), (S.TRIAGED, S.RECEIVED),
])
def test_illegal_transitions_are_refused_with_a_message(current, target):
    """Jumping the process is refused, naming both statuses."""
    with pytest.raises(IllegalTransition) as error:
        check_transition(current, target)
    assert current.value.replace("_", " ") in error.value.message


# Every allowed move, written out by hand from the design (not read from the code's table).
INVESTIGATING = [S.SUSPECT_IDENTIFIED, S.SUSPECT_ARRESTED, S.SUSPECT_INTERVIEWED, S.RELEASED_UNDER_INVESTIGATION]
TRIAGE_OUTCOMES = [S.NO_FURTHER_INVESTIGATION, S.UNDER_INVESTIGATION, S.ATTENDANCE_ARRANGED, S.REFERRED_ELSEWHERE]
EXPECTED = {
    S.RECEIVED: {S.TRIAGED, *TRIAGE_OUTCOMES, S.CLOSED},
    S.TRIAGED: {*TRIAGE_OUTCOMES, S.CLOSED},
    S.ATTENDANCE_ARRANGED: {S.UNDER_INVESTIGATION, S.NO_FURTHER_INVESTIGATION, S.CLOSED},
    S.REFERRED_ELSEWHERE: {S.CLOSED},
    S.NO_FURTHER_INVESTIGATION: {S.UNDER_INVESTIGATION, S.CLOSED},  # a review can reopen it
    S.UNDER_INVESTIGATION: {*INVESTIGATING, S.CHARGED, S.NO_FURTHER_INVESTIGATION, S.CLOSED},
    S.SUSPECT_IDENTIFIED: {S.SUSPECT_ARRESTED, S.SUSPECT_INTERVIEWED, S.RELEASED_UNDER_INVESTIGATION, S.CHARGED,
                           S.NO_FURTHER_INVESTIGATION, S.CLOSED},
    S.SUSPECT_ARRESTED: {S.SUSPECT_IDENTIFIED, S.SUSPECT_INTERVIEWED, S.RELEASED_UNDER_INVESTIGATION, S.CHARGED,
                         S.NO_FURTHER_INVESTIGATION, S.CLOSED},
    S.SUSPECT_INTERVIEWED: {S.SUSPECT_IDENTIFIED, S.SUSPECT_ARRESTED, S.RELEASED_UNDER_INVESTIGATION, S.CHARGED,
                            S.NO_FURTHER_INVESTIGATION, S.CLOSED},
    S.RELEASED_UNDER_INVESTIGATION: {S.SUSPECT_IDENTIFIED, S.SUSPECT_ARRESTED, S.SUSPECT_INTERVIEWED, S.CHARGED,
                                     S.NO_FURTHER_INVESTIGATION, S.CLOSED},
    S.CHARGED: {S.COURT_HEARING_SCHEDULED, S.OUTCOME, S.CLOSED},
    S.COURT_HEARING_SCHEDULED: {S.COURT_HEARING_SCHEDULED, S.OUTCOME, S.CLOSED},  # another hearing can be listed
    S.OUTCOME: {S.CLOSED},
    S.CLOSED: {S.UNDER_INVESTIGATION},
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_exactly_the_designed_moves_are_allowed(current, target):
    """Each of the 196 pairs of statuses is allowed exactly when the design says so."""
    if target in EXPECTED[current]:
        check_transition(current, target)
    else:
        with pytest.raises(IllegalTransition):
            check_transition(current, target)


def test_nothing_goes_back_to_received():
    """Once triaged, a case never returns to the untriaged queue."""
    assert all(S.RECEIVED not in targets for targets in TRANSITIONS.values())


def test_every_key_event_and_reason_has_wording():
    """Each key event, screening reason and agency has a title and body in plain words."""
    assert set(wording.KEY_EVENTS) == set(KEY_EVENTS)
    for text in [*wording.KEY_EVENTS.values(), *wording.NFI_REASONS.values(), *wording.REFER_AGENCIES.values(),
                 *wording.DECISIONS.values()]:
        assert text.title and text.body and len(text.title) < 100
    assert "review" in wording.NFI_NEXT_STEPS and "call" in wording.NFI_NEXT_STEPS


def test_court_hearing_wording_has_the_place_and_time():
    """The hearing template takes the court and the date."""
    body = wording.KEY_EVENTS[S.COURT_HEARING_SCHEDULED].body % {"place": "Highbury Corner", "when": "1 May 2027"}
    assert "Highbury Corner" in body and "1 May 2027" in body

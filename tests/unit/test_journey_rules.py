"""The wizard's flow rules, without requests: stop pages, which questions apply, and where answers lead."""

import pytest

from portal.reporting.journey import applicable_steps, can_visit, first_incomplete, next_after, stop_page


def slugs(answers):
    """The question slugs that apply to these answers."""
    return [s.slug for s in applicable_steps(answers)]


@pytest.mark.parametrize(("answers", "page"), [
    ({"danger_now": "yes"}, "call-999"),
    ({"danger_now": "no", "immediate_risk": "yes"}, "urgent-help"),
    ({"danger_now": "no", "immediate_risk": "no", "category_route": "fraud"}, "fraud"),
    ({"danger_now": "no", "immediate_risk": "no", "category_route": "specialist"}, "specialist-support"),
    ({"danger_now": "no", "immediate_risk": "no", "category_route": "self_service"}, None),
    ({"danger_now": "no", "immediate_risk": "no", "category_route": "information"}, None),
    ({"danger_now": "no", "immediate_risk": "no", "category_route": "help_choosing"}, "help-choosing"),
])
def test_stop_pages_follow_the_answers(answers, page):
    """Danger, risk and the category's route decide whether the online report stops."""
    assert stop_page(answers) == page


def test_danger_outranks_everything_else():
    """Someone in danger is always sent to 999, whatever else they answered."""
    assert stop_page({"danger_now": "yes", "category_route": "fraud"}) == "call-999"


def test_hate_incidents_ask_two_more_questions():
    """Only a hate incident asks about motivation and third-party reporting."""
    assert "hate-motivation" in slugs({"category_route": "hate_incident"})
    assert "third-party" in slugs({"category_route": "hate_incident"})
    assert "hate-motivation" not in slugs({"category_route": "self_service"})


def test_information_reports_skip_suspect_and_witness_questions():
    """Lost property is not a crime: no questions about who did it."""
    steps = slugs({"category_route": "information"})
    assert "suspect" not in steps and "witnesses" not in steps


def test_property_questions_loop_only_when_something_was_taken():
    """The item pages appear only after saying yes."""
    assert "property-item" not in slugs({"has_property": "no"})
    assert {"property-item", "property-list"} <= set(slugs({"has_property": "yes"}))


def test_later_questions_cannot_be_opened_before_earlier_ones():
    """can_visit refuses a question whose predecessors are unanswered."""
    assert can_visit("safety-now", {})
    assert not can_visit("who", {"danger_now": "no"})
    assert can_visit("what-happened", {"danger_now": "no", "immediate_risk": "no"})


def test_next_goes_to_check_answers_once_everything_is_answered():
    """After a change, the next page is the first unanswered question or check answers."""
    answers = {"danger_now": "no"}
    assert next_after("safety-now", answers) == "immediate-risk"
    assert first_incomplete({}).slug == "safety-now"

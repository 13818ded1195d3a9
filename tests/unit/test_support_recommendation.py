"""The support-level rules: one module, tested without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.support.recommendation import Impact, NeedsAnswers, SupportLevel, recommend

answers = st.builds(
    NeedsAnswers,
    daily_life=st.sampled_from(list(Impact)),
    feelings=st.sampled_from(list(Impact)),
    feels_safe=st.booleans(),
    practical_needs=st.frozensets(st.sampled_from(["locks", "insurance_letter", "replace_documents"])),
    mental_health_worry=st.booleans(),
    happened_before=st.booleans(),
    wants_to_talk=st.booleans(),
    interested_in_peer_support=st.booleans(),
)


def test_someone_coping_gets_self_help_information():
    """No impact, safe, no needs: information, with a reason that says so."""
    result = recommend(NeedsAnswers())
    assert result.level == SupportLevel.INFORMATION and not result.peer
    assert "coping" in result.reasons[0]


@pytest.mark.parametrize(("given_answers", "level"), [
    (NeedsAnswers(feels_safe=False), SupportLevel.SPECIALIST),
    (NeedsAnswers(mental_health_worry=True), SupportLevel.SPECIALIST),
    (NeedsAnswers(feelings=Impact.A_GREAT_DEAL), SupportLevel.SPECIALIST),
    (NeedsAnswers(happened_before=True, daily_life=Impact.QUITE_A_LOT), SupportLevel.SPECIALIST),
    (NeedsAnswers(daily_life=Impact.QUITE_A_LOT), SupportLevel.CONTACT),
    (NeedsAnswers(wants_to_talk=True), SupportLevel.CONTACT),
    (NeedsAnswers(practical_needs=frozenset({"locks"})), SupportLevel.CONTACT),
    (NeedsAnswers(practical_needs=frozenset({"insurance_letter"})), SupportLevel.INFORMATION),
    (NeedsAnswers(feelings=Impact.A_LITTLE), SupportLevel.INFORMATION),
])
def test_each_rule_sets_the_level_it_promises(given_answers, level):
    """Each rule on its own leads to its level."""
    assert recommend(given_answers).level == level


@given(answers)
def test_not_feeling_safe_always_means_specialist_support(case):
    """Safety comes first, whatever else was answered."""
    if not case.feels_safe:
        assert recommend(case).level == SupportLevel.SPECIALIST


@given(answers, st.sampled_from(["feelings", "daily_life"]))
def test_more_serious_answers_never_lead_to_less_support(case, which):
    """Raising an impact answer never lowers the recommended level."""
    worse = NeedsAnswers(**{**case.__dict__, which: Impact(min(getattr(case, which) + 1, Impact.A_GREAT_DEAL))})
    assert recommend(worse).level >= recommend(case).level


@given(answers)
def test_every_recommendation_explains_itself(case):
    """There is always at least one reason, in full sentences."""
    result = recommend(case)
    assert result.reasons and all(reason.endswith(".") for reason in result.reasons)


def test_peer_support_is_suggested_to_those_interested_or_repeatedly_affected():
    """Interest, or a repeat victim who needs contact, brings the peer-support suggestion."""
    assert recommend(NeedsAnswers(interested_in_peer_support=True)).peer
    assert recommend(NeedsAnswers(happened_before=True, wants_to_talk=True)).peer
    assert not recommend(NeedsAnswers(happened_before=True)).peer

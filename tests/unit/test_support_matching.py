"""The matching rules: which services can help with a need, how well they fit, and why, in plain words."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.support.enums import Delivery, ServiceKind
from portal.support.matching import Candidate, Need, best_matches, score

SERVICE = Candidate(id=1, name="Support after theft", organisation="Camden Victim Support", kind=ServiceKind.SERVICE,
                    levels=("contact", "specialist"), categories=(), boroughs=("Camden",), languages=("en",),
                    delivery=Delivery.IN_PERSON, wait_days=5, places_left=None)
GROUP = Candidate(id=2, name="Tuesday peer group", organisation="Camden Victim Support", kind=ServiceKind.PEER_GROUP,
                  levels=("peer",), categories=(), boroughs=("Camden",), languages=("en",),
                  delivery=Delivery.IN_PERSON, wait_days=5, places_left=6)


def test_a_service_offers_only_its_levels_and_groups_only_peer_support():
    """Contact and specialist needs go to services that offer them; peer support only to groups."""
    assert score(Need("contact", borough="Camden"), SERVICE) is not None
    assert score(Need("specialist", borough="Camden"), SERVICE) is not None
    assert score(Need("specialist", borough="Camden"), replace(SERVICE, levels=("contact",))) is None
    assert score(Need("peer", borough="Camden"), SERVICE) is None
    assert score(Need("peer", borough="Camden"), GROUP) is not None
    assert score(Need("contact", borough="Camden"), GROUP) is None
    assert score(Need("information", borough="Camden"), SERVICE) is None


def test_category_specialists_fit_better_and_other_specialists_cannot_help():
    """A service for this kind of crime scores higher; one for other crimes is left out; none listed means all."""
    need = Need("contact", category="bicycle_theft", borough="Camden")
    specialist = score(need, replace(SERVICE, categories=("bicycle_theft", "burglary")))
    general = score(need, SERVICE)
    assert specialist.score == general.score + 3
    assert "It specialises in helping people after this kind of crime." in specialist.reasons
    assert score(need, replace(SERVICE, categories=("burglary",))) is None
    assert score(Need("contact", borough="Camden"), replace(SERVICE, categories=("burglary",))) is not None


def test_in_person_services_must_cover_the_area_but_online_ones_help_anywhere():
    """Outside its boroughs an in-person service cannot help; an online or mixed one still can, from home."""
    hackney = Need("contact", borough="Hackney")
    assert score(hackney, SERVICE) is None
    online = score(hackney, replace(SERVICE, delivery=Delivery.ONLINE))
    both = score(hackney, replace(SERVICE, delivery=Delivery.BOTH))
    assert "It is online, so you can take part from home." in online.reasons
    assert online.score == both.score
    assert score(hackney, replace(SERVICE, boroughs=())) is not None  # all of London


def test_meeting_nearby_scores_above_online():
    """In the victim's borough: 3 points and a reason naming it; online only: 2."""
    local = score(Need("contact", borough="Camden"), SERVICE)
    online = score(Need("contact", borough="Camden"), replace(SERVICE, delivery=Delivery.ONLINE))
    assert "It meets in or near Camden." in local.reasons
    assert local.score == online.score + 1
    assert "It meets in or near Camden." not in online.reasons


def test_a_service_in_the_victims_language_gets_a_bonus_and_others_suggest_an_interpreter():
    """Polish spoken: +4 and said in words; not spoken: -2 and the interpreter is mentioned."""
    need = Need("contact", borough="Camden", language="pl")
    polish = score(need, replace(SERVICE, languages=("pl", "en")))
    english = score(need, SERVICE)
    assert "It is available in Polish." in polish.reasons
    assert "It is not offered in Polish, but you can ask for an interpreter." in english.reasons
    assert polish.score - english.score == 6
    plain = score(Need("contact", borough="Camden", language="en"), SERVICE)
    assert plain.score == score(Need("contact", borough="Camden"), SERVICE).score
    assert not any("interpreter" in reason for reason in plain.reasons)


def test_an_unknown_language_code_is_named_as_given():
    """A language the portal has no name for still reads sensibly."""
    match = score(Need("contact", borough="Camden", language="xx"), SERVICE)
    assert "It is not offered in xx, but you can ask for an interpreter." in match.reasons


def test_british_sign_language_is_a_bonus_when_needed():
    """BSL users are pointed to services in BSL; others are not affected."""
    bsl = replace(SERVICE, languages=("en", "bsl"))
    need = Need("contact", borough="Camden", bsl=True)
    assert score(need, bsl).score == score(need, SERVICE).score + 4
    assert "It is available in British Sign Language." in score(need, bsl).reasons
    hearing = Need("contact", borough="Camden")
    assert score(hearing, bsl).score == score(hearing, SERVICE).score


@pytest.mark.parametrize(("age", "fits"), [(15, False), (16, True), (25, True), (25.5, False), (26, False),
                                           (None, True)])
def test_age_limits_are_inclusive(age, fits):
    """A service for 16 to 25 year olds helps 16 and 25 year olds; an unknown age is not held against anyone."""
    youth = replace(SERVICE, minimum_age=16, maximum_age=25)
    assert (score(Need("contact", borough="Camden", age=age), youth) is not None) is fits


def test_full_groups_are_left_out_and_places_are_counted_in_words():
    """No places left: not suggested. One place: said in the singular."""
    need = Need("peer", borough="Camden")
    assert score(need, replace(GROUP, places_left=0)) is None
    assert "1 place left." in score(need, replace(GROUP, places_left=1)).reasons
    assert "6 places left." in score(need, GROUP).reasons
    assert not any("place" in r for r in score(need, replace(GROUP, places_left=None)).reasons)


@pytest.mark.parametrize(("wait", "points", "reason"), [
    (1, 2, "They usually get in touch within 2 days."),
    (2, 2, "They usually get in touch within 2 days."),
    (3, 1, "They usually get in touch within 3 days."),
    (7, 1, "They usually get in touch within 7 days."),
    (8, -1, "The wait is longer: about 8 days."),
])
def test_shorter_waits_score_higher(wait, points, reason):
    """The usual wait is scored and said plainly."""
    base = score(Need("contact", borough="Camden"), replace(SERVICE, wait_days=7))
    match = score(Need("contact", borough="Camden"), replace(SERVICE, wait_days=wait))
    assert match.score - base.score == points - 1
    assert reason in match.reasons


def test_best_matches_are_ordered_by_score_then_wait_then_name():
    """Highest score first; on a tie the shorter wait; then the name, so the order never changes by chance."""
    need = Need("contact", borough="Camden", language="pl")
    polish = replace(SERVICE, id=3, name="Polish line", languages=("pl",), delivery=Delivery.ONLINE)
    quick = replace(SERVICE, id=4, name="Zed quick", wait_days=3)
    slow = replace(SERVICE, id=5, name="Alpha slow", wait_days=4)
    same_a = replace(SERVICE, id=6, name="Beta", wait_days=3)
    far = replace(SERVICE, id=7, name="Hackney only", boroughs=("Hackney",))
    order = [m.candidate.name for m in best_matches(need, [slow, far, same_a, quick, polish])]
    assert order == ["Polish line", "Beta", "Zed quick", "Alpha slow"]


def test_best_matches_keeps_the_limit_and_drops_what_cannot_help():
    """Only services that can help, at most the limit."""
    candidates = [replace(SERVICE, id=n, name=f"Service {n}") for n in range(10)] + [GROUP]
    found = best_matches(Need("contact", borough="Camden"), candidates)
    assert len(found) == 5 and all(m.candidate.kind == ServiceKind.SERVICE for m in found)
    assert len(best_matches(Need("contact", borough="Camden"), candidates, limit=20)) == 10
    assert best_matches(Need("contact", borough="Camden"), []) == []


def test_every_reason_is_a_plain_sentence():
    """Reasons are full sentences with no codes in them."""
    need = Need("contact", category="bicycle_theft", borough="Camden", language="ar", bsl=True)
    match = score(need, replace(SERVICE, categories=("bicycle_theft",), languages=("ar", "bsl"),
                                delivery=Delivery.BOTH, wait_days=9))
    assert len(match.reasons) == 5
    for reason in match.reasons:
        assert reason[0].isupper() and reason.endswith(".") and "_" not in reason
    assert "It is available in Arabic." in match.reasons


candidates = st.builds(
    Candidate, id=st.integers(1, 50), name=st.text(max_size=5), organisation=st.just("Org"),
    kind=st.sampled_from(list(ServiceKind)), levels=st.sets(st.sampled_from(["contact", "specialist"])).map(tuple),
    categories=st.sets(st.sampled_from(["bicycle_theft", "burglary"])).map(tuple),
    boroughs=st.sets(st.sampled_from(["Camden", "Hackney"])).map(tuple),
    languages=st.sets(st.sampled_from(["en", "pl", "bsl"])).map(tuple), delivery=st.sampled_from(list(Delivery)),
    wait_days=st.integers(0, 30), places_left=st.none() | st.integers(0, 5),
    minimum_age=st.none() | st.integers(0, 30), maximum_age=st.none() | st.integers(10, 99))
needs = st.builds(Need, level=st.sampled_from(["contact", "specialist", "peer"]),
                  category=st.none() | st.sampled_from(["bicycle_theft", "burglary"]),
                  borough=st.none() | st.sampled_from(["Camden", "Hackney"]),
                  language=st.none() | st.sampled_from(["en", "pl", "ar"]), bsl=st.booleans(),
                  age=st.none() | st.integers(0, 100))


@given(needs, st.lists(candidates, max_size=8))
def test_best_matches_are_sorted_and_never_include_a_full_or_unfit_service(need, pool):
    """Whatever the pool, results are sorted best first and each one could really help."""
    found = best_matches(need, pool, limit=10)
    keys = [(-m.score, m.candidate.wait_days, m.candidate.name) for m in found]
    assert keys == sorted(keys)
    for match in found:
        assert match.candidate.places_left is None or match.candidate.places_left > 0
        assert (match.candidate.kind == ServiceKind.PEER_GROUP) == (need.level == "peer")
        assert match.reasons

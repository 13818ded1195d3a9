"""The matching rules: which services can help with a need, how well they fit, and why, in plain words."""

from collections import Counter
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


def test_a_service_in_the_victims_language_gets_a_bonus_and_one_in_no_language_they_asked_for_is_left_out():
    """Polish asked for: a service in Polish gets +4 and says so; an English-only one cannot serve them."""
    need = Need("contact", borough="Camden", language="pl")
    polish = score(need, replace(SERVICE, languages=("pl", "en")))
    assert "It is available in Polish." in polish.reasons
    assert polish.score == score(Need("contact", borough="Camden"), SERVICE).score + 4
    assert score(need, SERVICE) is None
    plain = score(Need("contact", borough="Camden", language="en"), SERVICE)
    assert plain.score == score(Need("contact", borough="Camden"), SERVICE).score


def test_someone_who_did_not_ask_for_polish_or_bsl_is_not_offered_services_only_in_them():
    """The issue's case: an English-speaking, hearing victim outside Camden was offered a Polish-speaking line and,
    as the only peer group, a BSL group for Deaf people."""
    english = Need("contact", borough="Hackney")
    polish_line = replace(SERVICE, name="Polish-speaking support line", languages=("pl",), boroughs=(),
                          delivery=Delivery.ONLINE)
    bsl_group = replace(GROUP, name="BSL online peer group", languages=("bsl",), boroughs=(), delivery=Delivery.ONLINE)
    assert best_matches(english, [polish_line, SERVICE]) == []
    assert best_matches(replace(english, level="peer"), [bsl_group, GROUP]) == []
    assert [m.candidate.name for m in best_matches(replace(english, language="pl"), [polish_line])] == [
        polish_line.name]
    assert [m.candidate.name for m in best_matches(replace(english, level="peer", bsl=True), [bsl_group])] == [
        bsl_group.name]


def test_an_unknown_language_code_is_named_as_given():
    """A language the portal has no name for still reads sensibly."""
    match = score(Need("contact", borough="Camden", language="xx"), replace(SERVICE, languages=("xx",)))
    assert "It is available in xx." in match.reasons


def test_british_sign_language_is_a_bonus_when_needed_and_bsl_only_services_are_for_bsl_users():
    """BSL users are pointed to services in BSL; hearing people are not offered a service only in BSL."""
    bsl = replace(SERVICE, languages=("en", "bsl"))
    need = Need("contact", borough="Camden", bsl=True)
    assert score(need, bsl).score == score(need, SERVICE).score + 4
    assert "It is available in British Sign Language." in score(need, bsl).reasons
    hearing = Need("contact", borough="Camden")
    assert score(hearing, bsl).score == score(hearing, SERVICE).score
    assert score(hearing, replace(SERVICE, languages=("bsl",))) is None
    assert score(need, replace(SERVICE, languages=("bsl",))) is not None


def test_step_free_and_online_only_needs_filter_in_person_services():
    """Someone who needs step-free access gets in-person services only where the place has it, and online ones;
    someone who can only take part online gets no in-person-only service."""
    step_free = Need("contact", borough="Camden", step_free=True)
    assert score(step_free, SERVICE) is None
    assert "The place it meets has step-free access." in score(step_free, replace(SERVICE, step_free=True)).reasons
    mixed = score(step_free, replace(SERVICE, delivery=Delivery.BOTH))
    assert "It is online, so you can take part from home." in mixed.reasons
    assert "It meets in or near Camden." not in mixed.reasons
    online_only = Need("contact", borough="Camden", online_only=True)
    assert score(online_only, replace(SERVICE, step_free=True)) is None
    assert score(online_only, replace(SERVICE, delivery=Delivery.BOTH)) is not None
    assert score(online_only, replace(SERVICE, delivery=Delivery.ONLINE)) is not None


@pytest.mark.parametrize(("age", "fits"), [(15, False), (16, True), (25, True), (25.5, False), (26, False),
                                           (None, False)])
def test_age_limits_are_inclusive(age, fits):
    """A service for 16 to 25 year olds helps 16 and 25 year olds; with the age unknown, it is not suggested (no
    one is sent to a service that may turn out not to be for them). A service with no limit helps any age."""
    youth = replace(SERVICE, minimum_age=16, maximum_age=25)
    assert (score(Need("contact", borough="Camden", age=age), youth) is not None) is fits
    assert score(Need("contact", borough="Camden", age=age), SERVICE) is not None


def test_full_groups_are_left_out_and_places_are_counted_in_words():
    """No places left: not suggested. One place: said in the singular."""
    need = Need("peer", borough="Camden")
    assert score(need, replace(GROUP, places_left=0)) is None
    assert "1 place left." in score(need, replace(GROUP, places_left=1)).reasons
    assert "6 places left." in score(need, GROUP).reasons
    assert not any("place" in r for r in score(need, replace(GROUP, places_left=None)).reasons)


@pytest.mark.parametrize(("wait", "points", "reason"), [
    (1, 2, "They usually get in touch within 2 working days."),
    (2, 2, "They usually get in touch within 2 working days."),
    (3, 1, "They usually get in touch within 3 working days."),
    (7, 1, "They usually get in touch within 7 working days."),
    (8, -1, "The wait is longer: about 8 working days."),
])
def test_shorter_waits_score_higher(wait, points, reason):
    """The usual wait is scored and said plainly."""
    base = score(Need("contact", borough="Camden"), replace(SERVICE, wait_days=7))
    match = score(Need("contact", borough="Camden"), replace(SERVICE, wait_days=wait))
    assert match.score - base.score == points - 1
    assert reason in match.reasons


def test_best_matches_are_ordered_by_score_then_wait_then_name():
    """Highest score first; on a tie the shorter wait; then the name, so the order never changes by chance."""
    need = Need("contact", category="burglary", borough="Camden")
    polish = replace(SERVICE, id=3, name="Burglary line", categories=("burglary",), delivery=Delivery.ONLINE)
    quick = replace(SERVICE, id=4, name="Zed quick", wait_days=3)
    slow = replace(SERVICE, id=5, name="Alpha slow", wait_days=4)
    same_a = replace(SERVICE, id=6, name="Beta", wait_days=3)
    far = replace(SERVICE, id=7, name="Hackney only", boroughs=("Hackney",))
    order = [m.candidate.name for m in best_matches(need, [slow, far, same_a, quick, polish])]
    assert order == ["Burglary line", "Beta", "Zed quick", "Alpha slow"]


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
    languages=st.sets(st.sampled_from(["en", "pl", "ar", "bsl"])).map(tuple), delivery=st.sampled_from(list(Delivery)),
    wait_days=st.integers(0, 30), places_left=st.none() | st.integers(0, 5),
    minimum_age=st.none() | st.integers(0, 30), maximum_age=st.none() | st.integers(10, 99), step_free=st.booleans())
needs = st.builds(Need, level=st.sampled_from(["contact", "specialist", "peer"]),
                  category=st.none() | st.sampled_from(["bicycle_theft", "burglary"]),
                  borough=st.none() | st.sampled_from(["Camden", "Hackney"]),
                  language=st.none() | st.sampled_from(["en", "pl", "ar"]), bsl=st.booleans(),
                  age=st.none() | st.integers(0, 100), step_free=st.booleans(), online_only=st.booleans())


def usable(need: Need, service: Candidate) -> bool:
    """Whether the person could really use the service, said once more from the person's side, plainly."""
    speaks = {need.language or "en"} | ({"bsl"} if need.bsl else set())
    offered = set(service.languages) or {"en"}
    can_go_in_person = (not need.online_only and (service.step_free or not need.step_free)
                        and (not service.boroughs or need.borough in service.boroughs))
    return ((service.kind == ServiceKind.PEER_GROUP if need.level == "peer"
             else service.kind == ServiceKind.SERVICE and need.level in service.levels)
            and (not need.category or not service.categories or need.category in service.categories)
            and (service.minimum_age is None or (need.age is not None and need.age >= service.minimum_age))
            and (service.maximum_age is None or (need.age is not None and need.age <= service.maximum_age))
            and (service.places_left is None or service.places_left > 0)
            and bool(speaks & offered)
            and (service.delivery != Delivery.IN_PERSON or can_go_in_person))


@given(needs, st.lists(candidates, max_size=8))
def test_matching_never_suggests_a_service_the_person_cannot_use(need, pool):
    """Whatever the people and services, every suggestion is one the person can use (the language they asked for or
    BSL if they use it, an age limit they meet, a place they can get into, online if that is all they can do, room
    left), every service they can use is suggested when the limit allows, and the order is best first."""
    found = best_matches(need, pool, limit=len(pool))
    keys = [(-m.score, m.candidate.wait_days, m.candidate.name) for m in found]
    assert keys == sorted(keys)
    for match in found:
        assert usable(need, match.candidate)
        assert match.reasons
    assert Counter(m.candidate for m in found) == Counter(c for c in pool if usable(need, c))
    for match in best_matches(need, pool, limit=3):
        assert usable(need, match.candidate)

"""Suggest the services that best fit a case and the victim's needs, and say why.

What is true about the person is a filter, not a score: a service is never suggested if it cannot serve them
(the wrong level or kind of crime, outside its area and in person, no places, an age limit they do not meet or
cannot be shown to meet, none of the languages they asked for, a place they cannot get into, in person when they
asked for online only). Scores only order the services that can. Pure rules over plain values, so they are tested
without a database; `portal.support.directory` loads the candidates.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.i18n import N_
from portal.support.enums import Delivery, ServiceKind

# English names (marked for the catalogue; shown to victims through gettext).
LANGUAGE_NAMES = {"en": N_("English"), "pl": N_("Polish"), "ar": N_("Arabic"), "bn": N_("Bengali"),
                  "pa": N_("Punjabi"), "ur": N_("Urdu"), "so": N_("Somali"), "ro": N_("Romanian"),
                  "es": N_("Spanish"), "pt": N_("Portuguese"), "tr": N_("Turkish"), "fr": N_("French"),
                  "bsl": N_("British Sign Language")}


@dataclass(frozen=True)
class Need:
    """What matters about the victim and the case when choosing a service."""

    level: str  # "contact", "specialist", "peer" or "peer_one_to_one"
    category: str | None = None  # crime category code
    borough: str | None = None
    language: str | None = None  # preferred language code; None or "en" for English
    bsl: bool = False
    age: int | None = None  # None: not known, so no service with an age limit is suggested
    step_free: bool = False  # needs step-free access to any place they go
    online_only: bool = False  # can take part only online

    def languages(self) -> frozenset[str]:
        """The languages the person asked for support in: their spoken language (English unless they chose
        another), and British Sign Language if they use it."""
        spoken = self.language or "en"
        return frozenset({spoken, "bsl"} if self.bsl else {spoken})


@dataclass(frozen=True)
class Candidate:
    """A listed service and what is known about its room and wait."""

    id: int
    name: str
    organisation: str
    kind: ServiceKind
    levels: tuple[str, ...]
    categories: tuple[str, ...]
    boroughs: tuple[str, ...]
    languages: tuple[str, ...]
    delivery: Delivery
    wait_days: int
    places_left: int | None  # None: no fixed limit
    minimum_age: int | None = None
    maximum_age: int | None = None
    step_free: bool = False  # the place it meets has step-free access

    def languages_offered(self) -> frozenset[str]:
        """The languages it works in; a service that names none works in English."""
        return frozenset(self.languages or ("en",))


@dataclass(frozen=True)
class Match:
    """A suggested service, how well it fits, and the reasons in plain words."""

    candidate: Candidate
    score: int
    reasons: tuple[str, ...]


def _fits_level(need: Need, candidate: Candidate) -> bool:
    if need.level == "peer":
        return candidate.kind == ServiceKind.PEER_GROUP
    if need.level == "peer_one_to_one":
        return candidate.kind == ServiceKind.PEER_ONE_TO_ONE
    return candidate.kind == ServiceKind.SERVICE and need.level in candidate.levels


def can_serve(need: Need, candidate: Candidate) -> bool:
    """Whether the service can serve this person at all. Every rule is a filter; none is weighed against another."""
    if not _fits_level(need, candidate):
        return False
    if need.category and candidate.categories and need.category not in candidate.categories:
        return False
    if candidate.minimum_age is not None or candidate.maximum_age is not None:
        if need.age is None:
            return False
        if ((candidate.minimum_age is not None and need.age < candidate.minimum_age)
                or (candidate.maximum_age is not None and need.age > candidate.maximum_age)):
            return False
    if candidate.places_left is not None and candidate.places_left <= 0:
        return False
    if not need.languages() & candidate.languages_offered():
        return False
    if candidate.delivery == Delivery.IN_PERSON:
        covers_area = not candidate.boroughs or (need.borough in candidate.boroughs)
        if not covers_area or need.online_only or (need.step_free and not candidate.step_free):
            return False
    return True


def score(need: Need, candidate: Candidate) -> Match | None:
    """How well one service fits, or None if it cannot serve the person."""
    if not can_serve(need, candidate):
        return None
    points, reasons = 0, []
    if need.category and candidate.categories:
        points += 3
        reasons.append(_l("It specialises in helping people after this kind of crime."))
    can_go_there = not need.online_only and (candidate.step_free or not need.step_free)
    if need.borough and need.borough in candidate.boroughs and candidate.delivery != Delivery.ONLINE and can_go_there:
        points += 3
        reasons.append(_l("It meets in or near %(borough)s.", borough=need.borough))
    elif candidate.delivery != Delivery.IN_PERSON:
        points += 2
        reasons.append(_l("It is online, so you can take part from home."))
    if need.language and need.language != "en" and need.language in candidate.languages:
        points += 4
        reasons.append(_l("It is available in %(language)s.",
                          language=_l(LANGUAGE_NAMES.get(need.language, need.language))))
    if need.bsl and "bsl" in candidate.languages:
        points += 4
        reasons.append(_l("It is available in British Sign Language."))
    if need.step_free and candidate.step_free and candidate.delivery != Delivery.ONLINE and can_go_there:
        points += 1
        reasons.append(_l("The place it meets has step-free access."))
    if candidate.wait_days <= 2:
        points += 2
        reasons.append(_l("They usually get in touch within 2 working days."))
    elif candidate.wait_days <= 7:
        points += 1
        reasons.append(_l("They usually get in touch within %(days)d working days.", days=candidate.wait_days))
    else:
        points -= 1
        reasons.append(_l("The wait is longer: about %(days)d working days.", days=candidate.wait_days))
    if candidate.places_left is not None:
        reasons.append(_l("1 place left.") if candidate.places_left == 1
                       else _l("%(count)d places left.", count=candidate.places_left))
    return Match(candidate, points, tuple(reasons))


def best_matches(need: Need, candidates: list[Candidate], limit: int = 5) -> list[Match]:
    """The services that can help, best fit first; ties go to the shorter wait, then the name."""
    matches = [m for m in (score(need, c) for c in candidates) if m is not None]
    matches.sort(key=lambda m: (-m.score, m.candidate.wait_days, m.candidate.name))
    return matches[:limit]

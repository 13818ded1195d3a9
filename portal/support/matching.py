"""Suggest the services that best fit a case and the victim's needs, and say why.

Pure rules over plain values, so they are tested without a database; `portal.support.directory` loads the
candidates.
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

    level: str  # "contact", "specialist" or "peer"
    category: str | None = None  # crime category code
    borough: str | None = None
    language: str | None = None  # preferred language code; None or "en" for English
    bsl: bool = False
    age: int | None = None


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


@dataclass(frozen=True)
class Match:
    """A suggested service, how well it fits, and the reasons in plain words."""

    candidate: Candidate
    score: int
    reasons: tuple[str, ...]


def _fits_level(need: Need, candidate: Candidate) -> bool:
    if need.level == "peer":
        return candidate.kind == ServiceKind.PEER_GROUP
    return candidate.kind == ServiceKind.SERVICE and need.level in candidate.levels


def score(need: Need, candidate: Candidate) -> Match | None:
    """How well one service fits, or None if it cannot help."""
    if not _fits_level(need, candidate):
        return None
    if need.category and candidate.categories and need.category not in candidate.categories:
        return None
    if need.age is not None and (
            (candidate.minimum_age is not None and need.age < candidate.minimum_age)
            or (candidate.maximum_age is not None and need.age > candidate.maximum_age)):
        return None
    if candidate.places_left is not None and candidate.places_left <= 0:
        return None
    covers_area = not candidate.boroughs or (need.borough in candidate.boroughs)
    if not covers_area and candidate.delivery == Delivery.IN_PERSON:
        return None

    points, reasons = 0, []
    if need.category and candidate.categories:
        points += 3
        reasons.append(_l("It specialises in helping people after this kind of crime."))
    if need.borough and need.borough in candidate.boroughs and candidate.delivery != Delivery.ONLINE:
        points += 3
        reasons.append(_l("It meets in or near %(borough)s.", borough=need.borough))
    elif candidate.delivery != Delivery.IN_PERSON:
        points += 2
        reasons.append(_l("It is online, so you can take part from home."))
    if need.language and need.language != "en":
        name = _l(LANGUAGE_NAMES.get(need.language, need.language))
        if need.language in candidate.languages:
            points += 4
            reasons.append(_l("It is available in %(language)s.", language=name))
        else:
            points -= 2
            reasons.append(_l("It is not offered in %(language)s, but you can ask for an interpreter.", language=name))
    if need.bsl and "bsl" in candidate.languages:
        points += 4
        reasons.append(_l("It is available in British Sign Language."))
    if candidate.wait_days <= 2:
        points += 2
        reasons.append(_l("They usually get in touch within 2 days."))
    elif candidate.wait_days <= 7:
        points += 1
        reasons.append(_l("They usually get in touch within %(days)d days.", days=candidate.wait_days))
    else:
        points -= 1
        reasons.append(_l("The wait is longer: about %(days)d days.", days=candidate.wait_days))
    if candidate.places_left is not None:
        reasons.append(_l("1 place left.") if candidate.places_left == 1
                       else _l("%(count)d places left.", count=candidate.places_left))
    return Match(candidate, points, tuple(reasons))


def best_matches(need: Need, candidates: list[Candidate], limit: int = 5) -> list[Match]:
    """The services that can help, best fit first; ties go to the shorter wait, then the name."""
    matches = [m for m in (score(need, c) for c in candidates) if m is not None]
    matches.sort(key=lambda m: (-m.score, m.candidate.wait_days, m.candidate.name))
    return matches[:limit]

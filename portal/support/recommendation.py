"""Recommend a support level from a victim's answers, with the reasons in plain words.

The rules live here and only here. The victim sees the recommendation and chooses; they can pick a different
level and change it later.
"""

import enum
from dataclasses import dataclass, field

from portal.i18n import N_


class SupportLevel(enum.IntEnum):
    """How much support, from least to most. Peer support is offered alongside any level."""

    INFORMATION = 1  # self-help information
    CONTACT = 2  # a call from a support worker
    SPECIALIST = 3  # ongoing specialist support or an advocate


class Impact(enum.IntEnum):
    """How much the crime affects daily life or feelings."""

    NONE = 0
    A_LITTLE = 1
    QUITE_A_LOT = 2
    A_GREAT_DEAL = 3


@dataclass(frozen=True)
class NeedsAnswers:
    """What the victim told us in the needs assessment. Every question is optional except where noted."""

    daily_life: Impact = Impact.NONE
    feelings: Impact = Impact.NONE
    feels_safe: bool = True
    practical_needs: frozenset[str] = field(default_factory=frozenset)  # locks, documents, insurance letter
    mental_health_worry: bool = False
    happened_before: bool = False
    wants_to_talk: bool = False
    interested_in_peer_support: bool = False


@dataclass(frozen=True)
class Recommendation:
    """The suggested level, whether to suggest a peer-support group, and why."""

    level: SupportLevel
    peer: bool
    reasons: tuple[str, ...]


SELF_HELP_PRACTICAL = frozenset({"insurance_letter", "replace_documents"})


def recommend(answers: NeedsAnswers) -> Recommendation:
    """Apply the rules. More serious answers never lead to less support."""
    reasons: list[str] = []
    level = SupportLevel.INFORMATION

    def at_least(new_level: SupportLevel, reason: str) -> None:
        nonlocal level
        level = max(level, new_level)
        reasons.append(reason)

    if not answers.feels_safe:
        at_least(SupportLevel.SPECIALIST, N_("You told us you do not feel safe. A specialist can help you plan for "
                                          "your safety."))
    if answers.mental_health_worry:
        at_least(SupportLevel.SPECIALIST, N_("You told us you are worried about your mental health. A specialist "
                                          "can support you and help you find the right care."))
    if answers.happened_before and max(answers.daily_life, answers.feelings) >= Impact.QUITE_A_LOT:
        at_least(SupportLevel.SPECIALIST, N_("This has happened to you before and it is affecting you a lot. "
                                          "Ongoing support can help."))
    if answers.feelings == Impact.A_GREAT_DEAL or answers.daily_life == Impact.A_GREAT_DEAL:
        at_least(SupportLevel.SPECIALIST, N_("What happened is affecting you a great deal."))
    elif max(answers.feelings, answers.daily_life) == Impact.QUITE_A_LOT:
        at_least(SupportLevel.CONTACT, N_("What happened is affecting you quite a lot. A support worker can call "
                                       "you to talk it through."))
    if answers.wants_to_talk:
        at_least(SupportLevel.CONTACT, N_("You said you would like to talk to someone."))
    if answers.practical_needs - SELF_HELP_PRACTICAL:
        at_least(SupportLevel.CONTACT, N_("A support worker can help with practical things, such as getting locks "
                                       "fixed."))
    if not reasons:
        reasons.append(N_("You told us you are coping. Our guides explain what to do next, and you can ask for more "
                       "support at any time."))
    if answers.practical_needs & SELF_HELP_PRACTICAL:
        reasons.append(N_("Our guides explain how to replace documents and get a letter for your insurer."))

    peer = answers.interested_in_peer_support or (
        answers.happened_before and level >= SupportLevel.CONTACT)
    if peer:
        reasons.append(N_("A peer-support group lets you talk to people who have been through something similar."))
    return Recommendation(level, peer, tuple(reasons))

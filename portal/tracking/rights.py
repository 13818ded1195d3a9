"""The victim's rights panel: each Victims' Code promise on the case in plain words, met or still due."""

from dataclasses import dataclass
from datetime import datetime

from portal.cases.enums import DeadlineKind
from portal.cases.models import VictimsCodeDeadline
from portal.cases.victims_code import deadlines_for, state
from portal.i18n import N_

PROMISES = {
    DeadlineKind.TRIAGE: N_("A member of staff reviews your report within 45 minutes"),
    DeadlineKind.FIRST_RESPONSE: N_("You hear from us within 48 hours"),
    DeadlineKind.SUPPORT_REFERRAL: N_("You are offered support within 2 working days"),
    DeadlineKind.DECISION_NOT_TO_INVESTIGATE: N_("You are told of a decision not to investigate within 5 working days"),
    DeadlineKind.KEY_EVENT: N_("You are told about important developments quickly"),
    DeadlineKind.ROUTINE_UPDATE: N_("You get regular updates, as often as you asked"),
}
STATE_WORDS = {
    "met": N_("Done on time"),
    "met late": N_("Done, but late"),
    "overdue": N_("Late: not done yet"),
    "due": N_("Due"),
}


@dataclass(frozen=True)
class RightLine:
    """One promise as the victim sees it."""

    promise: str
    state: str
    words: str
    due_at: datetime
    met_at: datetime | None


@dataclass(frozen=True)
class Right:
    """One promise, and each time it was due on this case (a routine update is due many times)."""

    promise: str
    lines: list[RightLine]


def rights_for(report_id: int) -> list[Right]:
    """The promises on a case, each once, in the order they first fell due, with every time each was due."""
    grouped: dict[str, list[RightLine]] = {}
    for deadline in deadlines_for(report_id):
        current = state(deadline)
        promise = _promise(deadline)
        grouped.setdefault(promise, []).append(
            RightLine(promise, current, STATE_WORDS[current], deadline.due_at, deadline.met_at))
    return [Right(promise, lines) for promise, lines in grouped.items()]


def _promise(deadline: VictimsCodeDeadline) -> str:
    """The promise in the victim's words."""
    return PROMISES.get(deadline.kind, deadline.description)

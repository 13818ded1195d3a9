"""Small-number suppression for every published figure, on screen and in CSV.

Primary: a figure built from 1 to 9 people is shown as "fewer than 10". Secondary: when a breakdown's total is
shown, hiding one group is not enough (total minus the others would reveal it), so further groups are hidden,
smallest first, until at least two are hidden and the hidden groups together hold at least 10 people.
"""

from dataclasses import dataclass

MIN_PEOPLE = 10
FEWER_THAN = "fewer than 10"
HIDDEN = "hidden to protect a small group"


@dataclass(frozen=True)
class Cell:
    """One group in a breakdown: how many people it is built from, and its figure (a rate, a mean or a count)."""

    label: str
    people: int
    value: float | None


@dataclass(frozen=True)
class Shown:
    """A cell as published: the people and value, or None with the reason they are hidden."""

    label: str
    people: int | None
    value: float | None
    reason: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.reason is not None


def is_small(people: int) -> bool:
    """1 to 9 people: too few to publish. Zero is not a person and is shown."""
    return 0 < people < MIN_PEOPLE


def suppress(cells: list[Cell], total_shown: bool = True) -> list[Shown]:
    """Apply primary and, where a total is shown, secondary suppression to one breakdown."""
    hidden: dict[int, str] = {i: FEWER_THAN for i, cell in enumerate(cells) if is_small(cell.people)}
    if hidden and total_shown:
        candidates = sorted((cell.people, i) for i, cell in enumerate(cells) if i not in hidden and cell.people > 0)
        while candidates and (len(hidden) < 2 or sum(cells[i].people for i in hidden) < MIN_PEOPLE):
            _people, index = candidates.pop(0)
            hidden[index] = HIDDEN
    return [Shown(cell.label, None, None, hidden[i]) if i in hidden else Shown(cell.label, cell.people, cell.value)
            for i, cell in enumerate(cells)]


def suppress_one(label: str, people: int, value: float | None) -> Shown:
    """A single headline figure (no breakdown around it)."""
    return suppress([Cell(label, people, value)], total_shown=False)[0]

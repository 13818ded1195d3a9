"""Crime numbers: ``CR-26-0001234-X``.

A prefix, a two-digit year, a seven-digit sequence that restarts each year, and a check letter over the
nine digits. The check letter catches every single mistyped digit and every swap of two neighbouring
digits, so a mistyped number fails validation before any lookup.
"""

import re
from dataclasses import dataclass

# 23 letters (a prime count), leaving out I, O and S, which are easily confused with 1, 0 and 5.
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 10)
SEQUENCE_MAX = 9_999_999

_PATTERN = re.compile(r"^(?P<prefix>[A-Z]{1,4})-?(?P<year>[0-9]{2})-?(?P<seq>[0-9]{7})-?(?P<check>[A-Z])$")


class InvalidCrimeNumber(ValueError):
    """The text is not a well-formed crime number."""


@dataclass(frozen=True)
class CrimeNumber:
    """A parsed crime number."""

    prefix: str
    year: int
    sequence: int

    @property
    def check_letter(self) -> str:
        """The letter that guards the digits."""
        return check_letter(self.year, self.sequence)

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year:02d}-{self.sequence:07d}-{self.check_letter}"


def check_letter(year: int, sequence: int) -> str:
    """The check letter for a two-digit year and a sequence number."""
    digits = f"{year % 100:02d}{sequence:07d}"
    total = sum(int(digit) * weight for digit, weight in zip(digits, WEIGHTS, strict=True))
    return CHECK_LETTERS[total % len(CHECK_LETTERS)]


def format_crime_number(prefix: str, year: int, sequence: int) -> str:
    """The printed form of a crime number."""
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise ValueError("sequence out of range")
    return str(CrimeNumber(prefix, year % 100, sequence))


def parse_crime_number(text: str, prefix: str, *other_prefixes: str) -> CrimeNumber:
    """Read a typed crime number, forgiving case, spaces and missing hyphens.

    Raises InvalidCrimeNumber with a message fit to show the user.
    """
    cleaned = re.sub(r"[\s\u2010-\u2015]", lambda m: "" if m.group().isspace() else "-", (text or "").upper())
    if len(cleaned) > 40:
        raise InvalidCrimeNumber(f"Crime number must be in the format {prefix}-26-0001234-X")
    match = _PATTERN.match(cleaned)
    if match is None or match["prefix"] not in (prefix, *other_prefixes):
        raise InvalidCrimeNumber(f"Crime number must be in the format {prefix}-26-0001234-X")
    number = CrimeNumber(match["prefix"], int(match["year"]), int(match["seq"]))
    if number.sequence == 0 or match["check"] != number.check_letter:
        raise InvalidCrimeNumber("Check the crime number: it looks like it has been mistyped")
    return number

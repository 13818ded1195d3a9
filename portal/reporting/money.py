"""Amounts of money as people write them: "450", "450.00", "£450", "£1,200", "1,200.50", "1200".

An amount is kept in the answers as a plain string of pounds and pence ("1200.50"), and shown back as "£1,200.50"
(or "£1,200" when there are no pence).
"""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l

MAX_POUNDS = Decimal(10_000_000)
# Digits with commas between each group of three ("1,200,000"), or digits alone; then up to two decimal places.
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")

NOT_AN_AMOUNT = _l("Enter an amount in pounds, like 450, £1,200 or 1,200.50")
NEGATIVE = _l("Enter an amount of £0 or more")
TOO_MUCH = _l("Enter an amount of £10,000,000 or less")


class MoneyError(ValueError):
    """An amount that cannot be read; its message is what to show the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def parse_pounds(text: str) -> Decimal:
    """The amount written, in pounds; MoneyError says what is wrong with it."""
    written = "".join(text.split())  # "£ 1 200" is read as "£1200"
    written = written.removeprefix("£")
    if written.startswith("-"):  # "-5", "£-5" and "-£5"
        raise MoneyError(NEGATIVE)
    if not _AMOUNT.match(written):
        raise MoneyError(NOT_AN_AMOUNT)
    amount = Decimal(written.replace(",", ""))
    if amount > MAX_POUNDS:
        raise MoneyError(TOO_MUCH)
    return amount


def stored(amount: Decimal) -> str:
    """The amount as kept in the answers: "1200.50"."""
    return f"{amount:.2f}"


def pence(value: str | None) -> int | None:
    """A kept amount ("1200.50", or one kept before amounts were tidied, like "£1,200") in pence."""
    if not value:
        return None
    return int(parse_pounds(value) * 100)


def shown(value: str) -> str:
    """A kept amount as people read it: "£1,200.50", or "£1,200" for whole pounds."""
    amount = parse_pounds(value)
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"

"""Text written into CSV files that people open in a spreadsheet."""

import re

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def spreadsheet_safe(text: str) -> str:
    """Text that cannot start a formula: a leading quote is added where it could. Plain numbers (negative ones
    included) are left as numbers."""
    if PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text

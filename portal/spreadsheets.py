"""Text written into CSV files that people open in a spreadsheet."""

import re

# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def spreadsheet_safe(text: str, *, keep_numbers: bool = False) -> str:
    """Text that cannot start a formula: a leading quote is added where it could. With keep_numbers, plain
    numbers the service worked out itself (negative ones included) are left as numbers; text people typed is
    always guarded."""
    if keep_numbers and PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text

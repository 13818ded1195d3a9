"""Text written into CSV files that people open in a spreadsheet."""

import re
import unicodedata

# A cell whose first character that shows is one of these is read as a formula by spreadsheet programs. Their
# full-width, small, superscript and subscript forms (＝ ＋ － ＠ ...) count too: some programs fold look-alikes
# into the plain signs, as NFKC does, before they look.
FORMULA_SIGNS = frozenset("=+-@")
# A cell starting with a tab or a carriage return is guarded whatever follows (OWASP's list).
GUARDED_STARTS = ("\t", "\r")
# Characters that do not show: spaces of every width, line breaks, control and format characters (a zero-width
# space, a byte-order mark, a direction mark). Skipped when looking for the first character that does.
UNSEEN_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe(text: str, *, keep_numbers: bool = False) -> str:
    """Text that cannot start a formula: a leading quote is added where it could. With keep_numbers, plain
    numbers the service worked out itself (negative ones included) are left as numbers; text people typed is
    always guarded."""
    if keep_numbers and PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text if could_start_a_formula(text) else text


def could_start_a_formula(text: str) -> bool:
    """Whether a spreadsheet might read the cell as a formula: it starts with a tab or a carriage return, or its
    first character that shows (after spaces, line breaks and invisible characters) is a formula sign or a
    look-alike of one."""
    if text.startswith(GUARDED_STARTS):
        return True
    for character in text:
        if unicodedata.category(character) in UNSEEN_CATEGORIES or character.isspace():
            continue
        return unicodedata.normalize("NFKC", character)[:1] in FORMULA_SIGNS
    return False

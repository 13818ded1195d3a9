"""The CSV formula guard: no cell a person typed can start a formula in a spreadsheet program.

Spreadsheets read a cell as a formula when it starts with = + - or @. The penetration test found that a full-width
＝ (U+FF1D) was let through; some programs fold such look-alikes into the plain signs, and may skip spaces or line
breaks in front of one, so the guard treats all of those as a formula too and puts an apostrophe in front.
"""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.spreadsheets import spreadsheet_safe

SIGNS = "=+-@"
# Full-width (U+FF1D, U+FF0B, U+FF0D, U+FF20) and small (U+FE66, U+FE62, U+FE63, U+FE6B) forms, and the
# superscript and subscript ones, all of which NFKC folds into the ASCII signs.
LOOK_ALIKES = "\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u207c\u208c\u207a\u208a"
BLANKS = [" ", "  ", "\t", "\r", "\n", "\r\n", "\u00a0", "\u3000", "\u2003", "\x0b", "\x0c", "\u200b", "\ufeff",
          "\u200f"]


def starts_a_formula(cell: str) -> bool:
    """Whether a spreadsheet could read the cell as a formula: after any blanks, a sign or a look-alike of one."""
    rest = cell.lstrip("".join(BLANKS) + "".join(chr(c) for c in range(32)))
    return bool(rest) and unicodedata.normalize("NFKC", rest[0])[:1] in SIGNS


@pytest.mark.parametrize("sign", list(SIGNS + LOOK_ALIKES))
def test_every_sign_and_look_alike_is_guarded(sign):
    assert spreadsheet_safe(f"{sign}HYPERLINK(\"http://evil.example\")") == f"'{sign}HYPERLINK(\"http://evil.example\")"


@pytest.mark.parametrize("blank", BLANKS)
@pytest.mark.parametrize("sign", ["=", "\uff1d", "@", "\uff0b"])
def test_blanks_before_a_sign_do_not_hide_it(blank, sign):
    assert spreadsheet_safe(f"{blank}{sign}1+1") == f"'{blank}{sign}1+1"


@pytest.mark.parametrize("cell", ["\tplain", "\rplain"])
def test_a_tab_or_carriage_return_at_the_start_is_guarded_whatever_follows(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "Camden", "a=b", "Ms O'Neil", "", " plain", "50%", "'already"])
def test_ordinary_text_is_left_alone(cell):
    assert spreadsheet_safe(cell) == cell


@pytest.mark.parametrize("number", ["0", "12", "-3", "-0.5", "97.4"])
def test_numbers_the_service_worked_out_stay_numbers(number):
    assert spreadsheet_safe(number, keep_numbers=True) == number
    assert spreadsheet_safe(number) == (f"'{number}" if number.startswith("-") else number)


@pytest.mark.parametrize("text", ["\uff0d3", "-3+1", " -3", "-3\n=1", "-\u0663"])
def test_only_plain_ascii_numbers_count_as_numbers(text):
    assert spreadsheet_safe(text, keep_numbers=True) == "'" + text


@given(st.text(alphabet=st.one_of(st.sampled_from(SIGNS + LOOK_ALIKES + "".join(BLANKS)), st.characters()),
               max_size=12), st.booleans())
def test_no_cell_can_start_a_formula(text, keep_numbers):
    """Whatever the text, the cell is the text itself, or the text after one apostrophe; and it starts a formula
    only if it is a plain number the service worked out."""
    cell = spreadsheet_safe(text, keep_numbers=keep_numbers)
    assert cell in (text, "'" + text)
    if starts_a_formula(cell):
        assert keep_numbers and cell == text and re.fullmatch(r"-[0-9]+(\.[0-9]+)?", text)

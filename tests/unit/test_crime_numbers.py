"""Crime numbers: format, check letter, and forgiving but strict parsing (pure functions, no database)."""

import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from portal.cases.crime_numbers import (
    CHECK_LETTERS,
    SEQUENCE_MAX,
    CrimeNumber,
    InvalidCrimeNumber,
    check_letter,
    format_crime_number,
    parse_crime_number,
)

FORMAT_MESSAGE = "Crime number must be in the format {prefix}-26-0001234-X"
MISTYPED_MESSAGE = "Check the crime number: it looks like it has been mistyped"
SHAPE = re.compile(r"^(?P<prefix>[A-Z]+)-(?P<year>\d{2})-(?P<seq>\d{7})-(?P<check>[A-Z])$")

years = st.integers(min_value=0, max_value=99)
sequences = st.integers(min_value=1, max_value=SEQUENCE_MAX)


def printed(digits: str, letter: str, prefix: str = "CR") -> str:
    """A crime number put together from its parts, for numbers the formatter would not produce."""
    return f"{prefix}-{digits[:2]}-{digits[2:]}-{letter}"


def digits_of(year: int, sequence: int) -> str:
    """The nine digits the check letter guards."""
    return f"{year:02d}{sequence:07d}"


def assert_user_message(error: InvalidCrimeNumber, prefix: str = "CR") -> None:
    """The error carries one of the two messages meant for the person typing the number."""
    assert str(error) in (FORMAT_MESSAGE.format(prefix=prefix), MISTYPED_MESSAGE)


# Format -----------------------------------------------------------------------------------------


def test_format_gives_prefix_two_digit_year_seven_digit_sequence_and_check_letter():
    """The printed form is CR-26-0001234- followed by a letter from the check alphabet."""
    number = format_crime_number("CR", 2026, 1234)
    assert number.startswith("CR-26-0001234-")
    assert len(number) == len("CR-26-0001234-X")
    assert number[-1] in CHECK_LETTERS
    assert number[-1] == check_letter(26, 1234)


def test_check_alphabet_leaves_out_confusable_letters_and_has_a_prime_size():
    """The check letters are 23 distinct capitals without I, O or S."""
    assert len(CHECK_LETTERS) == len(set(CHECK_LETTERS)) == 23
    assert not set("IOS") & set(CHECK_LETTERS)
    assert CHECK_LETTERS.isupper() and CHECK_LETTERS.isascii()


@pytest.mark.parametrize("sequence", [0, -1, SEQUENCE_MAX + 1, 10**12])
def test_format_rejects_sequence_out_of_range(sequence):
    """Sequence 0 and anything beyond 9,999,999 cannot be printed."""
    with pytest.raises(ValueError, match="sequence out of range"):
        format_crime_number("CR", 2026, sequence)


def test_format_accepts_the_first_and_last_sequence():
    """Sequences 1 and 9,999,999 both fit in seven digits."""
    assert format_crime_number("CR", 2026, 1).startswith("CR-26-0000001-")
    assert format_crime_number("CR", 2026, SEQUENCE_MAX).startswith("CR-26-9999999-")


@given(year=years, sequence=sequences)
@example(year=0, sequence=1)
@example(year=99, sequence=SEQUENCE_MAX)
def test_format_then_parse_round_trips(year, sequence):
    """Parsing a printed number gives back its year and sequence, for every year and sequence."""
    text = format_crime_number("CR", year, sequence)
    assert SHAPE.match(text)
    parsed = parse_crime_number(text, "CR")
    assert parsed == CrimeNumber("CR", year, sequence)
    assert str(parsed) == text
    assert parsed.check_letter == text[-1] in CHECK_LETTERS


@given(year=st.integers(min_value=1900, max_value=2999), sequence=sequences)
def test_format_uses_the_last_two_digits_of_a_four_digit_year(year, sequence):
    """A four-digit year is printed as its last two digits."""
    text = format_crime_number("CR", year, sequence)
    assert text == format_crime_number("CR", year % 100, sequence)
    assert parse_crime_number(text, "CR").year == year % 100


# Check letter ----------------------------------------------------------------------------------


@given(year=years, sequence=sequences, position=st.integers(min_value=0, max_value=8),
       replacement=st.sampled_from("0123456789"))
def test_any_single_mistyped_digit_fails(year, sequence, position, replacement):
    """Changing any one of the nine digits to any other digit makes the number fail to parse."""
    digits = digits_of(year, sequence)
    assume(digits[position] != replacement)
    mistyped = digits[:position] + replacement + digits[position + 1:]
    with pytest.raises(InvalidCrimeNumber) as caught:
        parse_crime_number(printed(mistyped, check_letter(year, sequence)), "CR")
    assert str(caught.value) == MISTYPED_MESSAGE


@given(year=years, sequence=sequences, position=st.integers(min_value=0, max_value=7))
def test_any_swap_of_neighbouring_different_digits_fails(year, sequence, position):
    """Swapping two neighbouring, different digits makes the number fail to parse."""
    digits = digits_of(year, sequence)
    assume(digits[position] != digits[position + 1])
    swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2:]
    with pytest.raises(InvalidCrimeNumber) as caught:
        parse_crime_number(printed(swapped, check_letter(year, sequence)), "CR")
    assert str(caught.value) == MISTYPED_MESSAGE


@pytest.mark.parametrize("base", ["000000001", "261234567", "999999999", "505050505"])
def test_every_single_digit_change_and_neighbour_swap_changes_the_letter(base):
    """Exhaustively over positions and digit values, for a few fixed numbers, no error keeps the letter."""
    letter = check_letter(int(base[:2]), int(base[2:]))
    for position in range(9):
        for digit in "0123456789":
            if digit != base[position]:
                changed = base[:position] + digit + base[position + 1:]
                assert check_letter(int(changed[:2]), int(changed[2:])) != letter, changed
    for first in "0123456789":
        for second in "0123456789":
            if first == second:
                continue
            for position in range(8):
                digits = base[:position] + first + second + base[position + 2:]
                swapped = base[:position] + second + first + base[position + 2:]
                assert check_letter(int(digits[:2]), int(digits[2:])) != check_letter(
                    int(swapped[:2]), int(swapped[2:])), (digits, swapped)


@given(year=years, sequence=sequences, letter=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
def test_a_wrong_check_letter_fails(year, sequence, letter):
    """Any letter but the right one is refused as mistyped."""
    assume(letter != check_letter(year, sequence))
    with pytest.raises(InvalidCrimeNumber) as caught:
        parse_crime_number(printed(digits_of(year, sequence), letter), "CR")
    assert str(caught.value) == MISTYPED_MESSAGE


# Forgiving parsing -----------------------------------------------------------------------------

LETTER = check_letter(26, 1234)
CANONICAL = f"CR-26-0001234-{LETTER}"


@pytest.mark.parametrize("typed", [
    CANONICAL,
    CANONICAL.lower(),
    f"cr 26 0001234 {LETTER.lower()}",
    f"CR260001234{LETTER}",
    f"cr260001234{LETTER.lower()}",
    f"CR\u201326\u20130001234\u2013{LETTER}",  # en dashes
    f"CR\u201426\u20140001234\u2014{LETTER}",  # em dashes
    f"CR\u201026\u20100001234\u2010{LETTER}",  # Unicode hyphens
    f"  CR-26-0001234-{LETTER}  ",
    f"\tCR - 26 - 0001234 - {LETTER}\n",
    f"CR\u00a026\u00a00001234\u00a0{LETTER}",  # non-breaking spaces
    f"C R 2 6 0 0 0 1 2 3 4 {LETTER}",
    f"Cr-26 0001234{LETTER}",
])
def test_parse_forgives_case_spaces_and_hyphens(typed):
    """Lower case, spaces, missing hyphens and dash look-alikes parse to the same number."""
    parsed = parse_crime_number(typed, "CR")
    assert parsed == CrimeNumber("CR", 26, 1234)
    assert str(parsed) == CANONICAL


@pytest.mark.parametrize("typed", [
    f"XX-26-0001234-{LETTER}",  # wrong prefix
    f"MP-26-0001234-{LETTER}",  # another force's prefix
    f"C-26-0001234-{LETTER}",  # prefix cut short
    f"CRX-26-0001234-{LETTER}",  # prefix too long
    f"26-0001234-{LETTER}",  # no prefix
    f"CR-26-001234-{LETTER}",  # six-digit sequence
    f"CR-26-00001234-{LETTER}",  # eight-digit sequence
    f"CR-2026-0001234-{LETTER}",  # four-digit year
    f"CR-6-0001234-{LETTER}",  # one-digit year
    "CR-26-0001234",  # no check letter
    "CR-26-0001234-",  # hyphen but no check letter
    f"CR-26-0001234-{LETTER}{LETTER}",  # two check letters
    "CR-26-0001234-7",  # a digit as the check letter
    f"CR-26-00O1234-{LETTER}",  # letter O among the digits
    f"CR-26-OOO1234-{LETTER}",
    f"CR-2B-0001234-{LETTER}",
    f"CR--26-0001234-{LETTER}",  # doubled hyphen
    f"CR_26_0001234_{LETTER}",
    f"CR.26.0001234.{LETTER}",
    f"CR/26/0001234/{LETTER}",
    f"CR-26-0001234-{LETTER}!",
    "",
    "   ",
    "\n\t",
    "-",
    "---",
    "CR",
    "crime number",
    "'; DROP TABLE reports; --",
    "<script>alert(1)</script>",
    "A" * 10_000,
    "1" * 10_000,
    f"CR-26-0001234-{LETTER}" * 700,
    "-" * 10_000,
])
def test_parse_refuses_malformed_text_with_a_readable_message(typed):
    """Wrong prefix, length or characters, and empty or huge input, raise InvalidCrimeNumber, never crash."""
    with pytest.raises(InvalidCrimeNumber) as caught:
        parse_crime_number(typed, "CR")
    assert_user_message(caught.value)


def test_parse_refuses_none():
    """No input at all is refused with the format message."""
    with pytest.raises(InvalidCrimeNumber) as caught:
        parse_crime_number(None, "CR")
    assert str(caught.value) == FORMAT_MESSAGE.format(prefix="CR")


def test_parse_refuses_sequence_zero_even_with_its_check_letter():
    """Sequence 0 is never issued, so it is refused even when its check letter is right."""
    with pytest.raises(InvalidCrimeNumber) as caught:
        parse_crime_number(f"CR-26-0000000-{check_letter(26, 0)}", "CR")
    assert_user_message(caught.value)


def test_invalid_crime_number_is_a_value_error():
    """Form validators can catch it as a ValueError."""
    assert issubclass(InvalidCrimeNumber, ValueError)


near_crime_number_text = st.text(
    alphabet=st.sampled_from(list("CRMPcrmpXxIOSsABZ0123456789-_ .\t\n\u00a0\u2013\u2014\u2010\u0660\uff11")),
    max_size=30,
)


@given(text=st.one_of(st.text(), st.text(min_size=100, max_size=2_000), near_crime_number_text))
@example(text="")
@example(text=CANONICAL)
@example(text="\u0131")  # dotless i: its upper case is an ASCII letter
@example(text="\ufb00")  # ligature whose upper case is two letters
def test_parse_of_arbitrary_text_only_ever_raises_invalid_crime_number(text):
    """Any text either parses to a well-formed number or raises InvalidCrimeNumber with a readable message."""
    try:
        parsed = parse_crime_number(text, "CR")
    except InvalidCrimeNumber as error:
        assert_user_message(error)
        return
    assert parsed.prefix == "CR"
    assert parsed.sequence >= 1 and parsed.sequence <= SEQUENCE_MAX and 0 <= parsed.year <= 99
    assert SHAPE.match(str(parsed))
    assert parse_crime_number(str(parsed), "CR") == parsed


@given(year=years, sequence=sequences, data=st.data())
def test_noise_of_spaces_and_dashes_around_a_valid_number_is_forgiven(year, sequence, data):
    """Whitespace anywhere and any dash look-alike as separator still parse to the same number."""
    digits = digits_of(year, sequence)
    separator = st.sampled_from(["", "-", " ", "\u2013", "\u2014", " - ", "  "])
    parts = ["cr" if data.draw(st.booleans()) else "CR", digits[:2], digits[2:], check_letter(year, sequence)]
    text = data.draw(separator).join(parts[:1]) + "".join(data.draw(separator) + part for part in parts[1:])
    assert parse_crime_number(text, "CR") == CrimeNumber("CR", year, sequence)


# Prefix ----------------------------------------------------------------------------------------


@given(year=years, sequence=sequences)
def test_a_configured_prefix_works_end_to_end(year, sequence):
    """An MP prefix is printed, parsed back, and forgiven in lower case; a CR number is refused under MP."""
    text = format_crime_number("MP", year, sequence)
    assert text.startswith(f"MP-{year:02d}-{sequence:07d}-")
    assert parse_crime_number(text, "MP") == CrimeNumber("MP", year, sequence)
    assert parse_crime_number(text.lower().replace("-", " "), "MP") == CrimeNumber("MP", year, sequence)
    with pytest.raises(InvalidCrimeNumber) as caught:
        parse_crime_number(text, "CR")
    assert_user_message(caught.value, "CR")
    with pytest.raises(InvalidCrimeNumber) as caught:
        parse_crime_number(format_crime_number("CR", year, sequence), "MP")
    assert str(caught.value) == FORMAT_MESSAGE.format(prefix="MP")


def test_the_check_letter_does_not_depend_on_the_prefix():
    """The same year and sequence carry the same check letter under any prefix."""
    assert format_crime_number("MP", 2026, 1234)[-1] == format_crime_number("CR", 2026, 1234)[-1]


def test_only_ascii_digits_are_accepted():
    """Full-width or Arabic-Indic digits are not a crime number (they look alike but are different text)."""
    with pytest.raises(InvalidCrimeNumber):
        parse_crime_number("CR-٢٦-0000001-A", "CR")

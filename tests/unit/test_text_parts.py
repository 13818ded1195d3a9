"""How long a text message is, and how many parts it is sent in, counted the way networks and GOV.UK Notify count:
GSM-7 (160 characters in one part, 153 in each of several; the extension characters take two) when every
character is in the GSM alphabet, otherwise UCS-2 (70 in one part, 67 in each of several)."""

import pytest

from portal.notifications.text_parts import (
    GSM7,
    UCS2,
    encoding,
    length,
    parts,
    text_parts,
)


@pytest.mark.parametrize("text", [
    "Hello, world!",
    "Sign in: https://report.example.police.uk/login?next=%2Fcases#top",
    "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà",
    "Line one\nline two\r",
    "Braces {} and [brackets] and ~ ^ | \\ and €5",
])
def test_text_in_the_gsm_alphabet_is_gsm7(text):
    assert encoding(text) == GSM7


@pytest.mark.parametrize("text", [
    "Dziękujemy za kontakt",            # ę is not in the GSM alphabet
    "شكرا لتواصلك معنا",                 # Arabic
    "It\u2019s here",                     # a curly apostrophe
    "9am\u20135pm",                       # an en dash
    "Grüße, Ç and ç",                     # capital Ç is GSM; small ç is not
    "`backtick`",                         # not in GSM 03.38
    "A face \U0001F600",                  # outside the Basic Multilingual Plane
])
def test_anything_else_is_ucs2(text):
    assert encoding(text) == UCS2


def test_gsm7_extension_characters_count_twice():
    assert length("abc") == 3
    assert length("[]") == 4
    assert length("{}\\~^|€") == 14
    assert length("\f") == 2


def test_ucs2_counts_utf16_code_units():
    assert length("zażółć") == 6
    assert length("مرحبا") == 5
    # An extension character costs one in UCS-2: the whole message is UCS-2.
    assert length("ę[") == 2
    # A character outside the BMP is a surrogate pair: two units.
    assert length("\U0001F600") == 2


@pytest.mark.parametrize("size, expected", [
    (0, 0), (1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4),
])
def test_gsm7_parts(size, expected):
    assert parts("a" * size) == expected


def test_gsm7_parts_count_extension_characters_twice():
    assert parts("a" * 158 + "[") == 1       # 160
    assert parts("a" * 159 + "[") == 2       # 161


@pytest.mark.parametrize("size, expected", [
    (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4),
])
def test_ucs2_parts(size, expected):
    assert parts("ą" * size) == expected


def test_one_character_outside_gsm_makes_the_whole_message_ucs2():
    text = "a" * 100
    assert text_parts(text).parts == 1
    counted = text_parts(text + "\u2019")
    assert (counted.encoding, counted.length, counted.parts) == (UCS2, 101, 2)


def test_the_count_of_a_known_message():
    counted = text_parts("Report a crime and get support: you have an update. Sign in to read it: "
                         "https://report.example.police.uk/login")
    assert counted.encoding == GSM7
    assert counted.length == 110
    assert counted.parts == 1

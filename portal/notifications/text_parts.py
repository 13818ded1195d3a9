"""How many parts a text message is sent in, counted the way mobile networks and GOV.UK Notify count them.

A text is sent in the GSM-7 alphabet when every character is in the GSM 03.38 basic set or its extension table
(an extension character, such as `[ ] { } \\ ~ ^ | €`, is sent as an escape and a letter, so it counts as two).
Any other character (a Polish `ę`, Arabic, a curly quote, an en dash) makes the whole text UCS-2, where each
character counts as one UTF-16 unit (a character outside the Basic Multilingual Plane, such as an emoji, as two).

One part holds 160 GSM-7 characters or 70 UCS-2 ones. A longer text is split into parts that each give room to
a header joining them up: 153 GSM-7 characters a part, or 67 UCS-2 ones. Each part is charged as one message.

Notify replaces a few characters with GSM ones before it counts (curly quotes, for example); this module does not,
so it never counts fewer parts than are sent.
"""

import math
from dataclasses import dataclass
from typing import Final, Literal

Encoding = Literal["GSM-7", "UCS-2"]
GSM7: Final[Encoding] = "GSM-7"
UCS2: Final[Encoding] = "UCS-2"

# GSM 03.38 basic character set (the escape to the extension table, 0x1B, is not a character of its own).
GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each is sent as the escape and a second character, so counts as two.
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")

SINGLE_PART: Final = {GSM7: 160, UCS2: 70}
PER_PART: Final = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class TextParts:
    """A text's encoding, its length as the network counts it in that encoding, and the parts it is sent in."""

    encoding: Encoding
    length: int
    parts: int


def encoding(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM alphabet (basic set or extension table), otherwise UCS-2."""
    allowed = GSM7_BASIC | GSM7_EXTENSION
    return GSM7 if all(character in allowed for character in text) else UCS2


def length(text: str) -> int:
    """The text's length in its encoding: GSM-7 extension characters count two; UCS-2 counts UTF-16 units."""
    if encoding(text) == GSM7:
        return sum(2 if character in GSM7_EXTENSION else 1 for character in text)
    return len(text.encode("utf-16-le")) // 2


def parts(text: str) -> int:
    """How many message parts the text is sent in (0 for an empty text)."""
    return text_parts(text).parts


def text_parts(text: str) -> TextParts:
    """The text's encoding, length and number of parts."""
    used = encoding(text)
    size = length(text)
    if size <= SINGLE_PART[used]:
        count = 1 if size else 0
    else:
        count = math.ceil(size / PER_PART[used])
    return TextParts(used, size, count)

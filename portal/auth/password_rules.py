"""The rule for a new password, beyond its length: not one of the 100,000 most common passwords, and not easy to
guess (a zxcvbn score of 3 or more, with the person's own email address and name counting against it).

The forms that set a password (registration, and the reset link that also sets a first password for staff and
partners) apply it through `refusal`; the words people see are here too, so the hint and the errors say the same.
"""

import gzip
import re
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from portal.forms import PASSWORD_MIN

# The NCSC's list of the 100,000 passwords seen most often in breaches (Have I Been Pwned), one a line, as
# published; see data/README.md.
COMMON_PASSWORDS_FILE = Path(__file__).with_name("data") / "common-passwords.txt.gz"

# zxcvbn scores 0 (too guessable) to 4 (very unguessable); 3 is "safely unguessable" (about 10^10 guesses), what
# an offline attack on a slow hash would need.
MIN_SCORE = 3
# zxcvbn's own limit: its time grows quickly with length (over half a second at 128 characters). A longer password
# is judged on its first 72 characters, which is only ever harsher than judging it whole.
ZXCVBN_MAX_LENGTH = 72

RULE_HINT = _l(
    "Use at least %(min)d characters. Three or four random words together are easy to remember and hard to "
    "guess. We will not accept a password that is on a list of the 100,000 most common ones, or one that is "
    "easy to guess, such as your email address, a name, a date or a keyboard pattern.",
    min=PASSWORD_MIN,
)
ON_THE_LIST = _l("Choose a password that is harder to guess. This one is among the 100,000 passwords people use "
                 "most")
EASY_TO_GUESS = _l("Choose a password that is harder to guess. Add another word, and avoid your email address, "
                   "names, dates and keyboard patterns like qwerty")

# zxcvbn keeps the words it is given for one call in a module-level dictionary, so two calls at once in one
# process (threaded workers) could measure one person's password against another person's words.
_zxcvbn_lock = threading.Lock()


@cache
def common_passwords() -> frozenset[str]:
    """The common-password list, case-folded, read once per process on first use."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(folded for line in lines if (folded := line.rstrip("\n").casefold()))


def is_common(password: str) -> bool:
    """Whether the password is on the list, in any mix of capitals."""
    return password.casefold() in common_passwords()


def personal_words(*values: str | None) -> list[str]:
    """The words a person's password should not lean on: each value whole (an email address, a name), and its
    parts (the name before the @, and each word of it and of the domain)."""
    words: list[str] = []
    for value in values:
        if not value:
            continue
        value = value.strip().casefold()
        local, _, _domain = value.partition("@")
        for word in (value, local, *re.split(r"[\W_]+", value)):
            if len(word) >= 3 and word not in words:
                words.append(word)
    return words


def guess_score(password: str, user_inputs: Iterable[str] = ()) -> int:
    """zxcvbn's score, 0 to 4, for the password's first 72 characters, with these words counting against it."""
    with _zxcvbn_lock:
        result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=list(user_inputs), max_length=ZXCVBN_MAX_LENGTH)
    return int(result["score"])


def refusal(password: str, user_inputs: Iterable[str] = ()):
    """Why the password may not be used (a message for the form), or None when it may."""
    if is_common(password):
        return ON_THE_LIST
    if guess_score(password, user_inputs) < MIN_SCORE:
        return EASY_TO_GUESS
    return None

"""The password rule without the app: the shipped list of common passwords and the zxcvbn score."""

import pytest
from zxcvbn import zxcvbn

from portal.auth import password_rules
from portal.auth.password_rules import EASY_TO_GUESS, ON_THE_LIST, personal_words, refusal


def test_the_shipped_list_is_the_100000_most_common_passwords():
    """The whole list is shipped and read (100,000 lines; fewer once capitals are ignored), once per process."""
    common = password_rules.common_passwords()
    assert 97_000 < len(common) <= 100_000
    assert password_rules.common_passwords() is common
    # The first, a middle and the last line of the NCSC list.
    for entry in ("123456", "password12", "qwertyuiop1", "aaaaaaaaaa", "crossroad"):
        assert entry in common


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "password12", "qwertyuiop1", "PASSWORD12", "QwertyUiop1",
                                      "MegaParol12345"])
def test_a_listed_password_is_refused_in_any_case(password):
    assert refusal(password) is ON_THE_LIST


def test_the_list_refuses_what_zxcvbn_alone_would_accept():
    """megaparol12345 scores 4, so only the list stands between it and an account."""
    assert password_rules.guess_score("MegaParol12345") >= password_rules.MIN_SCORE
    assert password_rules.is_common("MegaParol12345")


def test_the_persons_own_words_count_against_the_password():
    """Not on the list and strong for a stranger; easy to guess for the person whose email it is built on."""
    assert not password_rules.is_common("zanzibar.quokka99")
    assert refusal("zanzibar.quokka99") is None
    assert refusal("zanzibar.quokka99", personal_words("Zanzibar.Quokka@example.org")) is EASY_TO_GUESS


def test_personal_words_are_the_address_its_name_and_their_words():
    assert personal_words(" Sam.Jones@Example.org ", "PC 1234 Sam Jones", None) == [
        "sam.jones@example.org", "sam.jones", "sam", "jones", "example", "org", "pc 1234 sam jones", "1234"]


@pytest.mark.parametrize("password", ["lantern orchard pebble violin", "a-long-test-password",
                                      "correct horse battery staple"])
def test_a_passphrase_passes(password):
    assert refusal(password, personal_words("someone@example.org")) is None


def test_a_long_password_is_judged_on_what_zxcvbn_measures(monkeypatch):
    """zxcvbn refuses to measure more than 72 characters (and takes over half a second for 128); the rule measures
    the first 72, so a 128-character password neither fails with an error nor holds up the worker."""
    measured = []

    def measure(password, **options):
        measured.append(password)
        return zxcvbn(password, **options)

    monkeypatch.setattr(password_rules, "zxcvbn", measure)
    assert refusal("ab" * 64) is EASY_TO_GUESS
    assert refusal(("lantern orchard pebble violin " * 5)[:128]) is None
    assert [len(password) for password in measured] == [72, 72]

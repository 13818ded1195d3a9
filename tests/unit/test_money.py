"""Amounts of money as people write them (portal.reporting.money)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.reporting import money


@pytest.mark.parametrize(("written", "pounds"), [
    ("450", "450"), ("450.00", "450"), ("£450", "450"), ("£1,200", "1200"), ("1,200.50", "1200.50"),
    ("1200", "1200"), ("£ 1,200.5", "1200.50"), ("0", "0"), ("10,000,000", "10000000"), ("£1,234,567.89", "1234567.89"),
])
def test_the_ways_people_write_money_are_read(written, pounds):
    assert money.parse_pounds(written) == Decimal(pounds)


@pytest.mark.parametrize(("written", "message"), [
    ("abc", money.NOT_AN_AMOUNT), ("1.2.3", money.NOT_AN_AMOUNT), ("12,00", money.NOT_AN_AMOUNT),
    ("1,2000", money.NOT_AN_AMOUNT), ("£", money.NOT_AN_AMOUNT), ("1.234", money.NOT_AN_AMOUNT),
    ("-5", money.NEGATIVE), ("-£5", money.NEGATIVE), ("£-5", money.NEGATIVE),
    ("10,000,000.01", money.TOO_MUCH), ("99999999999999999999", money.TOO_MUCH),
])
def test_amounts_that_cannot_be_read_say_what_is_wrong(written, message):
    with pytest.raises(money.MoneyError) as error:
        money.parse_pounds(written)
    assert str(error.value.message) == str(message)


@pytest.mark.parametrize(("kept", "seen", "pence"), [
    ("1200.50", "£1,200.50", 120050), ("450.00", "£450", 45000), ("£40.50", "£40.50", 4050), (None, None, None),
])
def test_a_kept_amount_is_shown_with_commas_and_counted_in_pence(kept, seen, pence):
    assert money.pence(kept) == pence
    if kept:
        assert money.shown(kept) == seen


@given(st.decimals(min_value=0, max_value=10_000_000, places=2))
def test_any_amount_shown_is_read_back_as_the_same_amount(amount):
    assert money.parse_pounds(money.shown(money.stored(amount))) == amount


@given(st.text(max_size=30))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        assert Decimal(0) <= money.parse_pounds(text) <= money.MAX_POUNDS
    except money.MoneyError as error:
        assert error.message in (money.NOT_AN_AMOUNT, money.NEGATIVE, money.TOO_MUCH)

"""The rules for an offer to be a peer supporter (portal.peers.services.check_answers), for any input: a first name
is letters only (never a phone number or an email address), at most 40 characters; every ticked value comes from
its list; contact details are one line of at most 200 characters."""

import string

from hypothesis import given
from hypothesis import strategies as st

from portal.domain import DomainError
from portal.peers.services import FIRST_NAME, OfferAnswers, check_answers

CATEGORIES = ["theft", "bicycle_theft", "criminal_damage"]
GOOD = OfferAnswers(categories=("theft",), languages=("en",), availability=("weekends",), delivery="online",
                    first_name="Sam", shared_contact=None)


def checked(answers: OfferAnswers):
    try:
        return check_answers(answers, CATEGORIES)
    except DomainError as error:
        return error


@given(st.text(max_size=80))
def test_a_first_name_is_letters_only_or_refused_on_its_question(name):
    result = checked(OfferAnswers(**{**GOOD.__dict__, "first_name": name}))
    if isinstance(result, DomainError):
        assert result.field == "first_name"
    else:
        assert FIRST_NAME.match(result["first_name"]) and len(result["first_name"]) <= 40
        assert not set(result["first_name"]) & set(string.digits + "@:/+")


@given(st.lists(st.text(max_size=20), max_size=4), st.lists(st.text(max_size=5), max_size=3),
       st.lists(st.text(max_size=20), max_size=3), st.text(max_size=12))
def test_ticked_values_come_from_their_lists(categories, languages, availability, delivery):
    answers = OfferAnswers(tuple(categories), tuple(languages), tuple(availability), delivery, "Sam")
    result = checked(answers)
    if isinstance(result, DomainError):
        assert result.field in ("categories", "languages", "availability", "delivery")
    else:
        assert result["categories"] and set(result["categories"]) <= set(CATEGORIES)
        assert result["availability"] and result["languages"]
        assert result["delivery"].value == delivery


@given(st.text(max_size=260))
def test_contact_details_are_one_short_line(contact):
    result = checked(OfferAnswers(**{**GOOD.__dict__, "shared_contact": contact}))
    if isinstance(result, DomainError):
        assert result.field == "shared_contact"
    else:
        kept = result["shared_contact"] or ""
        assert len(kept) <= 200 and "\n" not in kept and "\x00" not in kept


def test_the_good_answers_pass_and_an_address_as_a_name_does_not():
    assert check_answers(GOOD, CATEGORIES)["first_name"] == "Sam"
    assert checked(OfferAnswers(**{**GOOD.__dict__, "first_name": "sam@example.org"})).field == "first_name"
    assert checked(OfferAnswers(**{**GOOD.__dict__, "shared_contact": "07700\n900123"})).field == "shared_contact"
    assert checked(OfferAnswers(**{**GOOD.__dict__, "first_name": "  Anna   Maria "})) == {
        **check_answers(GOOD, CATEGORIES), "first_name": "Anna Maria"}

"""Issue 20: a witness is written to by their safe channels. Email to their account unless they say otherwise; a
text message to a UK mobile, or a letter to their name and postal address, when those are what is safe; the
hearing reminders, hearing changes and witness care's replies all follow the choice, in neutral words."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import WitnessLink
from portal.extensions import db
from portal.notifications.models import Channel, OutboxMessage
from tests.conftest import new_user, sign_in_as
from tests.integration.test_hearing_reminders import run_at, starts
from tests.integration.test_witness_tasks import hearing, hearing_world  # noqa: F401 - the fixtures
from tests.pagecheck import assert_good_page

LETTER = {"channels": ["letter"], "contact_name": "Alex Witness", "address_line_1": "12 Station Road",
          "address_town": "London", "address_postcode": "n17 6aa"}


def to_witness(app, world) -> list[OutboxMessage]:
    """Every message queued to the witness (by email address, mobile number or name), oldest first."""
    with app.app_context():
        email = db.session.get(User, world["people"]["witness"].id).email
        found = list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient.in_([email, "07700900982", "Alex Witness"])).order_by(OutboxMessage.id)))
        for message in found:
            db.session.expunge(message)
        return found


def contact(world, data: dict):
    return world["clients"]["witness"].post(f"/cases/{world['number']}/witness-contact", data=data)


def test_the_witness_chooses_texts_and_every_message_follows(app, hearing):  # noqa: F811 - the fixture
    number = hearing["number"]
    page = hearing["clients"]["witness"].get(f"/cases/{number}/witness-contact")
    assert_good_page(page)
    assert 'value="email" checked' in page.get_data(as_text=True)  # email until they say otherwise
    assert f"/cases/{number}/witness-contact" in hearing["clients"]["witness"].get(f"/cases/{number}").get_data(
        as_text=True)
    saved = contact(hearing, {"channels": ["text"], "mobile_number": "07700 900982"})
    assert saved.status_code == 302 and saved.headers["Location"] == f"/cases/{number}"
    before = len(to_witness(app, hearing))

    start = starts(app, hearing)
    assert run_at(app, start - timedelta(days=7) + timedelta(minutes=1)) == 2  # both witnesses
    sent = to_witness(app, hearing)[before:]
    assert [(m.channel, m.recipient, m.template) for m in sent] == [(Channel.TEXT, "07700900982", "hearing_reminder")]
    for words in (number, "court", "Wood Green", "witness", "police"):
        assert words.lower() not in sent[0].body_text.lower()

    # Witness care's reply goes by text too.
    care = app.test_client()
    sign_in_as(care, _witness_care(app))
    with app.app_context():
        link_id = db.session.scalar(select(WitnessLink.id).where(
            WitnessLink.witness_user_id == hearing["people"]["witness"].id))
    assert care.post(f"/staff/cases/{number}/witnesses/{link_id}/messages",
                     data={"body": "We have booked the quiet room for you."}).status_code == 302
    latest = to_witness(app, hearing)[-1]
    assert (latest.channel, latest.template) == (Channel.TEXT, "new_message")
    assert "quiet room" not in latest.body_text


def _witness_care(app) -> User:
    return new_user(app, Role.WITNESS_CARE)


def test_a_letter_goes_to_the_name_and_address_given_and_a_hearing_change_follows(app, hearing):  # noqa: F811
    assert contact(hearing, LETTER).status_code == 302
    with app.app_context():
        link = db.session.scalar(select(WitnessLink).where(
            WitnessLink.witness_user_id == hearing["people"]["witness"].id))
        assert (link.safe_channels, link.contact_name, link.contact_address_postcode) == \
            (["letter"], "Alex Witness", "N17 6AA")
    assert run_at(app, starts(app, hearing) - timedelta(days=7) + timedelta(minutes=1)) == 2
    reminder = to_witness(app, hearing)[-1]
    assert (reminder.channel, reminder.template) == (Channel.LETTER, "hearing_reminder")
    assert "You have a date coming up" in reminder.body_text and "court" not in reminder.body_text.lower()
    assert hearing["clients"]["officer"].post(
        f"/staff/cases/{hearing['number']}/hearings/{hearing['event_id']}",
        data={"change": "adjourned"}).status_code == 302
    letter = to_witness(app, hearing)[-1]
    assert (letter.channel, letter.template) == (Channel.LETTER, "case_update")
    assert "12 Station Road" in letter.postal_address and "N17 6AA" in letter.postal_address
    # Email is no longer safe: nothing more goes to the account's address.
    assert all(m.channel != Channel.EMAIL for m in to_witness(app, hearing) if m.template == "case_update")


@pytest.mark.parametrize(("data", "error"), [
    ({}, "Select at least one safe way to contact you"),
    ({"channels": ["text"], "mobile_number": "020 7946 0000"}, "Enter a UK mobile number, like 07700 900982"),
    ({"channels": ["letter"], "address_line_1": "12 Station Road", "address_town": "London",
      "address_postcode": "N17 6AA"}, "Enter your full name"),
    ({"channels": ["letter"], "contact_name": "Alex Witness"}, "Enter address line 1"),
    ({"channels": ["pigeon"]}, "Select at least one safe way to contact you"),
])
def test_a_choice_that_cannot_work_is_explained_and_kept(app, hearing, data, error):  # noqa: F811
    response = contact(hearing, data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert error in html and "govuk-error-summary" in html
    for value in (v for v in data.values() if isinstance(v, str)):
        assert value in html  # what was typed is still there
    with app.app_context():
        assert db.session.scalar(select(WitnessLink.safe_channels).where(
            WitnessLink.witness_user_id == hearing["people"]["witness"].id)) is None

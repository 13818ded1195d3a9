"""Issue 18: every message to the person who reported goes by a channel they said is safe, chosen once, in the
outbox gate: email, else a text message to a UK mobile, else a letter to their postal address; when none of those
can be used, a call task. A message refused for good goes by the next safe channel, or becomes a call task, and
staff see it on the case. Quiet hours hold texts and letters as they hold emails."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import LONDON, utcnow
from portal.extensions import db
from portal.notifications import devbox
from portal.notifications.delivery import deliver_pending
from portal.notifications.models import Channel, OutboxMessage, OutboxStatus
from portal.notifications.notify import Undeliverable
from portal.notifications.services import notify_victim
from portal.tasks.enums import TaskType
from portal.tasks.models import Task
from portal.tasks.services import claim_task, finish_task
from tests.conftest import outbox_rows
from tests.pagecheck import assert_good_page
from tests.triage_helpers import make_report
from tests.wizard import BIKE_THEFT, error_messages, steps_with, walk

MOBILE = "07700 900982"


@pytest.fixture
def mailbox(app, tmp_path, monkeypatch):
    """Texts and letters go to a mailbox folder of this test's own."""
    monkeypatch.setitem(app.config, "DEV_MAILBOX_DIR", str(tmp_path))
    return tmp_path


def _report(app, crime_number: str) -> Report:
    return db.session.scalar(select(Report).where(Report.crime_number == crime_number))


def _notify(app, crime_number: str, times: int = 1) -> None:
    """Tell the person there is an update, as a case change would."""
    with app.app_context():
        for _ in range(times):
            notify_victim(_report(app, crime_number))
        db.session.commit()


def _call_tasks(app, crime_number: str) -> list[Task]:
    with app.app_context():
        report = _report(app, crime_number)
        return db.session.scalars(select(Task).where(Task.report_id == report.id,
                                                     Task.type == TaskType.CONTACT_OFFLINE)).all()


def test_text_only_people_get_every_message_as_a_text_and_no_email(app, mailbox):
    number = make_report(app, safe_channels=["text"], contact_phone=MOBILE)
    _notify(app, number, times=2)
    rows = outbox_rows(app)
    assert [(m.channel, m.recipient, m.template) for m in rows] == [
        (Channel.TEXT, "07700900982", "report_received"),
        (Channel.TEXT, "07700900982", "case_update"),
        (Channel.TEXT, "07700900982", "case_update")]
    with app.app_context():
        assert deliver_pending().sent == 3
    texts = sorted(mailbox.glob("*.sms"))
    assert len(texts) == 3 and not list(mailbox.glob("*.eml"))
    assert all("To: 07700900982" in path.read_text() for path in texts)
    assert all(number not in path.read_text() for path in texts)  # no crime number: they did not ask for it
    assert _call_tasks(app, number) == []


def test_letter_only_people_get_letters_at_their_address(app, mailbox):
    number = make_report(app, safe_channels=["letter"])
    _notify(app, number)
    rows = outbox_rows(app)
    assert [(m.channel, m.recipient, m.postal_address) for m in rows] == [
        (Channel.LETTER, "Sam Victim", "10 Station Road\nLondon\nNW1 2DB")] * 2
    with app.app_context():
        assert deliver_pending().sent == 2
    letters = list(mailbox.glob("*.pdf"))
    assert len(letters) == 2 and all(path.read_bytes().startswith(b"%PDF") for path in letters)


def test_email_goes_first_when_several_channels_are_safe(app, mailbox):
    number = make_report(app, safe_channels=["letter", "text", "email"], contact_phone=MOBILE)
    assert [m.channel for m in outbox_rows(app)] == [Channel.EMAIL]
    assert _call_tasks(app, number) == []


def test_phone_only_people_get_a_call_task_for_each_thing_to_tell_them_and_no_message(app, make_user):
    number = make_report(app, safe_channels=["phone"], contact_phone=MOBILE)
    assert outbox_rows(app) == []
    [first] = _call_tasks(app, number)
    _notify(app, number)  # a second update while the first call is still owed: one task is enough
    assert len(_call_tasks(app, number)) == 1
    officer = make_user(Role.OFFICER)
    with app.app_context():
        officer = db.session.merge(officer)
        claim_task(officer, first.id)
        finish_task(officer, first.id, True, "Called and told them.")
    _notify(app, number)  # a new update after that call: someone must call again
    tasks = _call_tasks(app, number)
    assert len(tasks) == 2 and outbox_rows(app) == []


def test_quiet_hours_hold_texts_too(app, mailbox):
    number = make_report(app, safe_channels=["text"], contact_phone=MOBILE)
    now = utcnow()
    hour = now.astimezone(LONDON).hour
    with app.app_context():
        report = _report(app, number)
        report.quiet_from_hour, report.quiet_until_hour = hour, (hour + 2) % 24
        db.session.query(OutboxMessage).delete()
        db.session.commit()
    _notify(app, number)
    [held] = outbox_rows(app)
    opens = held.next_attempt_at.astimezone(LONDON)
    assert held.channel == Channel.TEXT and (opens.hour, opens.minute) == ((hour + 2) % 24, 0)
    with app.app_context():
        assert deliver_pending(now).sent == 0
        assert deliver_pending(held.next_attempt_at + timedelta(seconds=1)).sent == 1
    assert len(list(mailbox.glob("*.sms"))) == 1


def test_the_crime_number_goes_in_the_confirmation_text_when_asked_and_nowhere_else(app, mailbox):
    number = make_report(app, safe_channels=["text"], contact_phone=MOBILE, crime_number_in_confirmation="y")
    _notify(app, number)
    confirmation, update = outbox_rows(app)
    assert confirmation.template == "report_received" and number in confirmation.body_text
    assert update.template == "case_update" and number not in update.body_text


def test_the_neutral_choice_changes_the_sender_and_the_words_of_a_text(app, mailbox):
    plain = make_report(app, safe_channels=["text"], contact_phone=MOBILE, neutral_sender="no")
    neutral = make_report(app, safe_channels=["text"], contact_phone="07700 900983", neutral_sender="yes")
    with app.app_context():
        deliver_pending()
    texts = {path.read_text().split("\n")[1]: path.read_text() for path in mailbox.glob("*.sms")}
    service = app.config["SERVICE_NAME"]
    assert texts["To: 07700900982"].startswith(f"From: {service}\n") and service in texts["To: 07700900982"]
    assert texts["To: 07700900983"].startswith(f"From: {app.config['NEUTRAL_SERVICE_NAME']}\n")
    assert service not in texts["To: 07700900983"] and "police" not in texts["To: 07700900983"].lower()
    assert plain != neutral


def _refuse(channel: Channel, monkeypatch) -> None:
    """The provider refuses every message of this channel for good."""
    real = devbox.save

    def save(message, pdf=None):
        if message.channel is channel:
            raise Undeliverable("Not a UK mobile number")
        return real(message, pdf)
    monkeypatch.setattr(devbox, "save", save)


def test_a_text_refused_for_good_goes_again_as_a_letter_and_staff_see_it(app, client, signed_in, mailbox,
                                                                          monkeypatch):
    number = make_report(app, safe_channels=["text", "letter"], contact_phone=MOBILE)
    _refuse(Channel.TEXT, monkeypatch)
    with app.app_context():
        deliver_pending()
        deliver_pending()
    failed, letter = outbox_rows(app)
    assert (failed.channel, failed.status) == (Channel.TEXT, OutboxStatus.FAILED)
    assert (letter.channel, letter.status, letter.replaces_id) == (Channel.LETTER, OutboxStatus.SENT, failed.id)
    assert letter.template == "report_received"
    assert len(list(mailbox.glob("*.pdf"))) == 1 and _call_tasks(app, number) == []
    signed_in(Role.OFFICER)
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    assert "A text message could not be delivered" in page and "It was sent again by letter." in page


def test_when_every_channel_is_refused_someone_is_asked_to_call(app, mailbox, monkeypatch):
    number = make_report(app, safe_channels=["text", "letter", "phone"], contact_phone=MOBILE)
    _refuse(Channel.TEXT, monkeypatch)
    _refuse(Channel.LETTER, monkeypatch)
    with app.app_context():
        for _ in range(3):
            deliver_pending()
    assert [(m.channel, m.status) for m in outbox_rows(app)] == [
        (Channel.TEXT, OutboxStatus.FAILED), (Channel.LETTER, OutboxStatus.FAILED)]
    assert len(_call_tasks(app, number)) == 1


# Asking for a number that can receive texts -----------------------------------------------------------------------

def test_the_report_asks_for_a_uk_mobile_before_offering_texts(app, client):
    def up_to_safe_contact(phone: str, channels: list[str]):
        steps = steps_with({"contact": {**dict(BIKE_THEFT)["contact"], "contact_phone": phone},
                            "safe-contact": {**dict(BIKE_THEFT)["safe-contact"], "safe_channels": channels}})
        slugs = [slug for slug, _data in steps]
        walk(client, steps[: slugs.index("safe-contact")])
        return client.post("/report/safe-contact", data=dict(steps)["safe-contact"])

    refused = up_to_safe_contact("020 7946 0018", ["text"])
    assert refused.status_code == 200
    assert error_messages(refused) == ["Error: To get text messages, go back and enter a UK mobile number, or select "
                                       "another safe way to contact you"]
    assert up_to_safe_contact("020 7946 0018", ["phone"]).status_code == 302
    assert up_to_safe_contact("+44 7700 900982", ["text"]).status_code == 302


PREFERENCES = {"every_days": "14", "channels": ["text"], "voicemail": "no", "neutral_sender": "yes",
               "quiet_from": "", "quiet_until": ""}


def test_preferences_ask_for_a_mobile_number_under_text_and_texts_then_go_there(app, client, signed_in, mailbox):
    victim = signed_in(Role.VICTIM)
    number = make_report(app, user=victim)
    path = f"/cases/{number}/preferences"
    page = client.get(path)
    assert_good_page(page)
    assert 'name="mobile_number"' in page.get_data(as_text=True)
    refused = client.post(path, data={**PREFERENCES, "mobile_number": "020 7946 0018"})
    assert error_messages(refused) == ["Error: Enter a UK mobile number, like 07700 900982"]
    assert 'value="020 7946 0018"' in refused.get_data(as_text=True)  # nothing typed is lost
    assert error_messages(client.post(path, data=PREFERENCES)) == ["Error: Enter a UK mobile number, like 07700 900982"]
    assert client.post(path, data={**PREFERENCES, "mobile_number": " 07700  900982 "}).status_code == 302
    with app.app_context():
        report = _report(app, number)
        assert (report.safe_channels, report.contact_phone) == (["text"], "07700 900982")
        db.session.query(OutboxMessage).delete()
        db.session.commit()
    _notify(app, number)
    assert [(m.channel, m.recipient) for m in outbox_rows(app)] == [(Channel.TEXT, "07700900982")]
    assert 'value="07700 900982"' in client.get(path).get_data(as_text=True)

"""Issue 18: GOV.UK Notify, tested with the real client (notifications-python-client) against a fake Notify on
loopback (tests/fake_notify.py) that checks its tokens and payloads as Notify does, and delivery receipts coming
back through POST /notify/receipts."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from werkzeug.serving import make_server

from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.clock import utcnow
from portal.extensions import db
from portal.notifications import receipts
from portal.notifications.delivery import deliver_pending
from portal.notifications.models import Channel, OutboxMessage, OutboxStatus, Receipt
from portal.tasks.enums import TaskType
from portal.tasks.models import Task
from tests.conftest import free_port, sign_in_as
from tests.fake_notify import FakeNotify
from tests.triage_helpers import make_report

MOBILE = "07700 900982"
TOKEN = "receipts-token-0123456789abcdef"
RECEIPTS = "/notify/receipts"


@pytest.fixture
def fake_notify():
    """A fake GOV.UK Notify on loopback for this test."""
    fake = FakeNotify().start()
    yield fake
    fake.stop()


@pytest.fixture
def notify_app(make_app, fake_notify):
    """The portal with both Notify services' keys pointing at the fake, and a callback token."""
    return make_app(**fake_notify.settings(), NOTIFY_CALLBACK_TOKEN=TOKEN, MAIL_TIMEOUT_SECONDS=5)


def _deliver(app, **kwargs):
    with app.app_context():
        return deliver_pending(**kwargs)


def _messages(app, crime_number: str) -> list[OutboxMessage]:
    """The report's messages, oldest first, detached."""
    with app.app_context():
        report_id = db.session.scalar(select(Report.id).where(Report.crime_number == crime_number))
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.report_id == report_id)
                                  .order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(rows)


def _call_tasks(app, crime_number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Task.id)).join(Report, Task.report_id == Report.id).where(
            Report.crime_number == crime_number, Task.type == TaskType.CONTACT_OFFLINE))


def _timeline_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(TimelineEvent.id)))


def _post_receipt(app, body, token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return app.test_client().post(RECEIPTS, json=body, headers=headers)


# --- sending --------------------------------------------------------------------------------------------------


def test_email_text_and_letter_go_through_the_service_each_person_chose(notify_app, fake_notify):
    """Each message reaches the fake by the channel its person chose, through the usual or the neutral service
    (a neutral text from the neutral sender id), with the delivery key as its reference; Notify's id is kept."""
    by_email = make_report(notify_app, safe_channels=["email"], neutral_sender="no")
    by_text = make_report(notify_app, safe_channels=["text"], contact_phone=MOBILE, neutral_sender="yes")
    by_letter = make_report(notify_app, safe_channels=["letter"], neutral_sender="no")

    assert (_deliver(notify_app).sent, len(fake_notify.accepted)) == (3, 3)

    neutral = fake_notify.services["neutral"]
    expected = {by_email: ("usual", "email", "sam@example.org"), by_text: ("neutral", "sms", "07700900982"),
                by_letter: ("usual", "letter", "Provided as PDF")}
    for number, (service, kind, to) in expected.items():
        [message] = _messages(notify_app, number)
        [accepted] = fake_notify.by_reference(message.delivery_key)
        assert (accepted.service, accepted.kind, accepted.to) == (service, kind, to)
        assert message.status == OutboxStatus.SENT and message.provider_id == accepted.id
    [text] = fake_notify.by_reference(_messages(notify_app, by_text)[0].delivery_key)
    assert text.payload["sms_sender_id"] == neutral.sms_sender_id
    assert text.payload["template_id"] == neutral.sms_template_id
    [email] = fake_notify.by_reference(_messages(notify_app, by_email)[0].delivery_key)
    assert set(email.payload["personalisation"]) == {"subject", "body"}
    assert email.payload["personalisation"]["subject"] == "Thank you for getting in touch"


def test_a_neutral_email_never_goes_through_the_usual_service(notify_app, fake_notify):
    make_report(notify_app, safe_channels=["email"], neutral_sender="yes")
    assert _deliver(notify_app).sent == 1
    assert [(one.service, one.payload["template_id"]) for one in fake_notify.accepted] == [
        ("neutral", fake_notify.services["neutral"].email_template_id)]


@pytest.mark.parametrize("outage", ["errors", "refuses connections"])
def test_provider_down_then_back_loses_nothing_and_sends_each_message_once(notify_app, fake_notify, outage):
    """While Notify is down every message stays pending, waiting longer each time; once it is back, each is
    accepted exactly once."""
    numbers = [make_report(notify_app, safe_channels=["email"]),
               make_report(notify_app, safe_channels=["text"], contact_phone=MOBILE),
               make_report(notify_app, safe_channels=["letter"])]
    if outage == "errors":
        fake_notify.down = True
    else:
        fake_notify.stop()

    now = utcnow()
    assert _deliver(notify_app, now=now).failed == 3
    first = [_messages(notify_app, number)[0] for number in numbers]
    assert all(m.status == OutboxStatus.PENDING and m.last_error and m.attempts == 1 for m in first)
    assert _deliver(notify_app, now=now).failed == 0  # not due again yet: Notify is not hammered
    later = now + timedelta(minutes=10)
    assert _deliver(notify_app, now=later).failed == 3
    second = [_messages(notify_app, number)[0] for number in numbers]
    assert all(m.attempts == 2 for m in second)
    assert all(b.next_attempt_at - later > a.next_attempt_at - now for a, b in zip(first, second, strict=True))
    assert fake_notify.accepted == []

    if outage == "errors":
        fake_notify.down = False
    else:
        fake_notify.start()
    assert _deliver(notify_app, now=now + timedelta(hours=2)).sent == 3
    assert _deliver(notify_app, now=now + timedelta(hours=4)).sent == 0
    for number in numbers:
        [message] = _messages(notify_app, number)
        assert message.status == OutboxStatus.SENT and message.last_error is None
        assert len(fake_notify.by_reference(message.delivery_key)) == 1
    assert len(fake_notify.accepted) == 3


def test_a_number_notify_refuses_falls_back_to_a_letter_and_staff_see_it(notify_app, fake_notify, make_user):
    number = make_report(notify_app, safe_channels=["text", "letter"], contact_phone="07700 900123",
                         neutral_sender="no")
    fake_notify.refuse("07700900123")
    assert _deliver(notify_app).failed == 1
    text, letter = _messages(notify_app, number)
    assert (text.channel, text.status) == (Channel.TEXT, OutboxStatus.FAILED)
    assert "Not a UK mobile number" in text.last_error
    assert (letter.channel, letter.status, letter.replaces_id) == (Channel.LETTER, OutboxStatus.PENDING, text.id)

    assert _deliver(notify_app).sent == 1
    assert [(one.kind, one.reference) for one in fake_notify.accepted] == [("letter", letter.delivery_key)]
    client = notify_app.test_client()
    sign_in_as(client, make_user(Role.OFFICER))
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    assert "A text message could not be delivered" in page and "It was sent again by letter." in page
    assert _call_tasks(notify_app, number) == 0


def test_a_refused_number_with_no_other_safe_channel_becomes_a_call_task(notify_app, fake_notify):
    number = make_report(notify_app, safe_channels=["text", "phone"], contact_phone="07700 900123")
    fake_notify.refuse("07700900123")
    _deliver(notify_app)
    [text] = _messages(notify_app, number)
    assert text.status == OutboxStatus.FAILED
    assert _call_tasks(notify_app, number) == 1


def test_a_key_notify_does_not_accept_keeps_the_message_waiting(make_app, fake_notify):
    """The fake checks the client's token as Notify does: a key with the wrong secret is refused (403), and the
    portal keeps the message to send again, rather than giving up on the person's address."""
    settings = fake_notify.settings()
    usual = fake_notify.services["usual"]
    settings["NOTIFY_API_KEY"] = settings["NOTIFY_API_KEY"].replace(usual.secret, "0" * 8 + usual.secret[8:])
    app = make_app(**settings)
    number = make_report(app, safe_channels=["email", "letter"], neutral_sender="no")
    assert _deliver(app).failed == 1
    [email] = _messages(app, number)
    assert email.status == OutboxStatus.PENDING and "403" in email.last_error
    assert fake_notify.accepted == [] and fake_notify.requests == 1


def test_a_template_notify_does_not_know_is_retried_not_taken_as_a_bad_number(make_app, fake_notify):
    """A wrong template id (a configuration mistake, Notify's 400 BadRequestError) must not make the person's
    number count as unusable: the message waits, to be sent once the configuration is fixed."""
    settings = {**fake_notify.settings(), "NOTIFY_NEUTRAL_SMS_TEMPLATE_ID": "00000000-0000-4000-8000-000000000000"}
    app = make_app(**settings)
    number = make_report(app, safe_channels=["text", "letter"], contact_phone=MOBILE, neutral_sender="yes")
    _deliver(app)
    [text] = _messages(app, number)
    assert text.status == OutboxStatus.PENDING


# --- receipts ---------------------------------------------------------------------------------------------------


def _sent_text(app, fake, **report) -> tuple[str, OutboxMessage]:
    """A report whose confirmation went as a text, accepted by the fake."""
    number = make_report(app, **{"safe_channels": ["text", "letter"], "contact_phone": MOBILE, **report})
    assert _deliver(app).sent == 1
    [message] = _messages(app, number)
    return number, message


def test_a_delivered_receipt_is_stored(notify_app, fake_notify):
    number, _message = _sent_text(notify_app, fake_notify)
    [receipt] = fake_notify.receipts()
    response = _post_receipt(notify_app, receipt)
    assert response.status_code == 200
    [message] = _messages(notify_app, number)
    assert (message.status, message.receipt) == (OutboxStatus.SENT, Receipt.DELIVERED)
    assert message.receipt_at is not None


def test_a_permanent_failure_receipt_for_a_text_sends_a_letter_once(notify_app, fake_notify):
    number, _message = _sent_text(notify_app, fake_notify)
    fake_notify.fail_next("07700900982", "permanent-failure")
    [receipt] = fake_notify.receipts()
    assert _post_receipt(notify_app, receipt).status_code == 200
    text, letter = _messages(notify_app, number)
    assert (text.status, text.receipt) == (OutboxStatus.FAILED, Receipt.PERMANENT_FAILURE)
    assert (letter.channel, letter.replaces_id, letter.template) == (Channel.LETTER, text.id, "report_received")
    events = _timeline_count(notify_app)

    repeat = _post_receipt(notify_app, receipt)  # Notify may send the same receipt again
    assert repeat.status_code == 200 and repeat.get_json() == {"result": "already stored"}
    assert len(_messages(notify_app, number)) == 2 and _timeline_count(notify_app) == events

    assert _deliver(notify_app).sent == 1
    assert [one.kind for one in fake_notify.accepted] == ["sms", "letter"]


def test_two_copies_of_a_failure_receipt_arriving_together_fall_back_once(notify_app, fake_notify):
    """The second copy read the message as sent before the first moved it: its conditional update finds nothing."""
    number, message = _sent_text(notify_app, fake_notify)
    with notify_app.app_context():
        stale = db.session.get(OutboxMessage, message.id)
        assert stale.status == OutboxStatus.SENT
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id)  # the first copy's work
                           .values(status=OutboxStatus.FAILED).execution_options(synchronize_session=False))
        assert receipts._apply(stale, Receipt.PERMANENT_FAILURE) is True  # the receipt is stored ...
        db.session.commit()
    assert len(_messages(notify_app, number)) == 1  # ... but no second letter


def test_a_temporary_failure_for_the_last_channel_raises_a_call_task(notify_app, fake_notify):
    number, _message = _sent_text(notify_app, fake_notify, safe_channels=["text"])
    [accepted] = fake_notify.accepted
    assert _post_receipt(notify_app, fake_notify.receipt(accepted, "temporary-failure")).status_code == 200
    [text] = _messages(notify_app, number)
    assert (text.status, text.receipt) == (OutboxStatus.FAILED, Receipt.TEMPORARY_FAILURE)
    assert _call_tasks(notify_app, number) == 1


@pytest.mark.parametrize("status", ["validation-failed", "virus-scan-failed"])
def test_a_letter_notify_will_not_print_falls_back_to_a_call(notify_app, fake_notify, status):
    """Notify refuses to print a precompiled letter (our PDF broke its rules, or failed its virus scan): the person
    will not get it, so with no other safe channel left someone is asked to call."""
    number = make_report(notify_app, safe_channels=["letter", "phone"])
    assert _deliver(notify_app).sent == 1
    [accepted] = fake_notify.accepted
    assert _post_receipt(notify_app, fake_notify.receipt(accepted, status)).status_code == 200
    [letter] = _messages(notify_app, number)
    assert (letter.channel.value, letter.status, letter.receipt.value) == ("letter", OutboxStatus.FAILED, status)
    assert _call_tasks(notify_app, number) == 1


def test_a_technical_failure_sends_again_by_the_same_channel(notify_app, fake_notify):
    """Notify's own failure is not the person's: the same message (same delivery key) goes again later."""
    number, message = _sent_text(notify_app, fake_notify)
    [first] = fake_notify.accepted
    assert _post_receipt(notify_app, fake_notify.receipt(first, "technical-failure")).status_code == 200
    [again] = _messages(notify_app, number)
    assert (again.status, again.receipt) == (OutboxStatus.PENDING, Receipt.TECHNICAL_FAILURE)
    assert _deliver(notify_app, now=utcnow() + timedelta(hours=1)).sent == 1
    assert [one.reference for one in fake_notify.accepted] == [message.delivery_key] * 2
    # The first attempt's receipt, repeated late, names an id that is no longer the message's: ignored.
    assert _post_receipt(notify_app, fake_notify.receipt(first, "technical-failure")).status_code == 200
    [sent] = _messages(notify_app, number)
    assert sent.status == OutboxStatus.SENT and sent.provider_id == fake_notify.accepted[1].id


def test_a_receipt_with_a_wrong_or_missing_token_is_refused_and_stores_nothing(notify_app, fake_notify):
    number, _message = _sent_text(notify_app, fake_notify)
    fake_notify.fail_next("07700900982")
    [receipt] = fake_notify.receipts()
    for token in ("wrong-token", TOKEN + "x", TOKEN[:-1], "tökén", "", None):
        response = _post_receipt(notify_app, receipt, token=token)
        assert response.status_code == 401
        assert response.get_json() == {"error": "unauthorised"}
    response = notify_app.test_client().post(RECEIPTS, json=receipt, headers={"Authorization": TOKEN})
    assert response.status_code == 401  # the token alone, without the Bearer scheme
    [message] = _messages(notify_app, number)
    assert (message.status, message.receipt) == (OutboxStatus.SENT, None)


def test_without_a_callback_token_the_route_does_not_exist(make_app, fake_notify):
    app = make_app(**fake_notify.settings())
    response = app.test_client().post(RECEIPTS, json={"id": "x", "status": "delivered"},
                                      headers={"Authorization": "Bearer None"})
    assert response.status_code == 404


def test_a_receipt_for_a_message_the_portal_never_sent_is_not_found(notify_app):
    response = _post_receipt(notify_app, {"id": "8e222534-7f05-4972-86e3-17c5d9f894e2", "reference": None,
                                          "status": "delivered", "notification_type": "sms"})
    assert response.status_code == 404


@pytest.mark.parametrize("body", [
    None, [], "delivered", 7, {}, {"status": "delivered"}, {"id": 5, "status": "delivered"},
    {"id": ["x"], "status": "delivered"}, {"id": "x" * 100_000, "status": "delivered"},
    {"id": "x", "status": {"$ne": 1}}, {"reference": {"a": 1}, "status": "delivered"},
    {"id": "\x00' OR 1=1 --", "reference": "\ud800", "status": "delivered"},
])
def test_a_hostile_or_malformed_body_never_causes_a_server_error(notify_app, fake_notify, body):
    number, _message = _sent_text(notify_app, fake_notify)
    if body is None:
        response = notify_app.test_client().post(RECEIPTS, data=b"{not json", content_type="application/json",
                                                 headers={"Authorization": f"Bearer {TOKEN}"})
    else:
        response = _post_receipt(notify_app, body)
    assert response.status_code in (400, 404)
    [message] = _messages(notify_app, number)
    assert (message.status, message.receipt) == (OutboxStatus.SENT, None)


def test_a_status_that_is_not_a_receipt_is_not_stored(notify_app, fake_notify):
    number, _message = _sent_text(notify_app, fake_notify)
    [accepted] = fake_notify.accepted
    assert _post_receipt(notify_app, fake_notify.receipt(accepted, "sending")).status_code == 200
    [message] = _messages(notify_app, number)
    assert (message.status, message.receipt) == (OutboxStatus.SENT, None)


def test_wrong_tokens_are_rate_limited(make_app, fake_notify):
    app = make_app(**fake_notify.settings(), NOTIFY_CALLBACK_TOKEN=TOKEN, NOTIFY_CALLBACK_RATE_LIMIT="3 per hour")
    client = app.test_client()
    statuses = [client.post(RECEIPTS, json={}, headers={"Authorization": f"Bearer guess{n}"}).status_code
                for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_receipts_are_not_rate_limited_for_the_right_token(make_app, fake_notify):
    app = make_app(**fake_notify.settings(), NOTIFY_CALLBACK_TOKEN=TOKEN, NOTIFY_CALLBACK_RATE_LIMIT="2 per hour")
    client = app.test_client()
    statuses = {client.post(RECEIPTS, json={"id": f"{n}", "status": "delivered"},
                            headers={"Authorization": f"Bearer {TOKEN}"}).status_code for n in range(5)}
    assert statuses == {404}


@pytest.mark.commits
def test_the_fake_posts_receipts_to_the_running_portal(make_app, fake_notify):
    """End to end over HTTP: the portal sends through the fake, the fake calls the portal's callback."""
    app = make_app(**fake_notify.settings(), NOTIFY_CALLBACK_TOKEN=TOKEN)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        number = make_report(app, safe_channels=["text", "letter"], contact_phone=MOBILE)
        assert _deliver(app).sent == 1
        fake_notify.fail_next("07700900982")
        assert fake_notify.send_receipts(f"http://127.0.0.1:{port}{RECEIPTS}", TOKEN) == [200]
        assert _deliver(app).sent == 1
        assert fake_notify.send_receipts(f"http://127.0.0.1:{port}{RECEIPTS}", TOKEN) == [200]
        [first] = fake_notify.accepted[:1]
        assert fake_notify.post_receipt(f"http://127.0.0.1:{port}{RECEIPTS}", "wrong",
                                        fake_notify.receipt(first, "delivered")) == 401
        text, letter = _messages(app, number)
        assert (text.status, text.receipt) == (OutboxStatus.FAILED, Receipt.PERMANENT_FAILURE)
        assert (letter.status, letter.receipt) == (OutboxStatus.SENT, Receipt.DELIVERED)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

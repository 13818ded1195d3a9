"""`/track`: following a case with its crime number and a code sent to a safe email or mobile number it holds.

The same page whatever the crime number; a code that works once, for 15 minutes and 5 wrong tries; at most 5 codes
a day per case and 20 requests an hour per address; a view that ends after 30 minutes idle and 2 hours in all;
asking for a call; every use audited; guests' messages linking to /track; and the code gone from the stored
message once sent.
"""

import hashlib
import hmac
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases.crime_numbers import format_crime_number
from portal.cases.models import Report, TimelineEvent
from portal.clock import utcnow
from portal.extensions import db, limiter
from portal.notifications.delivery import deliver_pending
from portal.notifications.models import Channel, OutboxMessage
from portal.secret_paths import CODE_REMOVED, remove_secrets
from portal.tasks.enums import Asker, TaskType
from portal.tasks.models import Task
from portal.track.models import TrackingCode
from tests.i18n_walk import untranslated, world_data
from tests.pagecheck import assert_good_page, h1_text
from tests.triage_helpers import make_report

WRONG = "The code is wrong or has expired"
SENT = "If the crime number is right and we have a safe email address or mobile number for it, we have sent a code"


@pytest.fixture(autouse=True)
def fresh_limits(app):
    """Rate limits are counted per address across the run: each test here starts with none."""
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def clock(monkeypatch):
    """Move the tracking modules' clock: clock.move(minutes=16)."""

    class Clock:
        now = utcnow()

        def move(self, **delta) -> None:
            self.now = self.now + timedelta(**delta)

    moved = Clock()
    for module in ("portal.track.services", "portal.track.views"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: moved.now)
    return moved


def guest_report(app, **answers) -> str:
    """A report with no account, with an email address of its own (messages are told apart by recipient)."""
    guest_report.made = getattr(guest_report, "made", 0) + 1
    return make_report(app, **{"contact_email": f"guest{guest_report.made}@example.org", **answers})


def unknown_crime_number(app) -> str:
    return format_crime_number(app.config["CRIME_NUMBER_PREFIX"], utcnow().year % 100, 9_999_999)


def codes_sent(app, crime_number: str) -> list[OutboxMessage]:
    """The code messages sent for this case, oldest first (found by their recipient's case)."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        recipients = {report.contact_email, report.contact_phone and re.sub(r"\D", "", report.contact_phone)}
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "tracking_code")
                                  .order_by(OutboxMessage.id)).all()
        return [row for row in rows if row.recipient in recipients]


def latest_code(app, crime_number: str) -> str:
    return re.search(r"(?<![0-9])([0-9]{6})(?![0-9])", codes_sent(app, crime_number)[-1].body_text).group(1)


def ask_for_code(client, crime_number: str):
    return client.post("/track", data={"crime_number": crime_number})


def open_case(app, client, crime_number: str):
    """Ask for a code and enter it: the response to the code."""
    ask_for_code(client, crime_number)
    return client.post("/track/code", data={"code": latest_code(app, crime_number)})


def audit_rows(app, crime_number: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == crime_number,
                                                                AuditEvent.action.like("tracking.%"))
                                       .order_by(AuditEvent.id)))


def comparable(response) -> str:
    """A page without what differs between any two requests (CSRF tokens and the script nonce)."""
    html = re.sub(r'value="[\w-]+\.[\w-]+\.[\w-]+"', 'value="CSRF"', response.get_data(as_text=True))
    return re.sub(r'nonce="[^"]*"', "", html)


# Asking for a code ---------------------------------------------------------------------------------------------


def test_the_page_is_the_same_for_an_unknown_and_a_known_crime_number(app):
    known = guest_report(app)
    no_channel = guest_report(app, safe_channels=["phone"], contact_phone="020 7946 0000")
    pages, locations = [], []
    for crime_number in (known, no_channel, unknown_crime_number(app)):
        client = app.test_client()
        start = client.get("/track")
        assert_good_page(start)
        asked = ask_for_code(client, crime_number)
        locations.append((asked.status_code, asked.headers["Location"]))
        page = client.get("/track/code")
        assert_good_page(page)
        assert SENT in page.get_data(as_text=True)
        pages.append(comparable(page))
    assert locations == [(302, "/track/code")] * 3
    assert pages[0] == pages[1] == pages[2]
    assert len(codes_sent(app, known)) == 1
    assert codes_sent(app, no_channel) == []


def test_a_crime_number_that_is_not_one_gets_an_error(client):
    page = client.post("/track", data={"crime_number": "CR-26-123"})
    assert page.status_code == 200
    assert_good_page(page)
    assert "There is a problem" in page.get_data(as_text=True)
    assert client.post("/track", data={"crime_number": ""}).get_data(as_text=True).count("Enter the crime number")


def test_the_code_goes_by_email_else_text_and_only_a_keyed_hash_is_kept(app, client):
    by_email = guest_report(app, contact_email="track.me@example.org", safe_channels=["email", "text"],
                            contact_phone="07700 900123")
    by_text = guest_report(app, contact_email="not.safe@example.org", safe_channels=["text"],
                           contact_phone="07700 900456")
    for crime_number in (by_email, by_text):
        ask_for_code(client, crime_number)
    [email] = codes_sent(app, by_email)
    [text] = codes_sent(app, by_text)
    assert (email.channel, email.recipient) == (Channel.EMAIL, "track.me@example.org")
    assert (text.channel, text.recipient) == (Channel.TEXT, "07700900456")
    for message, crime_number in ((email, by_email), (text, by_text)):
        assert crime_number not in message.body_text  # no case details: the person typed it themselves
        code = latest_code(app, crime_number)
        with app.app_context():
            [row] = db.session.scalars(select(TrackingCode).join(Report).where(Report.crime_number == crime_number))
            assert row.code_hash == hmac.new(app.config["SECRET_KEY"].encode(), code.encode(),
                                             hashlib.sha256).hexdigest()
            assert code not in row.code_hash
            assert row.expires_at - row.sent_at == timedelta(minutes=15)


def test_a_sent_message_keeps_no_code(app):
    crime_number = guest_report(app)
    app.test_client().post("/track", data={"crime_number": crime_number})
    [message] = codes_sent(app, crime_number)
    code = latest_code(app, crime_number)
    kept = remove_secrets(message.body_text, message.template, app.url_map, app.config["PUBLIC_BASE_URL"])
    assert code not in kept and CODE_REMOVED in kept
    assert "http://localhost/track" in kept  # the page's address is no secret
    # Other messages keep their numbers.
    assert remove_secrets("Call 123456 now", "case_update", app.url_map, "http://localhost") == "Call 123456 now"


# The code ------------------------------------------------------------------------------------------------------


def test_the_code_opens_the_case_once(app):
    crime_number = guest_report(app)
    client = app.test_client()
    opened = open_case(app, client, crime_number)
    assert opened.headers["Location"] == "/track/case"
    page = client.get("/track/case")
    assert_good_page(page)
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert crime_number in html and "Received" in html and "What happens next" in html
    assert "We received your report" in html  # the victim's timeline
    assert 'href="/register"' in html  # the offer of an account
    code = latest_code(app, crime_number)

    stopped = client.post("/track/stop")
    assert stopped.headers["Location"] == "/track"
    assert client.get("/track/case").headers["Location"] == "/track"
    ask_again = app.test_client()
    with ask_again.session_transaction() as session:
        session["track_pending"] = crime_number
    again = ask_again.post("/track/code", data={"code": code})
    assert again.status_code == 200 and WRONG in again.get_data(as_text=True)


def test_unknown_wrong_expired_and_spent_codes_get_one_answer(app, clock):
    crime_number = guest_report(app)
    answers = {}

    def answer(name: str, number: str, code: str) -> None:
        client = app.test_client()
        with client.session_transaction() as session:
            session["track_pending"] = number
        response = client.post("/track/code", data={"code": code})
        assert_good_page(response)
        answers[name] = (response.status_code, h1_text(response), WRONG in response.get_data(as_text=True))

    answer("unknown crime number", unknown_crime_number(app), "123456")
    ask_for_code(app.test_client(), crime_number)
    code = latest_code(app, crime_number)
    answer("wrong", crime_number, f"{(int(code) + 1) % 1_000_000:06d}")
    clock.move(minutes=15, seconds=1)
    answer("expired", crime_number, code)
    assert set(answers.values()) == {(200, "Enter your code", True)}, answers


def test_a_code_works_for_15_minutes(app, clock):
    crime_number = guest_report(app)
    client = app.test_client()
    ask_for_code(client, crime_number)
    clock.move(minutes=14, seconds=50)
    assert client.post("/track/code", data={"code": latest_code(app, crime_number)}).status_code == 302


def test_five_wrong_tries_spend_the_code(app):
    crime_number = guest_report(app)
    client = app.test_client()
    ask_for_code(client, crime_number)
    code = latest_code(app, crime_number)
    wrong = f"{(int(code) + 7) % 1_000_000:06d}"
    for _ in range(5):
        assert WRONG in client.post("/track/code", data={"code": wrong}).get_data(as_text=True)
    refused = client.post("/track/code", data={"code": code})
    assert refused.status_code == 200 and WRONG in refused.get_data(as_text=True)


def test_four_wrong_tries_leave_the_code_working(app):
    crime_number = guest_report(app)
    client = app.test_client()
    ask_for_code(client, crime_number)
    code = latest_code(app, crime_number)
    for _ in range(4):
        client.post("/track/code", data={"code": f"{(int(code) + 7) % 1_000_000:06d}"})
    assert client.post("/track/code", data={"code": code}).headers["Location"] == "/track/case"


# Limits --------------------------------------------------------------------------------------------------------


def test_at_most_five_codes_a_day_per_crime_number(app, clock):
    crime_number = guest_report(app)
    for _ in range(6):
        asked = ask_for_code(app.test_client(), crime_number)
        assert asked.headers["Location"] == "/track/code"  # the sixth looks the same
    assert len(codes_sent(app, crime_number)) == 5
    clock.move(hours=24, minutes=1)
    ask_for_code(app.test_client(), crime_number)
    assert len(codes_sent(app, crime_number)) == 6


def test_twenty_code_requests_an_hour_per_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACK_CODE_RATE_LIMIT", "20 per hour")
    number = unknown_crime_number(app)
    client = app.test_client()
    for _ in range(20):
        assert ask_for_code(client, number).status_code == 302
    refused = ask_for_code(app.test_client(), number)  # another browser, the same address
    assert refused.status_code == 429
    assert_good_page(refused)
    assert h1_text(refused) == "You have asked for too many codes"
    assert client.get("/track").status_code == 200  # only asking is limited


# The view ------------------------------------------------------------------------------------------------------


def test_the_view_ends_after_30_minutes_idle(app, clock):
    crime_number = guest_report(app)
    client = app.test_client()
    open_case(app, client, crime_number)
    clock.move(minutes=29)
    assert client.get("/track/case").status_code == 200
    clock.move(minutes=30, seconds=1)
    ended = client.get("/track/case")
    assert ended.headers["Location"] == "/track"
    page = client.get("/track")
    assert "30 minutes without use" in page.get_data(as_text=True)
    assert client.get("/track/case").headers["Location"] == "/track"


def test_the_view_ends_after_2_hours_however_busy(app, clock):
    crime_number = guest_report(app)
    client = app.test_client()
    open_case(app, client, crime_number)
    for _ in range(5):
        clock.move(minutes=20)
        assert client.get("/track/case").status_code == 200
    clock.move(minutes=20, seconds=1)
    assert client.get("/track/case").headers["Location"] == "/track"
    assert "after 2 hours" in client.get("/track").get_data(as_text=True)


def test_a_view_of_one_case_never_shows_another(app):
    first, second = guest_report(app, description="FIRST-CASE-MARKER"), guest_report(app)
    client = app.test_client()
    open_case(app, client, first)
    with app.app_context():
        first_id = db.session.scalar(select(Report.id).where(Report.crime_number == first))
    # Asking for a code for the second case, without entering it, leaves the view on the first.
    ask_for_code(client, second)
    html = client.get("/track/case").get_data(as_text=True)
    assert first in html and second not in html
    with client.session_transaction() as session:
        assert session["track_view"]["report_id"] == first_id


def test_the_view_shows_only_what_the_victim_may_see(app):
    crime_number = guest_report(app)
    with app.app_context():
        from portal.cases.timeline import add_timeline_event

        report_id = db.session.scalar(select(Report.id).where(Report.crime_number == crime_number))
        add_timeline_event(report_id, "note", "STAFF-ONLY-MARKER")
        add_timeline_event(report_id, "hearing", "WITNESS-ONLY-MARKER", witness=True)
        add_timeline_event(report_id, "update", "VICTIM-MARKER", victim=True)
        db.session.commit()
    client = app.test_client()
    open_case(app, client, crime_number)
    html = client.get("/track/case").get_data(as_text=True)
    assert "VICTIM-MARKER" in html
    assert "STAFF-ONLY-MARKER" not in html and "WITNESS-ONLY-MARKER" not in html
    assert "My bike was taken." not in html  # what they told us stays behind an account


def test_asking_for_a_call_raises_a_task(app):
    crime_number = guest_report(app)
    client = app.test_client()
    open_case(app, client, crime_number)
    asked = client.post("/track/case/call", data={"note": "After 6pm please"})
    assert asked.headers["Location"] == "/track/case"
    page = client.get("/track/case")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert "We will call you" in html and "What you asked us" in html and "We promised to answer by" in html
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        [task] = db.session.scalars(select(Task).where(Task.report_id == report.id)).all()
        assert (task.type, task.asker, task.raised_by_id, task.request_note) == \
            (TaskType.CALL_BACK, Asker.VICTIM, None, "After 6pm please")
        assert db.session.scalar(select(TimelineEvent.title).where(TimelineEvent.report_id == report.id,
                                                                   TimelineEvent.kind == "call_requested"))


def test_a_call_note_that_is_too_long_is_refused_in_words_and_kept(app):
    crime_number = guest_report(app)
    client = app.test_client()
    open_case(app, client, crime_number)
    note = "Please call after six. " * 50  # 1,150 characters
    refused = client.post("/track/case/call", data={"note": note})
    assert refused.status_code == 200
    assert_good_page(refused)
    html = refused.get_data(as_text=True)
    assert "Note must be 1000 characters or fewer" in html and note.strip() in html
    with app.app_context():
        assert db.session.scalars(select(Task).join(Report).where(Report.crime_number == crime_number)).all() == []


def test_asking_for_a_call_needs_an_open_view(app):
    crime_number = guest_report(app)
    client = app.test_client()
    assert client.post("/track/case/call", data={"note": "x"}).headers["Location"] == "/track"
    with app.app_context():
        assert db.session.scalars(select(Task).join(Report).where(Report.crime_number == crime_number)).all() == []


def test_every_use_is_audited_without_the_code(app):
    crime_number = guest_report(app)
    client = app.test_client()
    ask_for_code(client, crime_number)
    code = latest_code(app, crime_number)
    client.post("/track/code", data={"code": f"{(int(code) + 1) % 1_000_000:06d}"})
    client.post("/track/code", data={"code": code})
    client.post("/track/case/call", data={"note": ""})
    client.post("/track/stop")
    unknown = unknown_crime_number(app)
    ask_for_code(client, unknown)
    rows = audit_rows(app, crime_number)
    assert [row.action for row in rows] == ["tracking.code_sent", "tracking.code_refused", "tracking.opened",
                                            "tracking.call_requested", "tracking.stopped"]
    assert all(row.actor_id is None for row in rows)
    assert not any(code in (row.detail or "") for row in rows)
    assert [row.action for row in audit_rows(app, unknown)] == ["tracking.code_not_sent"]


# Messages to guests ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["email", "text"])
def test_guests_messages_link_to_track(app, make_user, channel):
    answers = {"safe_channels": [channel], "contact_phone": "07700 900789", "neutral_sender": "no"}
    guest = guest_report(app, **answers)
    from portal.auth.roles import Role

    holder = make_report(app, user=make_user(Role.VICTIM), **answers)
    with app.app_context():
        bodies = {}
        for crime_number in (guest, holder):
            report_id = db.session.scalar(select(Report.id).where(Report.crime_number == crime_number))
            [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.report_id == report_id,
                                                                       OutboxMessage.template == "report_received"))
            bodies[crime_number] = message.body_text
    assert "http://localhost/track" in bodies[guest] and "/login" not in bodies[guest]
    assert "Follow your case" in bodies[guest] or "follow your case" in bodies[guest]
    assert "http://localhost/login" in bodies[holder] and "/track" not in bodies[holder]


# Pages in every language -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_no_english_left_on_the_tracking_pages(app, language):
    crime_number = guest_report(app)
    english, other = app.test_client(), app.test_client()
    other.set_cookie("language", language)
    data = world_data(app, {crime_number, "Bicycle theft", "Received"} | {"07700 900982"})
    problems = {}
    for client in (english, other):
        open_case(app, client, crime_number)
        client.post("/track/case/call", data={"note": ""})
    for path in ("/track/case",):
        left = untranslated(english.get(path).get_data(as_text=True), other.get(path).get_data(as_text=True), data)
        if left:
            problems[path] = left
    for client in (english, other):
        client.post("/track/stop")
        ask_for_code(client, crime_number)
    for path in ("/track", "/track/code"):
        left = untranslated(english.get(path).get_data(as_text=True), other.get(path).get_data(as_text=True), data)
        if left:
            problems[path] = left
    assert not problems, problems


def test_a_sent_code_is_gone_from_the_outbox(app, smtp_sink):
    crime_number = guest_report(app)
    ask_for_code(app.test_client(), crime_number)
    code = latest_code(app, crime_number)
    with app.app_context():
        deliver_pending()  # the confirmation of the report and the code
    [message] = codes_sent(app, crime_number)
    assert any(code in received.get_content() for received in smtp_sink.messages)
    assert code not in message.body_text and CODE_REMOVED in message.body_text

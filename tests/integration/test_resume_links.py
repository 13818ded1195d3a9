"""Save and come back later: on any question page a guest can ask for a link to their unfinished report, by email
or by text; the link works once, for 7 days, on any device, and the browser the report was started in can no
longer open it afterwards."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.access_log import request_path
from portal.audit.models import AuditEvent
from portal.clock import utcnow
from portal.extensions import db, limiter
from portal.i18n import LANGUAGES
from portal.notifications.delivery import deliver_pending
from portal.notifications.models import Channel, OutboxStatus
from portal.notifications.rendering import render_body
from portal.notifications.text_parts import GSM7, text_parts
from portal.reporting import services as reporting_services
from portal.reporting.models import ResumeLink
from portal.secret_paths import LINK_REMOVED
from tests.conftest import outbox_rows
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import BIKE_THEFT, error_messages, steps_with, submit, walk

SAVE_LINK = "Save and come back later"
DOES_NOT_WORK = "This link has expired or has already been used"
LINK = re.compile(r"http://localhost/report/resume/[A-Za-z0-9_-]+")
# The answers up to the description; the first question left is "Was anything lost, stolen or damaged?".
UP_TO_DESCRIPTION = BIKE_THEFT[:BIKE_THEFT.index(("property", {"has_property": "yes"}))]
DESCRIPTION = dict(BIKE_THEFT)["description"]["description"]
# The longest public address the text-message tests allow for (tests/integration/test_text_message_parts.py).
LONG_BASE_URL = "https://report-and-support.northamptonshire.police.uk"


@pytest.fixture(autouse=True)
def links_not_limited(app, monkeypatch):
    """The test settings do not limit links (the limit has its own test)."""
    monkeypatch.setitem(app.config, "RESUME_LINK_RATE_LIMIT", "10000 per minute")


def ask_for_link(client, **data):
    """Post the 'Save and come back later' form, from the first question left."""
    return client.post("/report/save?question=property", data=data)


def the_link(app) -> str:
    """The link in the one message queued."""
    [row] = outbox_rows(app)
    return LINK.search(row.body_text).group(0)


def path_of(link: str) -> str:
    return link.removeprefix("http://localhost")


def open_link(client, link: str):
    """Open a link from a message on a device, and press Continue; return where it leads."""
    page = client.get(path_of(link))
    assert page.status_code == 200 and h1_text(page) == "Continue your report"
    assert_good_page(page)
    return client.post(path_of(link))


def test_every_question_page_offers_a_guest_to_save_and_come_back_later(client):
    walk(client, UP_TO_DESCRIPTION)

    for slug in ("safety-now", "description", "property"):
        page = client.get(f"/report/{slug}").get_data(as_text=True)
        assert SAVE_LINK in page and f'href="/report/save?question={slug}"' in page
    save = client.get("/report/save?question=property")
    assert_good_page(save)
    assert h1_text(save) == SAVE_LINK
    assert "Anyone who can read your emails or text messages would see the link" in save.get_data(as_text=True)
    assert 'href="/report/property"' in save.get_data(as_text=True)  # back to the question they came from


def test_the_evidence_page_offers_it_too(client):
    walk(client, BIKE_THEFT[:BIKE_THEFT.index(("evidence", {"action": "continue"}))], check_pages=False)
    assert SAVE_LINK in client.get("/report/evidence").get_data(as_text=True)


def test_a_signed_in_person_is_not_offered_a_link(client, signed_in):
    signed_in()
    walk(client, UP_TO_DESCRIPTION, check_pages=False)

    assert SAVE_LINK not in client.get("/report/property").get_data(as_text=True)
    response = client.get("/report/save")
    assert response.status_code == 302 and response.headers["Location"] == "/report/continue"
    assert ask_for_link(client, channel="email", email="me@example.org").status_code == 302


def test_without_a_report_there_is_nothing_to_save(client):
    response = client.get("/report/save")
    assert response.status_code == 302 and response.headers["Location"] == "/report/"


def test_a_link_by_email_opens_the_report_on_another_device_where_it_was_left(app, client):
    walk(client, UP_TO_DESCRIPTION)

    sent = ask_for_link(client, channel="email", email="sam@example.org")

    assert sent.status_code == 200 and h1_text(sent) == "Check your email"
    assert_good_page(sent)
    assert "We have sent a link to sam@example.org." in sent.get_data(as_text=True)
    [row] = outbox_rows(app)
    assert (row.channel, row.recipient, row.template) == (Channel.EMAIL, "sam@example.org", "resume_link")
    assert row.subject == "Continue where you left off"
    assert row.neutral_sender  # nothing chosen yet: neutral, to be safe
    assert row.next_attempt_at <= utcnow()  # at once: the person is waiting for it

    other_device = app.test_client()
    response = open_link(other_device, the_link(app))

    assert response.status_code == 302 and response.headers["Location"] == "/report/continue"
    assert other_device.get("/report/continue").headers["Location"] == "/report/property"
    assert other_device.get("/report/property").status_code == 200
    assert DESCRIPTION in other_device.get("/report/description").get_data(as_text=True)  # every answer kept


def test_a_link_by_text_goes_to_the_mobile_number_written_the_one_way(app, client):
    walk(client, UP_TO_DESCRIPTION, check_pages=False)

    sent = ask_for_link(client, channel="text", mobile="+44 (0)7700 900982")

    assert h1_text(sent) == "Check your phone"
    [row] = outbox_rows(app)
    assert (row.channel, row.recipient) == (Channel.TEXT, "07700900982")
    counted = text_parts(row.body_text)
    assert (counted.encoding, counted.parts) == (GSM7, 1)
    other_device = app.test_client()
    assert open_link(other_device, the_link(app)).status_code == 302
    assert other_device.get("/report/continue").headers["Location"] == "/report/property"


def test_the_browser_it_was_started_in_can_no_longer_open_it(app, client):
    walk(client, UP_TO_DESCRIPTION, check_pages=False)
    ask_for_link(client, channel="email", email="sam@example.org")

    open_link(app.test_client(), the_link(app))

    assert client.get("/report/property").headers["Location"] == "/report/"
    assert client.get("/report/continue").headers["Location"] == "/report/"


def test_the_link_works_once(app, client):
    walk(client, UP_TO_DESCRIPTION, check_pages=False)
    ask_for_link(client, channel="email", email="sam@example.org")
    link = the_link(app)
    open_link(app.test_client(), link)

    third_device = app.test_client()
    again = third_device.get(path_of(link))
    pressed = third_device.post(path_of(link))

    for page in (again, pressed):
        assert page.status_code == 404 and h1_text(page) == DOES_NOT_WORK
        assert_good_page(page)
    assert third_device.get("/report/continue").headers["Location"] == "/report/"


def test_using_one_link_spends_every_other_link_to_the_report(app, client):
    walk(client, UP_TO_DESCRIPTION, check_pages=False)
    ask_for_link(client, channel="email", email="sam@example.org")
    ask_for_link(client, channel="text", mobile="07700900982")
    first, second = (LINK.search(row.body_text).group(0) for row in outbox_rows(app))

    open_link(app.test_client(), second)

    assert app.test_client().get(path_of(first)).status_code == 404


def test_opening_the_page_alone_does_not_spend_the_link(app, client):
    """An email or messaging app that opens a link to check it or show a preview must not use it up."""
    walk(client, UP_TO_DESCRIPTION, check_pages=False)
    ask_for_link(client, channel="email", email="sam@example.org")
    link = the_link(app)

    assert app.test_client().get(path_of(link)).status_code == 200
    assert open_link(app.test_client(), link).status_code == 302


def test_after_7_days_the_link_no_longer_works(app, client, monkeypatch):
    walk(client, UP_TO_DESCRIPTION, check_pages=False)
    ask_for_link(client, channel="email", email="sam@example.org")
    link = the_link(app)
    now = utcnow()

    monkeypatch.setattr(reporting_services, "utcnow", lambda: now + timedelta(days=6, hours=23))
    assert app.test_client().get(path_of(link)).status_code == 200
    monkeypatch.setattr(reporting_services, "utcnow", lambda: now + timedelta(days=7, minutes=1))
    late = app.test_client()
    for page in (late.get(path_of(link)), late.post(path_of(link))):
        assert page.status_code == 404 and h1_text(page) == DOES_NOT_WORK


def test_the_link_is_kept_only_as_a_hash_and_never_audited(app, client):
    walk(client, UP_TO_DESCRIPTION, check_pages=False)
    ask_for_link(client, channel="email", email="sam@example.org")
    token = the_link(app).rsplit("/", 1)[1]

    with app.app_context():
        [link] = db.session.scalars(select(ResumeLink)).all()
        assert link.token_hash != token and len(link.token_hash) == 64
        assert link.expires_at - utcnow() > timedelta(days=6, hours=23)
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.resume_link_sent")).all()
        assert token not in (event.detail or "") and "sam@example.org" not in (event.detail or "")
        assert event.detail == "by email"


def test_bad_addresses_and_numbers_are_refused_in_words_and_nothing_typed_is_lost(app, client):
    walk(client, UP_TO_DESCRIPTION, check_pages=False)

    cases = [
        ({}, ["Select how we should send you a link"]),
        ({"channel": "email", "email": ""}, ["Enter your email address"]),
        ({"channel": "email", "email": "sam at example"},
         ["Enter an email address in the correct format, like name@example.com"]),
        ({"channel": "text", "mobile": ""}, ["Enter a UK mobile number"]),
        ({"channel": "text", "mobile": "020 7946 0000"}, ["Enter a UK mobile number, like 07700 900982"]),
    ]
    for data, errors in cases:
        page = ask_for_link(client, **data)
        assert page.status_code == 200, data
        assert error_messages(page) == [f"Error: {error}" for error in errors], data
        assert_good_page(page)
        for field in ("email", "mobile"):
            if data.get(field):
                assert f'value="{data[field]}"' in page.get_data(as_text=True), data
    assert outbox_rows(app) == []


def test_the_address_and_number_given_in_the_report_are_filled_in(client):
    contact = {"contact_name": "Sam Victim", "contact_email": "sam@example.org", "contact_phone": "07700 900982"}
    steps = steps_with({"contact": contact})
    walk(client, steps[:[slug for slug, _ in steps].index("contact") + 1], check_pages=False)

    page = client.get("/report/save").get_data(as_text=True)

    assert 'value="sam@example.org"' in page and 'value="07700 900982"' in page


def test_the_words_follow_the_neutral_choice_once_made(app, client):
    steps = steps_with({"safe-contact": {"safe_channels": ["email"], "voicemail_allowed": "no",
                                         "neutral_sender": "no"}})
    walk(client, steps[:[slug for slug, _ in steps].index("follow-up")], check_pages=False)

    ask_for_link(client, channel="email", email="sam@example.org")

    [row] = outbox_rows(app)
    assert not row.neutral_sender
    assert "Report a crime and get support" in row.body_text


def test_hostile_links_get_the_same_helpful_page(client):
    for token in ("x" * 5000, "żółć-ŻÓŁĆ-بلاغ-😀", "A" * 43, "%27%20OR%201=1", "a" * 42 + "é", "%F0%9F"):
        for response in (client.get(f"/report/resume/{token}"), client.post(f"/report/resume/{token}")):
            assert response.status_code == 404, token
            assert h1_text(response) == DOES_NOT_WORK, token
    # A slash or a control character is never in a link we send: such an address is not this page at all (the
    # site's "Page not found"), and never an error either.
    assert client.get("/report/resume/../../etc").status_code == 404
    assert client.get("/report/resume/%00").status_code == 404
    assert client.get("/report/resume/a/b").status_code == 404


def test_the_stored_text_loses_the_link_once_sent(app, client, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "DEV_MAILBOX_DIR", str(tmp_path))
    walk(client, UP_TO_DESCRIPTION, check_pages=False)
    ask_for_link(client, channel="text", mobile="07700900982")
    link = the_link(app)
    token = link.rsplit("/", 1)[1]

    with app.app_context():
        assert deliver_pending().sent == 1

    [row] = outbox_rows(app)
    assert row.status == OutboxStatus.SENT
    assert token not in row.body_text and LINK_REMOVED in row.body_text
    assert any(token in path.read_text() for path in tmp_path.rglob("*") if path.is_file())  # it was sent whole


def test_the_stored_email_loses_the_link_once_sent(app, client, smtp_sink):
    walk(client, UP_TO_DESCRIPTION, check_pages=False)
    ask_for_link(client, channel="email", email="sam@example.org")
    link = the_link(app)

    with app.app_context():
        assert deliver_pending().sent == 1

    [received] = smtp_sink.messages
    assert link in received.get_content()
    [row] = outbox_rows(app)
    assert link.rsplit("/", 1)[1] not in row.body_text and LINK_REMOVED in row.body_text


def test_sending_the_report_deletes_its_links(app, client):
    walk(client, check_pages=False)
    ask_for_link(client, channel="email", email="sam@example.org")
    link = the_link(app)

    submit(client)

    with app.app_context():
        assert db.session.scalars(select(ResumeLink)).all() == []
    assert app.test_client().get(path_of(link)).status_code == 404


def test_too_many_links_from_one_address_get_a_page_that_says_so(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RESUME_LINK_RATE_LIMIT", "2 per hour")
    limiter.reset()
    try:
        walk(client, UP_TO_DESCRIPTION, check_pages=False)
        assert ask_for_link(client, channel="email", email="not an address").status_code == 200  # not counted
        for _ in range(2):
            assert ask_for_link(client, channel="email", email="sam@example.org").status_code == 200

        refused = ask_for_link(client, channel="email", email="sam@example.org")

        assert refused.status_code == 429 and h1_text(refused) == "You have asked for too many links"
        assert_good_page(refused)
        assert len(outbox_rows(app)) == 2
        assert client.get("/report/property").status_code == 200  # the report goes on
    finally:
        limiter.reset()


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("neutral", [False, True], ids=["usual", "neutral"])
def test_the_text_fits_its_parts_with_the_longest_address(app, language, neutral):
    """One GSM-7 part in English, at most three UCS-2 parts in Polish and Arabic (the context the text is given:
    link and days)."""
    link = f"{LONG_BASE_URL}/report/resume/{'x' * 43}"
    assert len(link) == 111
    with app.app_context():
        text = render_body(Channel.TEXT, "resume_link", locale=language, neutral=neutral, link=link, days=7)
    counted = text_parts(text)
    assert link in text and " 7 " in f" {text} ".replace(",", " ").replace(".", " ")
    if language == "en":
        assert (counted.encoding, counted.parts) == (GSM7, 1), f"{counted}: {text!r}"
    else:
        assert counted.parts <= 3, f"{counted}: {text!r}"
    if neutral:
        assert "report" not in text.replace(link, "").lower()


def test_the_access_log_names_the_link_by_its_pattern(app):
    with app.test_request_context(f"/report/resume/{'T' * 43}"):
        assert request_path() == "/report/resume/<token>"

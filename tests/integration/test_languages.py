"""Choosing a language: the switcher keeps people on the same page with their answers, the choice is kept on the
account or in a cookie, Arabic pages run right to left, staff pages stay in English, and emails go out in the
recipient's language."""

import re

from babel.messages.pofile import read_po
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.extensions import db
from portal.notifications.services import queue_email_to
from tests.conftest import outbox_rows
from tests.pagecheck import assert_good_page
from tests.wizard import BIKE_THEFT, answer, start
from tests.wizard import walk as walk_wizard

CATALOGUES = "portal/translations/{language}/LC_MESSAGES/messages.po"


def catalogue(language: str) -> dict[str, str]:
    """msgid to msgstr, read straight from the committed .po file (not through the app)."""
    with open(CATALOGUES.format(language=language), "rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and isinstance(m.id, str)}


def html_tag(page) -> str:
    return re.search(r"<html[^>]*>", page.get_data(as_text=True)).group(0)


def body_tag(page) -> str:
    return re.search(r"<body[^>]*>", page.get_data(as_text=True)).group(0)


def switch(client, language: str, back: str):
    return client.post("/language", data={"language": language, "next": back})


def test_the_switcher_is_in_the_header_of_public_pages(client):
    page = client.get("/")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert re.search(r'<button[^>]*name="language" value="pl" lang="pl"', html)
    assert re.search(r'<button[^>]*name="language" value="ar" lang="ar" dir="rtl"', html)
    assert 'name="next" value="/"' in html
    assert 'lang="en"' in html_tag(page) and 'dir="ltr"' in html_tag(page)


def test_switching_keeps_the_person_on_the_same_page_and_in_the_cookie(client):
    response = switch(client, "pl", "/report/where?from=check")
    assert response.status_code == 302 and response.headers["Location"] == "/report/where?from=check"
    assert "language=pl" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    page = client.get("/")
    assert 'lang="pl"' in html_tag(page)
    assert re.search(r'<button[^>]*value="en" lang="en"[^>]*>\s*English', page.get_data(as_text=True))


def test_arabic_pages_run_right_to_left(client):
    switch(client, "ar", "/")
    page = client.get("/")
    assert_good_page(page)
    assert 'lang="ar"' in html_tag(page) and "app-rtl" in html_tag(page)
    assert 'dir="rtl"' in html_tag(page) and "dir=" not in body_tag(page)


def test_switching_in_the_middle_of_a_report_keeps_the_answers_given(client):
    start(client)
    for slug, data in BIKE_THEFT[:6]:  # up to and including where it happened
        answer(client, slug, data)
    assert switch(client, "ar", "/report/description").headers["Location"] == "/report/description"
    where = client.get("/report/where").get_data(as_text=True)
    assert 'lang="ar"' in where and "Outside the station" in where
    assert re.search(r'<option value="Camden" selected', where)
    when = client.get("/report/when").get_data(as_text=True)
    assert 'value="17:30"' in when
    assert switch(client, "en", "/report/check-answers").status_code == 302


def test_bad_choices_and_addresses_are_ignored(client):
    response = switch(client, "xx", "/cookies")
    assert response.headers["Location"] == "/cookies"
    assert "language=" not in response.headers.get("Set-Cookie", "")
    assert switch(client, "pl", "https://evil.example.org/").headers["Location"] == "/"
    assert switch(client, "pl", "//evil.example.org").headers["Location"] == "/"
    assert client.post("/language", data={"language": "pl"}, csrf=False).status_code == 400


def test_a_signed_in_victim_keeps_the_choice_on_their_account(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    switch(client, "pl", "/account")
    with app.app_context():
        assert db.session.get(User, victim.id).locale == "pl"
        assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "account.language_changed")) \
            == "pl"
    fresh = app.test_client()  # another browser: no cookie, but the account remembers
    from tests.conftest import sign_in_as

    sign_in_as(fresh, victim)
    assert 'lang="pl"' in html_tag(fresh.get("/account"))


def test_staff_pages_stay_in_english_and_have_no_switcher(app, client, signed_in):
    client.set_cookie("language", "ar")
    signed_in(Role.OFFICER)
    page = client.get("/staff/triage")
    assert page.status_code == 200
    assert 'lang="en"' in html_tag(page) and 'dir="ltr"' in html_tag(page)
    assert 'name="language"' not in page.get_data(as_text=True)


def test_emails_are_written_in_the_recipients_language(app, ctx, make_user):
    polish = make_user(Role.VICTIM, locale="pl")
    arabic = make_user(Role.WITNESS, locale="ar")
    officer = make_user(Role.OFFICER, locale="pl")  # staff are written to in English whatever is stored
    for person in (polish, arabic, officer):
        queue_email_to(person, "case_update", sign_in_link="https://example.org/login")
    db.session.commit()
    sent = {m.recipient: m for m in outbox_rows(app)}
    english_subject = "You have an update"
    for person, language in ((polish, "pl"), (arabic, "ar")):
        expected = catalogue(language)[english_subject]
        assert expected and expected != english_subject
        assert sent[person.email].subject == expected
        assert "There is something new for you to read" not in sent[person.email].body_text
    assert sent[officer.email].subject == english_subject


def test_a_guest_report_remembers_its_language_for_emails(app, client):
    switch(client, "pl", "/")
    walk_wizard(client, check_pages=False)
    client.post("/report/check-answers", data={"declaration": "y"})
    [email] = [m for m in outbox_rows(app) if m.template == "report_received"]
    assert email.subject == catalogue("pl")["Thank you for getting in touch"]

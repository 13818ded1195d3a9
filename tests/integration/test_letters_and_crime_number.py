"""Issue 18: a postal address is asked for only when a letter is a safe way to reach someone (in the report and on
the contact preferences), and kept, shown and downloaded; without letter it is never asked and never kept. And the
crime-number opt-in: off unless ticked, and then the crime number is in the confirmation and in no other message."""

import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.extensions import db
from portal.reporting.models import ReportDraft
from tests.conftest import outbox_rows, sign_in_as
from tests.i18n_walk import untranslated, world_data
from tests.pagecheck import assert_good_page, h1_text
from tests.triage_helpers import make_report, report_state
from tests.wizard import BIKE_THEFT, answer, crime_number_in, error_messages, start, steps_with, submit, walk

ADDRESS_HEADING = "What is your postal address?"
ADDRESS = {"address_line_1": "Flat 2,  10 Station Road", "address_line_2": "", "address_town": "Camden Town",
           "address_postcode": " nw1  2db "}
KEPT_LINES = "Flat 2, 10 Station Road\nCamden Town"
SAFE_CONTACT = dict(BIKE_THEFT)["safe-contact"]
WITH_LETTER = {**SAFE_CONTACT, "safe_channels": ["email", "letter"]}


def until_address(client) -> str:
    """Answer the bike theft questions with letter among the safe channels; return where safe-contact led."""
    steps = steps_with({"safe-contact": WITH_LETTER})
    return walk(client, steps[: [slug for slug, _data in steps].index("safe-contact") + 1])


def finish(client) -> None:
    """Answer the questions after the address (a visit, not a call: a phone call is not among these safe ways)."""
    steps = steps_with({"safe-contact": WITH_LETTER, "follow-up": {"follow_up": "visit"}})
    for slug, data in steps[[slug for slug, _data in steps].index("message-words"):]:
        answer(client, slug, data)


def stored(app, crime_number) -> Report:
    return report_state(app, crime_number)


def draft_answers(app) -> dict:
    with app.app_context():
        return dict(db.session.scalar(select(ReportDraft)).answers)


def officer_page(app, make_user, crime_number) -> str:
    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    page = officer.get(f"/staff/cases/{crime_number}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def input_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


# The report wizard ---------------------------------------------------------------------------------------------


def test_choosing_letter_asks_for_an_address_which_is_kept_shown_and_downloaded(app, client, signed_in, make_user):
    """The address page follows safe contact, uses the GOV.UK fields with autocomplete, and the address is
    normalised, kept, shown on check answers (with a change link), on the staff case page and in the download."""
    signed_in(Role.VICTIM)
    assert until_address(client) == "/report/postal-address"
    page = client.get("/report/postal-address")
    assert_good_page(page)
    assert h1_text(page) == ADDRESS_HEADING
    html = page.get_data(as_text=True)
    for label, name, autocomplete in (("Address line 1", "address_line_1", "address-line1"),
                                      ("Address line 2 (optional)", "address_line_2", "address-line2"),
                                      ("Town or city", "address_town", "address-level2"),
                                      ("Postcode", "address_postcode", "postal-code")):
        assert re.search(rf'<label[^>]*for="{name}"[^>]*>\s*{re.escape(label)}\s*</label>', html), label
        assert re.search(rf'<input[^>]*name="{name}"[^>]*autocomplete="{autocomplete}"', html), name
    assert answer(client, "postal-address", ADDRESS) == "/report/message-words"
    finish(client)

    check = client.get("/report/check-answers")
    text = check.get_data(as_text=True)
    assert "Postal address" in text and re.search(r"Flat 2, 10 Station Road\n\s*Camden Town\n\s*NW1 2DB", text)
    assert 'href="/report/postal-address"' in text
    crime_number = submit(client)

    report = stored(app, crime_number)
    assert (report.contact_address, report.contact_address_postcode) == (KEPT_LINES, "NW1 2DB")
    assert report.safe_channels == ["email", "letter"]
    staff = officer_page(app, make_user, crime_number)
    assert re.search(r'id="postal-address"[^>]*>Flat 2, 10 Station Road\n\s*Camden Town\n\s*NW1 2DB<', staff)
    contact = client.get("/account/data/download.json").get_json()["reports"][0]["contact"]
    assert (contact["address"], contact["address_postcode"]) == (KEPT_LINES, "NW1 2DB")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"address_line_1": ""}, "address_line_1", "Enter address line 1, typically the building and street"),
    ({"address_town": "  "}, "address_town", "Enter town or city"),
    ({"address_postcode": "NOTAPOSTCODE"}, "address_postcode", "Enter a real postcode, like SW1A 2AA"),
    ({"address_postcode": ""}, "address_postcode", "Enter postcode"),
    ({"address_line_1": "a" * 5000}, "address_line_1", "Address line 1 must be 100 characters or fewer"),
    ({"address_line_2": "b" * 101}, "address_line_2", "Address line 2 must be 100 characters or fewer"),
    ({"address_town": "c" * 61}, "address_town", "Town or city must be 60 characters or fewer"),
], ids=["no-line-1", "no-town", "not-a-postcode", "no-postcode", "line-1-too-long", "line-2-too-long",
        "town-too-long"])
def test_a_wrong_address_is_refused_in_words_and_nothing_typed_is_lost(app, client, change, field, message):
    until_address(client)
    typed = {**ADDRESS, "address_line_2": "Second floor", **change}
    response = client.post("/report/postal-address", data=typed)
    assert response.status_code == 200
    assert_good_page(response)
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and f'href="#{field}"' in html
    assert error_messages(response) == [f"Error: {message}"]
    for name, value in typed.items():
        if name != field or value.strip():
            assert input_value(html, name) == value.strip(), name
    assert "address_line_1" not in draft_answers(app)


def test_a_hostile_address_is_kept_as_typed_and_shown_as_text(app, client, make_user):
    hostile = '<script>alert("x")</script> & Sons'
    until_address(client)
    answer(client, "postal-address", {**ADDRESS, "address_line_1": hostile})
    finish(client)
    check = client.get("/report/check-answers").get_data(as_text=True)
    assert "<script>alert" not in check and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons" in check
    crime_number = submit(client)
    assert stored(app, crime_number).contact_address == f"{hostile}\nCamden Town"
    staff = officer_page(app, make_user, crime_number)
    assert "<script>alert" not in staff and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons" in staff


def test_without_letter_there_is_no_address_page_and_nothing_is_kept(app, client, make_user):
    start(client)
    for slug, data in BIKE_THEFT:
        location = answer(client, slug, data)
        assert location != "/report/postal-address"
    assert client.get("/report/postal-address").headers["Location"] == "/report/check-answers"
    check = client.get("/report/check-answers").get_data(as_text=True)
    assert "Postal address" not in check and "/report/postal-address" not in check
    crime_number = submit(client)
    report = stored(app, crime_number)
    assert (report.contact_address, report.contact_address_postcode) == (None, None)
    assert 'id="postal-address"' not in officer_page(app, make_user, crime_number)


def test_an_address_in_the_answers_is_not_kept_unless_letter_is_chosen(app):
    """The service keeps an address only for a letter, whatever the answers hold."""
    crime_number = make_report(app, safe_channels=["email"], **ADDRESS)
    assert stored(app, crime_number).contact_address is None
    crime_number = make_report(app, safe_channels=["letter"], **ADDRESS)
    assert (stored(app, crime_number).contact_address, stored(app, crime_number).contact_address_postcode) == (
        KEPT_LINES, "NW1 2DB")


def test_unticking_letter_drops_the_address_typed_before(app, client):
    until_address(client)
    answer(client, "postal-address", ADDRESS)
    finish(client)
    assert "Postal address" in client.get("/report/check-answers").get_data(as_text=True)
    # A phone call is safe now, so the voicemail question is asked (it was not, with a letter alone).
    assert answer(client, "safe-contact", SAFE_CONTACT) == "/report/voicemail"
    assert answer(client, "voicemail", {"voicemail_allowed": "no"}) == "/report/check-answers"
    assert not any(key.startswith("address_") for key in draft_answers(app))
    assert "Postal address" not in client.get("/report/check-answers").get_data(as_text=True)
    crime_number = submit(client)
    assert stored(app, crime_number).contact_address is None


def test_ticking_letter_on_the_way_back_asks_for_the_address_before_check_answers(client):
    walk(client)
    assert answer(client, "safe-contact", WITH_LETTER) == "/report/postal-address"
    assert client.get("/report/check-answers").headers["Location"] == "/report/postal-address"
    assert answer(client, "postal-address", ADDRESS) == "/report/check-answers"


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_the_address_page_is_translated(app, language):
    english, other = app.test_client(), app.test_client()
    other.set_cookie("language", language)
    pages = []
    for client in (english, other):
        until_address(client)
        pages.append(client.post("/report/postal-address", data={}).get_data(as_text=True))
        pages.append(client.get("/report/postal-address").get_data(as_text=True))
    data = world_data(app, set())
    # The hidden "Error:" before each error message comes from the GOV.UK macro's default, on every form.
    assert [piece for piece in untranslated(pages[0], pages[2], data) if piece != "Error:"] == []
    assert untranslated(pages[1], pages[3], data) == []


# The contact preferences ----------------------------------------------------------------------------------------

PREFERENCES = {"every_days": "14", "channels": ["email"], "voicemail": "no", "neutral_sender": "yes",
               "quiet_from": "", "quiet_until": ""}


def test_preferences_ask_for_an_address_with_letter_and_clear_it_without(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    path = f"/cases/{crime_number}/preferences"
    page = client.get(path)
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert re.search(r'<input[^>]*name="address_line_1"[^>]*autocomplete="address-line1"', html)

    refused = client.post(path, data={**PREFERENCES, "channels": ["email", "letter"]})
    assert refused.status_code == 200
    assert error_messages(refused) == ["Error: Enter address line 1, typically the building and street",
                                       "Error: Enter town or city", "Error: Enter postcode"]
    assert "There is a problem" in refused.get_data(as_text=True)
    bad = client.post(path, data={**PREFERENCES, **ADDRESS, "channels": ["email", "letter"],
                                  "address_postcode": "NOTAPOSTCODE"})
    assert error_messages(bad) == ["Error: Enter a real postcode, like SW1A 2AA"]
    assert input_value(bad.get_data(as_text=True), "address_line_1") == ADDRESS["address_line_1"]
    assert stored(app, crime_number).contact_address is None

    assert client.post(path, data={**PREFERENCES, **ADDRESS, "channels": ["email", "letter"]}).status_code == 302
    report = stored(app, crime_number)
    assert (report.contact_address, report.contact_address_postcode) == (KEPT_LINES, "NW1 2DB")
    assert report.safe_channels == ["email", "letter"]
    with app.app_context():
        titles = db.session.scalars(select(TimelineEvent.title).where(TimelineEvent.report_id == report.id)).all()
        audits = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == crime_number)).all()
    assert "You changed how we keep in touch" in titles and "case.preferences_changed" in audits

    shown = client.get(path).get_data(as_text=True)
    assert input_value(shown, "address_line_1") == "Flat 2, 10 Station Road"
    assert input_value(shown, "address_town") == "Camden Town" and input_value(shown, "address_postcode") == "NW1 2DB"
    assert client.post(path, data={**PREFERENCES, "address_line_1": "12 New Street", "address_line_2": "Bow",
                                   "address_town": "London", "address_postcode": "e3 4tu",
                                   "channels": ["letter"]}).status_code == 302
    report = stored(app, crime_number)
    assert (report.contact_address, report.contact_address_postcode) == ("12 New Street\nBow\nLondon", "E3 4TU")
    shown = client.get(path).get_data(as_text=True)
    assert input_value(shown, "address_line_2") == "Bow" and input_value(shown, "address_town") == "London"

    # Unticking letter clears the address, even though the fields still hold it.
    assert client.post(path, data={**PREFERENCES, **ADDRESS}).status_code == 302
    report = stored(app, crime_number)
    assert (report.contact_address, report.contact_address_postcode) == (None, None)


# The crime-number opt-in ------------------------------------------------------------------------------------------

OPT_IN_LABEL = "Include my crime number in my confirmation email or text message"
OPT_IN_WARNING = "Anyone who can read your emails or texts would see it, and would know you reported a crime."


def submitted_audit(app, crime_number) -> AuditEvent:
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.submitted",
                                                           AuditEvent.object_id == crime_number))
        db.session.expunge(event)
        return event


def test_the_crime_number_is_left_out_of_the_confirmation_unless_asked_for(app, client):
    """The box is unticked to begin with, with the warning above it and read with it; left alone, the
    confirmation email has no crime number and the report records no opt-in."""
    start(client)
    for slug, data in BIKE_THEFT[: [slug for slug, _data in BIKE_THEFT].index("message-words")]:
        answer(client, slug, data)
    html = client.get("/report/message-words").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="crime_number_in_confirmation"[^>]*>', html).group(0)
    assert "checked" not in box
    hint_id = re.search(r'aria-describedby="([^"]+)"', box).group(1)
    hint = re.search(rf'id="{hint_id}"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert OPT_IN_WARNING in " ".join(hint.split())
    assert html.index(OPT_IN_WARNING) < html.index(box) < html.index(OPT_IN_LABEL)
    for slug, data in BIKE_THEFT[[slug for slug, _data in BIKE_THEFT].index("message-words"):]:
        answer(client, slug, data)
    assert "Crime number in your confirmation" in client.get("/report/check-answers").get_data(as_text=True)
    crime_number = submit(client)

    report = stored(app, crime_number)
    assert (report.crime_number_in_confirmation, report.crime_number_opt_in_at) == (False, None)
    assert submitted_audit(app, crime_number).detail == "crime number in the confirmation: no"
    [email] = outbox_rows(app)
    assert email.template == "report_received" and crime_number not in email.body_text


def test_opted_in_the_confirmation_alone_carries_the_crime_number(app, client, signed_in, make_user):
    """Asked for, the crime number is in the confirmation email (in neutral words) and in no other email of the
    case: updates, a message, the officer's own emails. The choice and its time are kept, audited and
    downloadable."""
    from tests.integration.test_case_access_matrix import allocate_charge_and_list_hearing

    victim = signed_in(Role.VICTIM)
    walk(client, steps_with({"safe-contact": {**SAFE_CONTACT, "crime_number_in_confirmation": "y"}}))
    check = client.get("/report/check-answers").get_data(as_text=True)
    assert re.search(r"Crime number in your confirmation\s*</dt>\s*<dd[^>]*>\s*<span[^>]*>Yes</span>\s*</dd>", check)
    crime_number = submit(client)

    report = stored(app, crime_number)
    assert report.crime_number_in_confirmation is True
    assert report.crime_number_opt_in_at == report.submitted_at  # chosen as the report was sent
    assert submitted_audit(app, crime_number).detail == "crime number in the confirmation: yes"
    [confirmation] = outbox_rows(app)
    assert confirmation.template == "report_received" and confirmation.recipient == victim.email
    [line] = [line for line in confirmation.body_text.splitlines() if crime_number in line]
    assert line == f"Your reference number is {crime_number}. You asked us to include it in this email."
    contact = client.get("/account/data/download.json").get_json()["reports"][0]["contact"]
    assert contact["crime_number_in_confirmation"] is True and contact["crime_number_opt_in_at"]

    # The rest of the case: an officer is given it, it is charged and listed for court, the officer writes.
    officer = make_user(Role.OFFICER)
    officer_client = app.test_client()
    sign_in_as(officer_client, officer)
    allocate_charge_and_list_hearing(app, officer_client, officer, crime_number)
    assert officer_client.post(f"/staff/cases/{crime_number}/messages",
                               data={"body": "Please call me back."}).status_code == 302
    later = outbox_rows(app)[1:]
    assert {message.template for message in later} >= {"case_update", "new_message"}
    assert [message.template for message in later if crime_number in message.body_text] == []
    assert all(crime_number not in message.subject for message in outbox_rows(app))


@pytest.mark.parametrize(("language", "words"), [("pl", "Twój numer referencyjny to"),
                                                  ("ar", "رقمك المرجعي هو")])
def test_the_opt_in_and_its_email_are_translated(app, language, words):
    english, other = app.test_client(), app.test_client()
    other.set_cookie("language", language)
    pages = []
    for client in (english, other):
        start(client)
        for slug, data in BIKE_THEFT[: [slug for slug, _data in BIKE_THEFT].index("safe-contact")]:
            answer(client, slug, data, check_page=False)
        pages.append(client.get("/report/safe-contact").get_data(as_text=True))
    assert untranslated(pages[0], pages[1], world_data(app, set())) == []
    for slug, data in steps_with({"safe-contact": {**SAFE_CONTACT, "crime_number_in_confirmation": "y"}})[
            [slug for slug, _data in BIKE_THEFT].index("safe-contact"):]:
        answer(other, slug, data, check_page=False)
    assert other.post("/report/check-answers", data={"declaration": "y"}).status_code == 302
    crime_number = crime_number_in(other.get("/report/confirmation"))
    [email] = outbox_rows(app)
    assert f"{words} {crime_number}" in email.body_text

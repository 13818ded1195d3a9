"""Witnesses: invited with a one-time code, they see witness updates only, and answer about court dates."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.cases.models import WitnessLink
from portal.clock import utcnow
from portal.extensions import db
from portal.tracking.models import CourtAvailability
from tests.conftest import link_in, outbox_rows, sign_in_as
from tests.factories import DEFAULT_PASSWORD
from tests.pagecheck import assert_good_page, h1_text
from tests.triage_helpers import make_report, report_state
from tests.wizard import error_messages


def invite(app, officer_client, crime_number, email="wit@example.org") -> str:
    """An officer invites a witness; returns the code shown to the officer."""
    officer_client.post(f"/staff/cases/{crime_number}/witnesses", data={"email": email})
    html = officer_client.get(f"/staff/cases/{crime_number}/witnesses").get_data(as_text=True)
    return re.search(r"The code is ([A-Z0-9]{8})", html).group(1)


def charged_case_with_hearing(app, officer_client, victim):
    """A case taken to a court hearing that witnesses can see, with an internal note and a victim-only event."""
    crime_number = make_report(app, user=victim, description="Private words from the victim.")

    def post(path, data):
        data = {"version": str(report_state(app, crime_number).version), **data}
        return officer_client.post(path, data=data)

    from portal.auth.models import User

    with app.app_context():
        officer = db.session.scalars(select(User).where(User.role == Role.OFFICER)).first()
    post(f"/staff/cases/{crime_number}/decide/allocate", {"officer": str(officer.id)})
    when = utcnow() - timedelta(days=1)
    base = {"happened_date-day": str(when.day), "happened_date-month": str(when.month),
            "happened_date-year": str(when.year), "happened_time": "09:00"}
    post(f"/staff/cases/{crime_number}/update", {**base, "status": "charged", "victim": "y"})
    day = utcnow().date() + timedelta(days=20)
    post(f"/staff/cases/{crime_number}/update", {
        **base, "status": "court_hearing_scheduled", "victim": "y", "witness": "y",
        "hearing_place": "Wood Green Crown Court", "hearing_date-day": str(day.day),
        "hearing_date-month": str(day.month), "hearing_date-year": str(day.year), "hearing_time": "10:00"})
    return crime_number


def test_a_witness_joins_by_the_emailed_link_and_sees_only_witness_updates(app, client, signed_in, make_user):
    """The witness sees the court hearing, never the victim's words, name or other events."""
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    victim = make_user(Role.VICTIM)
    crime_number = charged_case_with_hearing(app, officer_client, victim)
    invite(app, officer_client, crime_number)
    email = outbox_rows(app)[-1]
    assert email.recipient == "wit@example.org" and crime_number not in email.body_text

    signed_in(Role.WITNESS)
    assert client.get(link_in(email.body_text)).headers["Location"] == f"/cases/{crime_number}"
    page = client.get(f"/cases/{crime_number}")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert "Wood Green Crown Court" in html
    assert "Someone has been charged" not in html
    assert "Private words from the victim." not in html and "Sam Victim" not in html and "sam@example.org" not in html
    assert crime_number in client.get("/cases/").get_data(as_text=True)


def test_a_witness_joins_with_crime_number_and_code_once(app, client, signed_in, make_user):
    """The code works once; a wrong crime number or code is a clear error."""
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    crime_number = make_report(app)
    code = invite(app, officer_client, crime_number)
    signed_in(Role.WITNESS)
    other = make_report(app)
    wrong = client.post("/cases/join", data={"crime_number": other, "code": code})
    assert "This code does not work" in " ".join(error_messages(wrong))
    ok = client.post("/cases/join", data={"crime_number": crime_number, "code": code.lower()})
    assert ok.headers["Location"] == f"/cases/{crime_number}"
    signed_in(Role.WITNESS)
    again = client.post("/cases/join", data={"crime_number": crime_number, "code": code})
    assert "This code does not work" in " ".join(error_messages(again))


def test_an_expired_code_is_refused(app, client, signed_in, make_user):
    """After 14 days the code no longer works."""
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    crime_number = make_report(app)
    code = invite(app, officer_client, crime_number)
    with app.app_context():
        link = db.session.scalar(select(WitnessLink))
        link.code_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    signed_in(Role.WITNESS)
    response = client.post("/cases/join", data={"crime_number": crime_number, "code": code})
    assert "This code does not work" in " ".join(error_messages(response))


def test_a_witness_confirms_availability_and_the_officer_sees_it(app, client, signed_in, make_user):
    """The answer about the hearing appears on the officer's witness page."""
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    crime_number = charged_case_with_hearing(app, officer_client, make_user(Role.VICTIM))
    code = invite(app, officer_client, crime_number)
    signed_in(Role.WITNESS)
    client.post("/cases/join", data={"crime_number": crime_number, "code": code})
    event_id = int(re.search(r"/hearings/(\d+)", client.get(f"/cases/{crime_number}").get_data(as_text=True))
                   .group(1))
    client.post(f"/cases/{crime_number}/hearings/{event_id}", data={"available": "no", "note": "On holiday"})
    with app.app_context():
        answer = db.session.scalar(select(CourtAvailability))
        assert answer.available is False and answer.note == "On holiday"
    staff_page = officer_client.get(f"/staff/cases/{crime_number}/witnesses")
    assert_good_page(staff_page)
    assert "Court: cannot attend" in staff_page.get_data(as_text=True)


def test_people_without_a_link_cannot_see_or_answer_for_a_case(app, client, signed_in, make_user):
    """Another witness gets 404 on the case and on the hearing answer."""
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    crime_number = charged_case_with_hearing(app, officer_client, make_user(Role.VICTIM))
    signed_in(Role.WITNESS)
    assert client.get(f"/cases/{crime_number}").status_code == 404
    assert client.post(f"/cases/{crime_number}/hearings/1", data={"available": "yes"}).status_code == 404


def test_only_police_invite_witnesses(app, client, signed_in):
    """Victims, witnesses, partners and admins get 403 on the invitation page."""
    crime_number = make_report(app)
    for role in (Role.VICTIM, Role.WITNESS, Role.PARTNER, Role.ADMIN):
        signed_in(role)
        assert client.get(f"/staff/cases/{crime_number}/witnesses").status_code == 403


def test_the_join_page_passes_the_page_checks(client, signed_in):
    """The join form is a well-formed GOV.UK page."""
    signed_in(Role.WITNESS)
    page = client.get("/cases/join")
    assert_good_page(page)
    assert h1_text(page) == "Follow a case as a witness"


def test_quiet_hours_hold_an_email_until_they_end(app, client, signed_in, make_user):
    """With quiet hours covering now, the update's email waits in the outbox until the window opens."""
    from zoneinfo import ZoneInfo

    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    hour = utcnow().astimezone(ZoneInfo("Europe/London")).hour
    client.post(f"/cases/{crime_number}/preferences", data={
        "every_days": "28", "channels": ["email"], "voicemail": "no", "neutral_sender": "yes",
        "quiet_from": str(hour), "quiet_until": str((hour + 2) % 24)})
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    officer_client.post(f"/staff/cases/{crime_number}/decide/call",
                        data={"version": str(report_state(app, crime_number).version)})
    email = outbox_rows(app)[-1]
    assert email.template == "case_update"
    opens = email.next_attempt_at.astimezone(ZoneInfo("Europe/London"))
    assert opens > utcnow() and opens.hour == (hour + 2) % 24 and opens.minute == 0
    with app.app_context():
        from portal.notifications.delivery import deliver_pending

        assert deliver_pending().sent == 0


def test_the_victim_reads_their_own_report_downloads_it_and_asks_for_a_review(app, client, signed_in, make_user):
    """The case page shows what they told us with a PDF; after a decision not to investigate they can ask for review."""
    import io

    from pypdf import PdfReader

    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim, description="Taken from the rack at 9am.")
    page = client.get(f"/cases/{crime_number}/what-you-told-us").get_data(as_text=True)
    assert "What you told us" in page and "Taken from the rack at 9am." in page
    pdf = client.get(f"/cases/{crime_number}/summary.pdf")
    assert crime_number in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert client.post(f"/cases/{crime_number}/requests/review").status_code == 302
    assert "There is no decision to review" in client.get(f"/cases/{crime_number}/updates").get_data(as_text=True)
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    officer_client.post(f"/staff/cases/{crime_number}/decide/nfi", data={
        "version": str(report_state(app, crime_number).version), "reason_code": "no_realistic_prospect"})
    client.post(f"/cases/{crime_number}/requests/review")
    client.post(f"/cases/{crime_number}/requests/statement")
    page = client.get(f"/cases/{crime_number}/updates").get_data(as_text=True)
    assert "You asked for the decision to be reviewed" in page
    assert "You asked to make a Victim Personal Statement" in page


def test_a_victim_adds_a_photo_after_reporting(app, client, signed_in, tmp_path, monkeypatch):
    """The file joins the case's evidence, appears on the timeline, and a non-image is refused."""
    import io

    from PIL import Image

    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path))
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    client.post(f"/cases/{crime_number}/evidence", data={"file": (io.BytesIO(buffer.getvalue()), "scratch.png")},
                content_type="multipart/form-data")
    assert "You added a file" in client.get(f"/cases/{crime_number}/updates").get_data(as_text=True)
    assert "scratch.png" in client.get(f"/cases/{crime_number}/what-you-told-us").get_data(as_text=True)
    client.post(f"/cases/{crime_number}/evidence", data={"file": (io.BytesIO(b"<html>"), "x.jpg")},
                content_type="multipart/form-data")
    assert "The selected file must be a JPG, PNG or PDF" in client.get(
        f"/cases/{crime_number}/what-you-told-us").get_data(as_text=True)


def test_staff_reading_the_witness_list_is_audited(app, client, signed_in):
    """Opening a case's witness page writes an audit row for that officer."""
    from portal.audit.models import AuditEvent

    crime_number = make_report(app)
    officer = signed_in(Role.OFFICER)
    client.get(f"/staff/cases/{crime_number}/witnesses")
    with app.app_context():
        row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "witnesses.viewed"))
        assert row.actor_id == officer.id and row.object_id == crime_number


# Guessing codes ------------------------------------------------------------------------------------------------


def main_text(response) -> str:
    """What the page says in its main part."""
    main = response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_every_code_that_does_not_work_gets_the_same_answer(app, client, signed_in, make_user):
    """A real code with the wrong crime number, a made-up code, an expired one and a spent one read the same."""
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    crime_number, other = make_report(app), make_report(app)
    real = invite(app, officer_client, crime_number)
    expired = invite(app, officer_client, crime_number, email="late@example.org")
    with app.app_context():
        link = db.session.scalars(select(WitnessLink).order_by(WitnessLink.id.desc())).first()
        link.code_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    signed_in(Role.WITNESS)
    answers = {
        "real code, wrong crime number": (other, real),
        "made-up code": (crime_number, "ABCD3467"),
        "expired code": (crime_number, expired),
    }
    messages = {why: error_messages(client.post("/cases/join", data={"crime_number": number, "code": code}))
                for why, (number, code) in answers.items()}
    assert len({tuple(found) for found in messages.values()}) == 1, messages
    by_link = {why: client.get(f"/cases/join/{code}") for why, code in
               (("real code", "ABCD3467"), ("expired code", expired))}
    assert {response.status_code for response in by_link.values()} == {400}
    assert len({main_text(response) for response in by_link.values()}) == 1


def test_a_spent_code_stays_spent_when_the_witness_closes_their_account(app, client, signed_in, make_user):
    officer_client = app.test_client()
    sign_in_as(officer_client, make_user(Role.OFFICER))
    crime_number = make_report(app)
    code = invite(app, officer_client, crime_number)
    signed_in(Role.WITNESS)
    assert client.post("/cases/join", data={"crime_number": crime_number, "code": code}).status_code == 302
    client.get("/account/data/close")
    closed = client.post("/account/data/close", data={"understand": "y", "password": DEFAULT_PASSWORD})
    assert h1_text(closed) == "Your account has been closed"
    with app.app_context():
        link = db.session.scalar(select(WitnessLink))
        assert link.witness_user_id is None and link.linked_at is not None
    signed_in(Role.WITNESS)
    again = client.post("/cases/join", data={"crime_number": crime_number, "code": code})
    assert "This code does not work" in " ".join(error_messages(again))
    assert client.get(f"/cases/join/{code}").status_code == 400


@pytest.fixture
def code_limit(app):
    from portal.extensions import limiter

    saved = app.config["JOIN_CODE_RATE_LIMIT"]
    app.config["JOIN_CODE_RATE_LIMIT"] = "3 per hour"
    limiter.reset()
    yield
    app.config["JOIN_CODE_RATE_LIMIT"] = saved
    limiter.reset()


def test_redeeming_codes_is_limited_across_the_form_and_the_link(client, signed_in, code_limit):
    """Three tries an hour here: two by the form and one by the link use them all, whichever way comes next."""
    signed_in(Role.WITNESS)
    tries = [client.post("/cases/join", data={"crime_number": "CR-26-0000001-A", "code": f"ABCD346{n}"})
             for n in (7, 8)] + [client.get("/cases/join/ABCD3469")]
    assert [response.status_code for response in tries] == [200, 200, 400]
    assert client.get("/cases/join/ABCD3466").status_code == 429
    assert client.post("/cases/join", data={"crime_number": "CR-26-0000001-A", "code": "ABCD3464"}
                       ).status_code == 429
    assert client.get("/cases/join").status_code == 200  # reading the form is not counted


def test_the_limit_follows_the_account_from_one_address_to_another(app, make_user, code_limit):
    witness = make_user(Role.WITNESS)
    tries = []
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"):
        browser = app.test_client()
        sign_in_as(browser, witness)
        tries.append(browser.get("/cases/join/ABCD3467", environ_base={"REMOTE_ADDR": address}).status_code)
    assert tries == [400, 400, 400, 429]


def test_the_limit_follows_the_address_from_one_account_to_another(app, make_user, code_limit):
    tries = []
    for _ in range(4):
        browser = app.test_client()
        sign_in_as(browser, make_user(Role.WITNESS))
        tries.append(browser.get("/cases/join/ABCD3467", environ_base={"REMOTE_ADDR": "198.51.100.9"}).status_code)
    assert tries == [400, 400, 400, 429]

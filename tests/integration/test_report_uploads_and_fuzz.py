"""Evidence uploads in the wizard, hostile posts to every step, and the submission rate limit."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select

from portal.cases.models import EvidenceFile, Report
from portal.extensions import db
from portal.reporting.journey import STEPS
from tests.conftest import examples
from tests.pagecheck import h1_text
from tests.wizard import BIKE_THEFT, error_messages, start, submit, walk


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    """Store uploads in a temporary folder for this test."""
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    return tmp_path / "evidence"


def jpeg_bytes() -> bytes:
    """A small JPEG photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def upload(client, data: bytes, name: str):
    """Post a file to the evidence question."""
    return client.post("/report/evidence", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def until_evidence(client):
    """Answer the questions before the evidence page."""
    index = [s for s, _ in BIKE_THEFT].index("evidence")
    walk(client, BIKE_THEFT[:index])


def test_a_photo_is_uploaded_shown_back_and_attached_to_the_report(app, client, evidence_dir):
    """An uploaded photo is listed, viewable by its uploader only, and moves to the report on submit."""
    until_evidence(client)
    response = upload(client, jpeg_bytes(), "bike.jpg")
    assert response.headers["Location"] == "/report/evidence"
    page = client.get("/report/evidence").get_data(as_text=True)
    assert "bike.jpg" in page
    with app.app_context():
        evidence_id = db.session.scalar(select(EvidenceFile.id))
    with client.get(f"/report/evidence/{evidence_id}") as shown:
        assert shown.mimetype == "image/jpeg"
    assert app.test_client().get(f"/report/evidence/{evidence_id}").status_code == 404
    assert list(evidence_dir.iterdir()), "the file is stored in the evidence folder"
    assert "static" not in str(evidence_dir)

    for slug, data in BIKE_THEFT[BIKE_THEFT.index(("evidence", {"action": "continue"})):]:
        client.post(f"/report/{slug}", data=data)
    crime_number = submit(client)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        assert [e.original_name for e in report.evidence] == ["bike.jpg"]


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_with_a_message(client, evidence_dir):
    """Type is judged by content: an HTML file named .jpg is refused on the page."""
    until_evidence(client)
    response = upload(client, b"<html><script>alert(1)</script></html>", "photo.jpg")
    assert response.status_code == 200
    assert "The selected file must be a JPG, PNG or PDF" in " ".join(error_messages(response))


def test_an_upload_with_no_file_chosen_says_so(client, evidence_dir):
    """Pressing Upload without choosing a file explains what to do."""
    until_evidence(client)
    response = client.post("/report/evidence", data={}, content_type="multipart/form-data")
    assert "Select a file to upload, or continue without one" in " ".join(error_messages(response))


def test_an_oversized_upload_gets_the_too_large_page_and_keeps_the_answers(app, client, evidence_dir):
    """A file over the request limit gets the 413 page; the answers so far are still there."""
    until_evidence(client)
    boundary = "fuzzboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.jpg\"\r\n"
            "Content-Type: image/jpeg\r\n\r\n").encode() + b"x" * (12 * 1024 * 1024)
    body += f"\r\n--{boundary}--\r\n".encode()
    response = client.post("/report/evidence", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert h1_text(response) == "The file or form you sent is too large"
    assert client.get("/report/evidence").status_code == 200


def test_a_removed_file_is_deleted(app, client, evidence_dir):
    """Remove takes the file off the report and out of storage."""
    until_evidence(client)
    upload(client, jpeg_bytes(), "bike.jpg")
    with app.app_context():
        evidence_id = db.session.scalar(select(EvidenceFile.id))
    client.post(f"/report/evidence/{evidence_id}/remove")
    assert "bike.jpg" not in client.get("/report/evidence").get_data(as_text=True)
    assert not list(evidence_dir.iterdir())


hostile = st.one_of(st.text(max_size=200), st.sampled_from(
    ["<script>alert(1)</script>", "\x00", "yes", "no", "2026", "99", "-1", "a" * 6000, "💥", "../../etc", "{{7*7}}"]))
field_names = st.sampled_from(sorted({
    "danger_now", "immediate_risk", "category", "hate_motivations", "via_third_party", "third_party_organisation",
    "reporter_role", "occurred_on-day", "occurred_on-month", "occurred_on-year", "occurred_until-day",
    "occurred_time", "borough", "postcode", "location", "description", "has_property", "item_description",
    "item_value", "item_damaged", "add_another", "suspect_description", "other_witnesses", "contact_name",
    "contact_email", "contact_phone", "safe_channels", "safe_times", "voicemail_allowed", "neutral_sender",
    "follow_up", "would_have_reported", "declaration", "action", "occurred_on", "crime_number_in_confirmation",
    "address_line_1", "address_line_2", "address_town", "address_postcode",
}))


@pytest.mark.parametrize("slug", [s.slug for s in STEPS if s.slug != "evidence"] + ["check-answers"])
@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(field_names, hostile, max_size=8))
def test_random_posts_to_every_step_never_500_and_never_make_a_partial_report(app, client, slug, data):
    """Whatever is posted at any step, the answer is a page or a redirect, and no report appears."""
    start(client)
    path = "/report/check-answers" if slug == "check-answers" else f"/report/{slug}"
    response = client.post(path, data=data)
    assert response.status_code < 500
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_submitting_is_rate_limited_with_an_explanation(app, client, monkeypatch):
    """Too many submissions from one place get the 429 page."""
    from portal.extensions import limiter

    walk(client)
    limiter.reset()
    monkeypatch.setitem(app.config, "REPORT_RATE_LIMIT", "1 per minute")
    try:
        client.post("/report/check-answers", data={})
        response = client.post("/report/check-answers", data={"declaration": "y"})
        assert response.status_code == 429
        assert h1_text(response) == "You have tried too many times"
    finally:
        limiter.reset()

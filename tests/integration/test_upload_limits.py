"""Limits on what people who are not signed in can make the portal store and decode: new reports and uploads per
address per hour, the total size of one report's files, the pixels in an image, and the memory its decoding
may take. Signed-in accounts (partners reporting for others among them) are not limited by address."""

import io
import os

import pytest
from PIL import Image, ImageFile
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from config import Config
from portal.auth.roles import Role
from portal.cases.models import EvidenceFile
from portal.extensions import db, limiter
from portal.reporting.evidence import EvidenceRejected, store_evidence
from portal.reporting.models import ReportDraft
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import BIKE_THEFT, error_messages, walk

MB = 1024 * 1024
TOO_MANY_REPORTS = "You cannot start another report just now"
TOO_MANY_UPLOADS = "You have uploaded too many files in the last hour. Try again later, or continue without this file"
TOO_MANY_PIXELS = "The selected image is too big: it must be 25 megapixels or smaller"
TOO_BIG_TO_DECODE = "The selected image is too big to check. Save it at a smaller size and upload it again"


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    """Store uploads in a temporary folder for this test."""
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    return tmp_path / "evidence"


@pytest.fixture
def real_limits(app, monkeypatch):
    """The production limits on new reports and uploads (the test settings are high), with empty counters."""
    monkeypatch.setitem(app.config, "DRAFT_RATE_LIMIT", Config.DRAFT_RATE_LIMIT)
    monkeypatch.setitem(app.config, "UPLOAD_RATE_LIMIT", Config.UPLOAD_RATE_LIMIT)
    limiter.reset()
    yield
    limiter.reset()


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    """An image encoded in memory."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def small_jpeg() -> bytes:
    return encoded(Image.new("RGB", (40, 30), "red"), "JPEG")


def noise_png(size_bytes: int) -> bytes:
    """A PNG of random pixels (it does not compress), about the given size."""
    side = int((size_bytes / 3) ** 0.5)
    return encoded(Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)), "PNG", compress_level=1)


def upload(client, data: bytes, name: str):
    """Post a file to the evidence question. The body is encoded here, in memory: for a large file the test
    client's own encoding would leave a temporary file open."""
    boundary, body = encode_multipart({"csrf_token": client._token(),
                                       "file": FileStorage(io.BytesIO(data), filename=name)})
    return client.post("/report/evidence", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def until_evidence(client):
    """Start a report and answer the questions before the evidence page."""
    index = [slug for slug, _ in BIKE_THEFT].index("evidence")
    walk(client, BIKE_THEFT[:index], check_pages=False)


def evidence_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(EvidenceFile.id).order_by(EvidenceFile.id)))


def upload_and_remove(app, client, times: int) -> None:
    """Upload a small photo and take it off again, so that the five-file limit of one report never applies."""
    for number in range(times):
        response = upload(client, small_jpeg(), f"photo-{number}.jpg")
        assert response.status_code == 302, error_messages(response)
        client.post(f"/report/evidence/{evidence_ids(app)[-1]}/remove")


def draft_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReportDraft))


# New reports and uploads per address ---------------------------------------------------------------------------


def test_the_production_limits_are_ten_reports_and_twenty_uploads_an_hour():
    assert Config.DRAFT_RATE_LIMIT == "10 per hour"
    assert Config.UPLOAD_RATE_LIMIT == "20 per hour"


def test_an_eleventh_new_report_in_an_hour_from_one_address_is_refused_with_a_clear_page(app, client, real_limits):
    """Ten reports can be started; the eleventh gets a page saying why and what to do, and no draft is made.
    Someone at another address is not affected."""
    for _ in range(10):
        assert client.post("/report/start").status_code == 302
    drafts = draft_count(app)

    refused = client.post("/report/start")

    assert refused.status_code == 429
    assert h1_text(refused) == TOO_MANY_REPORTS
    page = refused.get_data(as_text=True)
    assert "limit how many reports can be started from one place in an hour" in page
    assert "call 999" in page and 'href="/report/continue"' in page  # the report already started can go on
    assert_good_page(refused)
    assert draft_count(app) == drafts
    elsewhere = app.test_client().post("/report/start", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 302


def test_a_21st_upload_in_an_hour_from_one_address_is_refused_on_the_page(app, client, evidence_dir, real_limits):
    """Twenty uploads are taken; the 21st is refused with a GOV.UK error on the evidence page and nothing is kept.
    Continuing without it still works."""
    until_evidence(client)
    upload_and_remove(app, client, 20)

    refused = upload(client, small_jpeg(), "one-more.jpg")

    assert refused.status_code == 429
    assert h1_text(refused) == "Upload photos or documents"
    assert error_messages(refused) == [f"Error: {TOO_MANY_UPLOADS}"]
    assert "There is a problem" in refused.get_data(as_text=True)
    assert_good_page(refused)
    assert evidence_ids(app) == [] and list(evidence_dir.iterdir()) == []
    assert client.post("/report/evidence", data={"action": "continue"}).status_code == 302


def test_a_signed_in_partner_is_not_limited(app, client, evidence_dir, real_limits, signed_in):
    """A charity worker reporting for the people they support can start more reports and upload more files."""
    signed_in(Role.PARTNER)
    for _ in range(11):
        assert client.post("/report/start").status_code == 302
    until_evidence(client)
    upload_and_remove(app, client, 21)


def test_the_exemption_belongs_to_the_account_not_the_address(app, client, real_limits, make_user):
    """A partner signed in at the same address as a guest does not lift the guest's limit."""
    partner = app.test_client()
    sign_in_as(partner, make_user(Role.PARTNER))
    for _ in range(10):
        assert client.post("/report/start").status_code == 302
    assert partner.post("/report/start").status_code == 302
    assert client.post("/report/start").status_code == 429


# The size of one report's files ---------------------------------------------------------------------------------


def test_files_on_one_report_over_25mb_are_refused_with_the_limit_named(app, client, evidence_dir):
    """Two 9MB files fit; a third would make 27MB, so it is refused with a message naming 25MB and not stored."""
    until_evidence(client)
    for number in range(2):
        response = upload(client, noise_png(9 * MB), f"scan-{number}.png")
        assert response.status_code == 302, error_messages(response)
    with app.app_context():
        kept = db.session.scalar(select(func.sum(EvidenceFile.size_bytes)))
    assert 16 * MB < kept <= 25 * MB

    refused = upload(client, noise_png(9 * MB), "scan-2.png")

    assert refused.status_code == 200
    assert error_messages(refused) == [
        "Error: The selected file is too big: the files on one report must add up to 25MB or less"]
    assert len(evidence_ids(app)) == 2 and len(list(evidence_dir.iterdir())) == 2


def test_the_total_counts_the_files_as_kept(app, client, evidence_dir, monkeypatch):
    """A file small when sent can grow when it is cleaned (here a JPEG saved at quality 10, kept at quality 90):
    if the kept copy does not fit, it is refused and the copy deleted."""
    small_when_sent = encoded(Image.frombytes("RGB", (150, 150), os.urandom(150 * 150 * 3)), "JPEG", quality=10)
    until_evidence(client)
    assert upload(client, small_jpeg(), "first.jpg").status_code == 302
    kept = evidence_ids(app)
    with app.app_context():
        used = db.session.scalar(select(func.sum(EvidenceFile.size_bytes)))
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_DRAFT_BYTES", used + len(small_when_sent) + 1)  # it fits as sent

    refused = upload(client, small_when_sent, "second.jpg")

    assert error_messages(refused) == ["Error: The selected file is too big: the files on one report must add up "
                                       f"to {(used + len(small_when_sent) + 1) // 1024}KB or less"]
    assert evidence_ids(app) == kept and len(list(evidence_dir.iterdir())) == 1


# Pixels and memory ----------------------------------------------------------------------------------------------


def test_a_6000_by_4000_phone_photo_is_accepted_and_turned_upright(app, client, evidence_dir):
    """A 24-megapixel photo held sideways (EXIF orientation 6) is kept, upright, with no metadata."""
    exif = Image.Exif()
    exif[0x0112] = 6
    photo = encoded(Image.new("RGB", (6000, 4000), "green"), "JPEG", exif=exif.tobytes())
    until_evidence(client)

    response = upload(client, photo, "IMG_2041.jpg")

    assert response.status_code == 302, error_messages(response)
    with Image.open(next(evidence_dir.iterdir())) as stored:
        assert stored.format == "JPEG" and stored.size == (4000, 6000)
        assert dict(stored.getexif()) == {}


def test_a_40_megapixel_png_is_refused_with_a_clear_error_before_it_is_decoded(app, client, evidence_dir,
                                                                                monkeypatch):
    """An 8000 x 5000 PNG compresses to almost nothing; it is refused from its header alone, never decoded."""
    bomb = encoded(Image.new("L", (8000, 5000)), "PNG")
    assert len(bomb) < 100_000
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: decoded.append(image) or real_load(image))
    until_evidence(client)

    refused = upload(client, bomb, "bomb.png")

    assert refused.status_code == 200
    assert error_messages(refused) == [f"Error: {TOO_MANY_PIXELS}"]
    assert decoded == []
    assert evidence_ids(app) == []


def test_an_image_whose_decoding_would_take_too_much_memory_is_refused_before_it_is_decoded(app, client,
                                                                                            evidence_dir,
                                                                                            monkeypatch):
    """The memory a decode needs is worked out from the header; over the limit, the image is refused unread."""
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_DECODE_BYTES", 4 * MB)
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: decoded.append(image) or real_load(image))
    until_evidence(client)

    refused = upload(client, encoded(Image.new("RGB", (1000, 1000), "blue"), "PNG"), "big.png")

    assert error_messages(refused) == [f"Error: {TOO_BIG_TO_DECODE}"]
    assert decoded == []
    assert evidence_ids(app) == []


def test_a_progressive_jpeg_is_counted_with_the_coefficients_libjpeg_keeps(app, evidence_dir, monkeypatch):
    """libjpeg holds a progressive JPEG's coefficients for the whole image while it decodes (two bytes for each
    sample: six a pixel at full colour resolution), so the same picture may be refused as progressive and taken
    as a one-scan JPEG."""
    picture = Image.new("RGB", (1000, 1000), "orange")
    baseline = encoded(picture, "JPEG", subsampling=0)
    progressive = encoded(picture, "JPEG", subsampling=0, progressive=True)
    overhead = 16 * MB
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_DECODE_BYTES", overhead + 1_000_000 * (4 + 6) - 1)
    with app.app_context():
        assert store_evidence(baseline, "baseline.jpg").content_type == "image/jpeg"
        with pytest.raises(EvidenceRejected) as caught:
            store_evidence(progressive, "progressive.jpg")
        assert caught.value.message == TOO_BIG_TO_DECODE
        monkeypatch.setitem(app.config, "EVIDENCE_MAX_DECODE_BYTES", overhead + 1_000_000 * (4 + 6))
        assert store_evidence(progressive, "progressive.jpg").content_type == "image/jpeg"

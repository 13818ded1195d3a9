"""Evidence uploads: type decided by content, metadata stripped from photos, safe names and storage."""

import hashlib
import io
import stat
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter

from portal.reporting.evidence import (
    EvidenceRejected,
    StoredEvidence,
    delete_evidence,
    evidence_path,
    store_evidence,
)
from tests.conftest import examples

WRONG_TYPE = "The selected file must be a JPG, PNG or PDF"
TOO_MANY_PIXELS = "The selected image is too big: it must be 25 megapixels or smaller"
PDF_UNREADABLE = "The selected PDF cannot be opened. Save it again as a PDF, then upload it"


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    """An app context whose evidence folder is a fresh temporary directory."""
    folder = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(folder))
    with app.app_context():
        yield folder


def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    """An image encoded in memory."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def pdf_bytes(password: str | None = None) -> bytes:
    """A one-page PDF, optionally encrypted."""
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given size (a decompression bomb as far as the header goes)."""
    data = bytearray(image_bytes(Image.new("1", (1, 1)), "PNG"))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def stored_bytes(stored: StoredEvidence) -> bytes:
    """What is on disk for a stored upload."""
    return evidence_path(stored.storage_key).read_bytes()


def test_a_jpeg_loses_its_exif_and_gps_location(evidence_dir):
    """GPS coordinates and every other EXIF field are gone from a stored photo."""
    exif = Image.Exif()
    exif[0x010E] = "GPS marker secret-location"  # ImageDescription
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0), 0x12: "WGS-84"})
    original = image_bytes(Image.new("RGB", (32, 24), "green"), "JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[2] == (51.0, 30.0, 26.0)
    assert b"Exif" in original and b"GPS" in original and b"WGS-84" in original

    stored = store_evidence(original, "IMG_0001.jpg")

    assert stored.content_type == "image/jpeg"
    data = stored_bytes(stored)
    reopened = Image.open(io.BytesIO(data))
    assert reopened.format == "JPEG" and reopened.size == (32, 24)
    assert dict(reopened.getexif()) == {} and dict(reopened.getexif().get_ifd(0x8825)) == {}
    for marker in (b"Exif", b"GPS", b"WGS-84", b"PhoneMaker", b"secret-location"):
        assert marker not in data
    assert "icc_profile" not in reopened.info


def test_a_rotated_photo_is_turned_upright_and_loses_its_orientation_tag(evidence_dir):
    """EXIF Orientation 6 is applied to the pixels: width and height swap and the left edge ends on top."""
    picture = Image.new("RGB", (40, 20), "blue")
    picture.paste("red", (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = store_evidence(image_bytes(picture, "JPEG", exif=exif.tobytes()), "sideways.jpg")

    data = stored_bytes(stored)
    reopened = Image.open(io.BytesIO(data)).convert("RGB")
    assert reopened.size == (20, 40)
    red, _, blue = reopened.getpixel((10, 5))
    assert red > 200 and blue < 60
    red, _, blue = reopened.getpixel((10, 35))
    assert red < 60 and blue > 200
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {} and b"Exif" not in data


def test_a_png_loses_text_chunks_icc_profile_and_exif(evidence_dir):
    """Text, iTXt, ICC and eXIf chunks are not written back."""
    info = PngInfo()
    info.add_text("Comment", "secret-note")
    info.add_itxt("Author", "secret-author")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    original = image_bytes(Image.new("RGB", (8, 8), "white"), "PNG", pnginfo=info, icc_profile=b"fake-icc-profile",
                           exif=exif.tobytes())
    assert Image.open(io.BytesIO(original)).info["Comment"] == "secret-note"

    stored = store_evidence(original, "screenshot.png")

    assert stored.content_type == "image/png"
    data = stored_bytes(stored)
    reopened = Image.open(io.BytesIO(data))
    assert reopened.format == "PNG" and reopened.size == (8, 8)
    assert "Comment" not in reopened.info and "Author" not in reopened.info and "icc_profile" not in reopened.info
    assert dict(reopened.getexif()) == {}
    for marker in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf", b"secret-note", b"secret-author", b"PhoneMaker"):
        assert marker not in data


@pytest.mark.parametrize(
    ("mode", "fmt", "expected_modes"),
    [
        ("CMYK", "JPEG", {"RGB"}),
        ("L", "JPEG", {"L"}),
        ("P", "PNG", {"RGB"}),
        ("LA", "PNG", {"LA"}),
        ("RGBA", "PNG", {"RGBA"}),
        ("1", "PNG", {"1"}),
        ("I;16", "PNG", {"I;16", "I"}),
    ],
)
def test_pixel_modes_are_kept_sane_for_the_output_format(evidence_dir, mode, fmt, expected_modes):
    """CMYK and palette images become RGB; modes the format writes well are kept."""
    stored = store_evidence(image_bytes(Image.new(mode, (6, 4)), fmt), f"picture.{fmt.lower()}")
    reopened = Image.open(io.BytesIO(stored_bytes(stored)))
    assert reopened.format == fmt and reopened.size == (6, 4)
    assert reopened.mode in expected_modes


def test_a_palette_png_with_transparency_keeps_it_as_rgba(evidence_dir):
    """A transparent colour in a palette image survives as an alpha channel."""
    picture = Image.new("P", (4, 4), 0)
    picture.putpixel((0, 0), 1)
    stored = store_evidence(image_bytes(picture, "PNG", transparency=0), "logo.png")
    reopened = Image.open(io.BytesIO(stored_bytes(stored)))
    assert reopened.mode == "RGBA"
    assert reopened.getpixel((1, 1))[3] == 0 and reopened.getpixel((0, 0))[3] == 255


def test_a_pdf_is_accepted_and_its_size_and_hash_describe_the_stored_copy(evidence_dir):
    """A valid PDF is kept (rewritten: see test_hostile_pdfs), and its size and hash are the stored copy's."""
    stored = store_evidence(pdf_bytes(), "letter.pdf")
    assert stored.content_type == "application/pdf"
    data = stored_bytes(stored)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert stored.size_bytes == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence_path(stored.storage_key).parent == evidence_dir.resolve()


def test_a_photo_with_corrupt_exif_is_still_accepted_quietly(evidence_dir):
    """Broken EXIF in a real photo is dropped without a warning, and what could be read is still applied."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010E] = "x" * 100
    original = image_bytes(Image.new("RGB", (4, 2)), "JPEG", exif=exif.tobytes()[:86])  # description cut short
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        stored = store_evidence(original, "photo.jpg")
    assert seen == []
    data = stored_bytes(stored)
    assert Image.open(io.BytesIO(data)).size == (2, 4) and b"Exif" not in data


def test_a_pdf_without_pages_is_rejected(evidence_dir):
    """pypdf can read it, but an empty document is not evidence."""
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    with pytest.raises(EvidenceRejected) as caught:
        store_evidence(buffer.getvalue(), "empty.pdf")
    assert caught.value.message == PDF_UNREADABLE


def test_the_type_comes_from_the_content_not_the_name(evidence_dir):
    """A PDF called .jpg is a PDF; a JPEG called .pdf is a JPEG."""
    assert store_evidence(pdf_bytes(), "photo.jpg").content_type == "application/pdf"
    jpeg = image_bytes(Image.new("RGB", (4, 4)), "JPEG")
    assert store_evidence(jpeg, "statement.pdf").content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body><script>alert(document.cookie)</script></body></html>", WRONG_TYPE),
        (b"#!/bin/sh\nrm -rf /\n", WRONG_TYPE),
        (b"\xff\xd8\xff\xe0 not really a jpeg", WRONG_TYPE),
        (b"\x89PNG\r\n\x1a\n then nothing", WRONG_TYPE),
        (b"%PDF-1.7\n" + b"junk " * 200, PDF_UNREADABLE),
        (b"%PDF-", PDF_UNREADABLE),
    ],
    ids=["html", "script", "jpeg-magic-only", "png-magic-only", "pdf-junk", "pdf-header-only"],
)
def test_files_that_are_not_jpg_png_or_pdf_are_rejected(evidence_dir, data, message):
    """Disguised or broken files get the type message (a broken PDF its own) and nothing is written."""
    with pytest.raises(EvidenceRejected) as caught:
        store_evidence(data, "photo.jpg")
    assert caught.value.message == message
    assert not evidence_dir.exists() or list(evidence_dir.iterdir()) == []


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_rejected(evidence_dir, fmt):
    """Real images in other formats are refused."""
    with pytest.raises(EvidenceRejected, match=WRONG_TYPE):
        store_evidence(image_bytes(Image.new("RGB", (4, 4), "red"), fmt), "photo.png")


def test_a_password_protected_pdf_is_rejected(evidence_dir):
    """An encrypted PDF gets its own message."""
    with pytest.raises(EvidenceRejected) as caught:
        store_evidence(pdf_bytes(password="secret"), "locked.pdf")
    assert caught.value.message == "The selected PDF must not be password protected"


def test_an_empty_file_is_rejected(evidence_dir):
    """No bytes, no evidence."""
    with pytest.raises(EvidenceRejected) as caught:
        store_evidence(b"", "photo.jpg")
    assert caught.value.message == "The selected file is empty"


def test_a_file_over_the_default_limit_is_rejected_with_10mb(evidence_dir):
    """Without a setting the limit is 10MB, and the message says so."""
    with pytest.raises(EvidenceRejected) as caught:
        store_evidence(b"%PDF-" + b"\0" * (10 * 1024 * 1024), "big.pdf")
    assert caught.value.message == "The selected file must be smaller than 10MB"


@pytest.mark.parametrize(("limit", "text"), [(1024 * 1024, "1MB"), (3 * 1024 * 1024 // 2, "1.5MB"), (2048, "2KB")])
def test_the_size_limit_comes_from_the_setting(app, evidence_dir, monkeypatch, limit, text):
    """EVIDENCE_MAX_BYTES sets the limit and the figure in the message; a file at the limit is fine."""
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", limit)
    with pytest.raises(EvidenceRejected) as caught:
        store_evidence(b"\0" * (limit + 1), "big.jpg")
    assert caught.value.message == f"The selected file must be smaller than {text}"
    original = pdf_bytes()
    assert len(original) <= 2048
    store_evidence(original + b"\n" * (limit - len(original)), "exact.pdf")


@pytest.mark.parametrize(
    ("width", "height"),
    [(5000, 5001), (7000, 7000), (10_000, 10_000), (20_000, 20_000)],
    ids=["just-over-the-limit", "pillow-warning-zone", "pillow-error-zone", "far-over"],
)
def test_a_decompression_bomb_is_rejected_without_a_warning(evidence_dir, width, height):
    """A PNG claiming tens or hundreds of millions of pixels is refused, and no warning reaches the caller."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with pytest.raises(EvidenceRejected) as caught:
            store_evidence(png_claiming(width, height), "bomb.png")
    assert caught.value.message == TOO_MANY_PIXELS
    assert seen == []


def test_a_real_compressed_bomb_is_rejected(evidence_dir):
    """A genuine 400-million-pixel PNG that compresses to almost nothing is refused."""
    bomb = image_bytes(Image.new("1", (20_000, 20_000)), "PNG")
    assert len(bomb) < 1024 * 1024
    with pytest.raises(EvidenceRejected) as caught:
        store_evidence(bomb, "bomb.png")
    assert caught.value.message == TOO_MANY_PIXELS


def test_the_pixel_limit_comes_from_the_setting(app, evidence_dir, monkeypatch):
    """EVIDENCE_MAX_PIXELS lowers the limit."""
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_PIXELS", 2_000_000)
    with pytest.raises(EvidenceRejected) as caught:
        store_evidence(image_bytes(Image.new("L", (1000, 2001)), "PNG"), "photo.png")
    assert caught.value.message == "The selected image is too big: it must be 2 megapixels or smaller"
    assert store_evidence(image_bytes(Image.new("L", (1000, 2000)), "PNG"), "photo.png").content_type == "image/png"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        ("a" * 500, "a" * 200),
        ("\x00\n", "evidence"),
        ("", "evidence"),
        ("..", "evidence"),
        ("folder/", "evidence"),
        ("  bruise\x07 photo\u202egpj.exe  ", "bruise photogpj.exe"),
        ("café.jpg", "café.jpg"),
    ],
)
def test_the_original_name_is_cleaned(evidence_dir, filename, expected):
    """Only a short, printable basename of the user's file name is kept."""
    stored = store_evidence(pdf_bytes(), filename)
    assert stored.original_name == expected
    assert Path(evidence_path(stored.storage_key)).name == stored.storage_key


def test_the_storage_key_is_random_hex_and_never_the_user_name(evidence_dir):
    """Two uploads of the same file get different 32-character hex keys."""
    first = store_evidence(pdf_bytes(), "../../evil.pdf")
    second = store_evidence(pdf_bytes(), "../../evil.pdf")
    assert first.storage_key != second.storage_key
    for key in (first.storage_key, second.storage_key):
        assert len(key) == 32 and set(key) <= set("0123456789abcdef")
    assert sorted(p.name for p in evidence_dir.iterdir()) == sorted([first.storage_key, second.storage_key])


@pytest.mark.parametrize("key", ["../x", "", "ABC", "a" * 31, "a" * 33, "A" * 32, "../" + "a" * 29, "a" * 32 + "\n"])
def test_evidence_path_refuses_anything_but_a_storage_key(evidence_dir, key):
    """Traversal, upper case and wrong lengths raise ValueError."""
    with pytest.raises(ValueError):
        evidence_path(key)


def test_delete_evidence_removes_the_file_and_tolerates_a_missing_one(evidence_dir):
    """The file goes, and deleting it again is not an error."""
    stored = store_evidence(pdf_bytes(), "letter.pdf")
    path = evidence_path(stored.storage_key)
    assert path.exists()
    delete_evidence(stored.storage_key)
    assert not path.exists()
    delete_evidence(stored.storage_key)
    with pytest.raises(ValueError):
        delete_evidence("../../etc/passwd")


def test_stored_files_are_private_and_outside_the_static_folder(app, evidence_dir):
    """Mode 0o600, not under the static folder, and no temporary files left behind."""
    stored = store_evidence(image_bytes(Image.new("RGB", (4, 4)), "PNG"), "photo.png")
    path = evidence_path(stored.storage_key).resolve()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.is_relative_to(Path(app.static_folder).resolve())
    assert [p.name for p in evidence_dir.iterdir()] == [stored.storage_key]
    assert stored.size_bytes == path.stat().st_size


def test_an_evidence_folder_inside_the_static_folder_is_refused(app, monkeypatch, tmp_path):
    """Evidence must never be served as a static file, so such a setting fails before anything is written."""
    inside = Path(app.static_folder) / "evidence-should-not-exist"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(inside))
    with app.app_context(), pytest.raises(RuntimeError):
        store_evidence(pdf_bytes(), "letter.pdf")
    assert not inside.exists()


def test_the_default_folder_is_under_the_instance_folder(app, monkeypatch):
    """Without EVIDENCE_DIR, files go to instance/evidence."""
    monkeypatch.delitem(app.config, "EVIDENCE_DIR", raising=False)
    with app.app_context():
        path = evidence_path("0" * 32)
    assert path.parent == (Path(app.instance_path) / "evidence").resolve()


PREFIXES = [b"", b"%PDF-", b"%PDF-1.4\n1 0 obj\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a"]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000), filename=st.text(max_size=300))
def test_random_bytes_only_ever_raise_evidence_rejected(evidence_dir, prefix, body, filename):
    """Whatever is uploaded, the only failure is EvidenceRejected, with a message for the form."""
    try:
        stored = store_evidence(prefix + body, filename)
    except EvidenceRejected as rejected:
        assert rejected.message
    else:
        assert stored.content_type in {"image/jpeg", "image/png", "application/pdf"}
        assert 0 < len(stored.original_name) <= 200

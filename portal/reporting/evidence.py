"""Evidence uploaded with a report: JPG, PNG or PDF by content, stored under a random name outside static files.

Photos are re-encoded, dropping EXIF (GPS location included), ICC profiles and text; PDFs are kept as sent.
"""

import io
import os
import re
import secrets
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps
from pypdf import PdfReader

from portal.domain import DomainError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
MAX_NAME_LENGTH = 200
WRONG_TYPE = "The selected file must be a JPG, PNG or PDF"
_KEY = re.compile(r"[0-9a-f]{32}")
# Pillow format -> (format to save, content type)
_IMAGE_FORMATS = {"JPEG": ("JPEG", "image/jpeg"), "MPO": ("JPEG", "image/jpeg"), "PNG": ("PNG", "image/png")}


class EvidenceRejected(DomainError):
    """The upload cannot be kept; the message says why, for the form."""


@dataclass(frozen=True)
class StoredEvidence:
    """A file written to the evidence folder, with what the user called it."""

    storage_key: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str


def store_evidence(data: bytes, filename: str) -> StoredEvidence:
    """Check an upload by its content, strip image metadata, and write it under a random key."""
    limit = current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if not data:
        raise EvidenceRejected("The selected file is empty")
    if len(data) > limit:
        raise EvidenceRejected(f"The selected file must be smaller than {_size_text(limit)}")
    if data.startswith(b"%PDF-"):
        content_type, stored = "application/pdf", _checked_pdf(data)
    else:
        content_type, stored = _clean_image(data)
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")  # created with mode 0o600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(stored)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, folder / key)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return StoredEvidence(key, _clean_name(filename), content_type, len(stored), sha256(stored).hexdigest())


def evidence_path(storage_key: str) -> Path:
    """Where the file for a storage key lives; refuses anything but 32 lowercase hex characters."""
    if not isinstance(storage_key, str) or not _KEY.fullmatch(storage_key):
        raise ValueError("Not an evidence storage key.")
    return _folder() / storage_key


def delete_evidence(storage_key: str) -> None:
    """Remove a stored file; a file that is already gone is fine."""
    evidence_path(storage_key).unlink(missing_ok=True)


def _clean_name(filename: str) -> str:
    """The user's file name made safe to show: basename only, no control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", str(filename or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip()
    name = name[:MAX_NAME_LENGTH].strip()
    return "evidence" if not name or set(name) == {"."} else name


def _folder() -> Path:
    """The evidence folder from the settings, refusing one that the app serves as static files."""
    configured = current_app.config.get("EVIDENCE_DIR")
    folder = Path(configured or Path(current_app.instance_path) / "evidence").resolve()
    if current_app.static_folder:
        static = Path(current_app.static_folder).resolve()
        if folder == static or static in folder.parents:
            raise RuntimeError("EVIDENCE_DIR must not be inside the static folder.")
    return folder


def _size_text(limit: int) -> str:
    """A byte limit as people read it: 10MB, 1.5MB or 500KB."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.1f}".removesuffix(".0") + "MB"
    return f"{max(1, limit // 1024)}KB"


def _checked_pdf(data: bytes) -> bytes:
    """Return the PDF unchanged if pypdf can read at least one page and it has no password."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            encrypted = reader.is_encrypted
            pages = 0 if encrypted else len(reader.pages)
    except Exception:  # pypdf raises many kinds of error on hostile input
        raise EvidenceRejected(WRONG_TYPE) from None
    if encrypted:
        raise EvidenceRejected("The selected PDF must not be password protected")
    if pages < 1:
        raise EvidenceRejected(WRONG_TYPE)
    return data


def _clean_image(data: bytes) -> tuple[str, bytes]:
    """Decode a JPEG or PNG within the pixel limit and re-encode it upright, with no metadata at all."""
    max_pixels = current_app.config.get("EVIDENCE_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. corrupt EXIF in a real photo: harmless, it is dropped
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as probe:
                fmt, (width, height) = probe.format, probe.size
                if fmt not in _IMAGE_FORMATS or width * height > max_pixels:
                    raise EvidenceRejected(WRONG_TYPE)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
                image.load()
                ImageOps.exif_transpose(image, in_place=True)
                save_as, content_type = _IMAGE_FORMATS[fmt]
                clean = image.convert(_output_mode(image, save_as))
            clean.info = {}
            out = io.BytesIO()
            clean.save(out, save_as, **({"quality": 90} if save_as == "JPEG" else {}))
    except EvidenceRejected:
        raise
    except Exception:  # Pillow raises many kinds of error on hostile input, bombs included
        raise EvidenceRejected(WRONG_TYPE) from None
    return content_type, out.getvalue()


def _output_mode(image: Image.Image, save_as: str) -> str:
    """A pixel mode the output format writes faithfully (CMYK and palettes become RGB or RGBA)."""
    if save_as == "JPEG":
        return image.mode if image.mode in ("L", "RGB") else "RGB"
    if "transparency" in image.info or image.mode in ("PA", "RGBa", "La"):
        return "RGBA"
    return image.mode if image.mode in ("1", "L", "LA", "I", "I;16", "RGB", "RGBA") else "RGB"

"""Evidence uploaded with a report: JPG, PNG or PDF by content, stored under a random name outside static files.

Photos are re-encoded, dropping EXIF (GPS location included), ICC profiles and text. PDFs are rewritten with
pypdf: the pages are kept, and nothing that acts (actions, JavaScript, embedded files, links) or hides after the
end of the file; a PDF pypdf cannot read is refused.

An image is judged by its header before a pixel is decoded: at most 25 megapixels, and no more memory for decoding
and cleaning it than EVIDENCE_MAX_DECODE_BYTES (200MB), worked out from its size, its pixel format and, for a JPEG
that libjpeg must hold whole (progressive, or scans of one colour at a time), the coefficients it keeps. Cleaning
never holds two full copies of a photo: a sideways photo is turned one colour band at a time, and the clean copy is
written straight to its file.
"""

import hashlib
import io
import os
import re
import secrets
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from PIL import ExifTags, Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from portal.domain import DomainError
from portal.i18n import N_

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 25_000_000
DEFAULT_MAX_DECODE_BYTES = 200 * 1024 * 1024
# Pillow refuses larger images itself, whatever the caller: a warning above this (made an error below) and an
# error above twice this. EVIDENCE_MAX_PIXELS can lower the limit, not raise it.
Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS
MAX_NAME_LENGTH = 200
WRONG_TYPE = N_("The selected file must be a JPG, PNG or PDF")
TOO_MANY_PIXELS = N_("The selected image is too big: it must be %(megapixels)d megapixels or smaller")
TOO_BIG_TO_DECODE = N_("The selected image is too big to check. Save it at a smaller size and upload it again")
PDF_UNREADABLE = N_("The selected PDF cannot be opened. Save it again as a PDF, then upload it")
_KEY = re.compile(r"[0-9a-f]{32}")
# Pillow format -> (format to save, content type)
_IMAGE_FORMATS = {"JPEG": ("JPEG", "image/jpeg"), "MPO": ("JPEG", "image/jpeg"), "PNG": ("PNG", "image/png")}
_OPENERS = ["JPEG", "PNG"]
# EXIF orientation -> how to turn the pixels upright (as PIL.ImageOps.exif_transpose does).
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
            5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}
# Modes made of 8-bit bands, which are turned one band at a time.
_BANDED = frozenset({"LA", "RGB", "RGBA", "CMYK"})
# Beyond the pixels: decoder and encoder state, Python's objects, and memory the allocator has not yet handed
# back between steps.
_DECODE_OVERHEAD = 16 * 1024 * 1024
# What a rewritten PDF never keeps, at any depth: actions (document, page, annotation and form-field ones, which
# include Launch, URI and JavaScript), JavaScript itself, the name trees (document JavaScript, embedded files),
# embedded files and file specifications' contents, forms (with XFA), and rich media.
_PDF_ACTIVE_KEYS = frozenset({"/OpenAction", "/AA", "/A", "/Next", "/JS", "/JavaScript", "/Names", "/EmbeddedFiles",
                              "/EmbeddedFile", "/EF", "/RF", "/AcroForm", "/XFA", "/RichMediaContent",
                              "/RichMediaSettings"})
# Annotations kept (without their actions): comments and marks people make on a page, and form fields' look.
_PDF_PASSIVE_ANNOTATIONS = frozenset({"/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine",
                                      "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret",
                                      "/Ink", "/Popup", "/Widget"})


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
    """Check an upload by its content, write a clean copy under a random key (photos without metadata), and
    describe the file as kept. Raises EvidenceRejected, with a message for the form, for anything else."""
    limit = current_app.config.get("EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if not data:
        raise EvidenceRejected(N_("The selected file is empty"))
    if len(data) > limit:
        raise EvidenceRejected(N_("The selected file must be smaller than %(size)s"), size=size_text(limit))
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")  # created with mode 0o600
    try:
        with os.fdopen(fd, "w+b") as handle:
            if data.startswith(b"%PDF-"):
                content_type = "application/pdf"
                handle.write(_clean_pdf(data))
            else:
                content_type = _write_clean_image(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
            size = os.fstat(handle.fileno()).st_size
            handle.seek(0)
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        os.chmod(tmp, 0o600)
        key = secrets.token_hex(16)
        os.replace(tmp, folder / key)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return StoredEvidence(key, _clean_name(filename), content_type, size, digest)


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


def size_text(limit: int) -> str:
    """A byte limit as people read it: 10MB, 1.5MB or 500KB."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.1f}".removesuffix(".0") + "MB"
    return f"{max(1, limit // 1024)}KB"


def _clean_pdf(data: bytes) -> bytes:
    """A new PDF with the upload's pages and nothing that acts: no document or page actions, no JavaScript, no
    name trees (where document JavaScript and embedded files live), no embedded files, no links and no
    annotation that can act (those kept lose their actions), no form, outline or metadata of the document, and
    nothing after %%EOF. Raises EvidenceRejected if the PDF cannot be read, has no pages or has a password."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise EvidenceRejected(N_("The selected PDF must not be password protected"))
            pages = list(reader.pages)
            if not pages:
                raise EvidenceRejected(PDF_UNREADABLE)
            # What is dropped goes from the pages read, so it is never copied (a copy left unreferenced would
            # still be written); the copy leaves the same keys out again at every depth, and is checked.
            for page in pages:
                _keep_passive_annotations(page)
            _strip_active_keys(pages)
            writer = PdfWriter()
            for page in pages:  # streams are copied as they are, never decoded (no compression bombs)
                writer.add_page(page, excluded_keys=sorted(_PDF_ACTIVE_KEYS))
            if _strip_active_keys([writer.root_object]):
                raise EvidenceRejected(PDF_UNREADABLE)  # something slipped through: refuse rather than keep it
            out = io.BytesIO()
            writer.write(out)
            clean = out.getvalue()
            if len(PdfReader(io.BytesIO(clean), strict=False).pages) != len(pages):
                raise EvidenceRejected(PDF_UNREADABLE)
    except EvidenceRejected:
        raise
    except Exception:  # pypdf raises many kinds of error on hostile input
        raise EvidenceRejected(PDF_UNREADABLE) from None
    return clean


def _keep_passive_annotations(page: PageObject) -> None:
    """Drop a page's links, file attachments, media and any annotation of a kind not known to be passive."""
    if "/Annots" not in page:
        return
    annotations = page["/Annots"].get_object()
    kept = [item for item in annotations
            if isinstance(item.get_object(), DictionaryObject)
            and item.get_object().get("/Subtype") in _PDF_PASSIVE_ANNOTATIONS] \
        if isinstance(annotations, ArrayObject) else []
    if kept:
        page[NameObject("/Annots")] = ArrayObject(kept)
    else:
        del page["/Annots"]


def _strip_active_keys(start: list) -> int:
    """Remove the active keys from every dictionary reachable from these objects; returns how many it removed."""
    removed = 0
    seen: set[tuple[int, int]] = set()
    waiting = list(start)
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key in _PDF_ACTIVE_KEYS & set(item):
                del item[key]
                removed += 1
            waiting.extend(item.values())
        elif isinstance(item, ArrayObject):
            waiting.extend(item)
    return removed


def _write_clean_image(data: bytes, handle: BinaryIO) -> str:
    """Judge a JPEG or PNG by its header, then decode it, turn it upright and write it to the handle with no
    metadata at all. Returns its content type."""
    max_pixels = current_app.config.get("EVIDENCE_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. corrupt EXIF in a real photo: harmless, it is dropped
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_OPENERS) as probe:  # reads the header, decodes nothing
                fmt, (width, height) = probe.format, probe.size
                if fmt not in _IMAGE_FORMATS:
                    raise EvidenceRejected(WRONG_TYPE)
                if width * height > max_pixels:
                    raise EvidenceRejected(TOO_MANY_PIXELS, megapixels=max_pixels // 1_000_000)
                save_as, content_type = _IMAGE_FORMATS[fmt]
                turn, mode = _UPRIGHT.get(_orientation(probe)), _output_mode(probe, save_as)
                limit = current_app.config.get("EVIDENCE_MAX_DECODE_BYTES", DEFAULT_MAX_DECODE_BYTES)
                if _decode_bytes(probe, data, turn is not None, mode) > limit:
                    raise EvidenceRejected(TOO_BIG_TO_DECODE)
                probe.verify()
            clean = _decoded(data, turn, mode)
            try:
                clean.info = {}
                clean.save(handle, save_as, **({"quality": 90} if save_as == "JPEG" else {}))
            finally:
                clean.close()
    except EvidenceRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise EvidenceRejected(TOO_MANY_PIXELS, megapixels=max_pixels // 1_000_000) from None
    except Exception:  # Pillow raises many kinds of error on hostile input
        raise EvidenceRejected(WRONG_TYPE) from None
    return content_type


def _orientation(probe: Image.Image) -> int:
    """The EXIF orientation in the image's header (a PNG's EXIF after its pixels is not read: it would mean
    decoding them)."""
    if probe.format == "PNG" and "exif" not in probe.info:
        return 1
    return probe.getexif().get(ExifTags.Base.Orientation, 1)


def _decode_bytes(probe: Image.Image, data: bytes, turning: bool, mode: str) -> int:
    """The most memory decoding and cleaning an image holds at once, from its header alone: the decoded pixels
    and, at the worst step, the coefficients libjpeg keeps for a JPEG it must hold whole, the turned copy of a
    sideways photo (band by band where it can be), or the pixels converted to the output mode."""
    held = _pixel_bytes(probe.mode)
    steps = [held + _coefficient_bytes(probe, data)]
    if turning:
        steps.append(held + (len(probe.getbands()) if probe.mode in _BANDED else held))
    if mode != probe.mode:
        steps.append(held + _pixel_bytes(mode))
    width, height = probe.size
    return width * height * max(steps) + _DECODE_OVERHEAD


def _pixel_bytes(mode: str) -> int:
    """Bytes Pillow keeps for one pixel of a mode (it pads three-band RGB to four)."""
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


def _coefficient_bytes(probe: Image.Image, data: bytes) -> int:
    """Bytes per pixel of the DCT coefficients libjpeg keeps for the whole image while it decodes a progressive
    JPEG, or one whose first scan does not hold every colour (0 for a PNG or a one-scan JPEG, decoded row by row).
    """
    if probe.format not in ("JPEG", "MPO"):
        return 0
    layers = getattr(probe, "layer", None) or []
    if not probe.info.get("progressive") and layers and _first_scan_components(data) == len(layers):
        return 0
    if not layers:
        return 2 * 4  # unknown: as for four full-size colour components
    widest = max(h for _, h, _, _ in layers)
    tallest = max(v for _, _, v, _ in layers)
    # 2 bytes a coefficient, one coefficient a sample; components sampled at less than full size hold fewer.
    return -(-2 * sum(h * v for _, h, v, _ in layers) // (widest * tallest))


def _first_scan_components(data: bytes) -> int | None:
    """How many colour components a JPEG's first scan holds, read from its start-of-scan segment."""
    position = 2
    while position + 4 < len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xDA:
            return data[position + 4]
        else:
            position += 2 + int.from_bytes(data[position + 2:position + 4], "big")
    return None


def _decoded(data: bytes, turn: Image.Transpose | None, mode: str) -> Image.Image:
    """The image decoded, turned upright and converted to the output mode, as planned from its header. Each step
    lets go of the pixels of the one before."""
    image = Image.open(io.BytesIO(data), formats=_OPENERS)
    try:
        image.load()
    except BaseException:
        image.close()
        raise
    if turn is not None:
        image = _turned(image, turn)
    if image.mode != mode:
        converted = image.convert(mode)
        image.close()
        image = converted
    return image


def _turned(image: Image.Image, turn: Image.Transpose) -> Image.Image:
    """The image turned; a colour image one band at a time, so that it never needs two full copies (Pillow keeps
    RGB in four bytes a pixel, its three bands in one byte each)."""
    if image.mode not in _BANDED:
        turned = image.transpose(turn)
        image.close()
        return turned
    mode, bands = image.mode, list(image.split())
    image.close()
    for index in range(len(bands)):
        bands[index] = bands[index].transpose(turn)
    return Image.merge(mode, bands)


def _output_mode(image: Image.Image, save_as: str) -> str:
    """A pixel mode the output format writes faithfully (CMYK and palettes become RGB or RGBA)."""
    if save_as == "JPEG":
        return image.mode if image.mode in ("L", "RGB") else "RGB"
    if "transparency" in image.info or image.mode in ("PA", "RGBa", "La"):
        return "RGBA"
    return image.mode if image.mode in ("1", "L", "LA", "I", "I;16", "RGB", "RGBA") else "RGB"

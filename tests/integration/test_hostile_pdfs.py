"""Uploaded PDFs are rewritten on upload: the pages are kept, and nothing that runs, opens, launches or hides a
file is (no document or page actions, no JavaScript, no embedded files, no links or annotations with actions,
nothing after the end of the file). A PDF that cannot be read is refused with a message."""

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.cases.models import EvidenceFile
from portal.extensions import db
from portal.reporting.evidence import EvidenceRejected, evidence_path, store_evidence
from tests.wizard import BIKE_THEFT, error_messages, walk

ACTIVE = (b"/JavaScript", b"/JS", b"/OpenAction", b"/EmbeddedFile", b"/Launch", b"/URI", b"/AA", b"<script",
          b"<html", b"payload")
UNREADABLE = "The selected PDF cannot be opened. Save it again as a PDF, then upload it"


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    """Store uploads in a temporary folder for this test."""
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    return tmp_path / "evidence"


def name(text: str) -> NameObject:
    return NameObject(text)


def action(kind: str, **entries) -> DictionaryObject:
    """An action dictionary: JavaScript, Launch, URI..."""
    result = DictionaryObject({name("/Type"): name("/Action"), name("/S"): name(f"/{kind}")})
    result.update({name(f"/{key}"): TextStringObject(value) for key, value in entries.items()})
    return result


def annotation(writer: PdfWriter, subtype: str, **entries) -> object:
    """An annotation over the page's corner, with the given entries."""
    result = DictionaryObject({name("/Type"): name("/Annot"), name("/Subtype"): name(f"/{subtype}"),
                               name("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(50),
                                                           FloatObject(50)])})
    result.update({name(f"/{key}"): value for key, value in entries.items()})
    return writer._add_object(result)


def text_page(writer: PdfWriter, words: str) -> None:
    """A page that shows some words in Helvetica."""
    page = writer.add_blank_page(300, 200)
    font = DictionaryObject({name("/Type"): name("/Font"), name("/Subtype"): name("/Type1"),
                             name("/BaseFont"): name("/Helvetica")})
    page[name("/Resources")] = DictionaryObject(
        {name("/Font"): DictionaryObject({name("/F1"): writer._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 100 Td ({words}) Tj ET".encode())
    page[name("/Contents")] = writer._add_object(content)


def hostile_pdf() -> bytes:
    """Two pages of receipt with everything a PDF can carry that runs or hides something: a JavaScript open
    action, document JavaScript, an embedded file, page open actions, a Launch link, a URI link, a form field with
    a JavaScript action, a file-attachment annotation; and an HTML page with a script after %%EOF."""
    writer = PdfWriter()
    text_page(writer, "Receipt 1042 for one bicycle")
    text_page(writer, "Paid 250 pounds")
    writer._root_object[name("/OpenAction")] = action("JavaScript", JS="app.alert('opened')")
    writer.add_open_action(action("JavaScript", JS="app.launchURL('http://example.com/x', true)"))
    writer.add_attachment("payload.exe", b"MZ pretend program")
    first, second = writer.pages
    first[name("/AA")] = DictionaryObject({name("/O"): action("JavaScript", JS="this.print()")})
    attached = DictionaryObject({name("/Type"): name("/Filespec"), name("/F"): TextStringObject("payload.exe"),
                                 name("/EF"): DictionaryObject({name("/F"): writer._add_object(
                                     DecodedStreamObject())})})
    first[name("/Annots")] = ArrayObject([
        annotation(writer, "Link", A=action("Launch", F="payload.exe")),
        annotation(writer, "Link", A=action("URI", URI="http://example.com/phish")),
        annotation(writer, "Widget", FT=name("/Tx"), T=TextStringObject("amount"),
                   AA=DictionaryObject({name("/K"): action("JavaScript", JS="app.alert(1)")})),
        annotation(writer, "FileAttachment", FS=writer._add_object(attached)),
        annotation(writer, "Square", C=ArrayObject([NumberObject(1), NumberObject(0), NumberObject(0)])),
    ])
    second[name("/AA")] = DictionaryObject({name("/C"): action("Launch", F="cmd.exe")})
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue() + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    assert all(marker in data for marker in ACTIVE)
    return data


def upload(client, data: bytes, filename: str):
    """Post a file to the evidence question (the body encoded here, in memory)."""
    boundary, body = encode_multipart({"csrf_token": client._token(),
                                       "file": FileStorage(io.BytesIO(data), filename=filename)})
    return client.post("/report/evidence", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def until_evidence(client):
    index = [slug for slug, _ in BIKE_THEFT].index("evidence")
    walk(client, BIKE_THEFT[:index], check_pages=False)


def stored_files(app) -> list[bytes]:
    with app.app_context():
        return [evidence_path(key).read_bytes() for key in db.session.scalars(select(EvidenceFile.storage_key))]


def assert_harmless(data: bytes, pages: int) -> PdfReader:
    """The stored PDF has nothing active in it, ends at its one %%EOF, and opens with its pages."""
    found = [marker.decode() for marker in ACTIVE if marker in data]
    assert found == [], f"still in the stored PDF: {found}"
    assert data.count(b"%%EOF") == 1 and data.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == pages
    return reader


def test_a_hostile_pdf_is_rewritten_on_upload_without_anything_active(app, client, evidence_dir):
    """Through the real upload: the stored copy keeps both pages and their words, a plain annotation, and none of
    the actions, scripts, links, embedded files or the HTML after the end."""
    until_evidence(client)

    response = upload(client, hostile_pdf(), "receipt.pdf")

    assert response.status_code == 302, error_messages(response)
    [stored] = stored_files(app)
    reader = assert_harmless(stored, pages=2)
    assert "Receipt 1042 for one bicycle" in reader.pages[0].extract_text()
    assert "Paid 250 pounds" in reader.pages[1].extract_text()
    assert [a.get_object()["/Subtype"] for a in reader.pages[0]["/Annots"]] == ["/Widget", "/Square"]
    root = reader.trailer["/Root"]
    assert "/Names" not in root and "/OpenAction" not in root and "/AcroForm" not in root
    with app.app_context():
        item = db.session.scalar(select(EvidenceFile))
        assert (item.content_type, item.size_bytes) == ("application/pdf", len(stored))


def test_a_pdf_header_followed_by_html_is_refused_with_a_message(app, client, evidence_dir):
    """A file that starts like a PDF but is a web page with a script cannot be read as a PDF: it is refused on
    the page, and nothing is kept."""
    until_evidence(client)
    polyglot = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"

    response = upload(client, polyglot, "statement.pdf")

    assert response.status_code == 200
    assert error_messages(response) == [f"Error: {UNREADABLE}"]
    assert stored_files(app) == [] and list(evidence_dir.iterdir()) == []


def test_html_between_the_header_and_a_real_pdf_is_dropped(app, evidence_dir):
    """A real PDF with a web page pushed in after its header (so the offsets no longer match) is read by its
    objects and rewritten without the page."""
    genuine = io.BytesIO()
    writer = PdfWriter()
    text_page(writer, "Statement of account")
    writer.write(genuine)
    header, rest = genuine.getvalue().split(b"\n", 1)
    polyglot = header + b"\n<html><script>alert(1)</script></html>\n" + rest

    with app.app_context():
        stored = store_evidence(polyglot, "statement.pdf")
        data = evidence_path(stored.storage_key).read_bytes()

    reader = assert_harmless(data, pages=1)
    assert "Statement of account" in reader.pages[0].extract_text()


def test_a_plain_pdf_keeps_its_pages_and_words(app, evidence_dir):
    """Rewriting changes nothing a reader sees."""
    buffer = io.BytesIO()
    writer = PdfWriter()
    for number in range(3):
        text_page(writer, f"Page {number + 1} of the letter")
    writer.write(buffer)

    with app.app_context():
        stored = store_evidence(buffer.getvalue(), "letter.pdf")
        data = evidence_path(stored.storage_key).read_bytes()

    reader = assert_harmless(data, pages=3)
    assert [page.extract_text() for page in reader.pages] == [f"Page {n} of the letter" for n in (1, 2, 3)]


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n" + b"\x00" * 500,
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF",
    b"%PDF-",
], ids=["zeros", "catalogue-without-pages", "header-only"])
def test_a_pdf_that_cannot_be_read_is_refused(app, evidence_dir, data):
    with app.app_context(), pytest.raises(EvidenceRejected) as caught:
        store_evidence(data, "broken.pdf")
    assert caught.value.message == UNREADABLE

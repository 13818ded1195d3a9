"""Documents in the reader's language: the report summary PDF and the data download PDF are drawn in the language
the person is reading the service in (Polish, Arabic or English), with the committed Noto fonts embedded, and the
Arabic ones set right to left. The text is read back out of the PDF with pypdf."""

import io
import re

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from portal.auth.roles import Role
from portal.data_rights.export import PDF_HEADINGS
from portal.documents import Document
from tests.conftest import sign_in_as
from tests.triage_helpers import make_report
from tests.wizard import BIKE_THEFT, crime_number_in, walk

POINTS_PER_MM = 72 / 25.4
PAGE_WIDTH = 210 * POINTS_PER_MM
LEFT_EDGE = 11 * POINTS_PER_MM  # fpdf2's default margin (10 mm) and a cell's padding (1 mm)
SUMMARY_HEADINGS = ("Crime report summary", "Crime number", "What happened", "Description", "What happens next")
DATA_HEADINGS = ("Your data", *PDF_HEADINGS.values(), "Crime number %(crime_number)s")


def in_language(app, language: str, texts, **values) -> list[str]:
    """The catalogue's words for each English text, in a language."""
    with app.test_request_context(), force_locale(language):
        return [gettext(text, **values) for text in texts]


def text_of(pdf: bytes) -> str:
    """All the text, with runs of white space made single."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def placed_runs(pdf: bytes) -> dict[str, float]:
    """Each piece of text on the first page with where it starts, in points from the left."""
    found: dict[str, float] = {}

    def visit(text, _cm, tm, _font, _size) -> None:
        if text.strip():
            found.setdefault(text.strip(), tm[4])

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def fonts_of(pdf: bytes) -> list[tuple[str, bool]]:
    """Each font on each page: its name, and whether the font file is embedded."""
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts.append((str(font["/BaseFont"]), "/FontFile2" in descendant["/FontDescriptor"].get_object()))
    return fonts


def language_of(pdf: bytes) -> str:
    """The document's language (/Lang in its catalogue)."""
    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/Lang"))


def guest_summary(app, language: str) -> tuple[str, bytes]:
    """A guest reports a bicycle theft reading the service in a language, then downloads the PDF copy."""
    client = app.test_client()
    client.set_cookie("language", language)
    walk(client, BIKE_THEFT, check_pages=False)
    assert client.post("/report/check-answers", data={"declaration": "y"}).headers["Location"] == (
        "/report/confirmation")
    crime_number = crime_number_in(client.get("/report/confirmation"))
    response = client.get("/report/confirmation/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return crime_number, response.data


def assert_written_in(app, pdf: bytes, language: str, headings, **values) -> None:
    """The headings are there in the language, and (for Polish and Arabic) not in English."""
    text = text_of(pdf)
    for english, words in zip(headings, in_language(app, language, headings, **values), strict=True):
        # Read back in the order it is drawn, a crime number inside Arabic comes before the Arabic words (it is on
        # their left): each piece is looked for on its own.
        for piece in re.split("|".join(map(re.escape, values.values())) or "$^", words):
            assert piece.strip() in text, (language, words)
        if language != "en":
            english_words = english % values if "%(" in english else english
            assert words != english_words and english_words not in text, (language, english_words)
    assert language_of(pdf) == language


def assert_noto_fonts_embedded(pdf: bytes, language: str) -> None:
    """Only the committed Noto fonts, every one embedded; an Arabic document uses Noto Sans Arabic."""
    fonts = fonts_of(pdf)
    assert fonts and all(embedded for _name, embedded in fonts)
    names = [name for name, _embedded in fonts]
    assert all("+NotoSans" in name for name in names), names
    assert any("+NotoSansArabic" in name for name in names) == (language == "ar"), names


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_a_guest_gets_the_report_summary_in_the_language_they_reported_in(app, language):
    crime_number, pdf = guest_summary(app, language)
    assert_written_in(app, pdf, language, SUMMARY_HEADINGS)
    text = text_of(pdf)
    assert crime_number in text
    # The person's own words stay as they typed them; the crime type is in the catalogue's words.
    assert "Black Raleigh bicycle" in text
    assert in_language(app, language, ["Bicycle theft"])[0] in text
    assert_noto_fonts_embedded(pdf, language)


def test_an_arabic_summary_is_laid_out_right_to_left_and_an_english_one_left_to_right(app):
    _crime_number, arabic = guest_summary(app, "ar")
    _crime_number, english = guest_summary(app, "en")
    for language, pdf in (("ar", arabic), ("en", english)):
        runs = placed_runs(pdf)
        for heading in in_language(app, language, ("Crime report summary", "Crime number", "What happened")):
            assert heading in runs, (language, heading, list(runs)[:10])
            if language == "ar":
                # Right aligned: a short heading starts in the right half of the page.
                assert runs[heading] > PAGE_WIDTH / 2, (heading, runs[heading])
            else:
                assert runs[heading] == pytest.approx(LEFT_EDGE, abs=1), (heading, runs[heading])
    assert language_of(english) == "en"
    assert_noto_fonts_embedded(english, "en")


def test_the_summary_follows_the_language_being_read_when_it_is_downloaded(app):
    """A guest who reported in Polish and switched the page to English gets the English copy."""
    client = app.test_client()
    client.set_cookie("language", "pl")
    walk(client, BIKE_THEFT, check_pages=False)
    client.post("/report/check-answers", data={"declaration": "y"})
    client.set_cookie("language", "en")
    pdf = client.get("/report/confirmation/summary.pdf").data
    assert_written_in(app, pdf, "en", SUMMARY_HEADINGS)
    assert "Podsumowanie" not in text_of(pdf)


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_a_signed_in_victim_gets_the_summary_from_their_case_page_in_their_language(app, client, make_user,
                                                                                     language):
    victim = make_user(Role.VICTIM, locale=language)
    crime_number = make_report(app, victim)
    sign_in_as(client, victim)
    response = client.get(f"/cases/{crime_number}/summary.pdf")
    assert response.status_code == 200
    assert_written_in(app, response.data, language, SUMMARY_HEADINGS)
    assert_noto_fonts_embedded(response.data, language)


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_the_data_download_is_in_the_readers_language(app, client, make_user, language):
    victim = make_user(Role.VICTIM, locale=language)
    crime_number = make_report(app, victim)
    sign_in_as(client, victim)
    response = client.get("/account/data/download.pdf")
    assert response.status_code == 200
    assert_written_in(app, response.data, language, DATA_HEADINGS, crime_number=crime_number)
    text = text_of(response.data)
    for label in ("Email address", "Account type", "Who reported it", "Safe ways to contact you"):
        [words] = in_language(app, language, [label])
        assert words in text and label not in text, (language, label)
    assert_noto_fonts_embedded(response.data, language)
    if language == "ar":
        runs = placed_runs(response.data)
        [title] = in_language(app, "ar", ["Your data"])
        assert runs[title] > PAGE_WIDTH / 2


def test_the_data_download_is_still_english_for_an_english_reader(app, client, make_user):
    victim = make_user(Role.VICTIM, locale="en")
    crime_number = make_report(app, victim)
    sign_in_as(client, victim)
    pdf = client.get("/account/data/download.pdf").data
    assert_written_in(app, pdf, "en", DATA_HEADINGS, crime_number=crime_number)
    assert placed_runs(pdf)["Your data"] == pytest.approx(LEFT_EDGE, abs=1)
    assert_noto_fonts_embedded(pdf, "en")


def embedded_fonts(pdf: bytes) -> set[str]:
    """The fonts a PDF embeds, by name (fpdf2's subset prefix taken off)."""
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values()}


def test_a_document_carries_the_arabic_font_only_when_it_has_arabic_letters(app):
    """Arabic typed into an English document still comes out as Arabic text; an English one leaves the font out."""
    with app.test_request_context():
        mixed, plain = Document("en", "Summary"), Document("en", "Summary")
        for document in (mixed, plain):
            document.heading("What happened")
            document.row("Where", "Outside the library")
        mixed.paragraph("سرقت دراجتي")
        mixed_pdf, plain_pdf = mixed.output(), plain.output()
    assert "NotoSansArabic" in embedded_fonts(mixed_pdf)
    assert re.search(r"[\u0600-\u06ff]{3,}", "".join(page.extract_text() for page in PdfReader(
        io.BytesIO(mixed_pdf)).pages))
    assert "NotoSans" in embedded_fonts(plain_pdf) <= {"NotoSans", "NotoSansBold"}
    assert "Outside the library" in PdfReader(io.BytesIO(plain_pdf)).pages[0].extract_text()

"""Issue 18: a letter is a PDF laid out for GOV.UK Notify's precompiled letters. It carries the person's name and
address inside the envelope's window, the date, what there is to see and how to sign in, in the person's language;
never the crime type or what they told us; and, when they asked for a neutral sender, no police, no crime, no
report and no service's name, in the words or in the PDF's metadata. The development mailbox shows every channel.
"""

import re
from io import BytesIO

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import select

from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import uk_date
from portal.links import absolute_url
from portal.notifications.delivery import deliver_pending
from portal.notifications.models import OutboxMessage
from portal.notifications.rendering import REPORTER_TEMPLATES
from portal.notifications.services import GUEST_TEMPLATES, queue_for_reporter
from tests.integration.test_neutral_sender import leaks
from tests.pagecheck import assert_good_page
from tests.triage_helpers import make_report

DESCRIPTION = "My red bicycle was taken from the rack outside the library."
# (Not the helpers' "Sam Victim": a neutral letter must not say "victim", and the name would.)
NAMES = {"en": "Sam Taylor", "pl": "Zofia Łąćka-Żółć", "ar": "Amal Haddad"}
ADDRESS = ["10 Station Road", "Flat 2", "London", "NW1 2DB"]
ANSWERS = {"safe_channels": ["letter"], "description": DESCRIPTION, "address_line_1": "10 Station Road",
           "address_line_2": "Flat 2", "address_town": "London", "address_postcode": "NW1 2DB"}
# GOV.UK Notify's letter specification, in mm from the page's top left corner (template-preview's checks).
A4_MM = (210.0, 297.0)
ADDRESS_BLOCK_MM = (24.6, 39.5, 120.0, 66.3)  # left, top, right, bottom
PRINTABLE_MM = (15.0, 5.0, 195.0, 292.0)
POINTS_PER_MM = 72 / 25.4


@pytest.fixture
def mailbox(app, tmp_path, monkeypatch):
    """Letters go to a mailbox folder of this test's own."""
    monkeypatch.setitem(app.config, "DEV_MAILBOX_DIR", str(tmp_path))
    return tmp_path


# The letters each set of answers gave, kept for the module's tests: several tests read the same letters (each from
# its own angle), and drawing a letter's PDF takes most of a tenth of a second.
SENT: dict[tuple, dict[str, bytes]] = {}


def letters_for(app, mailbox, language: str, *, neutral: bool, **answers) -> dict[str, bytes]:
    """Report a stolen bicycle with letter as the only safe channel, then send every letter there is, in
    `language`: {template: the PDF}. Sent once for each set of arguments; later calls read the same letters."""
    key = (language, neutral, repr(sorted(answers.items())))
    if key not in SENT:
        for path in mailbox.glob("*.pdf"):
            path.unlink()
        SENT[key] = send_letters(app, mailbox, language, neutral=neutral, **answers)
    return SENT[key]


def send_letters(app, mailbox, language: str, *, neutral: bool, **answers) -> dict[str, bytes]:
    """Report, queue every letter and deliver them to the mailbox: {template: the PDF}."""
    number = make_report(app, neutral_sender="yes" if neutral else "no",
                         **{"contact_name": NAMES[language], **ANSWERS, **answers})
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        report.locale = language
        db.session.query(OutboxMessage).delete()  # the confirmation went out in English: write it again
        for template in sorted(REPORTER_TEMPLATES):
            # As the report's submission does: the crime number only in the confirmation, only when asked for.
            asked = template == "report_received" and report.crime_number_in_confirmation
            queue_for_reporter(report, template, sign_in_link=absolute_url("auth.login"),
                               **({"crime_number": number} if asked else {}))
        db.session.commit()
        templates = [m.template for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
        assert deliver_pending().sent == len(REPORTER_TEMPLATES)
    pdfs = [path.read_bytes() for path in sorted(mailbox.glob("*.pdf"))]
    assert len(pdfs) == len(templates)
    return dict(zip(templates, pdfs, strict=True))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def placed_text(pdf: bytes) -> list[tuple[float, float, str]]:
    """Every piece of text on the first page with where it starts: (mm from the left, mm from the top, text)."""
    page = PdfReader(BytesIO(pdf)).pages[0]
    height = float(page.mediabox.height)
    found = []

    def visit(text, _cm, tm, _font, _size):
        if text.strip():
            found.append((tm[4] / POINTS_PER_MM, (height - tm[5]) / POINTS_PER_MM, text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def metadata_of(pdf: bytes) -> str:
    return " ".join(str(value) for value in (PdfReader(BytesIO(pdf)).metadata or {}).values())


def in_words(expected: str, text: str, language: str) -> bool:
    """The expected words are in the letter's text. Arabic is checked word by word: a right-to-left line comes out
    of the PDF in the order it is drawn."""
    if language != "ar":
        return expected in text
    return all(word in text for word in re.findall(r"[\u0600-\u06ff]+|[0-9]+", expected))


def translated(app, language: str, english: str) -> str:
    with app.app_context(), force_locale(language):
        return gettext(english)


@pytest.mark.parametrize("neutral", [False, True], ids=["usual", "neutral"])
@pytest.mark.parametrize("language", ["en", "pl", "ar"])
def test_every_letter_has_the_name_address_date_and_sign_in_address_and_no_case_details(
        app, mailbox, language, neutral):
    letters = letters_for(app, mailbox, language, neutral=neutral)
    assert sorted(letters) == sorted(REPORTER_TEMPLATES)
    with app.app_context():
        sign_in = absolute_url("auth.login")
        track = absolute_url("track.start")  # a guest's letters about their case lead to /track
        with force_locale(language):
            today = uk_date(utcnow())
            crime_type = gettext("Bicycle theft")
    for template, pdf in letters.items():
        text = text_of(pdf)
        for expected in [NAMES[language], *ADDRESS]:
            assert expected in text, (template, expected)
        assert in_words(today, text, language), (template, today)
        assert (track if template in GUEST_TEMPLATES else sign_in) in text, template
        assert in_words(translated(app, language, "If you did not expect this letter, you can ignore it."), text,
                        language), template
        for secret in ("bicycle", "bike", "library", "Outside the station", crime_type.lower()):
            assert secret not in text.lower(), (template, secret)
        if neutral:
            assert leaks(text, language, app) == [], template
            assert "police" not in text.lower() and "police" not in metadata_of(pdf).lower()
            assert leaks(metadata_of(pdf), language, app) == [], template
        else:
            # The same letter sent normally names the service: the check above would see a leak.
            assert leaks(text, language, app), template
            assert app.config["SERVICE_NAME"] not in metadata_of(pdf)


@pytest.mark.parametrize("language", ["en", "pl", "ar"])
def test_a_letter_is_one_a4_page_with_the_address_alone_in_the_window(app, mailbox, language):
    letters = letters_for(app, mailbox, language, neutral=False)
    left, top, right, bottom = ADDRESS_BLOCK_MM
    for template, pdf in letters.items():
        reader = PdfReader(BytesIO(pdf))
        assert len(reader.pages) == 1, template  # Notify takes at most 10
        box = reader.pages[0].mediabox
        assert (round(float(box.width) / POINTS_PER_MM), round(float(box.height) / POINTS_PER_MM)) == A4_MM
        placed = placed_text(pdf)
        in_window = [text for x, y, text in placed if left <= x <= right and top <= y <= bottom]
        assert in_window == [NAMES[language], *ADDRESS], template
        # Nothing in the margins Notify keeps clear.
        assert all(PRINTABLE_MM[0] <= x <= PRINTABLE_MM[2] and PRINTABLE_MM[1] <= y <= PRINTABLE_MM[3]
                   for x, y, _text in placed), template
        # Below the window and beside it, only the heading; the words start at 95 mm.
        body = [text for x, y, text in placed if y > bottom]
        assert body and all(y >= 95 for x, y, text in placed if y > bottom), template


def test_a_letter_embeds_its_fonts_and_writes_polish_and_arabic_as_text(app, mailbox):
    for language in ("pl", "ar"):
        letters = letters_for(app, mailbox, language, neutral=True)
        for template, pdf in letters.items():
            fonts = PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
            for font in fonts.values():
                descendant = font.get_object()["/DescendantFonts"][0].get_object()
                assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), template
            text = text_of(pdf)
            hello = translated(app, language, "Hello,")
            assert hello != "Hello," and in_words(hello, text, language), template
        if language == "pl":
            assert all(letter in text for letter in "ąłćżóśęń"), text
        else:
            assert re.search(r"[\u0600-\u06ff]{4,}", text), text


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds (each with fpdf2's subset prefix taken off)."""
    fonts = PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values()}


def test_an_english_letter_to_a_name_in_arabic_letters_carries_the_arabic_font_and_others_do_not(app, mailbox):
    """Noto Sans Arabic goes into a letter only when the letter has Arabic letters: the name, here."""
    letters = letters_for(app, mailbox, "en", neutral=False, contact_name="أمل حداد")
    for template, pdf in letters.items():
        assert "NotoSansArabic" in embedded_fonts(pdf), template
        assert re.search(r"[\u0600-\u06ff]{3,}", text_of(pdf)), template
    for template, pdf in letters_for(app, mailbox, "pl", neutral=False).items():
        assert "NotoSans" in embedded_fonts(pdf) <= {"NotoSans", "NotoSansBold"}, (template, embedded_fonts(pdf))


def test_the_crime_number_is_in_the_first_letter_only_when_asked_for(app, mailbox):
    letters = letters_for(app, mailbox, "en", neutral=True, crime_number_in_confirmation="y")
    numbers = {template: re.findall(r"CR-\d{2}-\d{7}-[A-Z]", text_of(pdf)) for template, pdf in letters.items()}
    assert len(numbers.pop("report_received")) == 1
    assert all(found == [] for found in numbers.values()), numbers


def test_the_development_mailbox_shows_emails_texts_and_letters(make_app, tmp_path):
    """/dev/mail/ lists every channel, newest first, with whom each is to and from; each opens; a letter's PDF is
    served inline; a name that is not exactly a saved message's is not found."""
    app = make_app(DEV_MAIL_VIEWER=True, DEV_MAILBOX_DIR=str(tmp_path))
    (tmp_path / "1700000000000000000-abcdef12.eml").write_bytes(
        b"From: Online account <no-reply@portal.example.org>\r\nTo: someone@example.org\r\n"
        b"Subject: You have an update\r\nContent-Type: text/plain\r\n\r\nSign in to see it.\r\n")
    make_report(app, safe_channels=["text"], contact_phone="07700 900982", neutral_sender="no")
    make_report(app, **ANSWERS, neutral_sender="yes")
    with app.app_context():
        assert deliver_pending().sent == 2
    [text] = [path.name for path in tmp_path.glob("*.sms")]
    [letter] = [path.name for path in tmp_path.glob("*.pdf")]
    client = app.test_client()

    inbox = client.get("/dev/mail/")
    assert_good_page(inbox)
    html = inbox.get_data(as_text=True)
    # Newest first: the letter, then the text, then the email saved long before.
    assert html.index(f"/dev/mail/{letter}") < html.index(f"/dev/mail/{text}") < html.index(
        "/dev/mail/1700000000000000000-abcdef12.eml")
    for words in ("Email", "Text message", "Letter", "07700900982", "Sam Victim, 10 Station Road, Flat 2, London, "
                  "NW1 2DB", "Online account &lt;no-reply@portal.example.org&gt;", app.config["SERVICE_NAME"],
                  "No sender named on the letter"):
        assert words in html, words

    email = client.get("/dev/mail/1700000000000000000-abcdef12.eml")
    assert_good_page(email)
    assert "Sign in to see it." in email.get_data(as_text=True)
    sms = client.get(f"/dev/mail/{text}")
    assert_good_page(sms)
    words = (tmp_path / text).read_text().partition("\n\n")[2].strip()
    words, _, link = words.partition("http")
    assert words and escape(words) in sms.get_data(as_text=True) and f'href="http{link}"' in sms.get_data(as_text=True)
    page = client.get(f"/dev/mail/{letter}")
    assert_good_page(page)
    letter_html = page.get_data(as_text=True)
    assert f'href="/dev/mail/{letter}/letter.pdf"' in letter_html
    assert "If you did not expect this letter, you can ignore it." in letter_html
    pdf = client.get(f"/dev/mail/{letter}/letter.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("inline")

    for missing in ("..%2F..%2Fetc%2Fpasswd", "1700000000000000000-abcdef12.txt", f"{letter}x", f"x{letter}",
                    "1700000000000000000-abcdef13.pdf", f"{text}/letter.pdf", "1700000000000000000-abcdef12.eml"
                    "/letter.pdf", f"{letter.removesuffix('.pdf')}.PDF"):
        assert client.get(f"/dev/mail/{missing}").status_code == 404, missing

    # Outside development the mailbox does not exist.
    assert make_app(DEV_MAIL_VIEWER=False).test_client().get("/dev/mail/").status_code == 404

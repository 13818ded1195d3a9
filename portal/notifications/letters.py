"""A letter as a PDF, laid out for GOV.UK Notify's precompiled letters.

A letter carries the person's name and address, the date, the words of its template (which say what there is to
see and how to sign in) and nothing else: never the crime type, a description, or, when the person chose a neutral
sender, the police's or the service's name, in the words or in the PDF's metadata (its title is the message's
neutral subject; no author, creator or producer). The words come from templates/letters/: unless neutral, the first
line is the service's name (set as a small heading at the top), then the date, then paragraphs between blank lines.

The layout follows Notify's letter specification (A4 portrait, measured from the top left corner of the page, as
Notify's template-preview checks it):

- page: A4, 210 by 297 mm, portrait; at most 10 pages (render_pdf refuses more); these letters take one;
- printable area: nothing within 15 mm of the left and right edges or 5 mm of the top and bottom (Notify prints
  its own tag in the left margin); the body here keeps 25 mm left, 20 mm right and 20 mm at the foot;
- address block, first page only: 24.6 mm to 120 mm from the left, 39.5 mm to 66.3 mm from the top (the envelope's
  window; some versions of the checker start it at 40 mm and end it at 66.2 mm, so the address is written within
  40 mm to 66.2 mm). Nothing else is printed there. Name and address take at most 7 lines (Notify reads them back
  from this block); 10 point type, 3.7 mm a line, a line too wide for the block is set smaller, down to 7 point;
- above the address (15 mm to 125 mm from the left, 5 mm to 30 mm from the top) a heading may go: the service's
  name here, 12 point bold, 12 mm from the top, only when not neutral; the right-hand column (125 mm to 195 mm,
  down to 95 mm) stays empty;
- body: from 95 mm down on the first page, 11 point type, 5.5 mm a line;
- fonts embedded: the portal's committed Noto Sans (every Latin letter Polish needs) and Noto Sans Arabic
  (portal/fonts/, portal/documents.py), a subset embedded by fpdf2; Arabic is shaped and set right to left by
  HarfBuzz (uharfbuzz).

Out of scope for now: a letter in large print (Report.needs_large_print); the letter is in the usual size.
"""

import re
from dataclasses import dataclass
from io import BytesIO

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from pypdf import PdfReader

from portal.documents import register_fonts, use_direction
from portal.notifications.models import OutboxMessage

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0
MAX_PAGES = 10
# The address block (the envelope's window), in mm from the page's top left corner: left, top, right, bottom.
ADDRESS_BLOCK_MM = (24.6, 40.0, 120.0, 66.2)
ADDRESS_MAX_LINES = 7
ADDRESS_FONT_PT, ADDRESS_MIN_FONT_PT, ADDRESS_LINE_MM = 10.0, 7.0, 3.7
HEADING_TOP_MM = 12.0
BODY_TOP_MM = 95.0
BODY_LEFT_MM, BODY_RIGHT_MM, BODY_BOTTOM_MM = 25.0, 20.0, 20.0
BODY_FONT_PT, BODY_LINE_MM = 11.0, 5.5

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_POINTS_PER_MM = 72 / 25.4


def address_lines(message: OutboxMessage) -> list[str]:
    """The name, then the address lines and the postcode: never more than the block holds (extra lines are
    joined to the line before the postcode, so the postcode stays last, where Notify looks for it)."""
    lines = [line.strip() for line in [message.recipient, *(message.postal_address or "").split("\n")]]
    lines = [line for line in lines if line]
    if len(lines) > ADDRESS_MAX_LINES:
        keep = ADDRESS_MAX_LINES - 2
        lines = [*lines[:keep], ", ".join(lines[keep:-1]), lines[-1]]
    return lines


def _right_to_left(text: str) -> bool:
    """A letter written in Arabic (the words are; the address and web address are not)."""
    return bool(_ARABIC.search(text))


@dataclass(frozen=True)
class LetterParts:
    """A letter's words as its template wrote them (templates/letters/): the heading (the service's name, or
    nothing when neutral), the date, and the paragraphs."""

    heading: str
    date: str
    paragraphs: list[str]


def letter_parts(message: OutboxMessage) -> LetterParts:
    """Split the message's words: a letter that is not neutral starts with the service's name, then the date."""
    lines = message.body_text.strip().split("\n")
    heading = "" if message.neutral_sender else lines.pop(0).strip()
    date = lines.pop(0).strip() if lines else ""
    paragraphs = [" ".join(line.strip() for line in block.splitlines())
                  for block in re.split(r"\n\s*\n", "\n".join(lines).strip()) if block.strip()]
    return LetterParts(heading, date, paragraphs)


def render_pdf(message: OutboxMessage) -> bytes:
    """The letter: the heading (unless neutral), the name and address in the window, then the date, the message's
    neutral subject as a title, and the words."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    # The metadata names nothing: the title is the neutral subject; no author, creator or producer.
    pdf.set_title(message.subject)
    pdf.set_author("")
    pdf.set_creator("")
    pdf.set_producer("")
    pdf.set_margins(BODY_LEFT_MM, BODY_BOTTOM_MM, BODY_RIGHT_MM)
    pdf.set_auto_page_break(auto=True, margin=BODY_BOTTOM_MM)
    parts = letter_parts(message)
    address = address_lines(message)
    register_fonts(pdf, text="\n".join([parts.heading, parts.date, message.subject, *parts.paragraphs, *address]))
    pdf.add_page()
    if parts.heading:
        _heading(pdf, parts.heading)
    _address(pdf, address)
    _body(pdf, message.subject, parts)
    if pdf.pages_count > MAX_PAGES:
        raise ValueError(f"a letter may have at most {MAX_PAGES} pages")
    return bytes(pdf.output())


def _shaping(pdf: FPDF, right_to_left: bool) -> str:
    """Shape the text that follows (Arabic letters join), in its direction; returns the font family to set."""
    return use_direction(pdf, right_to_left)


def _heading(pdf: FPDF, heading: str) -> None:
    """The service's name, small, above the address (only when the person did not ask for a neutral sender)."""
    pdf.set_font(_shaping(pdf, _right_to_left(heading)), "B", 12)
    pdf.set_xy(BODY_LEFT_MM, HEADING_TOP_MM)
    pdf.cell(ADDRESS_BLOCK_MM[2] - BODY_LEFT_MM, 6, heading, align=Align.L)


def _address(pdf: FPDF, lines: list[str]) -> None:
    """Name and address inside the address block, left aligned, each line shrunk to fit the block's width."""
    left, top, right, _bottom = ADDRESS_BLOCK_MM
    width = right - left
    for number, line in enumerate(lines):
        size = ADDRESS_FONT_PT
        pdf.set_font(_shaping(pdf, _right_to_left(line)), "", size)
        while pdf.get_string_width(line) > width - 1 and size > ADDRESS_MIN_FONT_PT:
            size -= 0.5
            pdf.set_font_size(size)
        pdf.set_xy(left, top + number * ADDRESS_LINE_MM)
        pdf.cell(width, ADDRESS_LINE_MM, line, align=Align.L)


def _body(pdf: FPDF, subject: str, parts: LetterParts) -> None:
    """The date, the title (the neutral subject), then the paragraphs; an Arabic letter aligned to the right."""
    right_to_left = any(_right_to_left(paragraph) for paragraph in parts.paragraphs)
    align = Align.R if right_to_left else Align.L
    family = _shaping(pdf, right_to_left)
    pdf.set_xy(BODY_LEFT_MM, BODY_TOP_MM)
    pdf.set_font(family, "", BODY_FONT_PT)
    pdf.multi_cell(0, BODY_LINE_MM, parts.date, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(BODY_LINE_MM)
    pdf.set_font(family, "B", BODY_FONT_PT + 1)
    pdf.multi_cell(0, BODY_LINE_MM + 0.5, subject, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(BODY_LINE_MM * 0.6)
    for paragraph in parts.paragraphs:
        # A web address is written left to right, whatever the letter's language (aligned as the letter is).
        link = paragraph.startswith(("http://", "https://"))
        pdf.set_font(_shaping(pdf, right_to_left and not link), "", BODY_FONT_PT)
        pdf.multi_cell(0, BODY_LINE_MM, paragraph, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(BODY_LINE_MM * 0.6)


def text_in(pdf: bytes, box_mm: tuple[float, float, float, float], page: int = 0) -> list[str]:
    """The lines of text that start inside a box (left, top, right, bottom, in mm from the top left) on a page,
    top to bottom: what Notify would read back from the address block."""
    reader = PdfReader(BytesIO(pdf))
    height = float(reader.pages[page].mediabox.height)
    left, top, right, bottom = (edge * _POINTS_PER_MM for edge in box_mm)
    found: list[tuple[float, float, str]] = []

    def visit(text, _cm, tm, _font, _size) -> None:
        x, y = tm[4], height - tm[5]
        if text.strip() and left <= x <= right and top <= y <= bottom:
            found.append((y, x, text.strip()))

    reader.pages[page].extract_text(visitor_text=visit)
    return [text for _y, _x, text in sorted(found)]

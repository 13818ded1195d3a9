"""Documents drawn in the reader's language: a PDF with the portal's own fonts, shaped, and right to left for Arabic.

The fonts are committed in portal/fonts/ (Noto Sans and Noto Sans Arabic, regular and bold, under the SIL Open Font
License beside them), so nothing depends on the fonts a machine happens to have. fpdf2 embeds only the letters a
document uses. Text is shaped by HarfBuzz (uharfbuzz), so Arabic letters join; in an Arabic document every line is
right to left and aligned to the right, while a crime number, an email address or words typed in English keep
their own direction inside it (fpdf2's bidirectional algorithm). A letter missing from the document's font (Arabic
typed into a Polish document, Latin into an Arabic one) comes from the other font. The PDF says its language
(/Lang) and has a title.

The report summary (reporting/summary_pdf.py), the data download (data_rights/export.py) and letters
(notifications/letters.py) use this module.
"""

import re
from pathlib import Path

from flask_babel import gettext
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from portal.i18n import RIGHT_TO_LEFT

FONT_FOLDER = Path(__file__).with_name("fonts")
LATIN, ARABIC = "NotoSans", "NotoSansArabic"
FONT_FILES = {
    (LATIN, ""): "NotoSans-Regular.ttf",
    (LATIN, "B"): "NotoSans-Bold.ttf",
    (ARABIC, ""): "NotoSansArabic-Regular.ttf",
    (ARABIC, "B"): "NotoSansArabic-Bold.ttf",
}


# Letters only Noto Sans Arabic has (Arabic and its presentation forms).
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def register_fonts(pdf: FPDF, *, text: str | None = None) -> None:
    """Add the committed fonts to a document (Noto Sans for Latin letters, Polish included; Noto Sans Arabic).

    Given all the text the document will hold (a letter knows it before drawing), Noto Sans Arabic is added only
    when the text has Arabic letters: each font added is read and then cut down to the letters used, about a
    tenth of a second a font for every document."""
    families = {LATIN, ARABIC} if text is None or ARABIC_SCRIPT.search(text) else {LATIN}
    for (family, style), name in FONT_FILES.items():
        if family in families:
            pdf.add_font(family, style, str(FONT_FOLDER / name))


def family_for(right_to_left: bool) -> str:
    """The font family for text in this direction (Arabic or Latin letters)."""
    return ARABIC if right_to_left else LATIN


def use_direction(pdf: FPDF, right_to_left: bool) -> str:
    """Shape the text that follows, in its direction, with the other font for letters the first lacks; returns the
    family to set."""
    other = LATIN if right_to_left else ARABIC
    pdf.set_fallback_fonts([other] if other.lower() in pdf.fonts else [])
    if ARABIC.lower() not in pdf.fonts:
        # Latin letters only (Polish ones are single characters in the font): shaping adds nothing they need,
        # and measuring shaped text was half the time it took to draw a letter.
        pdf.set_text_shaping(False)
    elif right_to_left:
        pdf.set_text_shaping(True, direction="rtl", script="arab", language="ar")
    else:
        pdf.set_text_shaping(True, direction="ltr")
    return family_for(right_to_left)


class Document:
    """A plain A4 document in one language: headings, paragraphs, and label/value rows.

    What is written is kept, and drawn when the PDF is asked for: by then all its text is known, so only the fonts
    it needs are added (see register_fonts)."""

    def __init__(self, language: str, title: str):
        self.language = language
        self.title = title
        self.right_to_left = language in RIGHT_TO_LEFT
        self.align = Align.R if self.right_to_left else Align.L
        self._lines: list[tuple[str, str, float, float, float]] = []  # text, style, size, height, space after

    def _write(self, text: str, style: str, size: float, height: float, space_after: float = 0) -> None:
        self._lines.append((text, style, size, height, space_after))

    def heading(self, text: str, size: int = 14) -> None:
        """A bold heading."""
        self._write(text, "B", size, 8, space_after=1)

    def paragraph(self, text: str) -> None:
        """Plain text."""
        self._write(text, "", 10, 6, space_after=2)

    def label(self, text: str) -> None:
        """A bold label."""
        self._write(text, "B", 10, 6)

    def row(self, label: str, value: str | None) -> None:
        """A bold label with its value beneath ("Not given" when there is none)."""
        self.label(label)
        self.paragraph(value or gettext("Not given"))

    def output(self) -> bytes:
        """The finished PDF."""
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_lang(self.language)
        pdf.set_title(self.title)
        register_fonts(pdf, text=None if self.right_to_left else "\n".join([self.title, *(line[0] for line in
                                                                                          self._lines)]))
        family = use_direction(pdf, self.right_to_left)
        pdf.add_page()
        for text, style, size, height, space_after in self._lines:
            pdf.set_font(family, style, size)
            pdf.multi_cell(0, height, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if space_after:
                pdf.ln(space_after)
        return bytes(pdf.output())

"""A letter as a PDF, laid out for GOV.UK Notify's precompiled letters (A4, the address in the window).

A letter carries the person's name and address, the date, the neutral words of its template and how to sign in;
never the crime type, a description, or the police's branding when the person chose a neutral sender.
"""

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from portal.notifications.models import OutboxMessage

# Debian's fonts-dejavu-core covers Latin (Polish included) and Arabic letters.
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# Notify's precompiled letter spec: the address block starts 24.6 mm from the left and 50 mm from the top of the
# first page, within 95.5 mm by 27.5 mm; nothing else may be printed there, and a 15 mm margin is kept clear.
ADDRESS_LEFT_MM, ADDRESS_TOP_MM, ADDRESS_WIDTH_MM = 24.6, 50.0, 95.5
MARGIN_MM = 20.0


def render_pdf(message: OutboxMessage) -> bytes:
    """The letter: the address in the window, then the body (which starts with the date: see
    portal.notifications.rendering)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    pdf.set_margins(MARGIN_MM + 4.6, MARGIN_MM, MARGIN_MM)
    pdf.add_font("Body", "", str(UNICODE_FONT))
    pdf.add_page()
    pdf.set_font("Body", "", 11)
    pdf.set_xy(ADDRESS_LEFT_MM, ADDRESS_TOP_MM)
    for line in [message.recipient, *(message.postal_address or "").split("\n")]:
        pdf.set_x(ADDRESS_LEFT_MM)
        pdf.cell(ADDRESS_WIDTH_MM, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(ADDRESS_TOP_MM + 40)
    pdf.multi_cell(0, 6, message.body_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())

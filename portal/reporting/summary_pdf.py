"""A plain PDF copy of a submitted report, for the person's records and their insurer."""

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from portal.cases.models import Report
from portal.i18n import uk_date, uk_datetime
from portal.reporting.answers import describe_item

# Debian's fonts-dejavu-core covers most scripts; without it, fall back to a core font (Latin-1 only).
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _pdf() -> tuple[FPDF, str, bool]:
    """A blank A4 document and the font family to use."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title("Crime report summary")
    if UNICODE_FONT.exists() and UNICODE_BOLD.exists():
        pdf.add_font("DejaVu", "", str(UNICODE_FONT))
        pdf.add_font("DejaVu", "B", str(UNICODE_BOLD))
        return pdf, "DejaVu", True
    return pdf, "Helvetica", False


def report_summary_pdf(report: Report) -> bytes:
    """The report as the person submitted it."""
    pdf, family, unicode_ok = _pdf()

    def clean(text: str) -> str:
        return text if unicode_ok else text.encode("latin-1", "replace").decode("latin-1")

    def heading(text: str, size: int = 14) -> None:
        pdf.set_font(family, "B", size)
        pdf.multi_cell(0, 8, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    def row(label: str, value: str | None) -> None:
        pdf.set_font(family, "B", 10)
        pdf.multi_cell(0, 6, clean(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(family, "", 10)
        pdf.multi_cell(0, 6, clean(value or "Not given"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    pdf.add_page()
    heading("Crime report summary", 18)
    row("Crime number", report.crime_number)
    row("Submitted", uk_datetime(report.submitted_at))
    row("What happened", report.category.name)
    when = uk_date(report.occurred_on)
    if report.occurred_until:
        when = f"Between {when} and {uk_date(report.occurred_until)}"
    if report.occurred_time:
        when += f", {report.occurred_time}"
    row("When", when)
    row("Where", ", ".join(p for p in (report.location, report.postcode, report.borough) if p))
    row("Description", report.description)
    items = [describe_item({"description": i.description,
                            "value": f"{i.value_pence / 100:.2f}" if i.value_pence is not None else None,
                            "damaged": i.damaged}) for i in report.property_items]
    row("Lost, stolen or damaged", "; ".join(items) if items else "Nothing")
    if not report.is_information_report:
        row("About who did it", report.suspect_description)
        row("Other witnesses", report.other_witnesses)
    row("Files", ", ".join(f.original_name for f in report.evidence) or "None")
    heading("What happens next", 12)
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 6, clean("A member of police staff will review your report within 45 minutes. "
                               "You will hear from us within 48 hours."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())

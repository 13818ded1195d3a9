"""A plain PDF copy of a submitted report, for the person's records and their insurer, in the reader's language.

The language is the one the person is reading the service in when they download it (the page's language), so a
person who reported in Polish and now reads in English gets English; outside a request (a script), the language
the report was made in. Headings, labels, dates and the crime type are in that language; what the person typed
stays as they typed it. portal/documents.py draws it (committed Noto fonts, Arabic shaped and right to left).
"""

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.cases.models import Report
from portal.documents import Document
from portal.i18n import LANGUAGES, current_language, uk_date, uk_datetime
from portal.reporting.answers import describe_item


def summary_language(report: Report) -> str:
    """The page's language when there is a request, otherwise the report's own."""
    language = current_language() if has_request_context() else report.locale
    return language if language in LANGUAGES else "en"


def report_summary_pdf(report: Report, language: str | None = None) -> bytes:
    """The report as the person submitted it, in `language` (by default the reader's, summary_language)."""
    language = language or summary_language(report)
    with force_locale(language):
        return _summary(report, language)


def _summary(report: Report, language: str) -> bytes:
    title = _("Information report summary") if report.is_information_report else _("Crime report summary")
    doc = Document(language, title)
    doc.heading(title, 18)
    doc.row(_("Reference number") if report.is_information_report else _("Crime number"), report.crime_number)
    doc.row(_("Submitted"), uk_datetime(report.submitted_at))
    doc.row(_("What happened"), report.category.title)
    when = uk_date(report.occurred_on)
    if report.occurred_until:
        when = _("Between %(first)s and %(last)s", first=when, last=uk_date(report.occurred_until))
    if report.occurred_time:
        when += f", {report.occurred_time}"
    doc.row(_("When"), when)
    doc.row(_("Where"), ", ".join(p for p in (report.location, report.postcode, report.borough) if p))
    doc.row(_("Description"), report.description)
    items = [describe_item({"description": i.description,
                            "value": f"{i.value_pence / 100:.2f}" if i.value_pence is not None else None,
                            "damaged": i.damaged}) for i in report.property_items]
    doc.row(_("Lost, stolen or damaged"), "; ".join(items) if items else _("Nothing"))
    if not report.is_information_report:
        doc.row(_("About who did it"), report.suspect_description)
        doc.row(_("Other witnesses"), report.other_witnesses)
    doc.row(_("Files"), ", ".join(f.original_name for f in report.evidence) or _("None"))
    doc.heading(_("What happens next"), 12)
    doc.paragraph(_("A member of police staff will review your report within 45 minutes. "
                    "You will hear from us within 48 hours."))
    return doc.output()

"""Build the copy of everything we hold about a person: as JSON, and as a readable PDF.

Both documents come from one dictionary, so they always hold the same things. Only what is meant
for the person goes in: their account, their own answers, files they uploaded and the updates shown
to them. Staff-only fields (risk flags, safeguarding, who claimed the case, audit) and internal
timeline events are never read, and nothing from anyone else's report.
"""

import json
from datetime import UTC, date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import EvidenceFile, Report, TimelineEvent
from portal.cases.status_text import STATUS_TEXT
from portal.clock import utcnow
from portal.data_rights import queries
from portal.equality import services as equality
from portal.equality.questions import QUESTIONS
from portal.extensions import db
from portal.i18n import uk_date, uk_datetime
from portal.messages.models import CaseMessage
from portal.reporting.forms import CHANNELS, HATE_MOTIVATIONS
from portal.reporting.summary_pdf import UNICODE_BOLD, UNICODE_FONT
from portal.tracking.witnesses import cases_as_witness, witness_timeline

RETENTION_NOTE = (
    "Reports are police records. The police force keeps them under its retention schedule: crime reports "
    "for at least 6 years. Closing your account removes the link between you and your cases, not the police record."
)
REPORTER_ROLES = {"victim": "The victim", "witness": "A witness", "on_behalf": "Someone reporting for the victim"}
FOLLOW_UPS = {"none": "No follow-up", "call": "A phone call", "visit": "A visit"}
ANSWERS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}


# The data --------------------------------------------------------------------------------------


def personal_data(user: User) -> dict:
    """Everything we hold about this person, as plain values (dates stay date objects until serialised)."""
    reports = queries.linked_reports(user)
    events = queries.victim_events([report.id for report in reports])
    drafts = queries.drafts(user)
    files = queries.draft_files([draft.id for draft in drafts])
    return {
        "generated_at": utcnow(),
        "retention": RETENTION_NOTE,
        "account": {
            "email": user.email,
            "role": user.role.value,
            "created_at": user.created_at,
            "last_login_at": user.last_login_at,
            "email_verified": user.email_verified_at is not None,
            "email_verified_at": user.email_verified_at,
        },
        "reports": [_report(report, events[report.id]) for report in reports],
        "unfinished_reports": [
            {"started_at": draft.created_at, "last_saved_at": draft.last_saved_at, "answers": dict(draft.answers or {}),
             "files": [_file(item) for item in files[draft.id]]}
            for draft in drafts
        ],
        "messages": [
            {"case": crime_number, "from": "you" if message.sender_id == user.id else "police",
             "sent_at": message.sent_at, "body": message.body}
            for message, crime_number in _messages(user)
        ],
        "witness_cases": [
            {"crime_number": report.crime_number,
             "updates": [{"at": e.occurred_at, "title": e.shown_title, "text": e.shown_body}
                         for e in witness_timeline(report)]}
            for report in cases_as_witness(user)
        ],
        "equality_answers": _equality_answers(user),
        "emails": [
            {"subject": message.subject, "queued_at": message.created_at, "sent_at": message.sent_at,
             "status": message.status.value}
            for message in queries.emails(user)
        ],
    }


def _equality_answers(user: User) -> list[dict]:
    """The person's own answers to the equality questions: from their account, and any given after reporting for
    reports now linked to it. Only ever in this download, for the person themselves."""
    def answers(record) -> list[dict]:
        """Every question with the answer given (or not)."""
        return [{"question": question.text, "code": getattr(record, question.characteristic),
                 "answer": question.label(getattr(record, question.characteristic))} for question in QUESTIONS]

    given = []
    own = equality.record_for_user(user.id)
    if own is not None:
        given.append({"given": "from your account", "crime_number": None, "saved_at": own.updated_at,
                      "answers": answers(own)})
    for crime_number, record in equality.records_for_linked_reports(user.id):
        given.append({"given": "after reporting", "crime_number": crime_number, "saved_at": record.updated_at,
                      "answers": answers(record)})
    return given


def _messages(user: User) -> list:
    """Secure messages on the person's own cases, oldest first."""

    return list(db.session.execute(
        select(CaseMessage, Report.crime_number).join(Report, Report.id == CaseMessage.report_id)
        .where(Report.reporter_user_id == user.id).order_by(CaseMessage.sent_at, CaseMessage.id)))


def _report(report: Report, events: list[TimelineEvent]) -> dict:
    """One report: the person's own answers, its status and the updates shown to them."""
    return {
        "crime_number": report.crime_number,
        "status": report.status.value,
        "status_label": STATUS_TEXT[report.status].label,
        "submitted_at": report.submitted_at,
        "category": report.category.name,
        "is_information_report": report.is_information_report,
        "reporter_role": report.reporter_role.value,
        "occurred_on": report.occurred_on,
        "occurred_until": report.occurred_until,
        "occurred_time": report.occurred_time,
        "borough": report.borough,
        "postcode": report.postcode,
        "location": report.location,
        "description": report.description,
        "property_items": [
            {"description": item.description,
             "value_pounds": f"{item.value_pence / 100:.2f}" if item.value_pence is not None else None,
             "damaged": item.damaged}
            for item in report.property_items
        ],
        "suspect_description": report.suspect_description,
        "other_witnesses": report.other_witnesses,
        "hate_motivations": list(report.hate_motivations or []),
        "third_party_organisation": report.third_party_organisation,
        "contact": {
            "name": report.contact_name,
            "email": report.contact_email,
            "phone": report.contact_phone,
            "safe_channels": list(report.safe_channels or []),
            "safe_times": report.safe_times,
            "voicemail_allowed": report.voicemail_allowed,
            "neutral_sender": report.neutral_sender,
        },
        "follow_up": report.follow_up.value,
        "would_have_reported": report.would_have_reported,
        "files": [_file(item) for item in report.evidence],
        "timeline": [{"occurred_at": event.occurred_at, "title": event.shown_title, "body": event.shown_body}
                     for event in events],
    }


def _file(item: EvidenceFile) -> dict:
    """A file the person uploaded (its details, not its contents)."""
    return {"name": item.original_name, "content_type": item.content_type, "size_bytes": item.size_bytes,
            "uploaded_at": item.created_at}


# JSON ------------------------------------------------------------------------------------------


def _iso(value):
    """Dates and times in ISO 8601 (times in UTC)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in JSON")


def as_json(data: dict) -> bytes:
    """The data as an indented JSON document."""
    return json.dumps(data, default=_iso, indent=2, ensure_ascii=False).encode("utf-8")


# PDF -------------------------------------------------------------------------------------------


class _Document:
    """A plain A4 document with headings and label/value rows, in DejaVu when the font is installed."""

    def __init__(self, title: str):
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_title(title)
        if UNICODE_FONT.exists() and UNICODE_BOLD.exists():
            self.pdf.add_font("DejaVu", "", str(UNICODE_FONT))
            self.pdf.add_font("DejaVu", "B", str(UNICODE_BOLD))
            self.family, self.unicode_ok = "DejaVu", True
        else:  # a core font covers Latin-1 only
            self.family, self.unicode_ok = "Helvetica", False
        self.pdf.add_page()

    def clean(self, text: str) -> str:
        """Text the chosen font can draw."""
        return text if self.unicode_ok else text.encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str, size: int = 14) -> None:
        """A bold heading."""
        self.pdf.set_font(self.family, "B", size)
        self.pdf.multi_cell(0, 8, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def paragraph(self, text: str) -> None:
        """Plain text."""
        self.pdf.set_font(self.family, "", 10)
        self.pdf.multi_cell(0, 6, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(2)

    def label(self, text: str) -> None:
        """A bold label."""
        self.pdf.set_font(self.family, "B", 10)
        self.pdf.multi_cell(0, 6, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(self, label: str, value: str | None) -> None:
        """A bold label with its value beneath."""
        self.label(label)
        self.paragraph(value or "Not given")

    def output(self) -> bytes:
        """The finished PDF."""
        return bytes(self.pdf.output())


def _yes_no(value: bool) -> str:
    """Yes or No."""
    return "Yes" if value else "No"


def _labels(codes: list, choices) -> str:
    """Chosen options by their labels."""
    names = {value: str(label) for value, label in choices}
    return ", ".join(names.get(code, str(code)) for code in codes)


def _when(report: dict) -> str:
    """When it happened, in words."""
    when = uk_date(report["occurred_on"])
    if report["occurred_until"]:
        when = f"Between {when} and {uk_date(report['occurred_until'])}"
    if report["occurred_time"]:
        when += f", {report['occurred_time']}"
    return when


def _describe_file(item: dict) -> str:
    """A file's details in words."""
    uploaded = uk_datetime(item["uploaded_at"])
    return f"{item['name']} ({item['content_type']}, {item['size_bytes']} bytes), uploaded {uploaded}"


def _answer_text(value) -> str:
    """A saved answer from an unfinished report, in words."""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, list):
        return "; ".join(_answer_text(v) for v in value) or "None"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')}: {_answer_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def as_pdf(data: dict) -> bytes:
    """The same data as a readable PDF."""
    doc = _Document("Your data")
    doc.heading("Your data", 18)
    doc.paragraph(f"Everything we held about you on {uk_datetime(data['generated_at'])}.")
    doc.paragraph(data["retention"])

    account = data["account"]
    doc.heading("Your account")
    doc.row("Email address", account["email"])
    doc.row("Account type", account["role"].capitalize())
    doc.row("Created", uk_datetime(account["created_at"]))
    doc.row("Last signed in", uk_datetime(account["last_login_at"]) or "Never")
    doc.row("Email address confirmed", _yes_no(account["email_verified"]))

    doc.heading("Your reports")
    if not data["reports"]:
        doc.paragraph("No reports are linked to your account.")
    for report in data["reports"]:
        _report_pdf(doc, report)

    if data["unfinished_reports"]:
        doc.heading("Reports you have not finished")
        doc.paragraph("We delete unfinished reports 30 days after they were last saved.")
        for draft in data["unfinished_reports"]:
            doc.heading(f"Started {uk_datetime(draft['started_at'])}", 12)
            doc.row("Last saved", uk_datetime(draft["last_saved_at"]))
            for key, value in draft["answers"].items():
                doc.row(key.replace("_", " ").capitalize(), _answer_text(value))
            doc.row("Files", "; ".join(_describe_file(f) for f in draft["files"]) or "None")

    doc.heading("Your answers to the equality questions")
    if not data["equality_answers"]:
        doc.paragraph("You have not answered them.")
    for given in data["equality_answers"]:
        where = (f"Given after reporting {given['crime_number']}" if given["crime_number"]
                 else "Given from your account")
        doc.heading(f"{where}, saved {uk_datetime(given['saved_at'])}", 12)
        for answer in given["answers"]:
            doc.row(answer["question"], answer["answer"])

    doc.heading("Emails we sent you")
    if not data["emails"]:
        doc.paragraph("None.")
    for message in data["emails"]:
        sent = uk_datetime(message["sent_at"]) if message["sent_at"] else "not sent yet"
        doc.paragraph(f"{message['subject']} (queued {uk_datetime(message['queued_at'])}, sent {sent})")
    return doc.output()


def _report_pdf(doc: _Document, report: dict) -> None:
    """One report's answers and updates."""
    doc.heading(f"Crime number {report['crime_number']}", 12)
    doc.row("Status", report["status_label"])
    doc.row("Submitted", uk_datetime(report["submitted_at"]))
    doc.row("What happened", report["category"])
    doc.row("Who reported it", REPORTER_ROLES.get(report["reporter_role"], report["reporter_role"]))
    doc.row("When", _when(report))
    doc.row("Where", ", ".join(p for p in (report["location"], report["postcode"], report["borough"]) if p))
    doc.row("Description", report["description"])
    items = [item["description"] + "".join(
        [f" (£{item['value_pounds']})" if item["value_pounds"] else "", " (damaged)" if item["damaged"] else ""])
        for item in report["property_items"]]
    doc.row("Lost, stolen or damaged", "; ".join(items) or "Nothing")
    if not report["is_information_report"]:
        doc.row("About who did it", report["suspect_description"])
        doc.row("Other witnesses", report["other_witnesses"])
    if report["hate_motivations"]:
        doc.row("What you think motivated it", _labels(report["hate_motivations"], HATE_MOTIVATIONS))
    if report["third_party_organisation"]:
        doc.row("Reported through", report["third_party_organisation"])
    contact = report["contact"]
    doc.row("Your name", contact["name"])
    doc.row("Email address", contact["email"])
    doc.row("Phone number", contact["phone"])
    doc.row("Safe ways to contact you", _labels(contact["safe_channels"], CHANNELS) or "None chosen")
    doc.row("Safe times to contact you", contact["safe_times"])
    doc.row("We may leave a voicemail", _yes_no(contact["voicemail_allowed"]))
    doc.row("Emails and letters come from a neutral sender", _yes_no(contact["neutral_sender"]))
    doc.row("What you asked for next", FOLLOW_UPS.get(report["follow_up"], report["follow_up"]))
    doc.row("Would you have reported it another way", ANSWERS.get(report["would_have_reported"],
                                                                  report["would_have_reported"]))
    doc.row("Files", "; ".join(_describe_file(f) for f in report["files"]) or "None")
    if not report["timeline"]:
        doc.row("Updates", "None yet")
        return
    doc.label("Updates")
    for event in report["timeline"]:
        doc.paragraph(f"{uk_datetime(event['occurred_at'])}: {event['title']}"
                      + (f"\n{event['body']}" if event["body"] else ""))


def filename(extension: str) -> str:
    """The download's file name, dated."""
    return f"your-data-{utcnow().date().isoformat()}.{extension}"


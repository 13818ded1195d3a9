"""Read the development mailbox: every message sent without a provider, one file each, by channel.

The SMTP sink (sink.py) saves emails as `.eml` files; without a GOV.UK Notify key, text messages are saved as
`.sms` files (`From:`, `To:` and `Reference:` lines, a blank line, the words) and letters as `.pdf` files
(portal/notifications/devbox.py). Every file is named `<time in ns>-<8 hex digits>.<kind>`; a name that is not
exactly that is never opened, so no path can lead out of the folder.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from portal.clock import LONDON
from portal.notifications.letters import ADDRESS_BLOCK_MM, PAGE_WIDTH_MM, text_in

NAME = re.compile(r"^(?P<time>[0-9]{1,20})-[0-9a-f]{8}\.(?P<kind>eml|sms|pdf)$")
CHANNELS = {"eml": "Email", "sms": "Text message", "pdf": "Letter"}
# Above the address and beside it on a letter's first page: where a heading naming the sender would be.
_LETTERHEAD_MM = (0.0, 0.0, PAGE_WIDTH_MM, ADDRESS_BLOCK_MM[1] - 1)


@dataclass(frozen=True)
class Saved:
    """One message in the mailbox, as the development mailbox pages show it."""

    id: str
    kind: str  # eml, sms or pdf
    channel: str
    sender: str
    to: str
    subject: str
    sent: str
    body: str

    @property
    def is_letter(self) -> bool:
        return self.kind == "pdf"

    @property
    def preview(self) -> str:
        """What the list shows: the subject, or the start of a text message's words."""
        if self.subject:
            return self.subject
        return self.body[:60] + ("…" if len(self.body) > 60 else "") if self.body else self.channel

    @property
    def title(self) -> str:
        """The message page's heading: an email's subject; a text or letter by whom it is to."""
        if self.kind == "eml":
            return self.subject or "(no subject)"
        return f"{self.channel} to {self.to.split(', ')[0] or 'someone'}"


def _sent(name: str) -> str:
    """When the message was saved (from its file name), in London time."""
    match = NAME.match(name)
    nanoseconds = int(match.group("time")) if match else 0
    moment = datetime.fromtimestamp(nanoseconds / 1e9, UTC).astimezone(LONDON)
    return moment.strftime("%-d %B %Y %H:%M:%S")


def _email(path: Path) -> Saved:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    return Saved(
        id=path.name, kind="eml", channel=CHANNELS["eml"],
        sender=str(message["From"] or ""),  # the neutral sender's name shows here, as the person's inbox shows it
        to=str(message["To"] or ""), subject=str(message["Subject"] or ""), sent=_sent(path.name),
        body=body.get_content() if body else "",
    )


def _text(path: Path) -> Saved:
    head, _, words = path.read_text(encoding="utf-8", errors="replace").partition("\n\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    words = words.strip()
    return Saved(id=path.name, kind="sms", channel=CHANNELS["sms"], sender=fields.get("From", ""),
                 to=fields.get("To", ""), subject="",
                 sent=_sent(path.name), body=words)


def _letter(path: Path) -> Saved:
    data = path.read_bytes()
    try:
        reader = PdfReader(BytesIO(data))
        title = str(reader.metadata.title or "") if reader.metadata else ""
        words = "\n\n".join(page.extract_text() for page in reader.pages).strip()
        address = text_in(data, ADDRESS_BLOCK_MM)
        heading = " ".join(text_in(data, _LETTERHEAD_MM))
    except (PyPdfError, ValueError, KeyError, OSError):
        title, words, address, heading = "", "", [], ""
    # The body is the whole letter's text, the address included, as the person would read it.
    return Saved(id=path.name, kind="pdf", channel=CHANNELS["pdf"],
                 sender=heading or "No sender named on the letter", to=", ".join(address), subject=title,
                 sent=_sent(path.name), body=words)


_READERS = {"eml": _email, "sms": _text, "pdf": _letter}


def read(path: Path) -> Saved:
    """One saved message, whichever its channel."""
    return _READERS[path.suffix.lstrip(".")](path)


def listing(folder: Path, limit: int = 200) -> list[Saved]:
    """Every message in the folder, newest first (names begin with the time they were saved)."""
    if not folder.is_dir():
        return []
    found = [(int(match.group("time")), path.name) for path in folder.iterdir() if (match := NAME.match(path.name))]
    return [read(folder / name) for _time, name in sorted(found, reverse=True)[:limit]]


def find(folder: Path, name: str, kind: str | None = None) -> Path | None:
    """The saved message of that exact name (and kind), if there is one."""
    match = NAME.match(name)
    if match is None or (kind is not None and match.group("kind") != kind):
        return None
    path = folder / name
    return path if path.is_file() else None

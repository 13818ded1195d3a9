"""Finding English left on victim and witness pages shown in another language.

Each page is drawn twice for the same person, in English and in the other language. A piece of visible text
that is the same in both, and has words in it, was not translated, unless it is data the person or an
organisation wrote (names, descriptions, addresses) or a proper name in ALLOWED.
"""

import re
from html.parser import HTMLParser

from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.templating import STAFF_BLUEPRINTS

# Not for victims or witnesses, or not pages: staff areas, the API, the development mailbox, files.
NOT_VICTIM_FACING = STAFF_BLUEPRINTS | {"devmail", "oruk", "insight", "benchmark", "static"}
NOT_PAGES = {"data_rights.download_json", "data_rights.download_pdf", "tracking.summary_pdf",
             "reporting.summary_pdf", "tracking.evidence", "pages.exit_page", "pages.health", "auth.keep_alive"}
# Proper names and codes that are the same in every language, and words Polish spells as English does.
ALLOWED = {"GOV.UK", "English", "Polski", "العربية", "BSL", "PDF", "JPG", "PNG", "CSV", "JSON", "IOPC",
           "Beta", "Menu", "Status", "Online"}
WORD = re.compile(r"[A-Za-z]{3,}")


class _Text(HTMLParser):
    """Visible text pieces of a page's body (and button values, titles and labels read aloud)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self._in_body = True
        if tag in ("script", "style", "template"):
            self._skip += 1
        values = dict(attrs)
        for name in ("aria-label", "title", "alt", "placeholder"):
            if values.get(name):
                self.pieces.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.pieces.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._in_body and not self._skip and data.strip():
            self.pieces.append(" ".join(data.split()))


def text_pieces(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.pieces


def untranslated(english_html: str, other_html: str, data: set[str]) -> list[str]:
    """Pieces of text that are the same in the English and the other page and are not data or proper names."""
    english = set(text_pieces(english_html))
    found = []
    for piece in text_pieces(other_html):
        if piece in english and WORD.search(piece) and piece not in ALLOWED and not _is_data(piece, data):
            found.append(piece)
    return sorted(set(found))


def _is_data(piece: str, data: set[str]) -> bool:
    """Text the person or an organisation wrote, or a crime number, email address or reference."""
    if piece in data or any(piece in item for item in data if len(piece) >= 4):
        return True
    return bool(re.fullmatch(r"[\w.+-]+@[\w.-]+|CR-\d{2}-\d{7}-[A-Z]|[A-Z]{2,4}-[A-Z0-9-]+|[\d\s:/.,-]+", piece))


def world_data(app, extra: set[str]) -> set[str]:
    """Names, emails and organisation text in the world: data, not interface text."""
    from portal.support.models import Organisation, SupportService

    with app.app_context():
        data = set(extra)
        for user in db.session.scalars(select(User)):
            data |= {user.email, user.display_name or ""}
        for organisation in db.session.scalars(select(Organisation)):
            data |= {organisation.name, organisation.description, organisation.email or "",
                     organisation.website or "", organisation.accreditation_body or ""}
        for service in db.session.scalars(select(SupportService)):
            data |= {service.name, service.description, service.location_name or "", service.address or "",
                     service.accessibility or "", service.postcode or ""}
    return {item for item in data if item}

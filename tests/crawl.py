"""The crawl: every page the service draws, for checks that look at every page (valid HTML, no unfilled
placeholders, ...).

Every GET route in the URL map, with its values filled in from one case that went to court, was messaged about and
referred (the `world` fixture and `addresses()` of tests/integration/test_equality_separation.py), requested as a
guest and as every kind of person the route is declared for, and by victims and witnesses in Arabic (right to left)
as well as English. Routes a kind of person may not use are left out: the access-rules tests prove they are refused.

Each page comes with its response, so a check can read its headers or its type as well as its body.
"""

from collections.abc import Iterator
from typing import NamedTuple

from flask import Flask
from werkzeug.test import TestResponse

from portal.auth.access import PUBLIC, access_rule_for
from portal.auth.models import User
from portal.extensions import db
from tests.conftest import sign_in_as
from tests.integration.test_equality_separation import ROLES, addresses

# The languages each kind of person is crawled in (None is a guest).
LANGUAGES = {kind: ("en", "ar") if kind in ("victim", "witness") else ("en",) for kind in (None, *ROLES)}
# Responses whose body is text a person reads (a PDF or a spreadsheet download is not).
TEXT_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml")
# PDFs are drawn in English only: no check of the crawl reads a PDF's words, drawing one takes a tenth of a second or
# more, and each PDF has tests of its own in Polish and Arabic (test_documents_in_language.py, test_letters_pdf.py,
# test_data_export_peer_conversations.py).
PDF = ".pdf"


class CrawledPage(NamedTuple):
    """One page the crawl drew: who asked, in which language, for which address; what came back."""

    name: str  # "officer en /staff/cases/CR-26-0000001-K", "guest en /"
    body: str  # the response's body as text (undecodable bytes replaced)
    response: TestResponse
    kind: str | None  # who asked (None: a guest)
    language: str
    endpoint: str
    path: str

    @property
    def is_html(self) -> bool:
        return self.response.mimetype == "text/html"

    @property
    def is_text(self) -> bool:
        return self.response.mimetype.startswith(TEXT_TYPES)


def declared_for(app: Flask, endpoint: str, kind: str | None) -> bool:
    """Whether the route says this kind of person may use it."""
    rule = access_rule_for(endpoint, app.view_functions)
    return rule == PUBLIC or (kind is not None and ROLES[kind] in rule)


def choose_language(app: Flask, user_id: int, language: str) -> None:
    """The language the account reads the service in."""
    with app.app_context():
        db.session.get(User, user_id).locale = language
        db.session.commit()


def crawl(app: Flask, world: dict, kinds=(None, *ROLES), languages=LANGUAGES) -> Iterator[CrawledPage]:
    """Every page the crawl reaches with 200 OK, as each kind of person (None: a guest) in each of their
    languages (`languages`: the codes for each kind). The accounts' languages are English again afterwards."""
    filled, _left_out = addresses(app, world["values"])
    try:
        for kind in kinds:
            for language in languages[kind]:
                client = app.test_client()
                if kind is not None:
                    choose_language(app, world["users"][kind].id, language)
                for endpoint, path in filled:
                    if not declared_for(app, endpoint, kind):
                        continue
                    if language != "en" and path.endswith(PDF):
                        continue
                    # Again each time: some pages (exit this page, sign out) sign out and clear the cookies.
                    client.set_cookie("language", language)
                    if kind is not None:
                        sign_in_as(client, world["users"][kind])
                    response = client.get(path)
                    body = response.get_data()  # read every response: a streamed one holds its context
                    if response.status_code == 200:
                        yield CrawledPage(f"{kind or 'guest'} {language} {path}",
                                          body.decode(errors="replace"), response, kind, language, endpoint, path)
    finally:
        for kind in kinds:
            if kind is not None and languages[kind] != ("en",):
                choose_language(app, world["users"][kind].id, "en")

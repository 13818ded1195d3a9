"""Checks every rendered page must pass (after alphagov/notifications-admin's idioms)."""

import hashlib
import re
from html.parser import HTMLParser


class _PageParser(HTMLParser):
    """Collect the parts of a page the checks look at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.h1_texts: list[str] = []
        self.title = ""
        self.ids: list[str] = []
        self.forms_without_action = 0
        self.post_forms_without_token = 0
        self._post_form_has_token: bool | None = None  # inside a POST form: whether its CSRF token was seen
        self.script_nonces: list[str | None] = []
        self.classes: set[str] = set()
        self.text: list[str] = []
        self.organisation = ""  # the text of the header's organisation name
        self._in = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.classes.update((attributes.get("class") or "").split())
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "form" and not attributes.get("action"):
            self.forms_without_action += 1
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._post_form_has_token = False
        if tag == "input" and attributes.get("name") == "csrf_token" and attributes.get("type") == "hidden" \
                and attributes.get("value") and self._post_form_has_token is False:
            self._post_form_has_token = True
        if tag == "script":
            self.script_nonces.append(attributes.get("nonce"))
        if tag in ("h1", "title") or (tag == "span" and "app-header__organisation" in (attributes.get("class") or "")):
            self._in = "organisation" if tag == "span" else tag
            self._buffer = []

    def handle_endtag(self, tag):
        if tag == "form" and self._post_form_has_token is not None:
            self.post_forms_without_token += not self._post_form_has_token
            self._post_form_has_token = None
        if tag == self._in or (tag == "span" and self._in == "organisation"):
            text = " ".join("".join(self._buffer).split())
            if tag == "h1":
                self.h1_texts.append(text)
            elif self._in == "organisation":
                self.organisation = text
            elif not self.title:  # the document title, not an SVG's <title>
                self.title = text
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buffer.append(data)
        self.text.append(data)


def csp_nonce(response) -> str | None:
    """The script nonce the Content-Security-Policy header allows."""
    match = re.search(r"script-src[^;]*'nonce-([^']+)'", response.headers.get("Content-Security-Policy", ""))
    return match.group(1) if match else None


# What only services on GOV.UK may show (GOV.UK Frontend's header, crown, logotype and crown copyright); this is a
# police service with its own brand (issue 22), so no page may carry them.
GOV_UK_ONLY_CLASSES = frozenset({"govuk-header", "govuk-header__logotype", "govuk-logo", "govuk-footer__crown",
                                 "govuk-footer__copyright-logo", "govuk-header__link--homepage"})


def brand_problems(parser: _PageParser) -> list[str]:
    """The page claims to be GOV.UK, or does not name the organisation that runs the service in its header."""
    problems = []
    claimed = sorted(parser.classes & GOV_UK_ONLY_CLASSES)
    if claimed:
        problems.append(f"GOV.UK's own header or footer parts: {claimed}")
    text = " ".join("".join(parser.text).split())
    if "Crown copyright" in text:
        problems.append("says Crown copyright")
    if "govuk-generic-header" not in parser.classes or not parser.organisation:
        problems.append("no header naming the organisation (the generic header with app-header__organisation)")
    elif parser.organisation == "GOV.UK":
        problems.append("the header's home link says GOV.UK")
    return problems


# Pages already found to have no problem, by a digest of their HTML with the request's own values (the script nonce
# and the CSRF token) taken out: many tests draw the same page (the report's questions, walk after walk), and
# parsing it again would find the same. A page that differs in anything else is checked in full.
_GOOD_PAGES: set[bytes] = set()
_CSRF_VALUE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def _digest(html: str, nonce: str) -> bytes:
    """The page with its nonce and CSRF token values replaced by placeholders, digested."""
    for token in set(_CSRF_VALUE.findall(html)):
        html = html.replace(token, "CSRF-TOKEN")
    return hashlib.sha256(html.replace(nonce, "SCRIPT-NONCE").encode()).digest()


def page_problems(response) -> list[str]:
    """Everything wrong with a rendered HTML page, as readable sentences."""
    html = response.get_data(as_text=True)
    nonce = csp_nonce(response)
    digest = None
    if nonce and "no-store" in response.headers.get("Cache-Control", ""):
        digest = _digest(html, nonce)
        if digest in _GOOD_PAGES:
            return []
    problems = _problems(response, html, nonce)
    if digest is not None and not problems:
        _GOOD_PAGES.add(digest)
    return problems


def _problems(response, html: str, nonce: str | None) -> list[str]:
    """Every problem of the page, found by reading it."""
    parser = _PageParser()
    parser.feed(html)
    problems = []
    if len(parser.h1_texts) != 1:
        problems.append(f"expected exactly one <h1>, found {len(parser.h1_texts)}: {parser.h1_texts}")
    elif not parser.title.removeprefix("Error: ").startswith(parser.h1_texts[0]):
        problems.append(f"<title> {parser.title!r} does not start with the <h1> {parser.h1_texts[0]!r}")
    duplicates = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    if parser.forms_without_action:
        problems.append(f"{parser.forms_without_action} form(s) without an action")
    if parser.post_forms_without_token:
        problems.append(f"{parser.post_forms_without_token} POST form(s) without a CSRF token")
    if nonce is None:
        problems.append("no script nonce in the Content-Security-Policy header")
    bad_scripts = [n for n in parser.script_nonces if n != nonce]
    if bad_scripts:
        problems.append(f"{len(bad_scripts)} <script> element(s) without the CSP nonce")
    if "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append("Cache-Control is not no-store")
    return problems + brand_problems(parser)


def assert_good_page(response) -> None:
    """Fail with every problem the page has."""
    problems = page_problems(response)
    assert not problems, "\n".join(problems)


def h1_text(response) -> str:
    """The text of the page's <h1>."""
    parser = _PageParser()
    parser.feed(response.get_data(as_text=True))
    return parser.h1_texts[0] if parser.h1_texts else ""

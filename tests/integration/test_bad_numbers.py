"""Numbers that are too big, negative or not numbers at all get a page or a 'not found', never a 500.

A penetration test found 17 routes that crashed (OverflowError, or the database refusing a number wider than its
column) on an id of 2^63 in an address or a date part like ``occurred_on-day=9999999999``. These tests walk the
whole app rather than those 17 addresses, so a new route or form is covered without being listed:

- every route with a whole number in its address, with huge, negative and non-numeric values there (those its
  converter lets through to the view), requested with each method it answers, as every kind of person its access
  rule allows;
- every form on every page the crawl draws (the equality-separation world: a case allocated, charged and listed
  for court, a witness, messages, a referral with consent), the insight dashboard's filters and every step of the
  report wizard, with each number-like field (date parts, whole numbers, hidden versions, numbered choices) given
  the same values, the rest of the form filled in as the page drew it;
- every page number in a query string.

The walks over the whole app run in tests/integration/test_every_page.py, on its one world and crawl; this module
has the tools they use, the report wizard and the insight downloads.

Both databases: SQLite raises OverflowError on a number wider than 64 bits; PostgreSQL refuses one wider than the
column (32 bits for ids), so the app must range-check before the query on each.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from werkzeug.routing.converters import NumberConverter

from portal.auth.access import PUBLIC, access_rule_for
from tests.conftest import sign_in_as
from tests.integration.test_equality_separation import ROLES
from tests.wizard import BIKE_THEFT, start

HUGE = (str(2**63), str(10**30), str(2**31), "9999999999")
HOSTILE = (*HUGE, "9" * 5000, "-1", "-99999999999999999999", "abc", "1.5", "0x1F", "1e9", "１２")
# Fewer for the forms and page numbers, which are many: each kind of hostile value once.
HOSTILE_IN_FORMS = (str(2**63), "9999999999", "9" * 5000, "-1", "abc", "１２")
NOT_PAGES = (".pdf", ".json", ".csv")  # downloads carry no forms
IN_RANGE_BUT_ABSENT = str(2**31 - 1)  # fits the column, matches nothing
DATE_PARTS = ("day", "month", "year")
A_REAL_DATE = {"day": "1", "month": "2", "year": "2026"}
INSIGHT_PAGES = ("/insight/", "/insight/demand", "/insight/experience", "/insight/requests", "/insight/witnesses")


def kinds_allowed(app, endpoint: str) -> list[str | None]:
    """The kinds of person (None: signed out) the route's access rule lets in."""
    rule = access_rule_for(endpoint, app.view_functions)
    if rule == PUBLIC:
        return [None, "victim"]
    return [kind for kind, role in ROLES.items() if role in rule]


def client_for(app, users: dict, kind: str | None):
    """A test client, signed in as that kind of person (or not at all)."""
    client = app.test_client()
    refresh(client, users, kind)
    return client


def refresh(client, users: dict, kind: str | None) -> None:
    """Sign in again: a page may have signed the person out (exit this page, sign out)."""
    if kind is not None:
        sign_in_as(client, users[kind])


def integer_arguments(rule) -> list[str]:
    """The parts of a route's address that are whole numbers."""
    return [name for name in rule.arguments if isinstance(rule._converters[name], NumberConverter)]


def address_with(rule, values: dict[str, str]) -> str:
    """The rule's address with each part replaced by its value as typed (not escaped: hostile values stay)."""
    path = rule.rule
    for name in rule.arguments:
        for pattern in (f"<{name}>", f"<int:{name}>", f"<string:{name}>", f"<path:{name}>"):
            path = path.replace(pattern, values.get(name, "x"))
    assert "<" not in path, path
    return path


def values_through_the_converter(rule, name: str, values) -> list[str]:
    """The values that match the pattern of the route's converter for that part. The others match no route: the
    routing answers 'not found' before any of the app's code runs, the same for every route with that converter
    (checked once, below), so the walk sends only these."""
    return [value for value in values if re.fullmatch(rule._converters[name].regex, value)]


def test_numbers_the_converter_does_not_match_are_not_found_before_any_view(app, client):
    """portal.urls.WholeNumber, every route's `int` converter: ASCII digits, at most ten of them."""
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == "support.directory_service")
    (name,) = integer_arguments(rule)
    through = values_through_the_converter(rule, name, (*HOSTILE, IN_RANGE_BUT_ABSENT))
    assert through == [str(2**31), "9999999999", IN_RANGE_BUT_ABSENT]
    for value in HOSTILE:
        assert client.get(address_with(rule, {name: value})).status_code == 404, value


# Forms ----------------------------------------------------------------------------------------------------------


class Form:
    """A form as a page drew it: where it goes, and its fields with the values the page gave them."""

    def __init__(self, action: str, method: str):
        self.action, self.method = action, method
        self.values: dict[str, list[str]] = {}  # what a browser would send, field by field
        self.choices: dict[str, list[str]] = {}  # the values each radio, checkbox group or select offers
        self.kinds: dict[str, str] = {}  # input type (or select, textarea), by field
        self.numeric: set[str] = set()  # fields marked for numbers (inputmode, type=number)

    def number_like(self) -> list[str]:
        """Fields that take a whole number: date parts, fields marked numeric, hidden numbers, numbered choices."""
        found = set(self.numeric)
        for name, kind in self.kinds.items():
            if name == "csrf_token" or kind in ("submit", "file", "password"):
                continue
            if name.rsplit("-", 1)[-1] in DATE_PARTS and "-" in name:
                found.add(name)
            elif any(value.isdigit() for value in self.values.get(name, [])):
                found.add(name)
            elif any(value.isdigit() for value in self.choices.get(name, [])):
                found.add(name)
        return sorted(found)

    def data_with(self, name: str, value: str) -> dict[str, list[str]]:
        """What a browser would send, with one field's value replaced (and the other parts of its date real)."""
        data = {key: list(values) for key, values in self.values.items()}
        for key, offered in self.choices.items():
            if not data.get(key) and offered and self.kinds.get(key) in ("radio", "select"):
                data[key] = [offered[0]]  # answer required questions, so the form gets as far as the number
        if "-" in name and name.rsplit("-", 1)[-1] in DATE_PARTS:
            stem = name.rsplit("-", 1)[0]
            for part in DATE_PARTS:
                if not (data.get(f"{stem}-{part}") or [""])[0]:
                    data[f"{stem}-{part}"] = [A_REAL_DATE[part]]
        data[name] = [value]
        return data


class _Forms(HTMLParser):
    """Every form on a page, with its fields."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(urljoin(self.page, a.get("action") or self.page), (a.get("method") or "get").upper())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            form.kinds.setdefault(name, kind)
            if a.get("inputmode") in ("numeric", "decimal") or kind == "number":
                form.numeric.add(name)
            if kind in ("radio", "checkbox"):
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "submit":
                form.values.setdefault(name, [a.get("value", "")])
            elif kind != "file":
                form.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            form.kinds[name] = "select"
            form.choices.setdefault(name, [])
        elif tag == "option" and self._select:
            form.choices[self._select].append(a.get("value", ""))
            if "selected" in a:
                form.values[self._select] = [a.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = name
            form.kinds[name] = "textarea"
            form.values[name] = [""]
        elif tag == "button" and name:
            form.values.setdefault(name, [a.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.values[self._textarea][0] += data


def forms_on(page: str, html: str) -> list[Form]:
    parser = _Forms(page)
    parser.feed(html)
    return parser.forms


def send(client, form: Form, data: dict[str, list[str]]):
    """Submit a form as a browser would (a GET form in the query string). The token the page carried is left out:
    the page may have been drawn for another client, and the test client adds its own session's token."""
    data = {key: values for key, values in data.items() if key != "csrf_token"}
    if form.method == "GET":
        pairs = [(key, value) for key, values in data.items() for value in values]
        return client.get(f"{urlsplit(form.action).path}?{urlencode(pairs)}")
    return client.post(form.action, data={key: values for key, values in data.items()})


def hostile_numbers_in_forms(client, path: str, html: str, tried: set, label: str, sign_in_again) -> list[str]:
    """Send every number-like field of every form on a page each hostile value; the answers that were a 500."""
    failures = []
    for form in forms_on(path, html):
        for name in form.number_like():
            key = (form.method, urlsplit(form.action).path, name)  # the same form drawn for two people: once
            if key in tried:
                continue
            tried.add(key)
            for value in HOSTILE_IN_FORMS:
                sign_in_again()
                response = send(client, form, form.data_with(name, value))
                response.get_data()
                if response.status_code >= 500:
                    failures.append(f"{label}: {form.method} {form.action} {name}={value}: {response.status_code}")
    return failures


def test_every_number_in_the_report_wizard_is_range_checked(client):
    """Each question of the report wizard, with hostile numbers in its number-like fields, then answered."""
    start(client)
    tried: set = set()
    failures: list[str] = []
    for slug, answer in BIKE_THEFT:
        path = f"/report/{slug}"
        page = client.get(path)
        assert page.status_code == 200, path
        failures += hostile_numbers_in_forms(client, path, page.get_data(as_text=True), tried, f"guest {path}",
                                             lambda: None)
        assert client.post(path, data=answer).status_code == 302, f"{slug} no longer takes its answer"
    assert failures == [], "\n".join(failures)
    assert {"occurred_on-day", "occurred_on-month", "occurred_on-year"} <= {name for *_rest, name in tried}


def test_a_huge_day_is_not_a_real_date(client):
    """The day that crashed the wizard gets the GOV.UK message for an impossible date, on the day it was typed in."""
    start(client)
    for slug, answer in BIKE_THEFT[:4]:
        client.post(f"/report/{slug}", data=answer)
    response = client.post("/report/when", data={"occurred_on-day": "9999999999", "occurred_on-month": "1",
                                                  "occurred_on-year": "2026"})
    assert response.status_code == 200
    assert "The date it happened must be a real date" in response.get_data(as_text=True)


def test_huge_dates_in_insight_downloads_are_refused(app, make_user):
    """A CSV link with a month far out of range is a 400 that says why, not a crash."""
    from portal.auth.roles import Role

    client = app.test_client()
    sign_in_as(client, make_user(Role.COMMISSIONER))
    for value in HUGE:
        response = client.get(f"/insight/figures/reports-by-category.csv?date_from-month={value}&date_from-year=2026")
        assert response.status_code == 400, (value, response.status_code)
        assert "The start date must be a real date" in response.get_data(as_text=True)

"""The checks that read every page the service draws: one world, one crawl.

Walking the whole app is the slowest kind of test, and five checks walk it. So the world (tests/integration/
test_equality_separation.py: a case allocated, charged and listed for court, a witness, messages both ways, a
referral with consent, one-to-one peer support, the victim's equality answers) is made once for this module, and
the crawl (tests/crawl.py: every GET route, as a guest and as every kind of person it is declared for; guests,
victims and witnesses in Polish and Arabic as well as English) is drawn once. Each test reads the pages it needs,
and runs in its own savepoint, so what one test posts is gone before the next begins.

The checks themselves live beside their other tests: placeholders in test_no_placeholders.py, the page checks and
the brand in tests/pagecheck.py, equality answers in test_equality_separation.py, English left behind in
tests/i18n_walk.py, hostile numbers in test_bad_numbers.py.
"""

from collections.abc import Iterator
from functools import partial
from typing import NamedTuple

import pytest

from tests import i18n_walk
from tests.conftest import kept_for_the_module, sign_in_as
from tests.crawl import CrawledPage, crawl
from tests.i18n_walk import NOT_PAGES as NOT_I18N_PAGES
from tests.i18n_walk import NOT_VICTIM_FACING, untranslated, world_data
from tests.integration.test_bad_numbers import (
    HOSTILE,
    IN_RANGE_BUT_ABSENT,
    INSIGHT_PAGES,
    NOT_PAGES,
    address_with,
    client_for,
    hostile_numbers_in_forms,
    integer_arguments,
    kinds_allowed,
    refresh,
    values_through_the_converter,
)
from tests.integration.test_equality_separation import (
    DECISION_KINDS,
    OWN_DOWNLOADS,
    QUESTION_PAGES,
    ROLES,
    addresses,
    build_world,
    leaks,
)
from tests.integration.test_no_placeholders import unfilled
from tests.integration.test_untranslated_text import PROPER_NAMES, WRITTEN, report_of
from tests.pagecheck import page_problems

# Guests, victims and witnesses read the service in every language; staff and partners in English.
LANGUAGES = {kind: ("en", "pl", "ar") if kind in (None, "victim", "witness") else ("en",) for kind in (None, *ROLES)}


class Crawled(NamedTuple):
    world: dict
    pages: list[CrawledPage]


@pytest.fixture(scope="module")
def crawled(app) -> Iterator[Crawled]:
    """The world and every page the crawl drew in it, kept for the module's tests."""
    with kept_for_the_module(app):
        world = build_world(app)
        yield Crawled(world, list(crawl(app, world, languages=LANGUAGES)))


@pytest.fixture
def world(crawled) -> dict:
    return crawled.world


@pytest.fixture
def pages(crawled) -> list[CrawledPage]:
    return crawled.pages


def test_the_crawl_reaches_every_kind_of_person_in_each_of_their_languages(pages):
    reached = {(page.kind, page.language) for page in pages}
    assert reached == {(kind, language) for kind, languages in LANGUAGES.items() for language in languages}
    assert len(pages) > 400


# Placeholders ---------------------------------------------------------------------------------------------------


def test_no_page_the_crawl_reaches_shows_a_placeholder(pages, world):
    problems, checked, reached = [], 0, set()
    for page in pages:
        if not page.is_text:  # a PDF's compressed bytes can hold "%(" by chance
            continue
        checked += 1
        reached.add(page.path)
        problems += [f"{page.name}: …{where}…" for where in unfilled(page.body)]
    assert checked > 150
    case = f"/staff/cases/{world['crime_number']}"
    # The crawl really reached the pages that showed placeholders before issue 22.
    assert {f"{case}/decide/allocate", f"{case}/decide/attendance", f"{case}/update"} <= reached
    assert problems == [], f"{len(problems)} unfilled placeholder(s):\n" + "\n".join(problems[:40])


def test_decision_and_update_pages_after_a_preview_or_a_refusal_show_no_placeholder(app, world):
    officer = app.test_client()
    sign_in_as(officer, world["users"]["officer"])
    case = f"/staff/cases/{world['crime_number']}"
    problems = []
    for kind in DECISION_KINDS:
        for data in ({"preview": "yes"}, {"preview": "yes", "officer": str(world["users"]["officer"].id),
                                          "visit_date-day": "1", "visit_date-month": "1", "visit_date-year": "2099",
                                          "visit_time": "10:00"}, {"version": "x"}):
            response = officer.post(f"{case}/decide/{kind}", data=data)
            assert response.status_code == 200, (kind, data)
            problems += [f"{kind} {data}: {where}" for where in unfilled(response.get_data(as_text=True))]
    for data in ({}, {"status": "court_hearing_scheduled"}, {"status": "progress"}):
        response = officer.post(f"{case}/update", data=data)
        assert response.status_code == 200
        problems += [f"update {data}: {where}" for where in unfilled(response.get_data(as_text=True))]
    assert problems == []


# The page checks and the brand -----------------------------------------------------------------------------------


def test_every_page_the_crawl_reaches_passes_the_page_checks(pages):
    """Every page, for every kind of person in each of their languages: one <h1> that begins the title, unique
    ids, forms with an action and a CSRF token, the CSP nonce on every script, no-store; and the brand: the
    organisation named in the header, nothing of GOV.UK's own (tests/pagecheck.py)."""
    html = [page for page in pages if page.is_html]
    assert len(html) > 150
    problems = [f"{page.name}: {problem}" for page in html for problem in page_problems(page.response)]
    assert problems == [], "\n".join(problems[:40])


# Equality answers -----------------------------------------------------------------------------------------------


def test_no_page_anyone_can_reach_shows_equality_answers(app, world, pages):
    """Every page drawn for a signed-in person, in every language they read: no equality question or answer, but
    on the equality questions themselves and the victim's own data download."""
    _filled, left_out = addresses(app, world["values"])
    assert set(left_out) <= {rule.rule for rule in app.url_map.iter_rules()}
    found, shown = [], set()
    for page in pages:
        if page.kind is None or page.endpoint.startswith(QUESTION_PAGES):
            continue
        if page.kind == "victim" and page.endpoint in OWN_DOWNLOADS:
            continue
        shown.add((page.kind, page.endpoint))
        if page.is_text:
            found += [f"{page.name}: {term!r}" for term in leaks(page.body)]
    assert not found, "equality answers or questions shown:\n" + "\n".join(found)
    # The walk really reached the pages that matter, with the case on them.
    must_see = {("victim", "tracking.case"), ("victim", "tracking.my_cases"), ("victim", "messages.victim_thread"),
                ("victim", "support.consents"), ("victim", "pages.account"), ("victim", "data_rights.index"),
                ("witness", "tracking.case"), ("officer", "triage.case"), ("officer", "triage.queue"),
                ("officer", "messages.staff_thread"), ("supervisor", "triage.case"),
                ("supervisor", "triage.performance"), ("partner", "partners.inbox"), ("partner", "partners.referral"),
                ("partner", "partners.export"), ("admin", "admin.index"), ("admin", "admin_organisations.partners"),
                ("admin", "admin_organisations.edit_organisation")}
    assert must_see <= shown, f"not reached: {sorted(must_see - shown)}"


# English left behind --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_no_english_on_victim_and_witness_pages(app, pages, language, monkeypatch):
    """Each page a guest, the victim or the witness sees, in English and in the language: no piece of text the
    same in both but data someone wrote or a proper name."""
    monkeypatch.setattr(i18n_walk, "ALLOWED", i18n_walk.ALLOWED | PROPER_NAMES)
    data = world_data(app, WRITTEN | {"Wood Green Crown Court", "Highbury Corner Magistrates"})
    by_page = {(page.kind, page.language, page.path): page for page in pages}
    problems, compared = {}, 0
    for (kind, code, path), english in by_page.items():
        if kind not in (None, "victim", "witness") or code != "en" or not english.is_html:
            continue
        if english.endpoint.rpartition(".")[0] in NOT_VICTIM_FACING or english.endpoint in NOT_I18N_PAGES:
            continue
        other = by_page.get((kind, language, path))
        if other is None:
            continue
        compared += 1
        left = untranslated(english.body, other.body, data)
        if left:
            problems[f"{kind or 'guest'} {path}"] = left
    assert compared > 100
    assert not problems, report_of(problems)


# Hostile numbers ------------------------------------------------------------------------------------------------


def test_every_whole_number_in_an_address_is_range_checked(app, world):
    """A huge, negative or non-numeric id is 'not found' (or refused), as every person the route lets in."""
    fill = {name: str(values[0]) for name, values in world["values"].items() if values}
    checked, failures = set(), []
    for rule in app.url_map.iter_rules():
        numbers = integer_arguments(rule)
        if not numbers:
            continue
        for kind in kinds_allowed(app, rule.endpoint):
            client = client_for(app, world["users"], kind)
            for name in numbers:
                for value in values_through_the_converter(rule, name, (*HOSTILE, IN_RANGE_BUT_ABSENT)):
                    path = address_with(rule, {**fill, **{n: "1" for n in numbers}, name: value})
                    for method in ("GET", "POST"):
                        if method not in rule.methods:
                            continue
                        refresh(client, world["users"], kind)
                        response = client.open(path, method=method, data={} if method == "POST" else None)
                        response.get_data()
                        if response.status_code >= 500:
                            failures.append(f"{method} {path} as {kind}: {response.status_code}")
                        checked.add(rule.endpoint)
    assert failures == [], "\n".join(failures)
    # The routes the penetration test named are among those walked.
    assert {"support.directory_service", "partners.edit_service", "admin_organisations.edit_organisation",
            "witnesses.availability", "admin.deactivate", "support.refer"} <= checked, sorted(checked)
    assert len(checked) >= 15, sorted(checked)


def test_every_number_in_every_form_is_range_checked(app, world, pages):
    """Every form on every page the crawl drew in English (and the insight dashboard's filters), each number-like
    field at a time: a page with an error, never a 500."""
    drawn = [(page.kind, page.path, page.body) for page in pages
             if page.language == "en" and page.is_html and not page.path.endswith(NOT_PAGES)]
    for kind in ROLES:
        if kind in kinds_allowed(app, "insight.service"):
            client = client_for(app, world["users"], kind)
            drawn += [(kind, path, client.get(path).get_data(as_text=True)) for path in INSIGHT_PAGES]
    tried: set = set()
    failures: list[str] = []
    clients = {}
    for kind, path, body in drawn:
        if kind not in clients:  # one signed-in client for each kind of person, made once
            clients[kind] = client_for(app, world["users"], kind)
        client = clients[kind]
        failures += hostile_numbers_in_forms(client, path, body, tried, f"{kind} {path}",
                                             partial(refresh, client, world["users"], kind))
    assert failures == [], "\n".join(failures)
    fields = {name for _method, _action, name in tried}
    # The crawl reached the fields the penetration test named (the insight filters, the hearing date), and more.
    assert {"date_from-month", "date_to-year", "hearing_date-day", "version", "sort_order", "capacity",
            "age"} <= fields, sorted(fields)
    assert len(tried) >= 20, sorted(tried)


def test_page_numbers_in_query_strings_are_range_checked(app, world):
    """Every page (one address per route), with a huge, negative or non-numeric page number and page size."""
    filled, _left_out = addresses(app, world["values"])
    one_each = dict(reversed([*filled, ("oruk.services", "/api/oruk/services")]))
    failures = []
    for endpoint, path in one_each.items():
        kinds = kinds_allowed(app, endpoint)
        if not kinds:
            continue
        client = client_for(app, world["users"], kinds[-1])
        for value in (str(2**63), "9" * 5000, "-1", "abc"):
            refresh(client, world["users"], kinds[-1])
            separator = "&" if "?" in path else "?"
            response = client.get(f"{path}{separator}page={value}&per_page={value}")
            response.get_data()
            if response.status_code >= 500:
                failures.append(f"{path} page={value} as {kinds[-1]}: {response.status_code}")
    assert failures == [], "\n".join(failures)
    assert {"support.directory_search", "partners.inbox", "triage.queue", "oruk.services"} <= set(one_each)

"""The page checks (tests/pagecheck.py): each problem they find, and the pages shown instead of a refused or missing
page, for each kind of visitor. Every other page is checked on the shared crawl (test_every_page.py)."""

import pytest

from portal.auth.access import PUBLIC, access_rule_for
from portal.auth.roles import Role
from tests.pagecheck import assert_good_page, h1_text, page_problems


def _page(app, html: str, csp: str = "script-src 'self' 'nonce-abc'", cache: str = "no-store"):
    return app.response_class(html, headers={"Content-Security-Policy": csp, "Cache-Control": cache})


GOOD = ('<html><head><title>Heading – Service</title></head><body><div class="govuk-generic-header"><a href="/">'
        '<span class="app-header__organisation">Example Police</span></a></div><h1 id="a">Heading</h1>'
        '<form action="/x"></form><form method="post" action="/y"><input type="hidden" name="csrf_token" '
        'value="t"></form><script nonce="abc">1</script></body></html>')


def test_the_page_checks_pass_a_good_page(app):
    """A page with one h1 that begins its title, unique ids, form actions and nonced scripts passes."""
    assert page_problems(_page(app, GOOD)) == []


@pytest.mark.parametrize(("html", "headers", "expected"), [
    (GOOD.replace("</h1>", "</h1><h1>Again</h1>"), {}, "expected exactly one <h1>, found 2"),
    (GOOD.replace('<h1 id="a">Heading</h1>', ""), {}, "expected exactly one <h1>, found 0"),
    (GOOD.replace("<title>Heading", "<title>Other"), {}, "does not start with the <h1>"),
    (GOOD.replace('<form action="/x">', '<form id="a" action="/x">'), {}, "duplicate ids: ['a']"),
    (GOOD.replace(' action="/x"', ""), {}, "1 form(s) without an action"),
    (GOOD.replace(' nonce="abc"', ""), {}, "1 <script> element(s) without the CSP nonce"),
    (GOOD, {"csp": "script-src 'self'"}, "no script nonce in the Content-Security-Policy header"),
    (GOOD, {"cache": "private"}, "Cache-Control is not no-store"),
    (GOOD.replace('name="csrf_token"', 'name="token"'), {}, "1 POST form(s) without a CSRF token"),
    (GOOD.replace('value="t"', 'value=""'), {}, "1 POST form(s) without a CSRF token"),
    (GOOD.replace("Example Police", ""), {}, "no header naming the organisation"),
    (GOOD.replace('<h1 id="a">', '<p>© Crown copyright</p><h1 id="a">'), {}, "says Crown copyright"),
    (GOOD.replace('class="govuk-generic-header"', 'class="govuk-header"'), {}, "GOV.UK's own header"),
], ids=["two-h1", "no-h1", "title", "duplicate-id", "form-action", "script-nonce", "csp", "cache", "csrf",
        "csrf-empty", "no-organisation", "crown-copyright", "govuk-header"])
def test_the_page_checks_name_each_problem(app, html, headers, expected):
    """Each kind of broken page is caught, and the problem is named."""
    problems = page_problems(_page(app, html, **headers))
    assert len(problems) >= 1 and any(expected in problem for problem in problems), problems


@pytest.mark.parametrize("role", [None, *Role])
def test_the_pages_shown_instead_of_a_refused_or_missing_one_pass_the_page_checks(app, client, signed_in, role):
    """For every kind of visitor: the page refusing a page of each area they may not open (one route of each
    blueprint; a guest is sent to sign in instead), and 'page not found'. Every page the service draws for the
    people it is for, in each of their languages, is checked on the shared crawl (test_every_page.py)."""
    if role is not None:
        signed_in(role)
    refused: dict[str, str] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
            continue
        allowed = access_rule_for(rule.endpoint, app.view_functions)
        if allowed != PUBLIC and role not in allowed:
            refused.setdefault(rule.endpoint.rpartition(".")[0], rule.rule)
    assert len(refused) >= 3
    for path in refused.values():
        response = client.get(path)
        if role is None:
            assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path
            continue
        assert response.status_code == 403, f"{path} for {role}: {response.status_code}"
        assert_good_page(response)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert_good_page(missing)


def test_not_found_page_is_a_gov_uk_page(client):
    """An unknown address shows 'Page not found' with the page checks passing."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert h1_text(response) == "Page not found"
    assert_good_page(response)


def test_start_page_offers_exit_this_page_and_999(client):
    """The start page warns to call 999 in an emergency and carries both exit controls."""
    html = client.get("/").get_data(as_text=True)
    assert "call 999" in html
    assert 'class="govuk-exit-this-page"' in html
    assert "govuk-js-exit-this-page-skiplink" in html


def test_staff_pages_do_not_show_exit_this_page(client, signed_in):
    """Staff are not victims: no Exit this page on their account page."""
    signed_in(Role.OFFICER)
    html = client.get("/account").get_data(as_text=True)
    assert "govuk-exit-this-page" not in html


def test_exit_clears_the_session_and_leaves_for_a_neutral_site(app, client, signed_in):
    """The exit route signs the person out and sends them to the configured neutral site."""
    signed_in(Role.VICTIM)
    response = client.get("/exit")
    assert response.status_code == 302
    assert response.headers["Location"] == app.config["EXIT_PAGE_URL"]
    follow = client.get("/account")
    assert follow.status_code == 302
    assert "/login" in follow.headers["Location"]


def test_exit_forgets_the_language_too(client):
    """The language cookie lasts a year and says which language someone reads: leaving forgets it, so the next
    person at the computer sees the site as anyone would (issue 16, finding 12)."""
    client.post("/language", data={"language": "pl", "next": "/"})
    assert client.get_cookie("language").value == "pl"
    assert 'lang="pl"' in client.get("/").get_data(as_text=True)
    response = client.get("/exit")
    deleted = [header for header in response.headers.getlist("Set-Cookie") if header.startswith("language=")]
    assert len(deleted) == 1 and "Max-Age=0" in deleted[0] and "Path=/" in deleted[0], deleted
    assert client.get_cookie("language") is None
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_health_reports_database_ok(client):
    """The health check answers with the database state."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    """With a database that cannot be opened, /health says so with a 503."""
    from portal.app import create_app
    from tests.conftest import make_config

    broken = create_app(make_config(f"sqlite:///{tmp_path}/missing-dir/nope.db"))
    response = broken.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_security_headers_on_every_page(client):
    """CSP with a nonce, no framing, and no caching of pages."""
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_assets_are_served_and_cacheable(client):
    """The committed GOV.UK Frontend and MoJ Frontend assets are served from /assets; the stylesheet uses the
    Arial/Helvetica stack and loads no GDS Transport font (reserved for GOV.UK)."""
    for asset in ("portal-frontend.min.css", "govuk-frontend.min.js", "moj-frontend.min.js",
                  "images/app-icon.svg", "images/organisation-logo.svg"):
        with client.get(f"/assets/{asset}") as response:
            assert response.status_code == 200, asset
            assert "no-store" not in response.headers.get("Cache-Control", "")
            body = response.get_data(as_text=True)
        if asset.endswith(".css"):
            assert "GDS Transport" not in body and "@font-face" not in body
            assert "font-family:arial,helvetica,sans-serif" in body
            assert ".moj-primary-navigation" in body and ".govuk-summary-list" in body
    for name, expected in (("GOVUK_FRONTEND_VERSION", "6.3.0"), ("MOJ_FRONTEND_VERSION", "11.1.0")):
        with client.get(f"/assets/{name}") as response:
            assert response.get_data(as_text=True).strip() == expected


def test_a_page_found_good_once_is_checked_again_when_anything_but_its_nonce_and_token_changes(app):
    """The page checks remember pages they found good (tests/pagecheck.py): the same page drawn again, with its own
    nonce and CSRF token, is good; one broken in any other way is still caught."""

    def drawn(nonce: str, token: str, script_nonce: str | None = None):
        html = GOOD.replace('nonce="abc"', f'nonce="{script_nonce or nonce}"').replace('value="t"', f'value="{token}"')
        return _page(app, html, csp=f"script-src 'self' 'nonce-{nonce}'")

    assert page_problems(drawn("Qm9uY2UtMTExMQ", "IjExMTEi.aGVsbG8.c2lnbmVk")) == []
    assert page_problems(drawn("Qm9uY2UtMjIyMg", "IjIyMjIi.d29ybGQ.c2lnbmVk")) == []
    other_nonce = drawn("Qm9uY2UtMzMzMw", "IjMzMzMi.Zm9vYmE.c2lnbmVk", script_nonce="Qm9uY2UtMTExMQ")
    assert any("without the CSP nonce" in problem for problem in page_problems(other_nonce))
    assert any("without a CSRF token" in problem for problem in page_problems(drawn("Qm9uY2UtNDQ0NA", "")))

"""Bad input gets a clear page, never a 500: missing, oversized, malformed and hostile posts."""

import re
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from tests.pagecheck import assert_good_page, h1_text

FORM_PAGES = ["/register", "/login", "/reset-password", "/reset-password/some-token", "/login/code",
              "/login/unverified"]


def test_a_post_without_a_csrf_token_gets_the_expired_page(client):
    """A form sent without its CSRF token is refused with an explanation."""
    response = client.post("/login", data={"email": "a@example.org", "password": "x"}, csrf=False)
    assert response.status_code == 400
    assert h1_text(response) == "Sorry, this page has expired"
    assert_good_page(response)


def test_a_post_with_a_forged_csrf_token_is_refused(client):
    """A wrong token is as bad as none."""
    response = client.post("/register", data={"csrf_token": "forged", "email": "a@example.org"})
    assert response.status_code == 400
    assert h1_text(response) == "Sorry, this page has expired"


def test_an_oversized_post_gets_the_too_large_page(client):
    """A body over the limit gets the 413 page, not a crash."""
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * (11 * 1024 * 1024)})
    assert response.status_code == 413
    assert h1_text(response) == "The file or form you sent is too large"
    assert_good_page(response)


def test_a_field_far_over_its_limit_gets_a_message(client):
    """A long-but-allowed body with an over-length field gets the field's error message."""
    response = client.post("/login", data={"email": "a" * 5000, "password": "x"})
    assert response.status_code == 200
    assert "Email address must be 254 characters or fewer" in response.get_data(as_text=True)


hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "\x00", "%00", "{{7*7}}", "😀" * 50,
                     "a@b", "@", "\u202e", "=cmd|' /C calc'!A0"]),
)


@pytest.mark.parametrize("path", FORM_PAGES)
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(
    st.sampled_from(["email", "password", "confirm_password", "code", "extra", "submit"]), hostile_text, max_size=5))
def test_random_and_hostile_posts_never_cause_a_500(client, path, data):
    """Whatever is posted to a form, the answer is a page or a redirect, and hostile text is escaped."""
    response = client.post(path, data=data)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


def test_malformed_form_encodings_never_cause_a_500(client):
    """Broken bodies and odd content types are handled."""
    for content_type, body in [
        ("application/x-www-form-urlencoded", b"%%%%&&&=="),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nnonsense"),
        ("application/json", b"{not json"),
        ("text/plain", b"\xff\xfe\x00"),
    ]:
        response = client.post("/login", data=body, content_type=content_type)
        assert response.status_code < 500


@pytest.fixture
def limits(app):
    """Lower the rate limits for one test, with fresh counters before and after."""
    from portal.extensions import limiter

    saved = {key: app.config[key] for key in ("LOGIN_RATE_LIMIT", "REGISTER_RATE_LIMIT", "RESET_RATE_LIMIT")}
    limiter.reset()
    yield app.config
    app.config.update(saved)
    limiter.reset()


def test_rate_limit_on_sign_in_explains_itself(client, limits):
    """Too many sign-in attempts from one place get the 429 page saying to wait."""
    limits["LOGIN_RATE_LIMIT"] = "3 per minute"
    statuses = [client.post("/login", data={"email": "a@example.org", "password": "wrong"}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    last = client.post("/login", data={"email": "a@example.org", "password": "wrong"})
    assert h1_text(last) == "You have tried too many times"
    assert "Wait a few minutes" in last.get_data(as_text=True)
    assert_good_page(last)
    assert client.get("/login").status_code == 200  # reading the page is not limited


@pytest.mark.parametrize("path", ["/register", "/reset-password"])
def test_rate_limits_cover_registration_and_reset(client, limits, path):
    """Registration and reset are limited too."""
    limits["REGISTER_RATE_LIMIT"] = "2 per minute"
    limits["RESET_RATE_LIMIT"] = "2 per minute"
    statuses = [client.post(path, data={}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


HOSTILE_SEGMENTS = ("%00", "A%00B", "..%2F..", "%E2%80%AE", "x" * 300)


@pytest.mark.parametrize("role", ["victim", "witness", "officer", "partner", "admin"])
def test_hostile_values_in_every_address_never_cause_a_500(app, make_user, role):
    """Every GET route with a text part in its address, with NUL bytes and other hostile values in that part, as
    every kind of person: a page or a 'not found', never a server error (PostgreSQL refuses NUL in text)."""
    from werkzeug.routing import PathConverter

    from portal.auth.roles import Role
    from portal.urls import PrintableText
    from tests.conftest import sign_in_as
    from tests.support_helpers import make_organisation

    with app.app_context():
        organisation_id = make_organisation("Hostile Input Charity").id
    # The account is made outside that context: made in a nested one, it vanished with the outer context's
    # savepoint on PostgreSQL, and the test ran signed out (a server-side session record showed it).
    user = make_user(Role(role), organisation_id=organisation_id if role == "partner" else None)
    client = app.test_client()
    sign_in_as(client, user)
    assert client.get("/account").status_code == 200, "the walk runs signed in"
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.arguments or rule.endpoint == "static":
            continue
        text_arguments = [name for name in rule.arguments
                          if isinstance(rule._converters[name], PrintableText | PathConverter)]
        if not text_arguments:
            continue
        for segment in HOSTILE_SEGMENTS:
            # A value the part's converter does not match is 'not found' before any view (checked once, below).
            if not all(re.fullmatch(rule._converters[name].regex, unquote(segment)) for name in text_arguments):
                continue
            path = rule.rule
            for name in rule.arguments:
                value = segment if name in text_arguments else "1"
                path = path.replace(f"<{name}>", value).replace(f"<int:{name}>", value)
            response = client.get(path)
            assert response.status_code < 500, f"{path} as {role}: {response.status_code}"
            checked += 1
    assert checked > 20


def test_text_the_converter_does_not_match_is_not_found_before_any_view(app, client):
    """portal.urls.PrintableText, every route's text converter: no control characters (NUL among them) and no
    slash, so those addresses match no route, whatever the route."""
    from portal.urls import PrintableText

    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == "tracking.case")
    (name,) = rule.arguments
    assert isinstance(rule._converters[name], PrintableText)
    refused = [segment for segment in HOSTILE_SEGMENTS
               if not re.fullmatch(rule._converters[name].regex, unquote(segment))]
    assert refused == ["%00", "A%00B", "..%2F.."]
    for segment in refused:
        assert client.get(rule.rule.replace(f"<{name}>", segment)).status_code == 404, segment

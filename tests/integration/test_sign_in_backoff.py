"""Per-account back-off after wrong passwords and codes, the same for addresses with and without an account;
the account holder told after many failures in a day; never a permanent lock. And the work a sign-in or a
registration does is the same whether or not the address has an account."""

from datetime import timedelta

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from portal.auth import backoff
from portal.auth.models import FailedAttempt, User
from portal.auth.roles import Role
from portal.extensions import db, limiter
from tests.conftest import CsrfClient, outbox_rows
from tests.factories import DEFAULT_PASSWORD
from tests.pagecheck import assert_good_page

WAIT_ONE = "You have tried too many times. Wait 1 minute, then try again."


def sign_in(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def age_failures(app, seconds: int) -> None:
    """Move every counted failure this many seconds into the past (time passing)."""
    with app.app_context():
        for failure in db.session.scalars(select(FailedAttempt)):
            failure.occurred_at -= timedelta(seconds=seconds)
        db.session.commit()


def test_after_five_wrong_passwords_even_the_right_one_must_wait_a_minute(app, client, make_user):
    victim = make_user(Role.VICTIM)
    for _ in range(5):
        assert "Enter a correct email address and password" in sign_in(client, victim.email, "wrong-password") \
            .get_data(as_text=True)
    refused = sign_in(client, victim.email, DEFAULT_PASSWORD)
    assert refused.status_code == 200 and WAIT_ONE in refused.get_data(as_text=True)
    assert_good_page(refused)
    age_failures(app, 61)
    assert sign_in(client, victim.email, DEFAULT_PASSWORD).headers["Location"] == "/account"


def test_an_address_without_an_account_gets_the_same_answers(client):
    answers = [sign_in(client, "nobody@example.org", "wrong-password").get_data(as_text=True) for _ in range(6)]
    assert all("Enter a correct email address and password" in page for page in answers[:5])
    assert WAIT_ONE in answers[5]


def test_the_wait_doubles_with_each_failure_up_to_fifteen_minutes(app):
    with app.app_context():
        assert [backoff.wait_after(n) for n in range(4, 12)] == [timedelta(0)] + [
            timedelta(minutes=m) for m in (1, 2, 4, 8, 15, 15, 15)]
        for _ in range(30):  # however many failures: never more than fifteen minutes
            backoff.record_failure("someone@example.org", None)
        assert backoff.minutes_to_wait("someone@example.org") == 15
        db.session.rollback()


def test_it_is_never_a_lock_once_the_window_has_passed(app, client, make_user):
    victim = make_user(Role.VICTIM)
    with app.app_context():
        for _ in range(40):
            backoff.record_failure(victim.email, None)
        db.session.commit()
    assert "Wait 15 minutes" in sign_in(client, victim.email, DEFAULT_PASSWORD).get_data(as_text=True)
    age_failures(app, 15 * 60 + 1)
    assert sign_in(client, victim.email, DEFAULT_PASSWORD).headers["Location"] == "/account"


def test_waiting_costs_no_password_check(app, client, make_user, monkeypatch):
    victim = make_user(Role.VICTIM)
    with app.app_context():
        for _ in range(6):
            backoff.record_failure(victim.email, None)
        db.session.commit()
    calls = count_hasher_calls(monkeypatch)
    sign_in(client, victim.email, DEFAULT_PASSWORD)
    assert calls == []


def test_a_successful_sign_in_clears_the_count(app, client, make_user):
    victim = make_user(Role.VICTIM)
    for _ in range(4):
        sign_in(client, victim.email, "wrong-password")
    assert sign_in(client, victim.email, DEFAULT_PASSWORD).headers["Location"] == "/account"
    with app.app_context():
        assert db.session.scalars(select(FailedAttempt)).all() == []


def test_wrong_codes_count_too_and_a_right_password_does_not_clear_them(app, make_user):
    officer = make_user(Role.OFFICER)
    browser = app.test_client()
    for _ in range(5):
        assert sign_in(browser, officer.email, DEFAULT_PASSWORD).headers["Location"] == "/login/code"
        assert "Enter the 6-digit code" in browser.post("/login/code", data={"code": "000000"}).get_data(
            as_text=True)
    assert sign_in(browser, officer.email, DEFAULT_PASSWORD).get_data(as_text=True).count(WAIT_ONE) >= 1
    age_failures(app, 61)
    assert sign_in(browser, officer.email, DEFAULT_PASSWORD).headers["Location"] == "/login/code"
    with app.app_context():
        secret = db.session.get(User, officer.id).totp_secret
    assert browser.post("/login/code", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(FailedAttempt)).all() == []


def test_the_account_holder_is_told_once_after_ten_failures_in_a_day(app, client, make_user):
    victim = make_user(Role.VICTIM)
    for _ in range(5):
        sign_in(client, victim.email, "wrong-password")
    age_failures(app, 16 * 60)  # out of the back-off window, still the same day
    for _ in range(5):
        sign_in(client, victim.email, "wrong-password")
    age_failures(app, 16 * 60)
    for _ in range(3):
        sign_in(client, victim.email, "wrong-password")
    told = [m for m in outbox_rows(app) if m.template == "sign_in_attempts"]
    assert [m.recipient for m in told] == [victim.email]
    assert told[0].subject == "Your account"
    assert "tried many times today to sign in" in told[0].body_text
    assert "/reset-password" in told[0].body_text


def test_nobody_is_emailed_about_an_address_without_an_account(app, client):
    for _ in range(12):
        sign_in(client, "nobody@example.org", "wrong-password")
    assert outbox_rows(app) == []


# The same work whatever the address ------------------------------------------------------------------------


def count_hasher_calls(monkeypatch) -> list[str]:
    """Record every Argon2 hash and verification from now on."""
    calls: list[str] = []
    for name in ("hash", "verify"):
        original = getattr(PasswordHasher, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(PasswordHasher, name, counted)
    return calls


@pytest.mark.parametrize("known", [True, False], ids=["known-address", "unknown-address"])
@pytest.mark.parametrize("right", [True, False], ids=["right-password", "wrong-password"])
def test_signing_in_checks_one_password_whatever_the_address(app, client, make_user, monkeypatch, known, right):
    email = make_user(Role.VICTIM).email if known else "nobody@example.org"
    calls = count_hasher_calls(monkeypatch)
    sign_in(client, email, DEFAULT_PASSWORD if right else "wrong-password")
    assert calls == ["verify"]


@pytest.mark.parametrize("known", [True, False], ids=["known-address", "unknown-address"])
def test_registering_hashes_one_password_whatever_the_address(app, client, make_user, monkeypatch, known):
    email = make_user(Role.VICTIM).email if known else "new-person@example.org"
    client.get("/register")
    calls = count_hasher_calls(monkeypatch)
    response = client.post("/register", data={"email": email, "password": "river-stone-lantern-47",
                                              "confirm_password": "river-stone-lantern-47"})
    assert response.headers["Location"] == "/register/check-email"
    assert calls == ["hash"]
    assert len(outbox_rows(app)) == 1  # a verification link, or a note to the owner: one email either way


# Behind a proxy ----------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


@pytest.mark.parametrize(("hops", "expected"), [(0, [200, 200, 429, 429]), (1, [200, 200, 200, 200])],
                         ids=["no-proxy-trusted", "one-proxy-trusted"])
def test_rate_limits_count_each_client_behind_a_trusted_proxy(make_app, fresh_limits, hops, expected):
    """Two people behind one proxy: with TRUSTED_PROXY_HOPS=1 each has their own count; with 0 (the default) the
    header is not believed, so nobody can dodge a limit by sending it."""
    proxied = make_app(TRUSTED_PROXY_HOPS=hops, LOGIN_RATE_LIMIT="2 per minute")
    proxied.test_client_class = CsrfClient
    browser = proxied.test_client()
    statuses = [browser.post("/login", data={"email": "a@example.org", "password": "x"},
                             headers={"X-Forwarded-For": person}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
                             ).status_code
                for person in ("203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.2")]
    assert statuses == expected

"""Accounts: register and verify, sign in (TOTP for staff), sign out, reset password."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.auth.models import AccountToken, User
from portal.auth.roles import Role
from portal.clock import utcnow
from portal.extensions import db
from tests.conftest import link_in, outbox_rows, sign_in_as
from tests.factories import DEFAULT_PASSWORD
from tests.pagecheck import assert_good_page, h1_text

STRONG = "river-stone-lantern"


def get_user(app, email) -> User:
    """Load an account by email, detached."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge_all()
        return user


def register(client, email="new@example.org", password=STRONG, confirm=None):
    """Post the registration form."""
    client.get("/register")
    return client.post("/register", data={"email": email, "password": password,
                                          "confirm_password": confirm or password})


def login(client, email, password=DEFAULT_PASSWORD, next_url=None):
    """Post the sign-in form."""
    return client.post("/login" + (f"?next={next_url}" if next_url else ""),
                       data={"email": email, "password": password})


# Registration and verification -------------------------------------------------------------


def test_registering_sends_a_verification_link_that_confirms_the_address(app, client):
    """A new account is unverified until the emailed link is opened; the link then stops working."""
    response = register(client, email="  New@Example.org ")
    assert response.status_code == 302
    assert h1_text(client.get(response.headers["Location"])) == "Check your email"

    [email] = outbox_rows(app)
    assert email.recipient == "new@example.org"
    assert email.subject == "Confirm your email address"
    assert get_user(app, "new@example.org").email_verified_at is None

    link = link_in(email.body_text)
    response = client.get(link)
    assert response.status_code == 302
    assert get_user(app, "new@example.org").email_verified_at is not None
    assert "Your email address is confirmed" in client.get("/login").get_data(as_text=True)

    again = client.get(link)
    assert again.status_code == 400
    assert h1_text(again) == "This link does not work"


def test_registering_an_existing_email_looks_the_same_and_warns_the_owner(app, client, make_user):
    """No account enumeration: same page, and the real owner is emailed instead of a second account."""
    owner = make_user(Role.VICTIM, email="taken@example.org")
    response = register(client, email="TAKEN@example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/check-email")
    [email] = outbox_rows(app)
    assert email.recipient == owner.email
    assert email.template == "account_exists"
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter your email address"),
        ({"email": "not-an-email", "password": STRONG, "confirm_password": STRONG},
         "Enter an email address in the correct format"),
        ({"email": "a@example.org", "password": "short", "confirm_password": "short"},
         "Password must be 10 characters or more"),
        ({"email": "a@example.org", "password": "x" * 129, "confirm_password": "x" * 129},
         "Password must be 128 characters or fewer"),
        ({"email": "a@example.org", "password": STRONG, "confirm_password": STRONG + "x"},
         "Passwords must match"),
        ({"email": "a@example.org", "password": "password123", "confirm_password": "password123"},
         "Choose a password that is harder to guess"),
        ({"email": "a" * 250 + "@example.org", "password": STRONG, "confirm_password": STRONG},
         "Email address must be 254 characters or fewer"),
    ],
)
def test_registration_errors_are_shown_in_gov_uk_style(app, client, data, message):
    """Bad registration input gets the error summary and a message, and creates nothing."""
    client.get("/register")
    response = client.post("/register", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert_good_page(response)
    assert outbox_rows(app) == []


def test_an_unknown_verification_link_is_a_clear_error(client):
    """A made-up token shows the 'link does not work' page, not a 500."""
    response = client.get("/verify-email/not-a-real-token")
    assert response.status_code == 400
    assert h1_text(response) == "This link does not work"


# Signing in ---------------------------------------------------------------------------------


def test_every_sign_in_failure_gets_the_same_message(client, make_user):
    """Unknown email and wrong password are indistinguishable."""
    make_user(Role.VICTIM, email="known@example.org")
    unknown = login(client, "nobody@example.org").get_data(as_text=True)
    wrong = login(client, "known@example.org", "wrong-password!").get_data(as_text=True)
    for html in (unknown, wrong):
        assert "Enter a correct email address and password" in html
    assert "nobody@example.org" in unknown and "known@example.org" in wrong


def test_a_victim_signs_in_and_out(client, make_user):
    """Sign in lands on the account page; sign out is a POST and ends the session."""
    user = make_user(Role.VICTIM)
    response = login(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    page = client.get("/account")
    assert user.email in page.get_data(as_text=True)
    assert_good_page(page)

    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_sign_in_follows_next_only_on_this_site(client, make_user):
    """A `next` pointing elsewhere is ignored."""
    user = make_user(Role.VICTIM)
    assert login(client, user.email, next_url="/cookies").headers["Location"] == "/cookies"
    client.post("/logout")
    assert login(client, user.email, next_url="https://evil.example/").headers["Location"] == "/account"
    client.post("/logout")
    assert login(client, user.email, next_url="//evil.example/").headers["Location"] == "/account"


def test_an_unverified_account_is_asked_to_confirm_first(app, client, make_user):
    """The right password on an unverified account explains what to do and can resend the link."""
    user = make_user(Role.VICTIM, email_verified_at=None)
    response = login(client, user.email)
    assert response.headers["Location"] == "/login/unverified"
    page = client.get("/login/unverified")
    assert h1_text(page) == "Confirm your email address"
    client.post("/login/unverified")
    assert [m.template for m in outbox_rows(app)] == ["verify_email"]
    assert client.get("/account").status_code == 302


def test_a_deactivated_account_cannot_sign_in(client, make_user):
    """Deactivated staff get the same generic failure."""
    user = make_user(Role.OFFICER, is_active_account=False)
    assert "Enter a correct email address and password" in login(client, user.email).get_data(as_text=True)


def test_passwords_are_argon2id_and_rehashed_when_parameters_change(app, client, make_user):
    """A hash made with old parameters is replaced at the next successful sign-in."""
    user = make_user(Role.VICTIM)
    assert user.password_hash.startswith("$argon2id$")
    old_hash = user.password_hash
    app.config["ARGON2_TIME_COST"] = 2
    try:
        login(client, user.email)
    finally:
        app.config["ARGON2_TIME_COST"] = 1
    new_hash = get_user(app, user.email).password_hash
    assert new_hash != old_hash and "t=2" in new_hash


# Staff second step ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.PARTNER, Role.ADMIN])
def test_staff_must_enter_a_totp_code(client, make_user, role):
    """Staff are not signed in by the password alone; a correct code completes sign-in."""
    user = make_user(role)
    response = login(client, user.email)
    assert response.headers["Location"] == "/login/code"
    assert client.get("/account").status_code == 302

    wrong = client.post("/login/code", data={"code": "000000"})
    assert "Enter the 6-digit code from your authenticator app" in wrong.get_data(as_text=True)

    response = client.post("/login/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200


def test_a_totp_code_cannot_be_replayed(client, make_user):
    """The same code does not work twice."""
    user = make_user(Role.OFFICER)
    code = pyotp.TOTP(user.totp_secret).now()
    login(client, user.email)
    client.post("/login/code", data={"code": code})
    client.post("/logout")
    login(client, user.email)
    again = client.post("/login/code", data={"code": code})
    assert again.status_code == 200
    assert "Enter the 6-digit code" in again.get_data(as_text=True)


def test_first_staff_sign_in_shows_the_setup_qr_code(client, make_user):
    """An officer who has not enrolled sees an inline SVG QR code and the key, then confirms with a code."""
    user = make_user(Role.OFFICER, totp_confirmed_at=None)
    login(client, user.email)
    page = client.get("/login/code")
    html = page.get_data(as_text=True)
    assert h1_text(page) == "Set up your authenticator app"
    assert "<svg" in html and user.totp_secret in html
    assert_good_page(page)
    client.post("/login/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert client.get("/account").status_code == 200


def test_the_code_page_without_a_password_step_sends_you_to_sign_in(client):
    """Nobody reaches /login/code without passing the password step first."""
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


# Password reset ------------------------------------------------------------------------------


def test_password_reset_link_works_once(app, client, make_user):
    """The emailed link sets a new password, then stops working; the old password no longer works."""
    user = make_user(Role.VICTIM)
    client.post("/reset-password", data={"email": user.email})
    [email] = outbox_rows(app)
    assert email.subject == "Reset your password"
    link = link_in(email.body_text)

    assert h1_text(client.get(link)) == "Choose a new password"
    response = client.post(link, data={"password": STRONG, "confirm_password": STRONG})
    assert response.headers["Location"] == "/login"
    assert client.get(link).status_code == 400
    assert client.post(link, data={"password": STRONG, "confirm_password": STRONG}).status_code == 400

    assert "Enter a correct email" in login(client, user.email).get_data(as_text=True)
    assert login(client, user.email, STRONG).headers["Location"] == "/account"
    assert [m.template for m in outbox_rows(app)] == ["reset_password", "password_changed"]


def test_password_reset_for_an_unknown_email_says_the_same(app, client):
    """The confirmation page does not reveal whether the account exists."""
    response = client.post("/reset-password", data={"email": "nobody@example.org"})
    assert h1_text(response) == "Check your email"
    assert outbox_rows(app) == []


def test_an_expired_reset_link_is_refused(app, client, make_user):
    """After its lifetime the link shows the 'does not work' page."""
    user = make_user(Role.VICTIM)
    client.post("/reset-password", data={"email": user.email})
    link = link_in(outbox_rows(app)[0].body_text)
    with app.app_context():
        token = db.session.scalar(select(AccountToken))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 400
    assert h1_text(response) == "This link does not work"


def test_a_wrong_reset_link_is_refused(client):
    """A made-up or oversized token is a clear error, not a 500."""
    for token in ("nonsense", "x" * 5000, "%ff"):
        response = client.get(f"/reset-password/{token}")
        assert response.status_code == 400
        assert h1_text(response) == "This link does not work"
    # Control characters match no address at all (see portal.urls.PrintableText): not found.
    response = client.get("/reset-password/%00%ff")
    assert (response.status_code, h1_text(response)) == (404, "Page not found")


def test_asking_for_a_new_reset_link_retires_the_old_one(app, client, make_user):
    """Only the newest reset link works."""
    user = make_user(Role.VICTIM)
    client.post("/reset-password", data={"email": user.email})
    client.post("/reset-password", data={"email": user.email})
    first, second = (link_in(m.body_text) for m in outbox_rows(app))
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200


# Session time-out ----------------------------------------------------------------------------


def test_an_idle_session_is_signed_out_with_an_explanation(client, make_user):
    """After 30 idle minutes, the next request signs out and says why."""
    user = make_user(Role.VICTIM)
    sign_in_as(client, user)
    with client.session_transaction() as session:
        session["last_seen"] = (utcnow() - timedelta(minutes=31)).timestamp()
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "did nothing for 30 minutes" in client.get("/login").get_data(as_text=True)


def test_signed_in_pages_carry_the_time_out_warning(client, make_user):
    """Signed-in pages include the warning dialog that the script opens after 25 minutes."""
    sign_in_as(client, make_user(Role.VICTIM))
    html = client.get("/account").get_data(as_text=True)
    assert 'id="session-timeout-dialog"' in html
    assert 'data-warn-minutes="25"' in html
    assert client.post("/session/keep-alive").get_json()["status"] == "ok"


def test_new_passwords_tell_password_managers_they_are_new(client):
    """Registration asks for a new password (once per field, as valid HTML has it); sign-in for the current one."""
    register = client.get("/register").get_data(as_text=True)
    inputs = re.findall(r'<input[^>]*type="password"[^>]*>', register)
    assert len(inputs) == 2
    for tag in inputs:
        assert re.findall(r'autocomplete="([^"]+)"', tag) == ["new-password"]
    login = client.get("/login").get_data(as_text=True)
    [password] = re.findall(r'<input[^>]*type="password"[^>]*>', login)
    assert re.findall(r'autocomplete="([^"]+)"', password) == ["current-password"]


def test_assets_never_write_the_session_cookie(client, signed_in):
    """A page notes the activity (and writes the cookie); a stylesheet does not, so an asset still loading when
    the person exits or signs out cannot answer later with the old cookie and sign them back in."""
    signed_in(Role.VICTIM)
    page = client.get("/account")
    assert page.status_code == 200 and "session=" in page.headers.get("Set-Cookie", "")
    asset = client.get("/assets/css/rtl.css")
    asset.close()
    assert asset.status_code == 200
    assert "Set-Cookie" not in asset.headers
    client.get("/exit")
    assert client.get("/account").status_code == 302

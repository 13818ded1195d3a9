"""Sessions the server can end: a copied cookie stops working when its session is signed out, when the password
changes, when the person or an administrator signs out everywhere, when the account is deactivated, and after
the absolute limit however busy it is."""

from datetime import timedelta

from sqlalchemy import select, update

from portal.auth.models import AccountSession
from portal.auth.roles import Role
from portal.clock import utcnow
from portal.extensions import db
from tests.conftest import link_in, outbox_rows, sign_in_as
from tests.factories import DEFAULT_PASSWORD

STRONG = "river-stone-lantern-47"


def signed_in_browser(app, user):
    """A browser that signed in through the real form."""
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/account", response.get_data(as_text=True)[:300]
    return browser


def copy_of(app, browser):
    """Another browser holding a copy of the first one's session cookie (a stolen or left-behind cookie)."""
    copy = app.test_client()
    cookie = browser.get_cookie("session")
    copy.set_cookie("session", cookie.value)
    return copy


def is_signed_in(browser) -> bool:
    return browser.get("/account").status_code == 200


def test_a_copied_cookie_stops_working_when_its_session_signs_out(app, make_user):
    victim = make_user(Role.VICTIM)
    browser = signed_in_browser(app, victim)
    copy = copy_of(app, browser)
    assert is_signed_in(copy), "the copy works while the session is open"
    browser.post("/logout")
    assert not is_signed_in(copy)
    assert copy.get("/account").headers["Location"].startswith("/login")


def test_signing_out_ends_only_that_session(app, make_user):
    victim = make_user(Role.VICTIM)
    phone, laptop = signed_in_browser(app, victim), signed_in_browser(app, victim)
    phone.post("/logout")
    assert not is_signed_in(phone) and is_signed_in(laptop)


def test_a_password_reset_ends_every_session_opened_before_it(app, make_user):
    victim = make_user(Role.VICTIM)
    before = signed_in_browser(app, victim)
    stranger = app.test_client()
    stranger.post("/reset-password", data={"email": victim.email})
    link = link_in(outbox_rows(app)[-1].body_text)
    stranger.post(link, data={"password": STRONG, "confirm_password": STRONG})
    assert not is_signed_in(before)
    after = app.test_client()
    assert after.post("/login", data={"email": victim.email, "password": STRONG}).headers["Location"] == "/account"


def test_a_person_can_sign_out_on_every_device(app, make_user):
    victim = make_user(Role.VICTIM)
    phone, laptop = signed_in_browser(app, victim), signed_in_browser(app, victim)
    page = laptop.get("/account").get_data(as_text=True)
    assert "Sign out on every device" in page
    response = laptop.post("/account/sign-out-everywhere")
    assert response.headers["Location"] == "/login"
    assert "You have been signed out on every device." in laptop.get("/login").get_data(as_text=True)
    assert not is_signed_in(phone) and not is_signed_in(laptop)
    with app.app_context():
        reasons = db.session.scalars(select(AccountSession.ended_reason)
                                     .where(AccountSession.user_id == victim.id)).all()
    assert reasons == ["signed_out_everywhere", "signed_out_everywhere"]


def test_an_administrator_signs_a_staff_account_out_everywhere_without_deactivating_it(app, client, make_user):
    admin = make_user(Role.ADMIN)
    officer = make_user(Role.OFFICER)
    officer_browser = app.test_client()
    sign_in_as(officer_browser, officer)
    assert officer_browser.get("/staff/triage").status_code == 200
    sign_in_as(client, admin)
    assert "Sign out everywhere" in client.get("/admin/staff").get_data(as_text=True)
    client.post(f"/admin/staff/{officer.id}/sign-out")
    assert f"{officer.email} is signed out on every device." in client.get("/admin/staff").get_data(as_text=True)
    assert officer_browser.get("/staff/triage").status_code == 302
    again = app.test_client()
    sign_in_as(again, officer)
    assert again.get("/staff/triage").status_code == 200, "the account itself still works"


def test_an_administrator_cannot_sign_out_a_victim_through_the_staff_page(app, client, make_user):
    victim = make_user(Role.VICTIM)
    browser = signed_in_browser(app, victim)
    sign_in_as(client, make_user(Role.ADMIN))
    client.post(f"/admin/staff/{victim.id}/sign-out")
    assert "That staff account does not exist" in client.get("/admin/staff").get_data(as_text=True)
    assert is_signed_in(browser)


def test_a_busy_session_still_ends_after_the_absolute_limit(app, make_user):
    victim = make_user(Role.VICTIM)
    browser = signed_in_browser(app, victim)
    hours = app.config["SESSION_MAX_HOURS"]
    with app.app_context():
        db.session.execute(update(AccountSession).values(started_at=utcnow() - timedelta(hours=hours, minutes=1)))
        db.session.commit()
    assert not is_signed_in(browser)


def test_a_session_idle_on_the_server_ends_even_if_the_cookie_says_otherwise(app, make_user):
    victim = make_user(Role.VICTIM)
    browser = signed_in_browser(app, victim)
    idle = app.config["SESSION_IDLE_MINUTES"]
    with app.app_context():
        db.session.execute(update(AccountSession).values(last_seen_at=utcnow() - timedelta(minutes=idle + 1)))
        db.session.commit()
    assert not is_signed_in(browser)


def test_activity_is_written_at_most_once_a_minute(app, make_user):
    victim = make_user(Role.VICTIM)
    browser = signed_in_browser(app, victim)
    with app.app_context():
        first = db.session.scalar(select(AccountSession.last_seen_at))
    browser.get("/account")
    with app.app_context():
        assert db.session.scalar(select(AccountSession.last_seen_at)) == first
        db.session.execute(update(AccountSession).values(last_seen_at=first - timedelta(minutes=2)))
        db.session.commit()
    browser.get("/account")
    with app.app_context():
        assert db.session.scalar(select(AccountSession.last_seen_at)) > first - timedelta(minutes=2)


def test_exit_this_page_ends_the_session_on_the_server(app, make_user):
    victim = make_user(Role.VICTIM)
    browser = signed_in_browser(app, victim)
    copy = copy_of(app, browser)
    browser.get("/exit")
    assert not is_signed_in(copy)


def test_the_cookie_holds_no_more_than_a_random_secret(app, make_user):
    """The database keeps only a hash of the secret, so reading the table gives no one a session."""
    victim = make_user(Role.VICTIM)
    browser = signed_in_browser(app, victim)
    with browser.session_transaction() as session:
        secret = session["sid"]
    with app.app_context():
        stored = db.session.scalar(select(AccountSession.secret_hash))
    assert len(secret) >= 40 and secret != stored and secret not in stored

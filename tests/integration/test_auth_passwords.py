"""The password rule on the pages that set a password: registration and reset (which is also how staff and
partners set their first password). A password on the list of the 100,000 most common ones, or one zxcvbn scores
below 3 (the person's own email address counting against it), is refused with a reason; the rule is on the page."""

import re

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.extensions import db
from tests.conftest import link_in, outbox_rows
from tests.factories import DEFAULT_PASSWORD
from tests.pagecheck import assert_good_page, h1_text

PASSPHRASE = "lantern orchard pebble violin"
ON_THE_LIST = "This one is among the 100,000 passwords people use most"
EASY_TO_GUESS = "Add another word, and avoid your email address, names, dates and keyboard patterns like qwerty"
RULE_HINT = "We will not accept a password that is on a list of the 100,000 most common ones"


def accounts(app) -> int:
    """How many accounts there are."""
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def register(client, email: str, password: str):
    """Post the registration form."""
    client.get("/register")
    return client.post("/register", data={"email": email, "password": password, "confirm_password": password})


def password_error(html: str) -> str:
    """The error message shown above the password field (GOV.UK puts it in the field's error message)."""
    match = re.search(r'<p id="password-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    assert match, "no error on the password field"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", ON_THE_LIST),
        ("password12", ON_THE_LIST),
        ("qwertyuiop1", ON_THE_LIST),
        # On the list as megaparol12345; zxcvbn alone would let it through, so this is the list, case-insensitive.
        ("MegaParol12345", ON_THE_LIST),
        # Not on the list, and strong for anyone else: weak only because it is the person's own email name.
        ("zanzibar.quokka99", EASY_TO_GUESS),
    ],
)
def test_registration_refuses_a_common_or_guessable_password_and_says_why(app, client, password, reason):
    """The page explains the refusal in the error summary and on the field, never shows the password back, and
    nothing is created or sent."""
    response = register(client, "zanzibar.quokka@example.org", password)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert reason in password_error(html)
    assert html.count(reason) == 2  # the summary and the field
    assert password not in html
    assert_good_page(response)
    assert accounts(app) == 0
    assert outbox_rows(app) == []


def test_a_password_weak_for_one_person_is_fine_for_another(app, client):
    """The email address counts against the password: someone else may use it."""
    response = register(client, "someone.else@example.org", "zanzibar.quokka99")
    assert response.status_code == 302
    assert accounts(app) == 1


def test_registration_accepts_a_strong_passphrase(app, client):
    """A few random words together pass the rule."""
    response = register(client, "new@example.org", PASSPHRASE)
    assert response.status_code == 302
    assert accounts(app) == 1


def test_a_long_password_past_what_zxcvbn_measures_is_accepted(app, client):
    """zxcvbn measures at most 72 characters; a longer strong password is judged on those and accepted."""
    long_password = " ".join([PASSPHRASE] * 5)[:128]
    assert len(long_password) == 128
    response = register(client, "long@example.org", long_password)
    assert response.status_code == 302
    assert accounts(app) == 1


def test_the_rule_is_explained_on_the_password_fields(app, client, make_user):
    """Registration and the reset (and set-password) page tell people the rule before they choose."""
    register_page = client.get("/register").get_data(as_text=True)
    assert RULE_HINT in register_page
    assert re.search(r'<input[^>]*id="password"[^>]*aria-describedby="password-hint"', register_page)

    user = make_user(Role.VICTIM)
    client.post("/reset-password", data={"email": user.email})
    reset_page = client.get(link_in(outbox_rows(app)[0].body_text)).get_data(as_text=True)
    assert RULE_HINT in reset_page


@pytest.mark.parametrize(("password", "reason"), [("Password12", ON_THE_LIST), ("resetme.person42", EASY_TO_GUESS)])
def test_reset_refuses_a_common_or_guessable_password(app, client, make_user, password, reason):
    """The reset link applies the same rule, with the account's own email address counting against the
    password; the old password still works and the link can still be used."""
    user = make_user(Role.VICTIM, email="resetme.person@example.org")
    client.post("/reset-password", data={"email": user.email})
    link = link_in(outbox_rows(app)[0].body_text)
    response = client.post(link, data={"password": password, "confirm_password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert h1_text(response) == "Choose a new password"
    assert reason in password_error(html)
    assert password not in html
    assert [m.template for m in outbox_rows(app)] == ["reset_password"]

    assert client.post(link, data={"password": PASSPHRASE, "confirm_password": PASSPHRASE}).status_code == 302
    assert client.post("/login", data={"email": user.email, "password": PASSPHRASE}).status_code == 302


def test_the_test_accounts_password_passes_the_rule(app, client):
    """The factories' password is one a person could choose, so tests sign in with a realistic password."""
    assert register(client, "factory@example.org", DEFAULT_PASSWORD).status_code == 302

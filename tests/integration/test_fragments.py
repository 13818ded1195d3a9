"""The header, footer, phase banner and "Exit this page" are drawn once per language and reused
(portal/fragments.py): each page still gets them in its own language, and only where they belong."""

from flask_babel import force_locale, gettext

from portal.auth.roles import Role
from tests.conftest import sign_in_as


def footer_of(html: str) -> str:
    return html[html.index("<footer"):]


def in_polish(app, english: str) -> str:
    with app.test_request_context(), force_locale("pl"):
        return gettext(english)


def test_each_language_gets_its_own_footer_and_banner_however_the_pages_come(app):
    english, polish = app.test_client(), app.test_client()
    polish.post("/language", data={"language": "pl", "next": "/cookies"})
    for _round in range(2):  # drawn, then reused
        for client, language in ((english, "en"), (polish, "pl")):
            html = client.get("/cookies").get_data(as_text=True)
            words = ("Accessibility statement", "Privacy", "Beta")
            expected = words if language == "en" else tuple(in_polish(app, word) for word in words)
            assert all(word in html for word in expected), (language, expected)
            if language == "pl":
                assert expected != words and "Accessibility statement" not in footer_of(html)


def test_exit_this_page_stays_off_staff_pages_and_on_victims_pages_in_any_order(app, make_user):
    officer, victim = app.test_client(), app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    sign_in_as(victim, make_user(Role.VICTIM))
    for _round in range(2):
        assert "govuk-js-exit-this-page" not in officer.get("/account").get_data(as_text=True)
        assert victim.get("/account").get_data(as_text=True).count("govuk-js-exit-this-page") >= 2

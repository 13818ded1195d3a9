"""The service's own brand: the organisation that runs it, never GOV.UK's crown, logotype or Crown copyright.

Every page the page checks read is checked for this (tests/pagecheck.py, brand_problems); here: the checks catch
GOV.UK's header and footer, the organisation's name and logo come from the settings, and they are translated.
Every page the crawl reaches is checked in tests/integration/test_every_page.py.
"""

import pytest
from flask import render_template_string

from tests.pagecheck import _PageParser, brand_problems, page_problems

pytestmark = pytest.mark.integration


def _problems(html: str) -> list[str]:
    parser = _PageParser()
    parser.feed(html)
    return brand_problems(parser)


def test_the_checks_catch_govuk_s_header_and_footer(app):
    with app.test_request_context("/"):
        header = render_template_string(
            '{% from "govuk_frontend_jinja/components/header/macro.html" import govukHeader %}{{ govukHeader({}) }}')
        footer = render_template_string(
            '{% from "govuk_frontend_jinja/components/footer/macro.html" import govukFooter %}{{ govukFooter({}) }}')
    problems = _problems(header + footer)
    assert any("govuk-header" in p for p in problems), problems
    assert any("govuk-footer__crown" in p or "govuk-footer__copyright-logo" in p for p in problems), problems
    assert "says Crown copyright" in problems
    assert any("no header naming the organisation" in p for p in problems)
    assert _problems('<div class="govuk-generic-header"><span class="app-header__organisation">GOV.UK</span></div>') \
        == ["the header's home link says GOV.UK"]


@pytest.mark.parametrize("path", ["/", "/login", "/track", "/no-such-page"])
def test_public_pages_name_the_organisation_and_not_gov_uk(client, path):
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert page_problems(response) == []
    assert _problems(body) == []
    assert '<span class="app-header__organisation">Demonstration Police Service</span>' in body
    assert 'src="/assets/images/organisation-logo.svg" alt=""' in body
    assert "© Demonstration Police Service" in body
    assert "GOV.UK" not in body and "Crown" not in body
    assert 'href="/assets/images/app-icon.svg"' in body  # the service's own icon, not the crown's


@pytest.mark.parametrize(("language", "name"), [("pl", "Demonstracyjna Służba Policji"),
                                                ("ar", "خدمة الشرطة التجريبية")])
def test_the_organisation_s_name_is_translated(client, language, name):
    client.set_cookie("language", language)
    body = client.get("/").get_data(as_text=True)
    assert f'<span class="app-header__organisation">{name}</span>' in body
    assert f"© {name}" in body


def test_the_organisation_s_name_and_logo_are_settings(make_app):
    app = make_app(ORGANISATION_NAME="Northshire Constabulary", ORGANISATION_LOGO="")
    body = app.test_client().get("/").get_data(as_text=True)
    assert '<span class="app-header__organisation">Northshire Constabulary</span>' in body
    assert "© Northshire Constabulary" in body
    assert "app-header__logo" not in body and "Demonstration Police Service" not in body
    assert _problems(body) == []



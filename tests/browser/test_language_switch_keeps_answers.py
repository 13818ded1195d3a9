"""Switching language keeps what was chosen or typed on the page and not yet sent (static/js/keep-answers.mjs),
never a password, and only for the page it was on."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible


def switch_to(page: Page, language: str) -> None:
    page.locator(f'header button[name="language"][value="{language}"]').click()
    page.wait_for_function(f"document.documentElement.lang === '{language}'")


def test_a_choice_and_typed_words_survive_a_change_of_language(page: Page):
    page.goto("/")
    page.locator('main form[action="/report/start"] button').click()
    page.wait_for_url(re.compile(r"/report/safety-now$"))
    page.locator('main input[name="danger_now"][value="no"]').check()
    switch_to(page, "pl")
    expect(page).to_have_url(re.compile(r"/report/safety-now$"))
    expect(page.locator('main input[name="danger_now"][value="no"]')).to_be_checked()
    assert_accessible(page)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/report/immediate-risk$"))
    page.locator('main input[name="immediate_risk"][value="no"]').check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/report/what-happened$"))
    page.locator('main input[name="category"][value="bicycle_theft"]').check()
    switch_to(page, "ar")
    expect(page.locator('main input[name="category"][value="bicycle_theft"]')).to_be_checked()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/report/who$"))
    page.locator('main input[name="reporter_role"][value="victim"]').check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/report/when$"))
    page.locator('main input[name="occurred_on-day"]').fill("3")
    page.locator('main input[name="occurred_time"]').fill("17:30")
    switch_to(page, "en")
    expect(page.locator('main input[name="occurred_on-day"]')).to_have_value("3")
    expect(page.locator('main input[name="occurred_time"]')).to_have_value("17:30")


def test_a_password_is_never_kept_and_nothing_follows_to_another_page(page: Page):
    page.goto("/login")
    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    switch_to(page, "pl")
    expect(page.locator('main input[name="email"]')).to_have_value("someone@example.org")
    expect(page.locator('main input[type="password"]')).to_have_value("")
    assert page.evaluate("window.sessionStorage.length") == 0  # used once, then forgotten
    page.get_by_label(re.compile("adres e-mail", re.I)).fill("other@example.org")
    switch_to(page, "en")
    page.goto("/register")
    expect(page.locator('main input[name="email"]')).to_have_value("")

"""The victim's case in pages (issue 21): an overview with what matters now, and the rest one link away.

The layout at phone size is checked in a real browser (tests/browser/test_case_pages.py); here, what each page
holds and the navigation between them."""

import re

from portal.auth.roles import Role
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.triage_helpers import make_report

# (path under the case, the page's main heading, the link's words in the navigation)
CASE_PAGES = [("", "Your case {cn}", "Overview"), ("/updates", "Updates on your case", "Updates"),
              ("/messages", "Messages about your case", "Messages"), ("/support", "Support for you", "Support"),
              ("/what-you-told-us", "What you told us", "What you told us"),
              ("/your-rights", "Your rights under the Victims’ Code", "Your rights")]


def nav_links(html: str) -> list[tuple[str, str, bool]]:
    """The case navigation's links: (address, words, whether it is marked as the current page)."""
    nav = re.search(r'<nav class="app-case-nav" aria-label="Pages about your case"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no case navigation"
    return [(href, words.strip(), bool(current)) for href, current, words in re.findall(
        r'<a [^>]*href="([^"]+)"\s*(aria-current="page")?>([^<]*)</a>', nav.group(1))]


def test_every_page_about_the_case_has_the_same_navigation_with_itself_marked(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim, description="Taken from the rack at 9am.")
    expected = [(f"/cases/{crime_number}{path}", words) for path, _h1, words in CASE_PAGES]
    for path, title, words in CASE_PAGES:
        page = client.get(f"/cases/{crime_number}{path}")
        assert_good_page(page)
        assert h1_text(page) == title.format(cn=crime_number)
        links = nav_links(page.get_data(as_text=True))
        assert [(href, text) for href, text, _current in links] == expected
        assert [text for _href, text, current in links if current] == [words], path


def test_the_overview_leaves_the_history_and_the_report_to_their_own_pages(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim, description="Taken from the rack at 9am.")
    overview = client.get(f"/cases/{crime_number}").get_data(as_text=True)
    assert 'id="case-status"' in overview and "What happens next:" in overview
    assert 'id="get-support"' in overview  # support is offered until they have said how they are
    assert f'href="/cases/{crime_number}/call"' in overview
    for elsewhere in ('id="timeline"', "Taken from the rack at 9am.", 'id="rights"', 'id="request-statement"'):
        assert elsewhere not in overview, elsewhere
    assert 'id="timeline"' in client.get(f"/cases/{crime_number}/updates").get_data(as_text=True)
    assert "Taken from the rack at 9am." in client.get(f"/cases/{crime_number}/what-you-told-us").get_data(
        as_text=True)
    rights = client.get(f"/cases/{crime_number}/your-rights").get_data(as_text=True)
    assert 'id="rights"' in rights and 'id="request-statement"' in rights


def test_asking_for_a_call_is_a_page_of_its_own_that_keeps_what_was_typed(app, client, signed_in):
    victim = signed_in(Role.VICTIM)
    crime_number = make_report(app, user=victim)
    page = client.get(f"/cases/{crime_number}/call")
    assert_good_page(page)
    assert h1_text(page) == "Ask for a call"
    too_long = "Call after six. " * 70
    refused = client.post(f"/cases/{crime_number}/call", data={"note": too_long})
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    assert "Note must be 1000 characters or fewer" in html and too_long.strip() in html
    assert '<a href="#call-note">' in html  # the error summary leads to the box
    asked = client.post(f"/cases/{crime_number}/call", data={"note": "Call after six."})
    assert asked.headers["Location"] == f"/cases/{crime_number}/updates"
    updates = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "We will call you, using the safe contact details you gave us." in updates
    assert "You asked us to call you" in updates and "Call after six." in updates


def test_a_witness_case_page_has_no_victim_navigation(app, client, make_user):
    """A witness follows one page of their own (hearings, witness care, requests); the victim's pages are not
    theirs, so no navigation leads to them."""
    from tests.integration.test_case_access_matrix import invite_and_join

    officer = app.test_client()
    sign_in_as(officer, make_user(Role.OFFICER))
    crime_number = make_report(app, user=make_user(Role.VICTIM))
    witness = make_user(Role.WITNESS)
    invite_and_join(app, officer, witness, crime_number)
    sign_in_as(client, witness)
    html = client.get(f"/cases/{crime_number}").get_data(as_text=True)
    assert "Pages about your case" not in html and f"/cases/{crime_number}/updates" not in html
    assert client.get(f"/cases/{crime_number}/updates").status_code == 403

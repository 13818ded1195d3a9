"""The long insight pages open with GOV.UK's "Contents" list: a link to each section, each to an id on the page."""

import re
from html.parser import HTMLParser

import pytest

from portal.auth.roles import Role
from portal.insight import figures
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page

PAGES = {"/insight/": figures.PAGES["service"], "/insight/demand": figures.PAGES["demand"],
         "/insight/experience": [*figures.PAGES["experience"], "satisfaction-by-borough", "coping-change-by-borough",
                                 "coping-comparison-by-borough"],
         "/insight/experience?by=ethnicity": [*figures.PAGES["experience"], "satisfaction-by-ethnicity",
                                              "coping-change-by-ethnicity", "coping-comparison-by-ethnicity"],
         "/insight/witnesses": figures.PAGES["witnesses"], "/insight/public": figures.PUBLIC}


class _Contents(HTMLParser):
    """Every id on the page, and the links inside <nav aria-label="Contents">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.navs = 0
        self._depth = 0  # open <nav> elements inside the contents list, itself included

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "nav" and self._depth:
            self._depth += 1
        elif tag == "nav" and attributes.get("aria-label") == "Contents":
            self.navs += 1
            self._depth = 1
        elif tag == "a" and self._depth:
            self.links.append(attributes.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "nav" and self._depth:
            self._depth -= 1


@pytest.mark.parametrize("path", list(PAGES))
def test_every_contents_link_points_at_a_heading_on_the_page(app, client, make_user, path):
    sign_in_as(client, make_user(Role.COMMISSIONER))
    response = client.get(path)
    assert response.status_code == 200
    assert_good_page(response)
    html = response.get_data(as_text=True)
    parser = _Contents()
    parser.feed(html)
    assert parser.navs == 1
    assert parser.links, "the contents list is empty"
    assert all(link.startswith("#") for link in parser.links)
    targets = [link[1:] for link in parser.links]
    missing = [target for target in targets if target not in parser.ids]
    assert missing == []
    # Every figure is listed, in the order of the page, and the list comes before the first figure.
    assert [t.removeprefix("heading-") for t in targets if t.startswith("heading-")] == PAGES[path]
    assert html.index('aria-label="Contents"') < html.index('class="app-figure"')
    for target in targets:  # each points at a heading
        assert re.search(rf'<h[23][^>]*id="{re.escape(target)}"', html), target


def test_a_page_with_one_figure_has_no_contents_list(app, client, make_user):
    sign_in_as(client, make_user(Role.COMMISSIONER))
    assert 'aria-label="Contents"' not in client.get("/insight/requests").get_data(as_text=True)

"""The "What happened?" question ends with "Something else" and "I'm not sure" after an "or" divider; each leads to
a page that helps the person decide where to report it, and says where burglary, robbery and assault go."""

import re

import pytest

from portal.reporting.services import list_categories
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import BIKE_THEFT, answer, start, walk


def radio_labels(html: str) -> list[str]:
    return [" ".join(label.split()) for label in
            re.findall(r'<label class="govuk-label govuk-radios__label"[^>]*>(.*?)</label>', html, re.S)]


def test_the_two_ways_out_come_last_after_an_or_divider(app, client):
    walk(client, BIKE_THEFT[:2])
    html = client.get("/report/what-happened").get_data(as_text=True)
    labels = radio_labels(html)
    with app.app_context():
        assert labels[:-2] == [category.title for category in list_categories()]
    assert labels[-2:] == ["Something else", "I’m not sure"]
    divider = html.index('class="govuk-radios__divider"')
    assert html.index("Something else") > divider > html.index(labels[-3])
    assert "For example, a burglary, a robbery or an assault" in html


@pytest.mark.parametrize(("choice", "heading"), [("something_else", "Something that is not on the list"),
                                                ("not_sure", "Help choosing what happened")])
def test_each_leads_to_a_page_that_helps_decide(app, client, choice, heading):
    walk(client, BIKE_THEFT[:2])
    assert answer(client, "what-happened", {"category": choice}) == "/report/help/help-choosing"
    page = client.get("/report/help/help-choosing")
    assert_good_page(page)
    assert h1_text(page) == heading
    text = " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())
    assert "Burglary, robbery and assault These cannot be reported with this online form" in text
    assert "Call 101" in text and "call 999" in text
    assert "Bicycle theft" in text and "Lost property" in text  # what can be reported here
    assert 'href="/report/what-happened"' in page.get_data(as_text=True)
    assert 'href="/report/help/specialist-support"' in page.get_data(as_text=True)
    assert app.config["FRAUD_REPORTING_URL"] in page.get_data(as_text=True)


def test_going_back_and_choosing_a_category_carries_on_with_the_report(client):
    walk(client, BIKE_THEFT[:2])
    answer(client, "what-happened", {"category": "not_sure"})
    assert client.get("/report/continue").headers["Location"] == "/report/what-happened"
    assert client.get("/report/who").headers["Location"] == "/report/what-happened"  # no way round the question
    assert answer(client, "what-happened", {"category": "bicycle_theft"}) == "/report/who"


def test_a_choice_that_is_not_offered_is_refused(client):
    start(client)
    for slug, data in BIKE_THEFT[:2]:
        answer(client, slug, data)
    response = client.post("/report/what-happened", data={"category": "help_choosing"})
    assert response.status_code == 200 and "Select what happened" in response.get_data(as_text=True)

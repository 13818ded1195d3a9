"""The property questions: amounts written the usual ways, and each item can be changed or removed (the GOV.UK
add-another pattern)."""

import pytest
from sqlalchemy import select

from portal.cases.models import Report
from portal.extensions import db
from tests.pagecheck import assert_good_page, h1_text
from tests.wizard import BIKE_THEFT, error_messages, steps_with, submit, walk

BEFORE_ITEMS = BIKE_THEFT[:BIKE_THEFT.index(("property", {"has_property": "yes"})) + 1]
AFTER_ITEMS = BIKE_THEFT[BIKE_THEFT.index(("property-list", {"add_another": "no"})) + 1:]


def add_items(client, *items: tuple[str, str]) -> None:
    """Answer up to the property question, then add each (description, value)."""
    walk(client, BEFORE_ITEMS)
    for number, (description, value) in enumerate(items, start=1):
        response = client.post("/report/property-item", data={"item_description": description, "item_value": value})
        assert response.headers["Location"] == "/report/property-list", error_messages(response)
        if number < len(items):
            assert client.post("/report/property-list", data={"add_another": "yes"}).status_code == 302


def items_listed(client) -> str:
    page = client.get("/report/property-list")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    return html[html.index('id="property-items"'):html.index("</dl>")]


@pytest.mark.parametrize(("written", "shown", "pence"), [
    ("450", "£450", 45000), ("450.00", "£450", 45000), ("£450", "£450", 45000), ("£1,200", "£1,200", 120000),
    ("1,200.50", "£1,200.50", 120050), ("1200", "£1,200", 120000),
])
def test_amounts_written_the_usual_ways_are_accepted_shown_and_kept(app, client, written, shown, pence):
    add_items(client, ("Black Raleigh bicycle", written))
    assert f"Black Raleigh bicycle ({shown})" in items_listed(client)
    for slug, data in [("property-list", {"add_another": "no"}), *AFTER_ITEMS]:
        assert client.post(f"/report/{slug}", data=data).status_code == 302
    number = submit(client)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        assert [item.value_pence for item in report.property_items] == [pence]


@pytest.mark.parametrize(("written", "message"), [
    ("abc", "Enter an amount in pounds, like 450, £1,200 or 1,200.50"),
    ("1.2.3", "Enter an amount in pounds, like 450, £1,200 or 1,200.50"),
    ("-5", "Enter an amount of £0 or more"),
    ("10,000,001", "Enter an amount of £10,000,000 or less"),
    ("9" * 5000, "Enter an amount of £10,000,000 or less"),
    ("<script>alert(1)</script>", "Enter an amount in pounds, like 450, £1,200 or 1,200.50"),
])
def test_amounts_that_cannot_be_read_get_one_clear_error_and_keep_what_was_typed(client, written, message):
    walk(client, BEFORE_ITEMS)
    response = client.post("/report/property-item", data={"item_description": "Phone", "item_value": written})
    assert response.status_code == 200
    assert_good_page(response)
    assert error_messages(response) == [f"Error: {message}"]
    html = response.get_data(as_text=True)
    assert 'value="Phone"' in html
    assert "<script>alert(1)</script>" not in html


def test_an_item_can_be_changed_with_its_answers_filled_in(client):
    add_items(client, ("Bike", "1200"), ("Helmet", "40.5"))
    assert "/report/property-item?item=1" in items_listed(client)
    page = client.get("/report/property-item?item=1")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert 'value="Bike"' in html and 'value="1,200"' in html
    assert 'href="/report/property-list"' in html  # back to the list, not to the question before
    response = client.post("/report/property-item?item=1", data={"item_description": "Red bike", "item_value": "£900"})
    assert response.headers["Location"] == "/report/property-list"
    listed = items_listed(client)
    assert "Red bike (£900)" in listed and "Helmet (£40.50)" in listed and "Bike (£1,200)" not in listed
    assert listed.count("govuk-summary-list__row") == 2


def test_an_item_number_that_is_not_on_the_list_adds_a_new_item(client):
    add_items(client, ("Bike", ""))
    response = client.post("/report/property-item?item=7", data={"item_description": "Lock", "item_value": ""})
    assert response.headers["Location"] == "/report/property-list"
    assert "Bike" in items_listed(client) and "Lock" in items_listed(client)


def test_removing_an_item_asks_first_and_takes_only_that_item_off(client):
    add_items(client, ("Bike", "250"), ("Helmet", "40"))
    page = client.get("/report/property-list/2/remove")
    assert_good_page(page)
    assert h1_text(page) == "Are you sure you want to remove Helmet?"
    empty = client.post("/report/property-list/2/remove", data={})
    assert error_messages(empty) == ["Error: Select yes if you want to remove this item"]
    assert client.post("/report/property-list/2/remove", data={"remove": "no"}).headers["Location"] == \
        "/report/property-list"
    assert "Helmet" in items_listed(client)
    client.post("/report/property-list/2/remove", data={"remove": "yes"})
    listed = items_listed(client)
    assert "Helmet" not in listed and "Bike (£250)" in listed


def test_removing_the_last_item_asks_for_an_item_again(client):
    add_items(client, ("Bike", "250"))
    client.post("/report/property-list/1/remove", data={"remove": "yes"})
    assert client.get("/report/property-list").headers["Location"] == "/report/property-item"


@pytest.mark.parametrize("path", ["/report/property-list/3/remove", "/report/property-list/0/remove"])
def test_removing_an_item_that_is_not_there_goes_back_to_the_report(client, path):
    add_items(client, ("Bike", "250"))
    assert client.get(path).headers["Location"] == "/report/continue"
    assert client.post(path, data={"remove": "yes"}).headers["Location"] == "/report/continue"
    assert "Bike" in items_listed(client)


def test_the_remove_page_without_a_report_goes_to_the_start(client):
    assert client.get("/report/property-list/1/remove").headers["Location"] == "/report/"


def test_check_answers_shows_each_item_with_its_amount(client):
    walk(client, steps_with({"property-item": {"item_description": "Laptop", "item_value": "£1,200.50"}}))
    html = client.get("/report/check-answers").get_data(as_text=True)
    assert "Laptop (£1,200.50)" in html

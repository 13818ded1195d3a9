"""No English is left on the pages a victim or witness sees in Polish or Arabic.

Every victim-facing page (every GET route outside the staff, partner, admin and insight areas) is drawn for a
victim with a case that went to court and was referred for support, for a witness on it, and for a guest (in
tests/integration/test_every_page.py, from its one crawl); and here every question of the report wizard, check
your answers and the confirmation, for a guest reporting a bicycle theft. Each is drawn in English and in the
other language, and any piece of text that is the same in both is English left behind (tests/i18n_walk.py),
unless it is data someone wrote or a proper name.
"""

import pytest

from portal.reporting.boroughs import BOROUGHS
from tests import i18n_walk
from tests.i18n_walk import untranslated, world_data
from tests.wizard import BIKE_THEFT, start

# Place names are the same in every language; the cookie names are the cookies' real names.
PROPER_NAMES = set(BOROUGHS) | {"session", "language"}
# What the people in the world wrote, and what the officer wrote for the court hearing.
WRITTEN = {"Is there any news?", "We are still looking into it.", "Evenings", "Sam Victim", "sam@example.org",
           "My bike was taken.", "Outside the station", "Outside the station, Camden", "Black Raleigh bicycle",
           "My bike was locked to the railings and was gone when I came back.",
           # Answers joined on check your answers: what the person wrote, a postcode, an amount.
           "Black Raleigh bicycle (£250)", "Outside the station, NW1 2DB, Camden", "Sam Victim, sam@example.org",
           "Sam Victim, sam@example.org, 020 7946 0018", "020 7946 0018",
           # The first name the victim chose for their offer to be a peer supporter.
           "Sam",
           # The victim and their peer supporter's messages to each other.
           "Hello Jo", "Hello Sam"}


@pytest.fixture(autouse=True)
def proper_names(monkeypatch):
    monkeypatch.setattr(i18n_walk, "ALLOWED", i18n_walk.ALLOWED | PROPER_NAMES)


def report_of(problems: dict) -> str:
    lines = [f"{where}: {left}" for where, left in list(problems.items())[:25]]
    return f"English left on {len(problems)} page(s):\n" + "\n".join(lines)


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_no_english_in_the_report_journey(app, language):
    english, other = app.test_client(), app.test_client()
    other.set_cookie("language", language)
    data = world_data(app, WRITTEN | {"nw1 2db", "NW1 2DB"})
    problems = {}

    def compare(path: str) -> None:
        left = untranslated(english.get(path).get_data(as_text=True), other.get(path).get_data(as_text=True), data)
        if left:
            problems[path] = left

    for client in (english, other):
        start(client)
    for slug, answers in BIKE_THEFT:
        compare(f"/report/{slug}")
        for client in (english, other):
            assert client.post(f"/report/{slug}", data=answers).status_code == 302
    compare("/report/check-answers")
    for client in (english, other):
        assert client.post("/report/check-answers", data={"declaration": "y"}).status_code == 302
    compare("/report/confirmation")
    assert not problems, report_of(problems)

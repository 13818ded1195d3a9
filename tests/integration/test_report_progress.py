"""The report's progress caption never goes down: it counts parts of the report, not questions, so an answer that
adds questions (a hate incident, items, a letter) or takes some away (an information report) does not move it
back. Each branch is walked through real pages and its captions read."""

import itertools
import re

import pytest

from portal.reporting.journey import PARTS, STEPS, part_of
from tests.wizard import answer, start, steps_with

HATE = [("hate-motivation", {"hate_motivations": ["race"]}),
        ("third-party", {"via_third_party": "no"})]
LETTER = {"safe_channels": ["email", "phone", "letter"], "voicemail_allowed": "no", "neutral_sender": "yes"}
ADDRESS = ("postal-address", {"address_line_1": "10 Station Road", "address_town": "London",
                              "address_postcode": "NW1 2DB"})
CAPTION = re.compile(r'id="progress">Part (\d) of (\d): ([^<]+)<')


def branch(category: str, has_property: bool, letter: bool) -> list:
    """The bike theft answers down one branch of the report."""
    replacements: dict = {"what-happened": {"category": category}}
    if not has_property:
        replacements |= {"property": {"has_property": "no"}, "property-item": None, "property-list": None}
    if category == "lost_property":
        replacements |= {"suspect": None, "witnesses": None}
    if letter:
        replacements["safe-contact"] = LETTER
    steps = steps_with(replacements)
    slugs = [slug for slug, _data in steps]
    if category == "hate_incident":
        steps[slugs.index("what-happened") + 1:slugs.index("what-happened") + 1] = HATE
    if letter:
        steps.insert([slug for slug, _data in steps].index("safe-contact") + 1, ADDRESS)
    return steps


BRANCHES = list(itertools.product(("bicycle_theft", "hate_incident", "lost_property"), (True, False), (True, False)))


@pytest.mark.parametrize(("category", "has_property", "letter"), BRANCHES)
def test_the_progress_caption_never_goes_down_on_any_branch(client, category, has_property, letter):
    start(client)
    seen = []
    for slug, data in branch(category, has_property, letter):
        page = client.get(f"/report/{slug}").get_data(as_text=True)
        seen.append(CAPTION.search(page).groups())
        answer(client, slug, data, check_page=False)
    check = client.get("/report/check-answers").get_data(as_text=True)
    seen.append(CAPTION.search(check).groups())

    numbers = [int(number) for number, _total, _part in seen]
    assert numbers == sorted(numbers), seen
    assert {total for _number, total, _part in seen} == {str(len(PARTS))}
    assert numbers[0] == 1 and numbers[-1] == len(PARTS)
    assert seen[-1][2] == "Check and send"
    assert set(numbers) == set(range(1, len(PARTS) + 1))  # every part is shown on the way


def test_every_question_belongs_to_a_part_in_the_order_asked():
    parts = [part_of(step.slug) for step in STEPS]
    assert parts == sorted(parts) and parts[0] == 1 and parts[-1] == len(PARTS) - 1
    assert part_of("check-answers") == len(PARTS)

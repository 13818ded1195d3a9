"""No page shows a placeholder that was never filled in: `%(officer)s`, `%(when)s` and the like are for the code
to fill, never for a person to read.

Every page the crawl reaches (tests/crawl.py: every GET route, for every kind of person, victims and witnesses in
Arabic too) is searched for `%(`, as are the staff decision and update pages after a preview and after a refusal,
which a GET does not reach.
"""

from tests.conftest import sign_in_as
from tests.crawl import crawl
from tests.integration.test_equality_separation import DECISION_KINDS, world  # noqa: F401 - the world fixture

PLACEHOLDER = "%("


def unfilled(body: str) -> list[str]:
    """Each unfilled placeholder with a little of the text around it."""
    found, start = [], body.find(PLACEHOLDER)
    while start != -1 and len(found) < 5:
        found.append(" ".join(body[max(0, start - 60):start + 40].split()))
        start = body.find(PLACEHOLDER, start + 1)
    return found


def test_unfilled_finds_a_placeholder():
    assert unfilled("<p>Ask %(officer)s on %(when)s</p>") == ["<p>Ask %(officer)s on %(when)s</p>",
                                                             "<p>Ask %(officer)s on %(when)s</p>"]
    assert unfilled("<p>100% sure (really)</p>") == []


def test_no_page_the_crawl_reaches_shows_a_placeholder(app, world):  # noqa: F811 - the fixture
    problems, pages, reached = [], 0, set()
    for page in crawl(app, world):
        if not page.is_text:  # a PDF's compressed bytes can hold "%(" by chance
            continue
        pages += 1
        reached.add(page.name.split(" ", 2)[2])
        problems += [f"{page.name}: …{where}…" for where in unfilled(page.body)]
    assert pages > 150
    case = f"/staff/cases/{world['crime_number']}"
    # The crawl really reached the pages that showed placeholders before issue 22.
    assert {f"{case}/decide/allocate", f"{case}/decide/attendance", f"{case}/update"} <= reached
    assert problems == [], f"{len(problems)} unfilled placeholder(s):\n" + "\n".join(problems[:40])


def test_decision_and_update_pages_after_a_preview_or_a_refusal(app, world):  # noqa: F811 - the fixture
    officer = app.test_client()
    sign_in_as(officer, world["users"]["officer"])
    case = f"/staff/cases/{world['crime_number']}"
    problems = []
    for kind in DECISION_KINDS:
        for data in ({"preview": "yes"}, {"preview": "yes", "officer": str(world["users"]["officer"].id),
                                          "visit_date-day": "1", "visit_date-month": "1", "visit_date-year": "2099",
                                          "visit_time": "10:00"}, {"version": "x"}):
            response = officer.post(f"{case}/decide/{kind}", data=data)
            assert response.status_code == 200, (kind, data)
            problems += [f"{kind} {data}: {where}" for where in unfilled(response.get_data(as_text=True))]
    for data in ({}, {"status": "court_hearing_scheduled"}, {"status": "progress"}):
        response = officer.post(f"{case}/update", data=data)
        assert response.status_code == 200
        problems += [f"update {data}: {where}" for where in unfilled(response.get_data(as_text=True))]
    assert problems == []

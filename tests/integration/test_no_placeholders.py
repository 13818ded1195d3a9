"""No page shows a placeholder that was never filled in: `%(officer)s`, `%(when)s` and the like are for the code
to fill, never for a person to read.

Every page the crawl reaches, and the staff decision and update pages after a preview and after a refusal (which
a GET does not reach), are searched for `%(` in tests/integration/test_every_page.py, on its one world and crawl.
"""

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



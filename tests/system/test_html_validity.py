"""Every page the crawl draws is valid HTML by the W3C Nu checker (vnu), errors and warnings alike, and passes
the page checks.

The crawl is tests/crawl.py's (the equality-separation test's world): every GET route, with its values filled in
from a case that went to court, was messaged about and referred, drawn for every kind of person the route is for
(the refusal page is checked once below), and the victim's and witness's pages in Arabic too (right to left); with
them the postal-address question and the contact preferences with letter ticked, empty and refused. All pages go
to the checker in one run. The checker is the `vnu-jar` npm package (tests/html/package.json, installed by
`make install`), run with Java: an outside process, so these tests are in the system tier (`make test` runs them on
both databases; `make test-fast` leaves them out).
"""

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import sign_in_as
from tests.crawl import crawl
from tests.integration.test_equality_separation import world  # noqa: F401 - the world fixture
from tests.integration.test_letters_and_crime_number import PREFERENCES, until_address
from tests.pagecheck import page_problems
from tests.servers import VNU_JAR, require_servers

# What the checker says that we accept, each with its reason.
ACCEPTED: dict[str, str] = {
    "The “group” role is unnecessary for element “fieldset”":
        "GOV.UK Frontend's date input gives its fieldset role=group on purpose, so that screen readers announce "
        "the day, month and year fields as one group",
}


def _checker() -> list[str]:
    """The command that runs the checker (skipped on a developer's machine without Java or the jar; CI fails)."""
    require_servers("java", "vnu.jar", why="checking HTML with the W3C Nu checker")
    return [shutil.which("java"), "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--also-check-svg"]


def check_html(pages: dict[str, str], folder: Path) -> list[str]:
    """Run the checker over the pages ({name: html}); its errors and warnings as 'name: message' lines."""
    names = {}
    for number, (name, html) in enumerate(sorted(pages.items())):
        path = folder / f"page-{number:04d}.html"
        path.write_text(html)
        names[path.name] = name
    result = subprocess.run([*_checker(), str(folder)], capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = []
    for message in messages:
        if message.get("type") == "info" and message.get("subType") != "warning":
            continue
        if any(accepted in message.get("message", "") for accepted in ACCEPTED):
            continue
        page = names.get(Path(message.get("url", "")).name, message.get("url"))
        problems.append(f"{page}: line {message.get('lastLine')}: {message.get('message')} "
                        f"[{(message.get('extract') or '').strip()[:120]}]")
    return problems


def test_the_checker_finds_what_the_held_out_review_found(tmp_path):
    """A duplicated autocomplete, a required select without an empty first option, repeated dt text."""
    page = ('<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><form>'
            '<label for="p">P</label><input id="p" type="password" autocomplete="current-password" '
            'autocomplete="new-password"><label for="s">S</label><select id="s" name="s" required>'
            '<option value="a">A</option></select></form><dl><div><dt>Same</dt><dd>1</dd></div>'
            '<div><dt>Same</dt><dd>2</dd></div></dl></body></html>')
    problems = check_html({"broken": page}, tmp_path)
    assert len(problems) == 3, problems
    assert any("Duplicate attribute" in p for p in problems)
    assert any("required" in p and "select" in p for p in problems)
    assert any("Duplicate “dt”" in p for p in problems)


def test_every_page_is_valid_html(app, world, tmp_path):  # noqa: F811 - the fixture
    pages: dict[str, str] = {}
    checks: list[str] = []  # the page checks too, on pages the parameterless page-check walk cannot reach
    for page in crawl(app, world):
        if page.is_html:
            pages[page.name] = page.body
            checks += [f"{page.name}: {problem}" for problem in page_problems(page.response)]
    assert len(pages) > 150
    assert checks == []
    victim = app.test_client()
    sign_in_as(victim, world["users"]["victim"])
    for path, status in (("/staff/triage", 403), ("/no-such-page", 404)):  # the refusal and not-found pages
        response = victim.get(path)
        assert response.status_code == status and response.mimetype == "text/html"
        pages[f"victim {response.status_code} {path}"] = response.get_data(as_text=True)
    # The postal address: the contact preferences (and letter ticked with no address, refused), and the report
    # wizard's address question, empty and refused (in English: the crawl leaves every account in English).
    preferences = f"/cases/{world['crime_number']}/preferences"
    pages["victim preferences"] = victim.get(preferences).get_data(as_text=True)
    refused = victim.post(preferences, data={**PREFERENCES, "channels": ["email", "letter"]})
    assert refused.status_code == 200 and "Enter address line 1" in refused.get_data(as_text=True)
    pages["victim preferences refused"] = refused.get_data(as_text=True)
    until_address(victim)
    address = victim.get("/report/postal-address")
    assert address.status_code == 200
    pages["victim address"] = address.get_data(as_text=True)
    pages["victim address refused"] = victim.post("/report/postal-address", data={}).get_data(as_text=True)
    problems = check_html(pages, tmp_path)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:60])

"""Design System components, not copies (issue 22): tables, summary lists, tags and buttons come from the GOV.UK
macros (govukTable, govukSummaryList, govukTag, govukButton) or from templates/components.html, never from markup
written by hand in a template.

The check reads each template's HTML start tags, after taking out Jinja comments, expressions and statements (so a
macro's `'classes': 'govuk-button--secondary'` argument or a commented-out example is not markup), and flags a tag
whose class attribute holds a component's class as a whole class, or an element class of a table or summary list
(`govuk-table__cell`, `govuk-summary-list__row`: they mean a table or list written by hand)."""

import re
from pathlib import Path

import pytest

from tests.paths import ROOT

TEMPLATES = ROOT / "templates"
# The project's own macro file may write components; the GOV.UK package's stand-ins are the components.
ALLOWED = {TEMPLATES / "components.html"}
ALLOWED_FOLDER = TEMPLATES / "govuk_frontend_jinja"

COMPONENTS = {"govuk-table", "govuk-summary-list", "govuk-tag", "govuk-button"}
ELEMENT_PREFIXES = ("govuk-table__", "govuk-summary-list__")

JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}|<!--.*?-->", re.S)
START_TAG = re.compile(r"<([a-zA-Z][\w-]*)(\s[^<>]*)?/?>", re.S)
CLASS_ATTRIBUTE = re.compile(r"""(?<![\w-])class\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.S)


def _blank(match: re.Match) -> str:
    """Jinja or an HTML comment, out of the way: its line breaks stay, so line numbers stay right."""
    return "".join(c if c == "\n" else " " for c in match.group(0))


def _is_component_class(name: str) -> bool:
    return name in COMPONENTS or name.startswith(ELEMENT_PREFIXES)


def raw_components(text: str) -> list[tuple[int, str, str]]:
    """(line, tag, class) for each start tag in a template that writes a component by hand."""
    html = JINJA.sub(_blank, text)
    found = []
    for tag in START_TAG.finditer(html):
        attributes = tag.group(2) or ""
        for attribute in CLASS_ATTRIBUTE.finditer(attributes):
            value = next(v for v in attribute.groups() if v is not None)
            for name in value.split():
                if _is_component_class(name):
                    found.append((html.count("\n", 0, tag.start()) + 1, tag.group(1).lower(), name))
    return found


def _checked_templates() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*.html")
                  if path not in ALLOWED and ALLOWED_FOLDER not in path.parents)


@pytest.mark.parametrize("template", _checked_templates(), ids=lambda path: path.relative_to(TEMPLATES).as_posix())
def test_components_come_from_macros(template):
    found = raw_components(template.read_text(encoding="utf-8"))
    where = template.relative_to(ROOT).as_posix()
    assert not found, "written by hand instead of a GOV.UK macro or templates/components.html:\n" + "\n".join(
        f"  {where}:{line}: <{tag} class=\"…{name}…\">" for line, tag, name in found)


def test_the_checker_finds_each_kind_and_nothing_else():
    sample = "\n".join([
        '<button type="submit" class="govuk-button" data-module="govuk-button">Send</button>',  # 1
        "<a href=\"/x\" class='govuk-button govuk-button--secondary'>Go</a>",  # 2
        '<strong class="govuk-tag {{ colours[status] }}">{{ status }}</strong>',  # 3
        '<dl class="govuk-summary-list govuk-!-margin-bottom-9">',  # 4
        '  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt></div>',  # 5
        "</dl>",  # 6
        '<table\n  id="t"\n  class="govuk-table">',  # 7 to 9
        '<tr class="govuk-table__row"><td class="app-x govuk-table__cell">1</td></tr>',  # 10
        # Not raw markup:
        '<div class="govuk-button-group">',
        "{{ govukButton({'text': _('Save'), 'classes': 'govuk-button--secondary'}) }}",
        "{{ form.submit(params={'classes': 'govuk-button--warning'}) }}",
        '{# <strong class="govuk-tag">An example in a comment</strong> #}',
        '<!-- <button class="govuk-button">An HTML comment</button> -->',
        '<p class="govuk-body" data-class="govuk-tag">Use a govuk-tag here</p>',
        '<span class="app-tag--one-line govuk-tag--blue-ish">x</span>',
        '{% set classes = "govuk-table" %}',
    ])
    assert raw_components(sample) == [
        (1, "button", "govuk-button"),
        (2, "a", "govuk-button"),
        (3, "strong", "govuk-tag"),
        (4, "dl", "govuk-summary-list"),
        (5, "div", "govuk-summary-list__row"),
        (5, "dt", "govuk-summary-list__key"),
        (7, "table", "govuk-table"),
        (10, "tr", "govuk-table__row"),
        (10, "td", "govuk-table__cell"),
    ]


def test_the_check_reads_the_templates():
    """The parametrised test has templates to read, and leaves out only the macro files."""
    checked = _checked_templates()
    assert len(checked) > 50
    assert TEMPLATES / "base.html" in checked
    assert all(path.suffix == ".html" for path in checked)

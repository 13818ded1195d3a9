"""GOV.UK's ``govukAttributes`` macro, written in Python.

Every GOV.UK component writes its HTML attributes through this one macro, tens of times a page (each radio,
checkbox and label), and in Jinja it was the largest single cost of drawing a form. The template
``templates/govuk_frontend_jinja/macros/attributes.html`` takes the place of the package's and hands the
components this function instead. It gives the same output as the macro in govuk-frontend-jinja 4.1.0
(tests/unit/test_html_attributes.py compares the two):

- a string is written as it is (it is already markup);
- each ``name: value`` pair is written `` name="value"``, the value escaped (``True``/``False`` as "true"/"false");
- ``name: {"value": v, "optional": True}`` is left out when v is empty (None, undefined or False) and written
  as `` name`` alone when v is True;
- ``name: {"val": v}`` (a value marked safe in Nunjucks) stands for v.
"""

from collections.abc import Mapping
from typing import Any

from jinja2 import Undefined
from markupsafe import Markup, escape


def _missing(value: Any) -> bool:
    return isinstance(value, Undefined)


def govuk_attributes(attributes: Any) -> Markup:
    """The attributes as HTML, each with a space before it."""
    if isinstance(attributes, str):
        return Markup(attributes)  # noqa: S704 - GOV.UK's macro passes a string through as markup, too
    html = ""
    if not isinstance(attributes, Mapping):
        return Markup(html)  # noqa: S704 - empty
    for name, value in attributes.items():
        if isinstance(value, Mapping) and value and not _missing(value.get("val", Undefined())):
            value = value["val"]
        if isinstance(value, Mapping):
            shown, optional = value.get("value", Undefined()), value.get("optional", Undefined())
        else:
            shown, optional = (str(value).lower() if isinstance(value, bool) else value), False
        if optional is True and shown is True:
            html = f"{html} {escape(name)}"
        elif optional is not True or (not _missing(shown) and shown is not None and shown is not False):
            html = f"{html} {escape(name)}=\"{escape(shown)}\""
    return Markup(html)  # noqa: S704 - every name and value in it went through escape()

"""The Python govukAttributes writes what GOV.UK's Jinja macro writes, for every kind of value the macro takes."""

import jinja2
from hypothesis import given
from hypothesis import strategies as st

from portal.html_attributes import govuk_attributes
from tests.paths import MIGRATIONS

# Set up as the app sets up its own (portal/templating.py).
GOVUK = jinja2.Environment(loader=jinja2.PackageLoader("govuk_frontend_jinja"), autoescape=True, trim_blocks=True,
                           lstrip_blocks=True)
THE_MACRO = GOVUK.get_template("macros/attributes.html").module.govukAttributes
OURS = MIGRATIONS.parent / "templates" / "govuk_frontend_jinja" / "macros" / "attributes.html"

plain = st.one_of(st.text(max_size=12), st.booleans(), st.none(), st.integers(-5, 5))
optional = st.fixed_dictionaries({"value": plain}, optional={"optional": st.one_of(st.booleans(), st.none())})
marked_safe = st.fixed_dictionaries({"val": plain})
attributes = st.dictionaries(st.text(min_size=1, max_size=8), st.one_of(plain, optional, marked_safe), max_size=5)


def test_the_examples_from_govuk_frontend():
    """The cases the macro's own documentation gives."""
    assert govuk_attributes({"aria-hidden": True}) == ' aria-hidden="true"'
    assert govuk_attributes({"aria-hidden": False}) == ' aria-hidden="false"'
    assert govuk_attributes({"hidden": {"value": True, "optional": True}}) == " hidden"
    assert govuk_attributes({"hidden": {"value": None, "optional": True}}) == ""
    assert govuk_attributes({"data-x": '"><script>'}) == ' data-x="&#34;&gt;&lt;script&gt;"'
    assert govuk_attributes(' data-module="x"') == ' data-module="x"'


@given(attributes)
def test_the_same_html_as_the_macro(values):
    """Any mix of plain, optional and safe-marked values: the same attributes, escaped the same way."""
    assert str(govuk_attributes(values)) == str(THE_MACRO(values))


@given(st.text(max_size=30))
def test_a_string_is_written_as_it_is(text):
    assert str(govuk_attributes(text)) == str(THE_MACRO(text))


def test_the_components_get_the_python_version():
    """The template that stands in for the package's exports the function under the macro's name."""
    assert "{% set govukAttributes = govuk_attributes %}" in OURS.read_text()

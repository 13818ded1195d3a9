"""Parts of the layout that are the same on every page in one language, drawn once and reused.

The GOV.UK header, footer, phase banner, skip links and "Exit this page" control depend only on the page's
language and the app's own addresses, yet drawing them through the GOV.UK macros took about half the time of
drawing a whole page. A template wraps such a part in ``{% call reused("name") %}…{% endcall %}``: the first page
in each language draws it, later pages reuse the result. Anything that varies within a language (the signed-in
person, the page's address, a form's token) must stay outside, or be part of the name.
"""

from flask import current_app, request
from markupsafe import Markup

from portal.i18n import current_language

STORE = "reused_fragments"


def reused(*name, caller) -> Markup:
    """The part ``caller`` draws, drawn once per language and app root (every time while templates reload)."""
    if current_app.jinja_env.auto_reload:
        return Markup(caller())  # noqa: S704 - a template's own output, already escaped by Jinja
    store: dict[tuple, Markup] = current_app.extensions.setdefault(STORE, {})
    key = (current_language(), request.script_root, *name)
    if key not in store:
        store[key] = Markup(caller())  # noqa: S704 - as above
    return store[key]

"""Addresses that carry a secret in their path, and how to write them down without it.

A password-reset or email-confirmation token, a claim token and a witness's invitation code are sent as links.
Whoever has the link can use it, so it must not be copied into an access log or kept in a sent email. A route is
secret when one of its path parts is named in SECRET_PARTS; the access log then names the route by its pattern
(`/reset-password/<token>`), and a sent email keeps neither the link nor the secret written out on its own.
"""

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

# The names of path parts that are secrets. (The admin crime-category page's `<code>` is not a secret, but is
# logged by its pattern too: a name means one thing across the whole site.)
SECRET_PARTS = frozenset({"token", "code"})
# What a sent email holds in place of a secret link, and in place of a secret written out on its own.
LINK_REMOVED = "[link removed after sending]"
CODE_REMOVED = "[code removed after sending]"
_LINK = re.compile(r"https?://[^\s<>\"']+")
# Messages that carry a one-time code written out on its own (not in a link): a code to follow a case (/track).
CODE_TEMPLATES = frozenset({"tracking_code"})
_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


def is_secret(rule: Rule | None) -> bool:
    """Whether the route carries a secret in its path."""
    return rule is not None and not SECRET_PARTS.isdisjoint(rule.arguments)


def path_for_log(rule: Rule | None, path: str) -> str:
    """The path to write in a log: a secret route's pattern, otherwise the path itself."""
    return rule.rule if rule is not None and is_secret(rule) else path


def match(url_map: Map, path: str, method: str = "GET") -> tuple[Rule | None, Mapping[str, Any]]:
    """The route a path leads to and its values, or (None, {}) if it leads to none."""
    try:
        rule, values = url_map.bind("localhost").match(path, method=method, return_rule=True)
    except HTTPException:  # not found, wrong method, or a redirect to the canonical address
        return None, {}
    return rule, values


def remove_secret_links(text: str, url_map: Map, base_url: str) -> str:
    """The text with every link to a secret route replaced by LINK_REMOVED, and every secret such a link carried
    (a witness's code is also written out on its own) replaced by CODE_REMOVED. Other links stay."""
    base_url = base_url.rstrip("/")
    secrets: set[str] = set()

    def replace(found: re.Match) -> str:
        link = found.group(0).rstrip(".,;:)")
        address = link[len(base_url):] if base_url and link.startswith(base_url + "/") else urlsplit(link).path
        rule, values = match(url_map, urlsplit(address).path)
        if not is_secret(rule):
            return found.group(0)
        secrets.update(str(values[name]) for name in SECRET_PARTS if values.get(name))
        return LINK_REMOVED + found.group(0)[len(link):]

    text = _LINK.sub(replace, text)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, CODE_REMOVED)
    return text


def remove_sent_code(text: str, template: str | None) -> str:
    """A sent message's text without the one-time code it carried (every run of six digits), when its template is
    one that carries a code (CODE_TEMPLATES); any other text as it is."""
    return _CODE.sub(CODE_REMOVED, text) if template in CODE_TEMPLATES else text


def remove_secrets(text: str, template: str | None, url_map: Map, base_url: str) -> str:
    """What a sent message keeps: no secret link (remove_secret_links) and no code written out (remove_sent_code)."""
    return remove_sent_code(remove_secret_links(text, url_map, base_url), template)

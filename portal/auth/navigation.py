"""The primary navigation of the case-work screens (staff, witness care, partners, insight and accounts).

Each section names the view it opens and the views it covers. A person sees a section only if the view it opens
declares their role (portal/auth/access.py), so the navigation can never offer a page that would refuse them.
"""

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_login import current_user

from portal.auth.access import access_rule_for


@dataclass(frozen=True)
class Section:
    """One item of the primary navigation."""

    text: str
    endpoint: str
    covers: tuple[str, ...]  # endpoints, or blueprints as "name.", that show this section as the current one


SECTIONS = (
    # A case's own pages (its messages, witnesses and hearings) belong to Triage for officers; witness care, who
    # have no Triage, reach a case's witnesses from their tasks.
    Section("Triage", "triage.queue", ("triage.", "support_staff.", "messages.staff_thread", "witnesses.")),
    Section("Tasks", "tasks.queue", ("tasks.", "witnesses.")),
    Section("Witness messages", "witness_messages.waiting", ("witness_messages.",)),
    Section("Referrals", "partners.inbox", ("partners.",)),
    Section("Services", "partners.services", ("partners.services", "partners.new_service", "partners.edit_service")),
    Section("Peer support", "peer_partners.offers", ("peer_partners.",)),
    Section("Peer concerns", "peer_matches.concerns", ("peer_matches.concerns", "peer_matches.concern")),
    Section("Performance", "triage.performance", ("triage.performance",)),
    Section("Insight", "insight.service", ("insight.",)),
    Section("Accounts", "admin.index", ("admin.", "admin_organisations.")),
)


def _covers(section: Section, endpoint: str) -> int:
    """How closely the section covers the endpoint: the length of the longest match, 0 for none."""
    matches = [len(c) for c in section.covers if endpoint == c or (c.endswith(".") and endpoint.startswith(c))]
    return max(matches, default=0)


def case_work_navigation() -> list[dict]:
    """The sections the signed-in person may open, the current one marked active."""
    if not current_user.is_authenticated:
        return []
    visible = []
    for section in SECTIONS:
        rule = access_rule_for(section.endpoint, current_app.view_functions)
        if isinstance(rule, frozenset) and current_user.role in rule:
            visible.append(section)
    endpoint = request.endpoint or ""
    best = max(visible, key=lambda s: _covers(s, endpoint), default=None)
    current = best if best is not None and _covers(best, endpoint) else None
    return [{"text": s.text, "href": url_for(s.endpoint), "active": s is current} for s in visible]

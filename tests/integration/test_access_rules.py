"""Every route declares who may use it, and each role is kept out of routes not meant for it."""

import pytest
from flask import Blueprint

from portal.auth.access import ACCESS_RULE, EXEMPT_ENDPOINTS, PUBLIC, public, role_required
from portal.auth.roles import Role
from tests.conftest import close, extra_app, on_the_tests_connection, sign_in_as


def protected_rules(app):
    """(rule, allowed roles) for every route limited to some roles."""
    found = []
    for rule in app.url_map.iter_rules():
        access = getattr(app.view_functions[rule.endpoint], ACCESS_RULE, None)
        if access not in (None, PUBLIC):
            found.append((rule, access))
    return found


def sample_url(rule) -> str:
    """A concrete URL for a rule, with placeholder values for its variables."""
    url = rule.rule
    for argument in rule.arguments:
        url = url.replace(f"<{argument}>", "x")
        for converter in ("int", "string", "path"):
            url = url.replace(f"<{converter}:{argument}>", "1" if converter == "int" else "x")
    return url


def test_every_route_declares_an_access_rule(app):
    """Walking the URL map finds no view without a rule (Flask's static files are the one exemption)."""
    missing = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT_ENDPOINTS
        and getattr(app.view_functions[rule.endpoint], ACCESS_RULE, None) is None
    ]
    assert missing == []


def test_a_view_without_a_rule_is_refused(make_app):
    """Fail closed: a view someone forgot to protect answers 403 instead of serving."""
    app = make_app()
    bp = Blueprint("forgotten", __name__)
    bp.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    app.register_blueprint(bp)
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


@pytest.fixture(scope="module")
def built_area_app(database_url):
    """An app with one test-only page per role, and CSRF off so POST routes reach their access check; made once for
    the module (building an app takes a twentieth of a second, and the walks below use it nineteen times)."""
    application = extra_app(database_url, WTF_CSRF_ENABLED=False)
    bp = Blueprint("areas", __name__)
    for role in Role:
        view = role_required(role)(lambda role=role: f"{role.value} area")
        bp.add_url_rule(f"/test-area/{role.value}", f"area_{role.value}", view)
    bp.add_url_rule("/test-area/open", "open", public(lambda: "open to all"))
    application.register_blueprint(bp)
    yield application
    close(application)


@pytest.fixture
def area_app(app, built_area_app):
    """The app above, working in the test's rolled-back transaction."""
    with on_the_tests_connection(built_area_app):
        yield built_area_app


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_denied_the_other_roles_areas(area_app, make_user, role):
    """A signed-in person sees their own role's area and gets 403 from every other role's."""
    client = area_app.test_client()
    sign_in_as(client, make_user(role))
    for other in Role:
        response = client.get(f"/test-area/{other.value}")
        if other == role:
            assert response.status_code == 200
            assert f"{role.value} area" in response.get_data(as_text=True)
        else:
            assert response.status_code == 403, f"{role} reached the {other} area"
            assert "You do not have permission" in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in_with_a_safe_next(area_app):
    """Protected pages redirect anonymous visitors to /login, remembering where they were going."""
    response = area_app.test_client().get("/test-area/officer")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/test-area/officer"


@pytest.mark.parametrize("role", list(Role))
def test_real_routes_refuse_roles_they_do_not_name(area_app, make_user, role):
    """Every real protected route answers 403 to each role it does not allow, and never 403 to those it does."""
    client = area_app.test_client()
    sign_in_as(client, make_user(role))
    for rule, allowed in protected_rules(area_app):
        if rule.endpoint.startswith("areas."):
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(sample_url(rule), method=method)
        if role in allowed:
            assert response.status_code != 403, f"{role} was refused {rule.rule}"
        else:
            assert response.status_code == 403, f"{role} reached {rule.rule}"
        if response.status_code != 403:  # a refusal comes before the view, and changes nothing
            sign_in_as(client, make_user(role))  # the view ran: a logout route may have ended the session


def test_anonymous_visitors_cannot_use_any_protected_route(area_app):
    """No protected route serves a signed-out visitor."""
    client = area_app.test_client()
    for rule, _allowed in protected_rules(area_app):
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(sample_url(rule), method=method)
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/login")


# How a case is going and the messages on a referral, as the support organisation sees them: for partners only.
# Whether a partner may open one referral's (its organisation's, under consent covering it) is the case access
# matrix's; without the consent, the 404 of a referral that does not exist.
SUPPORT_NETWORK_ROUTES = {
    "/partner/referrals/<reference>/progress": ("partners.progress", frozenset({Role.PARTNER})),
    "/partner/referrals/<reference>/messages": ("messages.partner_thread", frozenset({Role.PARTNER})),
    "/cases/<crime_number>/support/<reference>/messages": ("messages.support_thread", frozenset({Role.VICTIM})),
    "/support/<crime_number>/consents/<int:consent_id>/progress": ("support.progress_sharing",
                                                                   frozenset({Role.VICTIM})),
}


def test_progress_and_referral_messages_declare_their_roles(app):
    """The URL-map walk finds each route of the support network, each allowing only its one role."""
    found = {rule.rule: (rule.endpoint, frozenset(allowed)) for rule, allowed in protected_rules(app)}
    for path, expected in SUPPORT_NETWORK_ROUTES.items():
        assert found[path] == expected, path


# Peer-support groups' members lists and waiting lists (and the pages that change them): for partners only. Which
# organisation's group a partner may open is the case access matrix's (another organisation's is "not found").
GROUP_ROUTES = {
    "/partner/services/<int:service_id>/members": "partners.group_members",
    "/partner/services/<int:service_id>/waiting-list": "partners.group_waiting_list",
    "/partner/services/<int:service_id>/places/<int:place_id>/left": "partners.group_left",
    "/partner/services/<int:service_id>/meetings": "partners.group_meeting",
}


def test_group_members_and_waiting_lists_are_for_partners_only(app):
    """The URL-map walk finds each group route, and each allows the partner role and no other."""
    found = {rule.rule: (rule.endpoint, frozenset(allowed)) for rule, allowed in protected_rules(app)}
    for path, endpoint in GROUP_ROUTES.items():
        assert found[path] == (endpoint, frozenset({Role.PARTNER})), path


# Peer supporters (issue 24): the person's own offer (a victim or a witness on the case; another's case is "not
# found"), and the
# organisation's offers and peer supporters (partners only; another organisation's record, or a withdrawn offer, is
# "not found", as the case access matrix checks).
PERSON = frozenset({Role.VICTIM, Role.WITNESS})
PEER_ROUTES = {
    "/cases/<crime_number>/peer-support": ("peers.your_offer", PERSON),
    "/cases/<crime_number>/peer-support/offer": ("peers.offer", PERSON),
    "/cases/<crime_number>/peer-support/share": ("peers.share", PERSON),
    "/cases/<crime_number>/peer-support/withdraw": ("peers.withdraw", PERSON),
    "/partner/peer-offers": ("peer_partners.offers", frozenset({Role.PARTNER})),
    "/partner/peer-supporters": ("peer_partners.supporters", frozenset({Role.PARTNER})),
    "/partner/peer-offers/<int:supporter_id>": ("peer_partners.offer", frozenset({Role.PARTNER})),
    "/partner/peer-offers/<int:supporter_id>/checks": ("peer_partners.checks", frozenset({Role.PARTNER})),
    "/partner/peer-offers/<int:supporter_id>/accept": ("peer_partners.accept", frozenset({Role.PARTNER})),
    "/partner/peer-offers/<int:supporter_id>/decline": ("peer_partners.decline", frozenset({Role.PARTNER})),
    "/partner/peer-offers/<int:supporter_id>/status": ("peer_partners.status", frozenset({Role.PARTNER})),
}


def test_peer_supporter_routes_declare_their_roles(app):
    """The URL-map walk finds every peer supporter route, each allowing only its roles, and no other route of the
    two blueprints goes unlisted."""
    found = {rule.rule: (rule.endpoint, frozenset(allowed)) for rule, allowed in protected_rules(app)}
    for path, expected in PEER_ROUTES.items():
        assert found[path] == expected, path
    listed = {endpoint for endpoint, _roles in PEER_ROUTES.values()}
    assert {endpoint for endpoint, _roles in found.values()
            if endpoint.startswith(("peers.", "peer_partners."))} == listed

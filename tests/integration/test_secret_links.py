"""Links with a secret in their path (a token or a code): the logs name their route by its pattern, and a sent
email keeps neither the link nor the secret. (The servers' access logs themselves: tests/system/test_access_log.py.)"""

from datetime import timedelta

from portal.access_log import request_path
from portal.clock import utcnow
from portal.extensions import db
from portal.links import absolute_url
from portal.notifications.delivery import deliver_pending, message_id_header
from portal.notifications.models import OutboxStatus
from portal.notifications.services import queue_email
from portal.secret_paths import CODE_REMOVED, LINK_REMOVED, SECRET_PARTS, is_secret
from tests.conftest import SmtpSink, free_port, outbox_rows

# Every other name a path part has on this site, none of them a secret. A new name must be added here or to
# SECRET_PARTS (portal/secret_paths.py), so a new route with a secret in its path cannot be logged in full.
NOT_SECRET = {
    "category_code", "consent_id", "crime_number", "event_id", "evidence_id", "figure_id", "filename", "kind",
    "link_id", "number", "organisation_id", "page", "reference", "referral_id", "service_id", "slug", "task_id",
    "place_id", "user_id",
    "match_id", "concern_id",
    "weeks",
    "supporter_id",
}
SECRET_ROUTES = {"/reset-password/<token>", "/verify-email/<token>", "/report/claim/<token>", "/cases/join/<code>",
                 "/report/resume/<token>"}


def test_every_part_of_every_path_is_known_to_be_secret_or_not(app):
    """Walk the URL map: each path part's name is a secret or on the list of names that are not."""
    names = {name for rule in app.url_map.iter_rules() for name in rule.arguments}
    assert names - SECRET_PARTS - NOT_SECRET == set()
    secret = {rule.rule for rule in app.url_map.iter_rules() if is_secret(rule)}
    assert SECRET_ROUTES <= secret
    assert secret - SECRET_ROUTES == {"/admin/categories/<code>"}  # not a secret, but its part is called code


def test_the_apps_own_log_lines_name_a_secret_route_by_its_pattern(app):
    """An error logged while handling a secret link shows the route, not the token; other paths show as they are."""
    with app.test_request_context("/reset-password/Sec7retTok3n"):
        assert request_path() == "/reset-password/<token>"
    with app.test_request_context("/cases/join/AB12CD34"):
        assert request_path() == "/cases/join/<code>"
    with app.test_request_context("/support/directory"):
        assert request_path() == "/support/directory"


def test_a_sent_reset_email_reaches_the_person_and_the_stored_copy_loses_the_link(app, ctx, smtp_sink):
    """The person gets the reset link; once it is sent, the row says the link was removed, and keeps its
    delivery key (the Message-ID)."""
    link = absolute_url("auth.reset_password", token="ResetTok3nQ9x")
    queue_email("someone@example.org", "reset_password", link=link, minutes=60)
    db.session.commit()

    assert deliver_pending().sent == 1

    [received] = smtp_sink.messages
    assert link in received.get_content()
    [row] = outbox_rows(app)
    assert row.status == OutboxStatus.SENT
    assert "ResetTok3nQ9x" not in row.body_text and "/reset-password/" not in row.body_text
    assert LINK_REMOVED in row.body_text
    assert "The link works once, within 60 minutes." in row.body_text  # the rest of the email stays
    assert received["Message-ID"] == message_id_header(row)


def test_a_witness_invitation_loses_its_link_and_its_code_once_sent(app, ctx, smtp_sink):
    """The code is written out on its own too: both go from the stored copy."""
    code = "QX7K2M9P"
    queue_email("wit@example.org", "witness_invite", link=absolute_url("witnesses.join_by_link", code=code),
                code=code)
    db.session.commit()

    deliver_pending()

    [received] = smtp_sink.messages
    assert received.get_content().count(code) == 2
    [row] = outbox_rows(app)
    assert code not in row.body_text
    assert LINK_REMOVED in row.body_text and CODE_REMOVED in row.body_text


def test_links_without_a_secret_stay_in_the_stored_copy(app, ctx, smtp_sink):
    """A sign-in link and a link to ask for a new password are not secrets: the stored copy keeps them."""
    sign_in, reset_request = absolute_url("auth.login"), absolute_url("auth.reset_request")
    queue_email("someone@example.org", "account_exists", sign_in_link=sign_in, reset_link=reset_request)
    db.session.commit()

    deliver_pending()

    [row] = outbox_rows(app)
    assert sign_in in row.body_text and reset_request in row.body_text
    assert LINK_REMOVED not in row.body_text


def test_a_message_that_could_not_be_sent_keeps_its_link_for_the_next_attempt(app, ctx):
    """Nothing is removed until the email has gone: the retry sends the same link."""
    link = absolute_url("auth.verify_email", token="VerifyTok3nZ4")
    sink = SmtpSink(free_port())
    state = app.extensions["mail"]
    saved = (state.server, state.port)
    state.server, state.port = "127.0.0.1", sink.port
    try:
        queue_email("someone@example.org", "verify_email", link=link, hours=48)
        db.session.commit()
        assert deliver_pending().failed == 1  # nothing is listening yet
        [row] = outbox_rows(app)
        assert row.status == OutboxStatus.PENDING and link in row.body_text

        sink.start()
        assert deliver_pending(now=utcnow() + timedelta(minutes=5)).sent == 1
        assert link in sink.messages[0].get_content()
        [row] = outbox_rows(app)
        assert "VerifyTok3nZ4" not in row.body_text
    finally:
        sink.stop()
        state.server, state.port = saved


def test_a_real_password_reset_email_is_stored_without_its_token_once_sent(app, client, make_user, smtp_sink):
    """Through the page: ask for a reset, the worker sends it, the link in the email works, the row has no link."""
    user = make_user()
    client.post("/reset-password", data={"email": user.email})
    with app.app_context():
        assert deliver_pending().sent == 1

    [received] = smtp_sink.messages
    link = next(word for word in received.get_content().split() if "/reset-password/" in word)
    assert client.get(link.removeprefix(app.config["PUBLIC_BASE_URL"])).status_code == 200
    [row] = outbox_rows(app)
    assert "/reset-password/" not in row.body_text and LINK_REMOVED in row.body_text

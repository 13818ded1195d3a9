"""The application factory: the one module that imports every blueprint (and so every views module)."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, Config, config_from_env
from portal import access_log, commands, errors
from portal.admin.organisation_views import bp as admin_organisations_bp
from portal.admin.views import bp as admin_bp
from portal.api.views import bp as oruk_bp
from portal.audit.words import in_words
from portal.auth import passwords
from portal.auth.navigation import case_work_navigation
from portal.auth.security import configure_security
from portal.auth.sessions import load_user
from portal.auth.staff_names import staff_name
from portal.auth.views import bp as auth_bp
from portal.callbacks.views import bp as callbacks_bp
from portal.data_rights.views import bp as data_rights_bp
from portal.database import configure_sqlite
from portal.devmail.views import bp as devmail_bp
from portal.devtools.baseline import register as register_baseline
from portal.equality.views import bp as equality_bp
from portal.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from portal.feedback.views import bp as feedback_bp
from portal.i18n import select_locale
from portal.insight.views import bp as insight_bp
from portal.jobs.queue import register as register_job_hand_off
from portal.messages.views import bp as messages_bp
from portal.messages.witness_views import bp as witness_messages_bp
from portal.notifications import hooks as notification_hooks
from portal.pages.views import bp as pages_bp
from portal.partners.views import bp as partners_bp
from portal.peers.match_views import bp as peer_matches_bp
from portal.peers.organisation_views import bp as peer_partners_bp
from portal.peers.views import bp as peers_bp
from portal.reporting.claim_views import bp as claims_bp
from portal.reporting.views import bp as reporting_bp
from portal.support.staff_views import bp as support_staff_bp
from portal.support.views import bp as support_bp
from portal.surveys.views import bp as surveys_bp
from portal.tasks.contact import connect_hooks
from portal.tasks.views import bp as tasks_bp
from portal.templating import PortalFlask, configure_jinja
from portal.track.views import bp as track_bp
from portal.tracking.views import bp as tracking_bp
from portal.tracking.witness_request_views import bp as witness_requests_bp
from portal.tracking.witness_views import bp as witnesses_bp
from portal.triage.views import bp as triage_bp
from portal.urls import register_converters


def create_app(config: type[Config] | Config | None = None) -> Flask:
    """Build the Flask application from a configuration class or instance."""
    app = PortalFlask(
        __name__,
        static_folder="../static",
        static_url_path="/assets",
        template_folder="../templates",
        instance_relative_config=True,
    )
    settings = (config or config_from_env())
    settings = settings() if isinstance(settings, type) else settings
    settings.validate()
    app.config.from_object(settings)
    trust_proxies(app)
    access_log.register(app)

    # Security hooks go first, so that the CSP nonce and the access check run before any other
    # before-request hook (a CSRF failure page needs its nonce too).
    register_security(app)
    register_extensions(app)
    register_templates(app)

    register_converters(app)
    register_blueprints(app)
    # Messages sit below the case core; what they need from it (a call task, a note on the case) is connected here.
    notification_hooks.connect(connect_hooks())
    register_errorhandlers(app)
    register_commands(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For and X-Forwarded-Proto from as many proxies as TRUSTED_PROXY_HOPS says (none by
    default), so that rate limits count each person's own address rather than the proxy's."""
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    """Bind each extension instance to the app ."""
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(_project_path("migrations")), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    register_job_hand_off(app)
    passwords.init_app(app)


def register_templates(app: Flask) -> None:
    """Load GOV.UK macros and widgets, add filters and globals."""
    configure_jinja(app)
    app.jinja_env.filters["staff_name"] = staff_name
    app.jinja_env.globals["audit_words"] = in_words
    app.jinja_env.globals["case_work_navigation"] = case_work_navigation


def register_blueprints(app: Flask) -> None:
    """Mount each capability's blueprint."""
    app.register_blueprint(pages_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(claims_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(triage_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(tracking_bp)
    app.register_blueprint(track_bp)
    app.register_blueprint(data_rights_bp)
    app.register_blueprint(messages_bp)
    app.register_blueprint(witness_messages_bp)
    app.register_blueprint(witnesses_bp)
    app.register_blueprint(witness_requests_bp)
    app.register_blueprint(support_bp)
    app.register_blueprint(support_staff_bp)
    app.register_blueprint(partners_bp)
    app.register_blueprint(peers_bp)
    app.register_blueprint(peer_partners_bp)
    app.register_blueprint(peer_matches_bp)
    app.register_blueprint(admin_organisations_bp)
    app.register_blueprint(oruk_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(equality_bp)
    app.register_blueprint(insight_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(callbacks_bp)
    register_baseline(app)
    if app.config["DEV_MAIL_VIEWER"]:
        app.register_blueprint(devmail_bp)


def register_errorhandlers(app: Flask) -> None:
    """Render GOV.UK error pages for HTTP errors and CSRF failures."""
    errors.register(app)


def register_commands(app: Flask) -> None:
    """Add the flask CLI commands."""
    commands.register(app)


def register_security(app: Flask) -> None:
    """CSP with nonces, access rules, idle timeout and cache headers."""
    configure_security(app)


def _project_path(name: str):
    """A path at the top of the project checkout."""
    return BASE_DIR / name

"""Account pages: register, verify, sign in (with TOTP for staff), sign out, reset password."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import queries, services, session_records, totp
from portal.auth.access import ANY_SIGNED_IN, public, role_required
from portal.auth.forms import (
    CodeForm,
    LoginForm,
    LogoutForm,
    RegisterForm,
    ResendForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from portal.auth.security import limit_posts as _limit
from portal.auth.sessions import (
    SESSION_RECORD_KEY,
    end_this_session,
    pending_user_id,
    start_pending_login,
    touch,
)
from portal.domain import DomainError
from portal.urls import safe_next

bp = Blueprint("auth", __name__)

GENERIC_LOGIN_ERROR = "Enter a correct email address and password"


def home_for(user) -> str:
    """Where a user lands after signing in."""
    return url_for("pages.account")


def _complete_login(user) -> str:
    """Start the signed-in session and return where to go next."""
    next_url = session.pop("next_url", None)
    session.clear()
    login_user(user)
    session.permanent = True
    touch()
    session[SESSION_RECORD_KEY] = services.record_login(user)
    return safe_next(next_url, home_for(user))


@bp.route("/register", methods=["GET", "POST"])
@public
@_limit("REGISTER_RATE_LIMIT")
def register():
    """Create a victim or witness account."""
    form = RegisterForm()
    if form.validate_on_submit():
        services.register_account(form.email.data, form.password.data)
        session["registered_email"] = services.normalise_email(form.email.data)
        return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form)


@bp.route("/register/check-email")
@public
def check_email():
    """Tell the person to look for the verification email."""
    return render_template("auth/check_email.html", email=session.get("registered_email"))


@bp.route("/verify-email/<token>")
@public
def verify_email(token: str):
    """Follow the emailed verification link."""
    try:
        services.verify_email(token)
    except DomainError as error:
        return render_template("auth/link_invalid.html", message=error.message), 400
    flash(_("Your email address is confirmed. You can now sign in."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@public
@_limit("LOGIN_RATE_LIMIT")
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    next_url = safe_next(request.args.get("next"), "")
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            form.email.errors.append(error.message)
            return render_template("auth/login.html", form=form, next_url=next_url)
        if user is None:
            form.email.errors.append(_(GENERIC_LOGIN_ERROR))
        elif user.email_verified_at is None:
            session.clear()
            session["unverified_user_id"] = user.id
            return redirect(url_for("auth.unverified"))
        elif user.needs_totp:
            start_pending_login(user.id, next_url)
            return redirect(url_for("auth.login_code"))
        else:
            session["next_url"] = next_url
            return redirect(_complete_login(user))
    return render_template("auth/login.html", form=form, next_url=next_url)


@bp.route("/login/code", methods=["GET", "POST"])
@public
@_limit("LOGIN_RATE_LIMIT")
def login_code():
    """The second step for staff: a code from an authenticator app, with set-up on first use."""
    user_id = pending_user_id()
    user = services.get_user(user_id) if user_id else None
    if user is None or not user.is_active:
        flash(_("Sign in again to continue."), "information")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            if services.check_totp(user, form.code.data):
                return redirect(_complete_login(user))
            form.code.errors.append(_("The security code is not correct. Enter the 6-digit code from your "
                                      "authenticator app"))
        except DomainError as error:
            form.code.errors.append(error.message)
    enrolling = user.totp_confirmed_at is None
    qr_svg = totp.qr_code_svg(totp.provisioning_uri(user.totp_secret, user.email)) if enrolling else None
    return render_template("auth/login_code.html", form=form, enrolling=enrolling, qr_svg=qr_svg,
                           secret=user.totp_secret if enrolling else None)


@bp.route("/login/unverified", methods=["GET", "POST"])
@public
@_limit("REGISTER_RATE_LIMIT")
def unverified():
    """Explain that the email address must be confirmed first, and offer the link again."""
    user_id = session.get("unverified_user_id")
    user = services.get_user(user_id) if user_id else None
    if user is None:
        return redirect(url_for("auth.login"))
    form = ResendForm()
    if form.validate_on_submit():
        services.resend_verification(user)
        flash(_("We have sent you another link."), "success")
        return redirect(url_for("auth.unverified"))
    return render_template("auth/unverified.html", form=form, email=user.email)


@bp.route("/logout", methods=["POST"])
@role_required(*ANY_SIGNED_IN)
def logout():
    """Sign out (POST only)."""
    form = LogoutForm()
    if not form.validate_on_submit():
        abort(400)
    end_this_session()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@role_required(*ANY_SIGNED_IN)
def sign_out_everywhere():
    """End every session of this account, on every device, this one included."""
    session_records.sign_out_everywhere(current_user, current_user.id)
    logout_user()
    session.clear()
    flash(_("You have been signed out on every device."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/reset-password", methods=["GET", "POST"])
@public
@_limit("RESET_RATE_LIMIT")
def reset_request():
    """Ask for a password reset link by email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=services.normalise_email(form.email.data))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
@_limit("RESET_RATE_LIMIT")
def reset_password(token: str):
    """Choose a new password through the emailed link."""
    if not services.reset_token_is_valid(token):
        return render_template("auth/link_invalid.html",
                               message=_("This link has expired or has already been used")), 400
    form = ResetPasswordForm(account_words=queries.reset_link_account_words(token))
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as error:
            return render_template("auth/link_invalid.html", message=error.message), 400
        session.clear()
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/session/keep-alive", methods=["POST"])
@role_required(*ANY_SIGNED_IN)
def keep_alive():
    """Reset the idle timer (called by the time-out warning's 'Stay signed in' button)."""
    return {"status": "ok", "idle_minutes": current_app.config["SESSION_IDLE_MINUTES"]}

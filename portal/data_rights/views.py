"""Your data: what we hold, downloads, who has viewed your cases, and closing the account."""

from flask import Blueprint, current_app, render_template, session
from flask_login import current_user, logout_user

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.auth.security import limit_posts
from portal.data_rights import export, queries, services
from portal.data_rights.forms import CloseAccountForm
from portal.domain import DomainError

bp = Blueprint("data_rights", __name__, url_prefix="/account/data")

PUBLIC_ACCOUNTS = (Role.VICTIM, Role.WITNESS)


def _download(body: bytes, mimetype: str, extension: str):
    """An attachment that no browser or proxy keeps."""
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename(extension)}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("")
@role_required(*PUBLIC_ACCOUNTS)
def index():
    """What we hold about you, how long we keep it, and what you can do."""
    return render_template("data_rights/index.html", retention=export.RETENTION_NOTE)


@bp.route("/download.json")
@role_required(*PUBLIC_ACCOUNTS)
def download_json():
    """Everything we hold about you, as JSON."""
    body = export.as_json(export.personal_data(current_user))
    services.record_download(current_user, "json")
    return _download(body, "application/json", "json")


@bp.route("/download.pdf")
@role_required(*PUBLIC_ACCOUNTS)
def download_pdf():
    """Everything we hold about you, as a PDF."""
    body = export.as_pdf(export.personal_data(current_user))
    services.record_download(current_user, "pdf")
    return _download(body, "application/pdf", "pdf")


@bp.route("/views")
@role_required(*PUBLIC_ACCOUNTS)
def views():
    """Who has looked at your cases, by organisation."""
    return render_template("data_rights/views.html", viewings=queries.case_viewers(current_user),
                           limit=queries.VIEWS_SHOWN)


@bp.route("/close", methods=["GET", "POST"])
@role_required(*PUBLIC_ACCOUNTS)
@limit_posts("LOGIN_RATE_LIMIT")
def close():
    """Close the account after confirming with the current password. The cases stay."""
    form = CloseAccountForm()
    if form.validate_on_submit():
        try:
            crime_numbers = services.close_account(current_user, form.password.data)
        except DomainError as error:
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            logout_user()
            session.clear()
            return render_template("data_rights/closed.html", crime_numbers=crime_numbers)
    return render_template("data_rights/close.html", form=form,
                           crime_numbers=queries.own_crime_numbers(current_user))

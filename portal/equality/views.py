"""Equality monitoring: optional questions, from the account page or after reporting.

The person's own answers are shown on these pages and nowhere else.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import public, role_required
from portal.auth.roles import Role
from portal.domain import DomainError
from portal.equality import services
from portal.equality.forms import DeleteForm, EqualityForm
from portal.reporting.journey import SUBMITTED_KEY
from portal.reporting.services import get_report

bp = Blueprint("equality", __name__, url_prefix="/equality")


def _save(form: EqualityForm, save) -> tuple[bool, object]:
    """Validate and save; a refusal shows on its question. Returns (saved, what the service returned)."""
    if not form.validate_on_submit():
        return False, None
    try:
        return True, save(form.answers())
    except services.AlreadyAnswered:
        raise
    except DomainError as error:
        form.show_error(_(error.message), error.field)
        return False, None


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def index():
    """The person's own answers: given, changed or left blank at any time."""
    record = services.record_for_user(current_user.id)
    form = EqualityForm(data=services.answers_of(record)) if request.method == "GET" else EqualityForm()
    saved, result = _save(form, lambda answers: services.save_for_user(current_user, answers))
    if saved:
        flash(_("Your answers are saved. Thank you.") if result is not None
              else _("You did not answer any of the questions, so we have not kept any answers."), "success")
        return redirect(url_for("equality.index"))
    linked = services.records_for_linked_reports(current_user.id)
    return render_template("equality/answers.html", form=form, action=url_for("equality.index"),
                           back_link=url_for("pages.account"), back_text=_("Back to your account"),
                           has_answers=record is not None or bool(linked),
                           linked_crime_numbers=[crime_number for crime_number, _record in linked],
                           can_delete=True)


@bp.route("/delete", methods=["POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def delete():
    """Delete every answer the person gave."""
    if not DeleteForm().validate_on_submit():
        abort(400)
    if services.delete_for_user(current_user):
        flash(_("Your answers are deleted."), "success")
    else:
        flash(_("There were no answers to delete."), "information")
    return redirect(url_for("equality.index"))


def _just_submitted():
    """The report this browser has just submitted without an account, or None."""
    report_id = session.get(SUBMITTED_KEY)
    return get_report(report_id) if isinstance(report_id, int) else None


@bp.route("/report", methods=["GET", "POST"])
@public
def report_answers():
    """The questions, once, for the report just submitted in this browser without an account."""
    if current_user.is_authenticated:
        return redirect(url_for("equality.index"))
    report = _just_submitted()
    if report is None:
        return render_template("equality/expired.html")
    if report.reporter_user_id is not None:  # linked to an account since: answer from the account
        return redirect(url_for("equality.index"))
    if services.record_for_report(report.id) is not None:
        return render_template("equality/thanks.html")
    form = EqualityForm()
    try:
        saved, result = _save(form, lambda answers: services.save_for_report(report, answers))
    except services.AlreadyAnswered:
        return render_template("equality/thanks.html")
    if saved:
        if result is None:
            flash(_("You did not answer any of the questions, so we have not kept any answers."), "information")
            return redirect(url_for("reporting.confirmation"))
        return redirect(url_for("equality.report_answers"))
    return render_template("equality/answers.html", form=form, action=url_for("equality.report_answers"),
                           back_link=url_for("reporting.confirmation"), back_text=_("Back to your crime number"),
                           has_answers=False, linked_crime_numbers=[], can_delete=False)

"""Satisfaction surveys and check-ins, answered by the victim on their case; a witness answers the check-ins of
their own support on their view of the case, on the same page."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for, witness_link_for
from portal.surveys import services
from portal.surveys.forms import CheckInForm, SurveyForm

bp = Blueprint("surveys", __name__, url_prefix="/cases")


def _thanks(report):
    flash(_("Thank you. Your answers help us improve how we support people."), "success")
    return redirect(url_for("tracking.case", crime_number=report.crime_number))


@bp.route("/<crime_number>/surveys/<kind>", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def survey(crime_number: str, kind: str):
    """A short, optional satisfaction survey the victim was offered; 'not found' if none was."""
    report = case_for(current_user, crime_number, Relation.VICTIM)[0]
    chosen = services.survey_kind(kind)
    offered = services.survey_for(report.id, chosen) if chosen else None
    if offered is None:
        abort(404)
    if offered.answered_at is not None:
        return render_template("surveys/answered.html", report=report)
    form = SurveyForm()
    if form.saved_with(lambda details: services.answer_survey(current_user, report, chosen, **details),
                       lambda: {"scores": form.scores(), "comment": form.comment.data}):
        return _thanks(report)
    return render_template("surveys/survey.html", form=form, report=report, kind=chosen.value)


def _check_in_page(report, weeks: int, link=None):
    """The check-in page and its answer, for the victim or (with their link) a witness: one person's own check-ins
    only, 'not found' if none was offered to them."""
    link_id = link.id if link is not None else None
    offered = services.check_ins_for(report.id, weeks, link_id)
    if not offered:
        abort(404)
    if all(item.answered_at is not None for item in offered):
        return render_template("surveys/answered.html", report=report)
    form = CheckInForm()
    if form.saved_with(lambda details: services.answer_check_in(current_user, report, weeks, witness_link=link,
                                                                **details),
                       lambda: {"scores": form.scores()}):
        return _thanks(report)
    # For the comparison sample (no referral), the page does not say they were referred.
    comparison = all(item.referral_id is None for item in offered)
    endpoint = "surveys.check_in" if link is None else "surveys.witness_check_in"
    return render_template("surveys/check_in.html", form=form, report=report, weeks=weeks, comparison=comparison,
                           action=url_for(endpoint, crime_number=report.crime_number, weeks=weeks))


@bp.route("/<crime_number>/check-ins/<int:weeks>", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def check_in(crime_number: str, weeks: int):
    """A cope-and-recover check-in the victim was offered; 'not found' if none was."""
    report = case_for(current_user, crime_number, Relation.VICTIM)[0]
    return _check_in_page(report, weeks)


@bp.route("/<crime_number>/witness-check-ins/<int:weeks>", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def witness_check_in(crime_number: str, weeks: int):
    """A check-in on a witness's own support, offered to them; 'not found' for anyone else, the case's victim
    included, and if none was offered."""
    report = case_for(current_user, crime_number, Relation.WITNESS)[0]
    link = witness_link_for(current_user, report)
    if link is None:
        abort(404)
    return _check_in_page(report, weeks, link)

"""A victim's own cases: status in plain words and the timeline."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from portal.access import role_required
from portal.auth.models import Role
from portal.tracking import queries
from portal.tracking.status_text import STATUS_TEXT

bp = Blueprint("tracking", __name__, url_prefix="/cases")


@bp.route("/")
@role_required(Role.VICTIM, Role.WITNESS)
def my_cases():
    """Every case linked to the signed-in person."""
    return render_template("tracking/my_cases.html", cases=queries.cases_for(current_user), status_text=STATUS_TEXT)


@bp.route("/<crime_number>")
@role_required(Role.VICTIM, Role.WITNESS)
def case(crime_number: str):
    """One case. Anyone else's case is 'not found', never 'forbidden', so existence is not revealed."""
    report = queries.own_case(current_user, crime_number.upper())
    if report is None:
        abort(404)
    return render_template("tracking/case.html", report=report, timeline=queries.victim_timeline(report),
                           status=STATUS_TEXT[report.status], officer=queries.officer_name(report))

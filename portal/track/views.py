"""`/track`: follow one case with its crime number and a code sent to a safe email or mobile number it holds.

The code opens a read-only view of that one case for this browser: the case's id and when the view began and was
last used are kept in the session (a signed cookie). The view ends after IDLE_MINUTES without use and
MOST_MINUTES in all, and at "Stop following". It shows what the victim's own case page shows (status, what happens
next, the victim's timeline, what they asked and the answers), nothing more, and lets them ask for a call.
"""

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address

from portal.auth.access import public
from portal.cases.queries import victim_timeline
from portal.cases.status_text import STATUS_TEXT
from portal.clock import utcnow
from portal.extensions import limiter
from portal.tasks import queries as task_queries
from portal.tasks import words as task_words
from portal.track import queries, services
from portal.track.forms import CodeForm, CrimeNumberForm, GuestCallForm

bp = Blueprint("track", __name__, url_prefix="/track")

# The session keys: the crime number a code was asked for, and the open view {report_id, started, seen}.
PENDING_KEY = "track_pending"
VIEW_KEY = "track_view"
IDLE_MINUTES = 30
MOST_MINUTES = 120
# Code requests from one address (TRACK_CODE_RATE_LIMIT in the configuration).
DEFAULT_RATE_LIMIT = "20 per hour"


def _rate_limit() -> str:
    return current_app.config.get("TRACK_CODE_RATE_LIMIT", DEFAULT_RATE_LIMIT)


def _too_many_requests(_limit: RequestLimit):
    """The page for an address that has asked for too many codes in the last hour."""
    return make_response(render_template("track/too_many.html"), 429)


def _open_report():
    """The case this browser's tracking view is open for, or None (its time ended, or there is none). An ended
    view is forgotten, with a message saying why."""
    view = session.get(VIEW_KEY)
    if not isinstance(view, dict):
        return None
    now = utcnow().timestamp()
    idle = now - float(view.get("seen", 0)) > IDLE_MINUTES * 60
    too_long = now - float(view.get("started", 0)) > MOST_MINUTES * 60
    report = None if idle or too_long else queries.tracked_report(int(view.get("report_id", 0)))
    if report is None:
        session.pop(VIEW_KEY, None)
        if idle or too_long:
            flash(_("To keep your case safe, we closed it after %(minutes)d minutes without use. "
                    "Ask for a new code to see it again.", minutes=IDLE_MINUTES) if idle and not too_long else
                  _("To keep your case safe, we close it after 2 hours. Ask for a new code to see it again."),
                  "information")
        return None
    view["seen"] = now
    session[VIEW_KEY] = view
    return report


@bp.route("", methods=["GET", "POST"])
@public
@limiter.limit(_rate_limit, key_func=get_remote_address, methods=["POST"], on_breach=_too_many_requests)
def start():
    """Ask for a code with the crime number. The answer is the same for every crime number."""
    form = CrimeNumberForm()
    if form.validate_on_submit():
        services.request_code(form.crime_number.data)
        session[PENDING_KEY] = form.crime_number.data
        return redirect(url_for("track.code"))
    return render_template("track/start.html", form=form)


@bp.route("/code", methods=["GET", "POST"])
@public
def code():
    """Enter the code. An unknown, wrong, expired or spent code all get the same answer."""
    crime_number = session.get(PENDING_KEY)
    if not crime_number:
        return redirect(url_for("track.start"))
    form = CodeForm()
    if form.validate_on_submit():
        report = services.open_with_code(crime_number, form.code.data)
        if report is not None:
            session.pop(PENDING_KEY, None)
            now = utcnow().timestamp()
            session[VIEW_KEY] = {"report_id": report.id, "started": now, "seen": now}
            return redirect(url_for("track.case"))
        form.code.errors = [_("The code is wrong or has expired. Check it and try again, or ask for a new code")]
    return render_template("track/code.html", form=form, minutes=services.CODE_MINUTES)


@bp.route("/case")
@public
def case():
    """The read-only view of the one case the code opened."""
    report = _open_report()
    if report is None:
        return redirect(url_for("track.start"))
    return _case_page(report, GuestCallForm())


def _case_page(report, call_form: GuestCallForm):
    """The tracking view, with the call form as it stands (empty, or as typed with its error)."""
    return render_template("track/case.html", report=report, status=STATUS_TEXT[report.status],
                           timeline=victim_timeline(report), requests=task_queries.requests_of(report),
                           now=utcnow(), call_form=call_form, idle_minutes=IDLE_MINUTES,
                           request_words={"asked_for": task_words.ASKED_FOR, "state": task_words.STATE,
                                          "colours": task_words.STATE_COLOURS})


@bp.route("/case/call", methods=["POST"])
@public
def ask_for_call():
    """Ask to talk to someone about the case."""
    report = _open_report()
    if report is None:
        return redirect(url_for("track.start"))
    form = GuestCallForm()
    if not form.validate_on_submit():
        return _case_page(report, form)  # the note as typed, with what is wrong with it
    services.ask_for_call(report, form.note.data)
    flash(_("We will call you, using the safe contact details you gave us."), "success")
    return redirect(url_for("track.case"))


@bp.route("/stop", methods=["POST"])
@public
def stop():
    """Stop following: this browser forgets the case (the CSRF check, as on every post, came first)."""
    view = session.pop(VIEW_KEY, None)
    session.pop(PENDING_KEY, None)
    if isinstance(view, dict) and view.get("report_id"):
        services.stopped_following(int(view["report_id"]))
    flash(_("You have stopped following the case on this device."), "success")
    return redirect(url_for("track.start"))

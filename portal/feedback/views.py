"""The feedback page (/feedback) and its thank-you page: open to everyone, anonymous, rate-limited."""

from flask import Blueprint, redirect, render_template, request, url_for

from portal.auth.access import public
from portal.auth.security import limit_posts
from portal.feedback import services
from portal.feedback.forms import FeedbackForm

bp = Blueprint("feedback", __name__, url_prefix="/feedback")


@bp.route("", methods=["GET", "POST"])
@public
@limit_posts("FEEDBACK_RATE_LIMIT")
def give():
    """A rating and an optional comment. The banner's link says which page it was on, as the route's pattern."""
    form = FeedbackForm()
    if request.method == "GET":
        form.page.data = request.args.get("from", "")[:services.PAGE_MAX + 1]
    if form.saved_with(lambda details: services.record_feedback(**details), form.details):
        return redirect(url_for("feedback.thank_you"))
    return render_template("feedback/give.html", form=form)


@bp.route("/thank-you")
@public
def thank_you():
    """The confirmation."""
    return render_template("feedback/thank_you.html")

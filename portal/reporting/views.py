"""The report wizard: thin views over the journey, the answers helpers and the reporting services."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.auth.access import public
from portal.auth.security import limit_posts
from portal.cases.enums import Route
from portal.domain import DomainError
from portal.extensions import limiter
from portal.forms import options
from portal.notifications.channels import uk_mobile
from portal.postal_address import FIELDS as ADDRESS_FIELDS
from portal.reporting import answers as answer_helpers
from portal.reporting import money, services
from portal.reporting.evidence import evidence_path
from portal.reporting.forms import (
    NOT_LISTED_CHOICES,
    ContinueForm,
    DeclarationForm,
    RemoveItemForm,
    SaveForLaterForm,
)
from portal.reporting.journey import (
    BY_SLUG,
    HELP_CHOOSING,
    NOT_LISTED,
    SUBMITTED_KEY,
    VICTIM_FIELDS,
    applicable_steps,
    can_visit,
    first_incomplete,
    next_after,
    position,
    wants_letters,
)
from portal.reporting.summary_pdf import report_summary_pdf

bp = Blueprint("reporting", __name__, url_prefix="/report")

DRAFT_KEY = "report_draft"
STOP_PAGES = {
    "call-999": "reporting/stop_999.html",
    "urgent-help": "reporting/stop_urgent.html",
    "fraud": "reporting/divert_fraud.html",
    "specialist-support": "reporting/divert_specialist.html",
    "help-choosing": "reporting/help_choosing.html",
}
# How many links to go on with a report one address may be sent in an hour (the setting RESUME_LINK_RATE_LIMIT).
RESUME_LINK_RATE_LIMIT = "5 per hour"


def _user():
    """The signed-in person, or None for a guest."""
    return current_user if current_user.is_authenticated else None


def _draft():
    """This browser's or this person's draft, or None."""
    return services.find_draft(session.get(DRAFT_KEY), _user())


def _signed_in() -> bool:
    """Signed-in accounts, charity partners reporting for the people they support among them, are not held to the
    per-address limits on new reports and uploads (which are for people who are not signed in)."""
    return current_user.is_authenticated


def _not_a_guest_upload() -> bool:
    """Whether this post to a question is anything but a file sent by someone not signed in (answers and
    Continue are not uploads)."""
    return (_signed_in() or (request.view_args or {}).get("slug") != "evidence"
            or request.form.get("action") == "continue")


def _too_many_reports(_limit: RequestLimit) -> Response:
    """The page for someone who has started too many reports from one address in the last hour."""
    return make_response(render_template("reporting/too_many_reports.html", draft=_draft()), 429)


def _too_many_uploads(_limit: RequestLimit) -> Response | None:
    """The evidence page with an error, for someone who has sent too many files from one address in the last hour
    (without a report in progress, the general page)."""
    draft = _draft()
    if draft is None:
        return None
    form = answer_helpers.form_for(BY_SLUG["evidence"])()
    form.file.errors = [_("You have uploaded too many files in the last hour. Try again later, or continue "
                          "without this file")]
    return make_response(_evidence_template(draft, form), 429)


def _to(slug: str):
    """Redirect to a page of the journey by its slug."""
    if slug == "check-answers":
        return redirect(url_for("reporting.check_answers"))
    if slug in STOP_PAGES:
        return redirect(url_for("reporting.stop", page=slug))
    return redirect(url_for("reporting.question", slug=slug))


def _back_link(slug: str, answers: dict) -> str:
    """The previous question, or the start page."""
    slugs = [s.slug for s in applicable_steps(answers)]
    if slug in slugs and slugs.index(slug) > 0:
        return url_for("reporting.question", slug=slugs[slugs.index(slug) - 1])
    return url_for("pages.start")


@bp.app_context_processor
def _unfinished_report() -> dict:
    """For the service's start page (pages.start): whether this browser or person has a report not yet sent, asked
    only where a page uses it."""
    return {"unfinished_report": lambda: _draft() is not None}


@bp.route("/")
@public
def start():
    """Not a second start page: the service's start page (/) is the one. With a report in progress, this goes on
    with it; without one, to the start page."""
    return redirect(url_for("reporting.resume") if _draft() is not None else url_for("pages.start"))


@bp.route("/start", methods=["POST"])
@public
@limiter.limit(lambda: current_app.config["DRAFT_RATE_LIMIT"], key_func=get_remote_address, methods=["POST"],
               exempt_when=_signed_in, on_breach=_too_many_reports)
def begin():
    """Start a new report (discarding any earlier draft of this browser or person)."""
    ContinueForm().validate_on_submit() or abort(400)
    existing = _draft()
    if existing is not None:
        services.discard_draft(existing)
    _draft_obj, token = services.start_draft(_user())
    session[DRAFT_KEY] = token
    return _to("safety-now")


@bp.route("/continue")
@public
def resume():
    """Go back to the first unanswered question of a saved report."""
    draft = _draft()
    if draft is None:
        return redirect(url_for("reporting.start"))
    step = first_incomplete(draft.answers)
    return _to(step.slug if step else "check-answers")


def _resume_link_limit() -> str:
    """The limit on links sent to go on with a report, read at request time (tests and deployments tune it)."""
    return current_app.config.get("RESUME_LINK_RATE_LIMIT", RESUME_LINK_RATE_LIMIT)


def _resume_link_sent(_response: Response) -> bool:
    """Only a link actually sent counts towards the limit: a mistyped address corrected does not."""
    return bool(g.get("resume_link_sent"))


def _too_many_links(_limit: RequestLimit) -> Response:
    """The page for someone who has been sent too many links from one address in the last hour."""
    return make_response(render_template("reporting/too_many_links.html", draft=_draft()), 429)


def _came_from(answers: dict) -> str | None:
    """The question the person came from (to go back to it), if it is one they can open."""
    slug = request.args.get("question", "")
    return slug if slug in BY_SLUG and can_visit(slug, answers) else None


@bp.route("/save", methods=["GET", "POST"])
@public
@limiter.limit(_resume_link_limit, key_func=get_remote_address, methods=["POST"], deduct_when=_resume_link_sent,
               on_breach=_too_many_links)
def save_for_later():
    """Save and come back later: a guest asks for a single-use link to their report, by email or text, that works
    on any device for 7 days. Signed-in people's reports are kept in their account."""
    draft = _draft()
    if draft is None:
        return redirect(url_for("reporting.start"))
    if _signed_in():
        return redirect(url_for("reporting.resume"))
    answers = draft.answers or {}
    came_from = _came_from(answers)
    back_link = url_for("reporting.question", slug=came_from) if came_from else url_for("reporting.resume")
    if request.method == "POST":
        form = SaveForLaterForm()
    else:  # what the report already holds, so nothing need be typed twice
        form = SaveForLaterForm(data={"email": answers.get("contact_email") or "",
                                      "mobile": answers.get("contact_phone") if uk_mobile(answers.get("contact_phone"))
                                      else ""})
    if form.validate_on_submit():
        try:
            services.send_resume_link(draft, form.channel.data, form.destination())
        except DomainError as error:
            form.show_error(error.message, error.field)
        else:
            g.resume_link_sent = True
            return render_template("reporting/resume_link_sent.html", channel=form.channel.data,
                                   destination=form.destination(), back_link=back_link)
    return render_template("reporting/save_for_later.html", form=form, back_link=back_link, came_from=came_from)


@bp.route("/resume/<token>", methods=["GET", "POST"])
@public
def resume_link(token: str):
    """The link sent to a guest: the page asks them to press a button, and the press opens the report on this
    device at its first unanswered question. (A GET changes nothing, so an email or messaging app that opens
    links to check or preview them cannot spend it.) A link that does not work, for whatever reason, gets one
    helpful page with a 404."""
    if request.method == "POST":
        if not ContinueForm().validate_on_submit():
            abort(400)
        try:
            session[DRAFT_KEY] = services.use_resume_link(token)
        except DomainError:
            return _resume_link_does_not_work()
        return redirect(url_for("reporting.resume"))
    if not services.resume_link_works(token):
        return _resume_link_does_not_work()
    return render_template("reporting/resume_link.html", form=ContinueForm(), token=token)


def _resume_link_does_not_work():
    """One page, and one status, for a link that is unknown, used or expired: nothing tells them apart."""
    return render_template("reporting/resume_link_invalid.html", draft=_draft()), 404


@bp.route("/<slug>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["UPLOAD_RATE_LIMIT"], key_func=get_remote_address, methods=["POST"],
               exempt_when=_not_a_guest_upload, on_breach=_too_many_uploads)
def question(slug: str):
    """One question page: show it, or save the answer and move on."""
    step = BY_SLUG.get(slug)
    if step is None:
        abort(404)
    draft = _draft()
    if draft is None:
        return redirect(url_for("reporting.start"))
    answers = draft.answers or {}
    if not can_visit(slug, answers):
        incomplete = first_incomplete(answers)
        return _to(incomplete.slug if incomplete else "check-answers")

    if slug == "evidence":
        return _evidence_page(draft, step)
    form_class = answer_helpers.form_for(step)
    if request.method == "POST":
        form = form_class()
    elif slug == "property-item" and _item_changed(answers.get("property_items", [])) is not None:
        form = form_class(data=_item_data(answers["property_items"][_item_changed(answers["property_items"])]))
    else:
        form = form_class(data=answer_helpers.form_data_for(step, answers))
    categories = _prepare(slug, form)
    if request.method == "POST" and form.validate() and _consistent(slug, form, answers):
        updates, remove, go_to = _updates_for(slug, form, answers, categories)
        answers = services.save_answers(draft, updates, remove)
        return _to(go_to or next_after(slug, answers))
    number, total, part = position(slug)
    changing = _item_changed(answers.get("property_items", [])) if slug == "property-item" else None
    return render_template(
        "reporting/question.html", form=form, step=step, number=number, total=total, part=part,
        back_link=(url_for("reporting.question", slug="property-list") if changing is not None
                   else _back_link(slug, answers)),
        helpers=answer_helpers, categories=categories, items=answers.get("property_items", []),
        action=url_for("reporting.question", slug=slug, item=changing + 1 if changing is not None else None),
    )


def _item_changed(items: list) -> int | None:
    """The index of the item being changed (the page's ?item=, counting from 1), or None when adding one."""
    number = request.args.get("item", type=int)
    return number - 1 if number is not None and 1 <= number <= len(items) else None


def _item_data(item: dict) -> dict:
    """An item kept in the answers, as its form shows it."""
    return {"item_description": item["description"],
            "item_value": money.shown(item["value"]).removeprefix("£") if item.get("value") else "",
            "item_damaged": bool(item.get("damaged"))}


@bp.route("/property-list/<int:number>/remove", methods=["GET", "POST"])
@public
def remove_item(number: int):
    """Are you sure you want to remove an item? Yes takes it off the list."""
    draft = _draft()
    if draft is None:
        return redirect(url_for("reporting.start"))
    answers = draft.answers or {}
    items = list(answers.get("property_items", []))
    if not can_visit("property-list", answers) or not 1 <= number <= len(items):
        return redirect(url_for("reporting.resume"))
    form = RemoveItemForm()
    if form.validate_on_submit():
        if form.remove.data == "yes":
            del items[number - 1]
            services.save_answers(draft, {"property_items": items}, () if items else ("property_items",))
        return redirect(url_for("reporting.question", slug="property-list"))
    return render_template("reporting/remove_item.html", form=form, item=items[number - 1], number=number,
                           describe=answer_helpers.describe_item, heading_params=answer_helpers.heading_params)


def _consistent(slug: str, form, answers: dict) -> bool:
    """Checks across pages: text messages need the UK mobile number asked for on the contact page, and a call
    needs a phone number and a phone call marked as safe."""
    if (slug == "safe-contact" and "text" in (form.safe_channels.data or [])
            and uk_mobile(answers.get("contact_phone")) is None):
        form.safe_channels.errors.append(_("To get text messages, go back and enter a UK mobile number, or select "
                                           "another safe way to contact you"))
        return False
    if slug == "follow-up" and form.follow_up.data == "call":
        if not (answers.get("contact_phone") or "").strip():
            form.follow_up.errors.append(_("To get a call, go back and enter a phone number, or choose another "
                                           "answer"))
            return False
        if "phone" not in (answers.get("safe_channels") or []):
            form.follow_up.errors.append(_("You said a phone call is not a safe way to contact you. To get a call, "
                                           "go back and select phone call, or choose another answer"))
            return False
    return True


def _prepare(slug: str, form):
    """Fill in choices that come from data."""
    if slug != "what-happened":
        return None
    categories = services.list_categories()
    form.category.choices = options([*((c.code, c.title) for c in categories), *NOT_LISTED_CHOICES])
    return categories


def _updates_for(slug, form, answers, categories):
    """What to save for a question, what to forget, and any page to go to instead of the next one."""
    values = answer_helpers.answers_from(form)
    if slug == "what-happened" and values["category"] in NOT_LISTED:
        return {"category": values["category"], "category_route": HELP_CHOOSING}, (), None
    if slug == "what-happened":
        chosen = next(c for c in categories if c.code == values["category"])
        return {"category": chosen.code, "category_route": chosen.route.value}, (), None
    if slug == "who" and values["reporter_role"] != "on_behalf":
        return values, VICTIM_FIELDS, None  # asked only of someone reporting for someone else
    if slug == "property":
        remove = ("property_items", "property_done") if values["has_property"] == "no" else ()
        return values, remove, None
    if slug == "property-item":
        value = values["item_value"]
        item = {"description": values["item_description"],
                "value": money.stored(money.parse_pounds(value)) if value else None,
                "damaged": bool(values["item_damaged"])}
        items = list(answers.get("property_items", []))
        changing = _item_changed(items)
        if changing is None:
            return {"property_items": [*items, item]}, ("property_done",), "property-list"
        items[changing] = item
        return {"property_items": items}, (), "property-list"
    if slug == "property-list":
        if values["add_another"] == "yes":
            return {}, ("property_done",), "property-item"
        return {"property_done": True}, (), None
    if slug == "safe-contact":
        # An address typed before is not kept once a letter is not safe, nor a voicemail answer once a call is not.
        forget = (*(() if wants_letters(values) else ADDRESS_FIELDS),
                  *(() if "phone" in values["safe_channels"] else ("voicemail_allowed",)))
        return values, forget, None
    if slug == "third-party" and values["via_third_party"] == "no":
        values["third_party_organisation"] = ""
    return values, (), None


def _evidence_page(draft, step):
    """Upload files one at a time, remove them, then continue."""
    answers = draft.answers or {}
    form = answer_helpers.form_for(step)()
    if request.method == "POST" and request.form.get("action") == "continue":
        if ContinueForm().validate_on_submit():
            answers = services.save_answers(draft, {"evidence_done": True})
            return _to(next_after("evidence", answers))
        abort(400)
    if request.method == "POST" and form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            form.file.errors.append(_("Select a file to upload, or continue without one"))
        else:
            try:
                services.add_evidence(draft, upload.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1),
                                      upload.filename)
            except DomainError as error:
                form.file.errors.append(error.message)
            else:
                return redirect(url_for("reporting.question", slug="evidence"))
    return _evidence_template(draft, form)


def _evidence_template(draft, form) -> str:
    """The evidence page: the files so far, the upload form and Continue."""
    answers = draft.answers or {}
    number, total, part = position("evidence")
    return render_template("reporting/evidence.html", form=form, continue_form=ContinueForm(),
                           step=BY_SLUG["evidence"], number=number, total=total, part=part,
                           files=services.draft_evidence(draft), back_link=_back_link("evidence", answers))


@bp.route("/evidence/<int:evidence_id>/remove", methods=["POST"])
@public
def remove_evidence(evidence_id: int):
    """Remove an uploaded file from the report being written."""
    draft = _draft()
    if draft is None or not ContinueForm().validate_on_submit():
        abort(400)
    try:
        services.remove_evidence(draft, evidence_id)
    except DomainError:
        abort(404)
    return redirect(url_for("reporting.question", slug="evidence"))


@bp.route("/evidence/<int:evidence_id>")
@public
def view_evidence(evidence_id: int):
    """Show a file to the person uploading it (only from their own draft)."""
    draft = _draft()
    if draft is None:
        abort(404)
    item = next((f for f in services.draft_evidence(draft) if f.id == evidence_id), None)
    if item is None:
        abort(404)
    return send_file(evidence_path(item.storage_key), mimetype=item.content_type, download_name=item.original_name,
                     as_attachment=item.content_type == "application/pdf")


@bp.route("/check-answers", methods=["GET", "POST"])
@public
@limit_posts("REPORT_RATE_LIMIT")
def check_answers():
    """Every answer with a link to change it; then the declaration and submit."""
    draft = _draft()
    if draft is None:
        return redirect(url_for("reporting.start"))
    answers = draft.answers or {}
    incomplete = first_incomplete(answers)
    if incomplete is not None:
        return _to(incomplete.slug)
    form = DeclarationForm()
    if form.validate_on_submit():
        try:
            report = services.submit_report(draft, _user())
        except DomainError:
            return _to((first_incomplete(answers) or BY_SLUG["what-happened"]).slug)
        session.pop(DRAFT_KEY, None)
        session[SUBMITTED_KEY] = report.id
        return redirect(url_for("reporting.confirmation"))
    category = services.get_category(answers.get("category", ""))
    rows = answer_helpers.summary_rows(answers, category.title if category else None,
                                       [f.original_name for f in services.draft_evidence(draft)])
    number, total, part = position("check-answers")
    return render_template("reporting/check_answers.html", form=form, rows=rows,
                           number=number, total=total, part=part,
                           is_information=category is not None and category.route == Route.INFORMATION,
                           back_link=url_for("reporting.question", slug="new-demand"))


@bp.route("/confirmation")
@public
def confirmation():
    """The crime number, what happens next, and the person's rights."""
    report = _submitted_report()
    return render_template("reporting/confirmation.html", report=report)


@bp.route("/confirmation/summary.pdf")
@public
def summary_pdf():
    """A PDF copy of the report just submitted, for the person's records."""
    report = _submitted_report()
    response = current_app.response_class(report_summary_pdf(report), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="report-{report.crime_number}.pdf"'
    return response


def _submitted_report():
    """The report this browser has just submitted; nobody else can see it by guessing a number."""
    report_id = session.get(SUBMITTED_KEY)
    report = services.get_report(report_id) if report_id else None
    if report is None:
        abort(404)
    return report


@bp.route("/help/<page>")
@public
def stop(page: str):
    """Stop and diversion pages: call 999, urgent help, fraud, specialist support."""
    template = STOP_PAGES.get(page)
    if template is None:
        abort(404)
    draft = _draft()
    services.record_diversion(draft, page)
    return render_template(template, back_link=_stop_back_link(page, draft),
                           **(_help_choosing(draft) if page == "help-choosing" else {}))


def _help_choosing(draft) -> dict:
    """What the page that helps someone decide needs: which of the two they chose, and the categories by route."""
    categories = services.list_categories()
    return {"choice": (draft.answers or {}).get("category") if draft else None,
            "online": [c for c in categories if c.route in (Route.SELF_SERVICE, Route.HATE_INCIDENT)],
            "information": [c for c in categories if c.route == Route.INFORMATION],
            "specialist": [c for c in categories if c.route == Route.SPECIALIST]}


def _stop_back_link(page: str, draft) -> str:
    """Back to the question whose answer led here."""
    slug = {"call-999": "safety-now", "urgent-help": "immediate-risk"}.get(page, "what-happened")
    return url_for("reporting.question", slug=slug) if draft else url_for("pages.start")

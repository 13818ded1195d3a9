"""Staff pages: the triage queue, the case page, decisions and updates. Officers and supervisors only."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit.services import record_read
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases import victims_code
from portal.cases.access import Relation, case_for
from portal.cases.timeline import as_read
from portal.cases.transitions import AWAITING_TRIAGE, allowed_next
from portal.clock import TIME_PATTERN, london_datetime, utcnow
from portal.domain import DomainError
from portal.forms import options
from portal.reporting.boroughs import BOROUGHS
from portal.reporting.evidence import evidence_path
from portal.reporting.services import list_categories
from portal.support.case_support import case_support, support_context
from portal.tasks import queries as task_queries
from portal.tasks.due_times import DUE_TIMES
from portal.triage import forms, queries, services, wording

bp = Blueprint("triage", __name__, url_prefix="/staff")
STAFF = (Role.OFFICER, Role.SUPERVISOR)

DECISION_FORMS = {
    "nfi": forms.NfiForm, "allocate": forms.AllocateForm, "attendance": forms.AttendanceForm,
    "call": forms.CallForm, "escalate": forms.EscalateForm, "refer": forms.ReferForm,
    "information": forms.InformationForm, "duplicate": forms.DuplicateForm,
}


def _report_or_404(crime_number: str):
    """The case, or a 404 page (the one access check every case route shares)."""
    return case_for(current_user, crime_number, Relation.POLICE)[0]


def _officer_choices(form_field) -> None:
    """Fill an officer select with active staff."""
    form_field.choices = options([("", _("Select an officer"))] +
                                 [(str(user_id), name) for user_id, name in services.active_officers()])


def _versioned(form_class, report):
    """A form carrying the version shown (on GET), or the one posted back."""
    return form_class(version=report.version) if request.method == "GET" else form_class()


def _change_page(report, form, template: str, done: str, apply, **context):
    """Show the form; on a valid POST apply the change, or show the service's refusal on the form."""
    if form.validate_on_submit():
        try:
            apply(int(form.version.data))
        except DomainError as error:
            _field_error(form, error)
        else:
            flash(done, "success")
            return redirect(url_for("triage.case", crime_number=report.crime_number))
    return render_template(template, form=form, report=report, **context)


def _officer(user_id: str):
    """An active officer by id, or a domain error."""
    officer = queries.staff_account(int(user_id)) if user_id and user_id.isdigit() and len(user_id) < 10 else None
    if officer is None:
        raise DomainError("Select an active officer", field="officer")
    return officer


@bp.route("/")
@role_required(*STAFF)
def home():
    """Staff start at the triage queue."""
    return redirect(url_for("triage.queue"))


@bp.route("/triage")
@role_required(*STAFF)
def queue():
    """Untriaged reports, most urgent first, with filters and counts."""
    args = request.args
    filters = queries.QueueFilters(
        borough=args.get("borough") if args.get("borough") in BOROUGHS else None,
        category=args.get("category") or None,
        status=args.get("status") if args.get("status") in ({s.value for s in services.CaseStatus} | {"all"}) else None,
        risk=args.get("risk") if args.get("risk") in queries.RISK_FILTERS else None,
        mine=args.get("mine") == "1",
    )
    page = queries.triage_queue(filters, current_user, args.get("page", 1, type=int))
    return render_template("triage/queue.html", queue=page, boroughs=BOROUGHS, categories=list_categories(),
                           statuses=list(services.CaseStatus), claim_form=forms.ClaimForm())


@bp.route("/cases/<crime_number>")
@role_required(*STAFF)
def case(crime_number: str):
    """The whole case. Every view is written to the audit trail."""
    report = _report_or_404(crime_number)
    view = queries.case_view(report)
    assign_form = None
    if current_user.role == Role.SUPERVISOR and report.status in AWAITING_TRIAGE:
        assign_form = forms.AssignForm(version=report.version)
        _officer_choices(assign_form.officer)
    page = render_template("triage/case.html", view=view, report=report,
                           claim_form=forms.ClaimForm(version=report.version), assign_form=assign_form,
                           awaiting_triage=report.status in AWAITING_TRIAGE,
                           can_update=report.status not in AWAITING_TRIAGE
                           and bool(forms.update_choices(allowed_next(report.status))),
                           deadline_state=victims_code.state, support=case_support(report), **support_context(),
                           tasks=task_queries.tasks_on(report), task_names=DUE_TIMES, now=utcnow())
    # Audited after rendering, so the commit does not make the page load the report again.
    record_read(current_user.id, "case.viewed", "report", report.crime_number)
    return page


@bp.route("/cases/<crime_number>/claim", methods=["POST"])
@role_required(*STAFF)
def claim(crime_number: str):
    """Claim a report to triage it."""
    report = _report_or_404(crime_number)
    form = forms.ClaimForm()
    if form.validate_on_submit():
        try:
            services.claim_report(current_user, report, int(form.version.data))
            flash(_("You have claimed %(number)s.", number=crime_number), "success")
        except DomainError as error:
            flash(error.message, "information")
    return redirect(url_for("triage.case", crime_number=crime_number))


@bp.route("/cases/<crime_number>/assign", methods=["POST"])
@role_required(Role.SUPERVISOR)
def assign(crime_number: str):
    """A supervisor assigns the report to an officer."""
    report = _report_or_404(crime_number)
    form = forms.AssignForm()
    _officer_choices(form.officer)
    if form.validate_on_submit():
        try:
            services.assign_report(current_user, report, int(form.version.data), _officer(form.officer.data))
            flash(_("Report assigned."), "success")
        except DomainError as error:
            flash(error.message, "information")
    else:
        flash(_("Select an officer"), "information")
    return redirect(url_for("triage.case", crime_number=crime_number))


@bp.route("/cases/<crime_number>/decide", methods=["GET", "POST"])
@role_required(*STAFF)
def choose_decision(crime_number: str):
    """Choose which triage decision to record."""
    report = _report_or_404(crime_number)
    form = forms.ChooseDecisionForm()
    if form.validate_on_submit():
        return redirect(url_for("triage.decide", crime_number=crime_number, kind=form.decision.data))
    return render_template("triage/choose_decision.html", form=form, report=report)


@bp.route("/cases/<crime_number>/decide/<kind>", methods=["GET", "POST"])
@role_required(*STAFF)
def decide(crime_number: str, kind: str):
    """Record one decision, starting from its plain-English wording. The page shows the message as the victim will
    read it; "Preview the message" fills in what the officer has given so far, and records nothing."""
    report = _report_or_404(crime_number)
    form_class = DECISION_FORMS.get(kind)
    if form_class is None:
        abort(404)
    form = _versioned(form_class, report)
    if hasattr(form, "officer"):
        _officer_choices(form.officer)
    previewing = request.method == "POST" and "preview" in request.form
    if form.validate_on_submit() and not previewing:
        try:
            _apply_decision(kind, form, report, int(form.version.data))
        except DomainError as error:
            _field_error(form, error)
        else:
            flash(_("Decision recorded."), "success")
            return redirect(url_for("triage.case", crime_number=report.crime_number))
    return render_template("triage/decide.html", form=form, report=report, kind=kind, wording=wording,
                           title=dict(forms.DECISION_CHOICES)[kind], preview=_preview(kind, form),
                           previewed=previewing)


def _preview(kind: str, form) -> tuple[str, str | None] | None:
    """The victim's message for the decision as the form stands (stand-ins for what is not given yet), or None."""
    def given(name: str):
        field = getattr(form, name, None)
        return field.data if field is not None and not field.errors else None

    officer = None
    if given("officer"):
        try:
            officer = _officer(given("officer"))
        except DomainError:
            officer = None
    visit_at = None
    if given("visit_date") and given("visit_time") and re.match(TIME_PATTERN, given("visit_time")):
        visit_at = london_datetime(given("visit_date"), given("visit_time"))
    try:
        event = services.decision_event(kind, services.DecisionInputs(
            reason_code=given("reason_code"), officer=officer, visit_at=visit_at, agency_code=given("agency"),
            body=given("body")))
    except DomainError:  # words too long to word: the form already says so
        return None
    return as_read(event.title, event.body, event.values) if event is not None else None


def _apply_decision(kind: str, form, report, version: int) -> None:
    """Call the service for a decision."""
    body = getattr(form, "body", None)
    body = body.data if body is not None else None
    if kind == "nfi":
        services.decide_no_further_investigation(current_user, report, version, form.reason_code.data, body)
    elif kind == "allocate":
        services.allocate_for_investigation(current_user, report, version, _officer(form.officer.data), body)
    elif kind == "attendance":
        visit_at = london_datetime(form.visit_date.data, form.visit_time.data)
        services.arrange_attendance(current_user, report, version, visit_at, body)
    elif kind == "call":
        services.request_call(current_user, report, version, body)
    elif kind == "escalate":
        services.escalate(current_user, report, version, body)
    elif kind == "refer":
        services.refer_elsewhere(current_user, report, version, form.agency.data, body)
    elif kind == "information":
        services.record_information_only(current_user, report, version, body)
    elif kind == "duplicate":
        services.link_duplicate(current_user, report, version, form.original.data.strip().upper())


def _field_error(form, error: DomainError) -> None:
    """Show a service's refusal on the right field (or on the first one)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        field = next(f for f in form if f.name not in ("csrf_token", "version"))
    field.errors = [*field.errors, error.message]


@bp.route("/cases/<crime_number>/update", methods=["GET", "POST"])
@role_required(*STAFF)
def update(crime_number: str):
    """Post a key event in the investigation, or a progress update in the officer's own words."""
    report = _report_or_404(crime_number)
    form = _versioned(forms.UpdateForm, report)
    form.status.choices = forms.update_form_choices(allowed_next(report.status))
    if report.status in AWAITING_TRIAGE or not form.status.choices:
        abort(404)

    def apply(version: int) -> None:
        if form.is_progress:
            services.post_update(current_user, report, version, None, form.body.data, None, form.victim.data,
                                 form.witness.data)
            return
        status = services.CaseStatus(form.status.data)
        hearing_at = (london_datetime(form.hearing_date.data, form.hearing_time.data)
                      if status == services.CaseStatus.COURT_HEARING_SCHEDULED else None)
        services.post_update(
            current_user, report, version, status, form.body.data,
            london_datetime(form.happened_date.data, form.happened_time.data), form.victim.data,
            form.witness.data, form.hearing_place.data if hearing_at else None, hearing_at)

    return _change_page(report, form, "triage/update.html", _("Update posted."), apply,
                        hearing=services.CaseStatus.COURT_HEARING_SCHEDULED.value, progress=forms.PROGRESS)


@bp.route("/cases/<crime_number>/enhanced-rights", methods=["GET", "POST"])
@role_required(*STAFF)
def enhanced_rights(crime_number: str):
    """Record whether the victim is entitled to enhanced rights."""
    report = _report_or_404(crime_number)
    form = _versioned(forms.EnhancedRightsForm, report)
    return _change_page(report, form, "triage/enhanced_rights.html", _("Enhanced rights saved."),
                        lambda version: services.set_enhanced_rights(
                            current_user, report, version, form.entitled.data == "yes", form.reason.data))


@bp.route("/cases/<crime_number>/correction", methods=["GET", "POST"])
@role_required(*STAFF)
def correction(crime_number: str):
    """Record a correction to what the victim told us, as a new event."""
    report = _report_or_404(crime_number)
    form = _versioned(forms.CorrectionForm, report)
    return _change_page(report, form, "triage/correction.html", _("Correction recorded."),
                        lambda version: services.add_correction(current_user, report, version, form.correction.data,
                                                                form.reason.data))


@bp.route("/cases/<crime_number>/evidence/<int:evidence_id>")
@role_required(*STAFF)
def evidence(crime_number: str, evidence_id: int):
    """A file the victim uploaded. Viewing it is audited."""
    report = _report_or_404(crime_number)
    item = next((e for e in report.evidence if e.id == evidence_id), None)
    if item is None:
        abort(404)
    record_read(current_user.id, "evidence.viewed", "report", report.crime_number, item.original_name)
    return send_file(evidence_path(item.storage_key), mimetype=item.content_type, download_name=item.original_name,
                     as_attachment=item.content_type == "application/pdf")


@bp.route("/performance")
@role_required(Role.SUPERVISOR)
def performance():
    """Victims' Code and service-standard compliance, and open SLA alerts."""
    return render_template("triage/performance.html", rates=queries.compliance_rates(),
                           alerts=queries.open_alerts())

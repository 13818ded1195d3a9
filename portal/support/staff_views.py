"""Police staff suggest a referral from the staff case page, with the victim's consent given online or verbally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for
from portal.clock import london_datetime
from portal.domain import DomainError
from portal.forms import options
from portal.support import directory, matching, referrals
from portal.support.assessments import LEVEL_WORDS, latest_assessment
from portal.support.enums import ReferralStatus
from portal.support.referral_states import OPEN_STATUSES
from portal.support.staff_forms import (
    OTHER_SERVICE,
    SuggestReferralForm,
    VerbalConsentForm,
    level_problem,
)

if TYPE_CHECKING:  # models only in annotations: views never import them at run time
    from portal.cases.models import Report
    from portal.support.models import NeedsAssessment, Referral, SupportService


bp = Blueprint("support_staff", __name__, url_prefix="/staff/cases")
STAFF = (Role.OFFICER, Role.SUPERVISOR)
# Enough for the whole directory in one select; the directory lists a few hundred services at most.
ALL_SERVICES = 1000
SUGGESTIONS = 5
PEER_SUGGESTIONS = 3

def _case(crime_number: str) -> Report:
    return case_for(current_user, crime_number, Relation.POLICE)[0]


def _need(report: Report, assessment: NeedsAssessment | None, level: str) -> matching.Need:
    language = assessment.language if assessment else None
    return matching.Need(level=level, category=report.category.code if report.category else None,
                         borough=report.borough, language=language, bsl=bool(assessment and assessment.bsl),
                         step_free=bool(assessment and assessment.step_free),
                         online_only=bool(assessment and assessment.online_only))


def _suggestions(report: Report, assessment: NeedsAssessment | None) -> list[matching.Match]:
    """The best-fitting services for the level the victim chose (or was recommended), and peer groups if they
    want one."""
    level = (assessment.chosen_level or assessment.recommended_level) if assessment else None
    level = level if level in ("contact", "specialist") else "contact"  # information alone needs no referral
    # A service the case already has an open or suggested referral to would only be refused.
    taken = {r.service_id for r in referrals.referrals_for_case(report.id)
             if r.status in OPEN_STATUSES or r.status == ReferralStatus.PROPOSED}

    def best(need: matching.Need, limit: int) -> list[matching.Match]:
        candidates = [c for c in directory.candidates_for(need) if c.id not in taken]
        return matching.best_matches(need, candidates, limit=limit)

    found = best(_need(report, assessment, level), SUGGESTIONS)
    if assessment and (assessment.wants_peer or (assessment.chosen_level is None and assessment.recommended_peer)):
        found += best(_need(report, assessment, "peer"), PEER_SUGGESTIONS)
    return found


def _fill_choices(form: SuggestReferralForm, suggestions: list[matching.Match]) -> None:
    form.service.choices = options(
        [(str(m.candidate.id), f"{m.candidate.name} ({m.candidate.organisation})") for m in suggestions]
        + [(OTHER_SERVICE, _("Another service from the directory"))])
    listed = directory.search(directory.Filters(), per_page=ALL_SERVICES).services
    form.other_service.choices = options(
        [("", _("Select a service"))] + [(str(s.id), f"{s.name} ({s.organisation.name})") for s in listed])


def _show_error(form, error: DomainError) -> None:
    """Put a service's refusal on its field (the list the service came from), or on the first field."""
    name = error.field
    if name == "service" and getattr(form, "service", None) is not None and form.service.data == OTHER_SERVICE:
        name = "other_service"
    field = getattr(form, name, None) if name and name != "csrf_token" else None
    if field is None:
        field = next(f for f in form if f.name != "csrf_token")
    field.errors = [*field.errors, error.message]


def _given_at(form):
    return london_datetime(form.given_at.data, form.given_time.data)


def _chosen_service(form: SuggestReferralForm) -> SupportService | None:
    """The listed service the officer picked, with an error on the form if it is not listed or the level does
    not fit it. Checked with the rest of the form, so every problem shows at once."""
    if form.service.errors or form.other_service.errors:
        return None
    service = directory.listed_service(form.chosen_service_id() or 0)
    if service is None:
        _show_error(form, DomainError(_("Select a service from the list"), field="service"))
        return None
    problem = level_problem(service, form.level.data) if form.level.data and not form.level.errors else None
    if problem:
        form.level.errors = [*form.level.errors, str(problem)]
        return None
    return service


def _suggest(form: SuggestReferralForm, report: Report, service: SupportService) -> Referral:
    """Call the referral service for the officer's choices."""
    if form.consent.data == "verbal":
        return referrals.propose_and_record_consent(current_user, report, service, form.level.data,
                                                    form.given_by.data, _given_at(form), form.scopes.data)
    return referrals.propose_referral(current_user, report, service, form.level.data)


@bp.route("/<crime_number>/referrals/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_referral(crime_number: str):
    """Suggest a referral: a service (suggested, or any listed one), the kind of support and how consent is
    given."""
    report = _case(crime_number)
    assessment = latest_assessment(report.id)
    form = SuggestReferralForm()
    suggestions = _suggestions(report, assessment)
    _fill_choices(form, suggestions)
    valid = form.validate_on_submit()
    service = _chosen_service(form) if form.is_submitted() else None
    if valid and service is not None:
        try:
            referral = _suggest(form, report, service)
        except DomainError as error:
            _show_error(form, error)
        else:
            if referral.status == ReferralStatus.SENT:
                flash(_("Referral %(reference)s sent to %(organisation)s with the victim’s consent.",
                        reference=referral.reference, organisation=referral.organisation.name), "success")
            else:
                flash(_("Referral %(reference)s suggested. The victim can agree to it or say no on their case "
                        "page. Nothing is shared until they agree.", reference=referral.reference), "success")
            return redirect(url_for("triage.case", crime_number=report.crime_number))
    elif not form.is_submitted():
        if assessment and assessment.chosen_level in ("contact", "specialist"):
            form.level.data = assessment.chosen_level
        if not suggestions:
            form.service.data = OTHER_SERVICE
    return render_template("support/staff_new_referral.html", form=form, report=report, assessment=assessment,
                           suggestions={str(m.candidate.id): m for m in suggestions},
                           language_names=matching.LANGUAGE_NAMES, level_words=LEVEL_WORDS)


@bp.route("/<crime_number>/referrals/<int:referral_id>/consent", methods=["GET", "POST"])
@role_required(*STAFF)
def record_consent(crime_number: str, referral_id: int):
    """Record the victim's verbal consent to a referral an officer suggested; the referral is then sent."""
    report = _case(crime_number)
    referral = next((r for r in referrals.referrals_for_case(report.id) if r.id == referral_id), None)
    if referral is None:
        abort(404)
    if referral.status != ReferralStatus.PROPOSED:
        flash(_("Referral %(reference)s is no longer waiting for consent.", reference=referral.reference),
              "information")
        return redirect(url_for("triage.case", crime_number=report.crime_number))
    form = VerbalConsentForm()
    if form.validate_on_submit():
        try:
            referrals.record_verbal_consent(current_user, referral, form.given_by.data, _given_at(form),
                                            form.scopes.data)
        except DomainError as error:
            _show_error(form, error)
        else:
            flash(_("Consent recorded. Referral %(reference)s sent to %(organisation)s.",
                    reference=referral.reference, organisation=referral.organisation.name), "success")
            return redirect(url_for("triage.case", crime_number=report.crime_number))
    return render_template("support/staff_consent.html", form=form, report=report, referral=referral,
                           level_words=LEVEL_WORDS)

"""Support pages for victims and witnesses: needs assessment, support levels, the directory, consent and referral
tracking. A witness's support is their own (by their link to the case): neither they nor the victim see the other's."""

import re
from collections import defaultdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from portal.auth.access import public, role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for, own_case, witness_link_for
from portal.cases.queries import cases_as_witness, cases_for
from portal.domain import DomainError
from portal.forms import PortalForm, options
from portal.i18n import uk_date
from portal.reporting.services import get_category, list_categories
from portal.support import assessments, directory, referral_text, referrals, schedules, waits
from portal.support.enums import Delivery, ReferralStatus, ServiceKind
from portal.support.forms import (
    LEVEL_HINTS,
    SCOPE_HINTS,
    AssessmentForm,
    ChooseForm,
    ConsentForm,
    DirectoryForm,
    ProposalForm,
)
from portal.support.matching import LANGUAGE_NAMES, Need, best_matches
from portal.support.recommendation import Impact, NeedsAnswers
from portal.support.referral_states import OPEN_STATUSES
from portal.support.referral_text import SCOPE_WORDS

bp = Blueprint("support", __name__, url_prefix="/support")

# A crime category code that may name a guide template.
GUIDE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DELIVERY_WORDS = {Delivery.IN_PERSON: "In person", Delivery.ONLINE: "Online", Delivery.BOTH: "In person or online"}


# Words shown on the support pages ---------------------------------------------------------------------------


def wait_words(service) -> str:
    """How soon the organisation usually makes first contact: measured from its recent referrals, or, with too few
    of them, the organisation's own estimate, labelled as theirs."""
    wait = waits.wait_for(service)
    if wait.measured:
        return ngettext("Usually first contact within %(num)d working day (from %(count)d referrals in the last 90 "
                        "days)", "Usually first contact within %(num)d working days (from %(count)d referrals in the "
                        "last 90 days)", wait.days, count=wait.referrals)
    return ngettext("The organisation estimates %(num)d working day", "The organisation estimates %(num)d working "
                    "days", wait.days)


def places_words(left: int | None) -> str | None:
    """Places left in a service with a fixed number, or None when there is no limit."""
    if left is None:
        return None
    if left <= 0:
        return _("Full – no places at the moment")
    return ngettext("%(num)d place left", "%(num)d places left", left)


def accreditation_words(organisation) -> str:
    """The accreditation badge."""
    return _("Accredited by %(body)s, assured on %(date)s", body=organisation.accreditation_body,
             date=uk_date(organisation.assured_date))


def languages_words(codes) -> str:
    """Language codes as names."""
    return ", ".join(_(LANGUAGE_NAMES.get(code, code)) for code in codes or ["en"])


def schedule_words(service) -> str:
    """When it meets, in words."""
    return schedules.describe(schedules.of(service))


@bp.context_processor
def support_words() -> dict:
    """The word helpers every support page uses."""
    return {"wait_words": wait_words, "places_words": places_words, "accreditation_words": accreditation_words,
            "languages_words": languages_words, "schedule_words": schedule_words,
            "delivery_words": lambda delivery: _(DELIVERY_WORDS[delivery]), "level_words": assessments.LEVEL_WORDS,
            "scope_words": SCOPE_WORDS}


# The victim's cases -------------------------------------------------------------------------------------------


def _case(crime_number: str):
    """The signed-in victim's case, or 'not found'."""
    return case_for(current_user, crime_number, Relation.VICTIM)[0]


def _person_case(crime_number: str):
    """The signed-in person's case and, for a witness, their link to it (None for the victim); 'not found' for
    anyone else."""
    return own_case(current_user, crime_number)


def _link_id(link) -> int | None:
    return link.id if link is not None else None


def _to_case(report):
    """Back to the victim's own support on the case, where their referrals and suggestions are listed."""
    return redirect(url_for("tracking.support", crime_number=report.crime_number))


@bp.route("/")
@role_required(Role.VICTIM, Role.WITNESS)
def index():
    """Get support: the person's cases as victim and as witness, each with a way to start or change their support,
    and the directory and guides."""
    cases = cases_for(current_user)
    latest = {report.id: assessments.latest_assessment(report.id) for report in cases}
    witness_cases = []
    for report in cases_as_witness(current_user):
        link = witness_link_for(current_user, report)
        if link is not None:
            witness_cases.append((report, assessments.latest_assessment(report.id, link.id)))
    return render_template("support/index.html", cases=cases, latest=latest, witness_cases=witness_cases)


def _previous_answers(assessment) -> dict:
    """The last answers, to start from when someone takes the assessment again."""
    if assessment is None:
        return {}
    answers = assessment.answers or {}

    def yes_or_nothing(key):
        return "yes" if answers.get(key) else None

    communication = [need for need in ("interpreter", "bsl", "easy_read") if getattr(assessment, need)]
    return {"daily_life": str(answers.get("daily_life", "")), "feelings": str(answers.get("feelings", "")),
            "feels_safe": "yes" if answers.get("feels_safe", True) else "no",
            "practical_needs": list(answers.get("practical_needs") or []),
            "mental_health_worry": yes_or_nothing("mental_health_worry"),
            "wants_to_talk": yes_or_nothing("wants_to_talk"), "happened_before": yes_or_nothing("happened_before"),
            "interested_in_peer_support": yes_or_nothing("interested_in_peer_support"),
            "language": assessment.language or "en", "communication": communication,
            "access": [need for need in ("step_free", "online_only") if getattr(assessment, need)],
            "contact_method": assessment.contact_method, "contact_time": assessment.contact_time or ""}


@bp.route("/<crime_number>/assessment", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def assessment(crime_number: str):
    """A few questions about how the crime is affecting the person, and how to communicate with them."""
    report, link = _person_case(crime_number)
    if request.method == "GET":
        form = AssessmentForm(**_previous_answers(assessments.latest_assessment(report.id, _link_id(link))))
    else:
        form = AssessmentForm()
    if form.validate_on_submit():
        answers = NeedsAnswers(
            daily_life=Impact(int(form.daily_life.data)), feelings=Impact(int(form.feelings.data)),
            feels_safe=form.feels_safe.data == "yes", practical_needs=frozenset(form.practical_needs.data or ()),
            mental_health_worry=form.mental_health_worry.data == "yes",
            happened_before=form.happened_before.data == "yes", wants_to_talk=form.wants_to_talk.data == "yes",
            interested_in_peer_support=form.interested_in_peer_support.data == "yes")
        communication = set(form.communication.data or ())
        try:
            assessments.save_assessment(
                current_user, report, answers, language=form.language.data,
                interpreter="interpreter" in communication, bsl="bsl" in communication,
                easy_read="easy_read" in communication, step_free="step_free" in (form.access.data or ()),
                online_only="online_only" in (form.access.data or ()), contact_method=form.contact_method.data or None,
                contact_time=form.contact_time.data, witness_link=link)
        except DomainError as error:
            getattr(form, error.field or "daily_life", form.daily_life).errors.append(error.message)
        else:
            return redirect(url_for("support.choose", crime_number=report.crime_number))
    return render_template("support/assessment.html", form=form, report=report, as_witness=link is not None)


def _level_items(recommended: str) -> list[dict]:
    """Each level's hint, with the recommended one marked."""
    items = []
    for level in assessments.CHOOSABLE_LEVELS:
        item = {"hint": {"text": str(LEVEL_HINTS[level])}}
        if level == recommended:
            item["html"] = (escape(_(assessments.LEVEL_WORDS[level])) + Markup(
                ' <strong class="govuk-tag govuk-tag--green">') + escape(_("Recommended for you"))
                + Markup("</strong>"))
        items.append(item)
    return items


@bp.route("/<crime_number>/choose", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def choose(crime_number: str):
    """The recommended level with its reasons; the person chooses, and can come back to change it."""
    report, link = _person_case(crime_number)
    latest = assessments.latest_assessment(report.id, _link_id(link))
    if latest is None:
        return redirect(url_for("support.assessment", crime_number=report.crime_number))
    if request.method == "GET" and latest.chosen_level:
        form = ChooseForm(level=latest.chosen_level, peer=latest.wants_peer, one_to_one=latest.wants_peer_one_to_one,
                          talk_times=latest.peer_times or [])
    else:
        form = ChooseForm()
    if form.validate_on_submit():
        try:
            chosen = assessments.choose_level(current_user, latest, form.level.data, form.peer.data,
                                              form.one_to_one.data and link is None, form.talk_times.data)
        except DomainError as error:
            form.show_error(error.message, error.field or "level")
        else:
            flash(_("We have saved your choice. You can change it at any time from ‘Get support’.") if link
                  else _("We have saved your choice. You can change it at any time from your case page."), "success")
            if chosen.chosen_level == "information" and not chosen.wants_peer and not chosen.wants_peer_one_to_one:
                return redirect(url_for("support.guide", category_code=report.category.code)
                                if report.category.active else url_for("support.guides"))
            return redirect(url_for("support.services", crime_number=report.crime_number))
    return render_template("support/choose.html", form=form, report=report, assessment=latest,
                           level_items=_level_items(latest.recommended_level), as_witness=link is not None)


def _matches(report, latest, level: str) -> list:
    """The best-fitting listed services for one level, each with its service record."""
    language = latest.language if latest.language and latest.language != "en" else None
    need = Need(level=level, category=report.category.code, borough=report.borough, language=language,
                bsl=latest.bsl, step_free=latest.step_free, online_only=latest.online_only)
    return [(match, referrals.service_by_id(match.candidate.id))
            for match in best_matches(need, directory.candidates_for(need))]


def _open_service_ids(report, link=None) -> set[int]:
    """Services this person already has a live referral or suggestion with on the case."""
    live = OPEN_STATUSES | {ReferralStatus.PROPOSED}
    return {r.service_id for r in referrals.referrals_for_case(report.id, _link_id(link)) if r.status in live}


@bp.route("/<crime_number>/services")
@role_required(Role.VICTIM, Role.WITNESS)
def services(crime_number: str):
    """The services and groups that best fit the case and the person's needs, and why."""
    report, link = _person_case(crime_number)
    latest = assessments.latest_assessment(report.id, _link_id(link))
    if latest is None:
        return redirect(url_for("support.assessment", crime_number=report.crime_number))
    if latest.chosen_level is None:
        return redirect(url_for("support.choose", crime_number=report.crime_number))
    service_matches = _matches(report, latest, latest.chosen_level) if latest.chosen_level != "information" else None
    group_matches = _matches(report, latest, "peer") if latest.wants_peer else None
    one_to_one_matches = (_matches(report, latest, "peer_one_to_one")
                          if latest.wants_peer_one_to_one and link is None else None)
    return render_template("support/services.html", report=report, assessment=latest,
                           service_matches=service_matches, group_matches=group_matches,
                           one_to_one_matches=one_to_one_matches,
                           already=_open_service_ids(report, link), as_witness=link is not None,
                           referrals=referrals.referrals_for_case(report.id, link.id) if link else [],
                           referral_words={"words_for": referral_text.words_for,
                                           "decline_words": referral_text.DECLINE_REASONS_FOR_VICTIM,
                                           "close_words": referral_text.CLOSE_OUTCOMES_FOR_VICTIM})


def _listed_or_404(service_id: int):
    service = directory.listed_service(service_id)
    if service is None:
        abort(404)
    return service


def _referral_level(service, latest) -> str:
    """A group is peer support; a service gets the level the victim chose, if it offers it."""
    if service.kind in (ServiceKind.PEER_GROUP, ServiceKind.PEER_ONE_TO_ONE):
        return "peer"
    if service.kind == ServiceKind.RESTORATIVE_JUSTICE:
        return "restorative"
    chosen = latest.chosen_level if latest else None
    if chosen in (service.levels or []):
        return chosen
    offered = [level for level in ("contact", "specialist") if level in (service.levels or [])]
    return offered[0] if offered else "contact"


def _full_message(service) -> str:
    if service.kind == ServiceKind.PEER_GROUP:
        return _("This group is full – there are no places at the moment. Choose another group.")
    return _("This service is full – it cannot take anyone new at the moment. Choose another service.")


@bp.route("/<crime_number>/refer/<int:service_id>", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def refer(crime_number: str, service_id: int):
    """Consent: which organisation, and which parts of the case to share. Sending it makes the referral. A witness
    can share the kind of crime and its dates, and their own contact details only."""
    report, link = _person_case(crime_number)
    service = _listed_or_404(service_id)
    form = ConsentForm()
    if link is not None:
        form.scopes.choices = [choice for choice in form.scopes.choices
                               if choice.value in referrals.WITNESS_SCOPES]
    service_error = _full_message(service) if referrals.is_full(service) else None
    if service_error is None and form.validate_on_submit():
        organisation = service.organisation.name
        try:
            referrals.refer_with_consent(current_user, report, service, _referral_level(
                service, assessments.latest_assessment(report.id, _link_id(link))), form.scopes.data,
                witness_link=link)
        except DomainError as error:
            if error.field == "scopes":
                form.scopes.errors.append(error.message)
            else:
                service_error = error.message
        else:
            flash(_("We have sent your referral to %(organisation)s. You can follow it here.",
                    organisation=organisation), "success")
            if link is not None:  # a witness follows their own referrals on their support page, not the case's
                return redirect(url_for("support.services", crime_number=report.crime_number))
            return _to_case(report)
    return render_template("support/refer.html", form=form, report=report, service=service,
                           service_error=service_error, scope_items=_scope_items(link is not None),
                           as_witness=link is not None)


def _scope_items(as_witness: bool = False) -> list[dict]:
    """A hint under each part of the case that can be shared (for a witness, the parts a witness may share)."""
    return [{"hint": {"text": str(SCOPE_HINTS[scope])}} for scope in SCOPE_WORDS
            if not as_witness or scope in referrals.WITNESS_SCOPES]


def _suggestion_or_404(report, referral_id: int):
    referral = next((r for r in referrals.referrals_for_case(report.id) if r.id == referral_id), None)
    if referral is None:
        abort(404)
    return referral


@bp.route("/<crime_number>/suggestions/<int:referral_id>", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def suggestion(crime_number: str, referral_id: int):
    """A referral an officer suggested: agree, choosing what to share, or say no."""
    report = _case(crime_number)
    referral = _suggestion_or_404(report, referral_id)
    if referral.status != ReferralStatus.PROPOSED:
        flash(_("You have already answered this suggestion."), "information")
        return _to_case(report)
    form = ProposalForm()
    if form.validate_on_submit():
        organisation = referral.organisation.name
        try:
            if form.decision.data == "yes":
                referrals.consent_to_proposal(current_user, referral, form.scopes.data)
                message = _("We have sent your referral to %(organisation)s. You can follow it here.",
                            organisation=organisation)
            else:
                referrals.turn_down_proposal(current_user, referral)
                message = _("You said no. Nothing was shared with %(organisation)s.", organisation=organisation)
        except DomainError as error:
            (form.scopes if error.field == "scopes" else form.decision).errors.append(error.message)
        else:
            flash(message, "success")
            return _to_case(report)
    return render_template("support/suggestion.html", form=form, report=report, referral=referral,
                           scope_items=_scope_items())


@bp.route("/<crime_number>/consents")
@role_required(Role.VICTIM, Role.WITNESS)
def consents(crime_number: str):
    """Every consent the person gave on the case, with a way to withdraw each active one."""
    report, link = _person_case(crime_number)
    services_by_consent = defaultdict(list)
    for referral in referrals.referrals_for_case(report.id, _link_id(link)):
        if referral.consent_id:
            services_by_consent[referral.consent_id].append(referral.service.name)
    return render_template("support/consents.html", report=report, as_witness=link is not None,
                           consents=referrals.consents_for_case(report.id, _link_id(link)),
                           services_by_consent=services_by_consent)


@bp.route("/<crime_number>/consents/<int:consent_id>/withdraw", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def withdraw(crime_number: str, consent_id: int):
    """Check, then withdraw one consent. The organisation loses access at once."""
    report, link = _person_case(crime_number)
    consent = next((c for c in referrals.consents_for_case(report.id, _link_id(link)) if c.id == consent_id), None)
    if consent is None:
        abort(404)
    back = redirect(url_for("support.consents", crime_number=report.crime_number))
    if not consent.is_active:
        flash(_("You have already withdrawn this consent."), "information")
        return back
    form = PortalForm()
    if form.validate_on_submit():
        organisation = consent.organisation.name
        try:
            referrals.withdraw_consent(current_user, consent)
        except DomainError as error:
            flash(error.message, "information")
        else:
            flash(_("You have withdrawn your consent. %(organisation)s can no longer see any of your details.",
                    organisation=organisation), "success")
        return back
    return render_template("support/withdraw.html", form=form, report=report, consent=consent)


@bp.route("/<crime_number>/consents/<int:consent_id>/progress", methods=["POST"])
@role_required(Role.VICTIM)
def progress_sharing(crime_number: str, consent_id: int):
    """Start or stop sharing how the case is going with an organisation the victim consented to."""
    report = _case(crime_number)
    consent = next((c for c in referrals.consents_for_case(report.id) if c.id == consent_id), None)
    if consent is None:
        abort(404)
    form = PortalForm()
    share = request.form.get("share") == "yes"
    if form.validate_on_submit():
        organisation = consent.organisation.name
        try:
            referrals.set_progress_sharing(current_user, consent, share)
        except DomainError as error:
            flash(error.message, "information")
        else:
            flash(_("%(organisation)s can now see how your case is going.", organisation=organisation) if share
                  else _("%(organisation)s can no longer see how your case is going.", organisation=organisation),
                  "success")
    return redirect(url_for("support.consents", crime_number=report.crime_number))


# The directory and guides (open to everyone) ------------------------------------------------------------------


def _valid(field):
    """A filter's value, or None when it is empty or wrong."""
    return field.data if field.data and not field.errors else None


def _page_links(page, kept: dict) -> list[dict]:
    """GOV.UK pagination items: the first, last and nearby pages, with gaps shown as ellipses."""
    shown = sorted({1, page.pages, page.page - 1, page.page, page.page + 1} & set(range(1, page.pages + 1)))
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "current": number == page.page,
                      "href": url_for("support.directory_search", **kept, page=number)})
        previous = number
    return items


@bp.route("/directory")
@public
def directory_search():
    """Accredited services and peer-support groups, searched and filtered."""
    categories = list_categories()
    form = DirectoryForm(formdata=request.args if request.args else None)
    form.category.choices = options([("", _("Any type of crime"))] + [(c.code, c.title) for c in categories])
    if request.args:
        form.validate()
    age = _valid(form.age)
    filters = directory.Filters(category=_valid(form.category), borough=_valid(form.borough),
                                language=_valid(form.language), delivery=_valid(form.delivery),
                                day=_valid(form.day), age=int(age) if age else None, kind=_valid(form.kind))
    page = directory.search(filters, request.args.get("page", 1, type=int))
    # Only known filters go into the paging links, so nothing else in the address reaches url_for.
    kept = {name: _valid(form[name]) for name in ("category", "borough", "language", "delivery", "day", "age",
                                                  "kind") if _valid(form[name])}
    return render_template("support/directory.html", form=form, page=page, kept=kept,
                           places={s.id: directory.places_left(s, page.taken) for s in page.services},
                           page_links=_page_links(page, kept))


@bp.route("/directory/<int:service_id>")
@public
def directory_service(service_id: int):
    """One listed service or group."""
    service = _listed_or_404(service_id)
    return render_template("support/service.html", service=service,
                           places=directory.places_left(service, referrals.places_taken([service.id])),
                           category_names={c.code: c.title for c in list_categories()})


@bp.route("/guides")
@public
def guides():
    """Self-help guides, one for each kind of crime."""
    return render_template("support/guides_index.html", categories=list_categories())


@bp.route("/guides/<category_code>")
@public
def guide(category_code: str):
    """What to do next after this kind of crime. The words live in templates/support/guides/."""
    category = get_category(category_code) if GUIDE_CODE.match(category_code or "") else None
    if category is None:
        abort(404)
    return render_template([f"support/guides/{category.code}.html", "support/guides/general.html"],
                           category=category)

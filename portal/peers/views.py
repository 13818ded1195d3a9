"""Becoming a peer supporter: after their 12-week check-in, a victim or witness whose support has finished offers to
help others, agrees to share the offer with the organisations that run peer support in their area, sees each
decision and can withdraw the offer at any time. Nothing is stored or shared before they agree. A witness comes from
their own support page, and the same pages serve them (see queries.why_not_eligible for when a witness can)."""

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import own_case
from portal.clock import today_in_london
from portal.domain import DomainError
from portal.forms import options
from portal.peers import queries, services, words
from portal.peers.forms import AVAILABILITY_WORDS, DELIVERY_CHOICES, ConsentForm, OfferForm, WithdrawForm
from portal.support.matching import LANGUAGE_NAMES

bp = Blueprint("peers", __name__, url_prefix="/cases")

FIELDS = ("categories", "languages", "availability", "delivery", "first_name", "shared_contact")


def _case(crime_number: str):
    """The signed-in person's case and, for a witness, their link to it (None for the victim); 'not found' for
    anyone else."""
    return own_case(current_user, crime_number)


def _link_id(link) -> int | None:
    return link.id if link is not None else None


def _support_url(report, link) -> str:
    """The person's own support page: the victim's on their case, a witness's 'get support' for the case."""
    if link is not None:
        return url_for("support.services", crime_number=report.crime_number)
    return url_for("tracking.support", crime_number=report.crime_number)


def _draft_key(report) -> str:
    return f"peer_offer_draft:{report.id}"


def _categories() -> list[tuple[str, str]]:
    return [(category.code, category.title) for category in queries.offer_categories()]


def _answers(values: dict) -> services.OfferAnswers:
    return services.OfferAnswers(
        categories=tuple(values.get("categories") or ()), languages=tuple(values.get("languages") or ()),
        availability=tuple(values.get("availability") or ()), delivery=values.get("delivery"),
        first_name=values.get("first_name"), shared_contact=values.get("shared_contact"))


def _to_offer(report):
    return redirect(url_for("peers.your_offer", crime_number=report.crime_number))


def _describe(offer_values: dict, category_names: dict) -> dict:
    """An offer's answers in words, for the person's own pages."""
    delivery = dict(DELIVERY_CHOICES).get(str(offer_values["delivery"]), "")
    return {
        "categories": ", ".join(category_names.get(code, code) for code in offer_values["categories"]),
        "languages": ", ".join(_(LANGUAGE_NAMES.get(code, code)) for code in offer_values["languages"]),
        "availability": ", ".join(str(AVAILABILITY_WORDS[a]) for a in offer_values["availability"]
                                  if a in AVAILABILITY_WORDS),
        "delivery": str(delivery), "first_name": offer_values["first_name"],
        "shared_contact": offer_values.get("shared_contact") or _("None"),
    }


@bp.route("/<crime_number>/peer-support")
@role_required(Role.VICTIM, Role.WITNESS)
def your_offer(crime_number: str):
    """The person's offer to help others: where it went and each organisation's decision in plain words, with a
    way to withdraw it; or, before they offer, what it means and whether they can yet."""
    report, link = _case(crime_number)
    offer = queries.live_offer(current_user.id)
    described = None
    if offer is not None:
        described = _describe({name: getattr(offer, name) for name in FIELDS}, dict(_categories()))
    return render_template("peers/your_offer.html", report=report, offer=offer, described=described,
                           why_not=queries.why_not_eligible(report, _link_id(link)),
                           decision_words=words.decision_for_person, form=WithdrawForm(),
                           support_url=_support_url(report, link))


@bp.route("/<crime_number>/peer-support/offer", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def offer(crime_number: str):
    """What they went through, languages, times, online or in person, and the first name others will see. Kept
    in their session until they agree to share it."""
    report, link = _case(crime_number)
    if queries.live_offer(current_user.id) is not None or queries.why_not_eligible(report, _link_id(link)) is not None:
        return _to_offer(report)
    draft = session.get(_draft_key(report))
    form = OfferForm(data=draft) if draft else OfferForm()
    form.categories.choices = options(_categories())
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in FIELDS}
        try:
            services.check_answers(_answers(values), [code for code, _name in _categories()])
        except DomainError as error:
            form.show_error(error.message, error.field)
        else:
            session[_draft_key(report)] = values
            return redirect(url_for("peers.share", crime_number=report.crime_number))
    return render_template("peers/offer.html", report=report, form=form)


@bp.route("/<crime_number>/peer-support/share", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def share(crime_number: str):
    """The organisations, by name, that would receive the offer, and an explicit choice to agree or not."""
    report, link = _case(crime_number)
    draft = session.get(_draft_key(report))
    if queries.live_offer(current_user.id) is not None or queries.why_not_eligible(report, _link_id(link)) is not None:
        return _to_offer(report)
    if not draft:
        return redirect(url_for("peers.offer", crime_number=report.crime_number))
    organisations = queries.receiving_organisations(report.borough, today_in_london())
    category_names = dict(_categories())
    form = ConsentForm()
    if form.validate_on_submit():
        if form.agree.data == "no":
            session.pop(_draft_key(report), None)
            flash(_("We have not shared your offer. Nothing about it was kept."), "information")
            return _to_offer(report)
        try:
            services.make_offer(current_user, report, _answers(draft), list(category_names), link)
        except DomainError as error:
            form.show_error(error.message, "agree")
        else:
            session.pop(_draft_key(report), None)
            flash(_("Thank you. We have shared your offer with the organisations you agreed to."), "success")
            return _to_offer(report)
    return render_template("peers/share.html", report=report, form=form, organisations=organisations,
                           described=_describe(draft, category_names))


@bp.route("/<crime_number>/peer-support/withdraw", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def withdraw(crime_number: str):
    """Withdraw the offer from every organisation at once."""
    report, _link = _case(crime_number)
    found = queries.live_offer(current_user.id)
    if found is None:
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw_offer(current_user, found.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("You withdrew your offer. No organisation can see it now."), "success")
        return _to_offer(report)
    return render_template("peers/withdraw.html", report=report, offer=found, form=form)

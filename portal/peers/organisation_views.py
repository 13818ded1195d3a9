"""The organisation runs peer support: offers to be a peer supporter sent to it with consent, its own checks
(dates, not documents), its decision (accept, or decline with a reason) and its peer supporters' status. Partner
accounts only, their own organisation only: another organisation's record, or a withdrawn offer, is 'not found'.
Every read of an offer is audited, and the person sees it under who viewed their case. The portal never decides who
is suitable: it carries the information."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit.services import record_read
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.peers import queries, services
from portal.peers.enums import Decision
from portal.peers.forms import AVAILABILITY_WORDS, DELIVERY_CHOICES
from portal.peers.organisation_forms import (
    DECLINE_WORDS,
    LIST_NAMES,
    STATUS_WORDS,
    TAG_COLOURS,
    TAG_NAMES,
    AcceptForm,
    ChecksForm,
    DeclineForm,
    StatusForm,
)
from portal.support.matching import LANGUAGE_NAMES
from portal.support.partner_pages import linked, own_organisation

bp = Blueprint("peer_partners", __name__, url_prefix="/partner")


def _own_or_404(supporter_id: int):
    supporter = queries.supporter_of(current_user.organisation_id, supporter_id)
    if supporter is None:
        abort(404)
    return supporter


@bp.context_processor
def peer_words() -> dict:
    """What the organisation's peer pages show of an offer, in words."""
    return {"tag_names": TAG_NAMES, "tag_colours": TAG_COLOURS, "status_words": STATUS_WORDS,
            "decline_words": DECLINE_WORDS}


@bp.route("/peer-offers")
@role_required(Role.PARTNER)
@linked
def offers():
    """Offers to be a peer supporter: new, accepted or declined, one list at a time."""
    view = request.args.get("view", "new")
    if view not in queries.LISTS:
        view = "new"
    organisation_id = current_user.organisation_id
    counts = queries.offer_counts(organisation_id)
    return render_template("peers/partner_offers.html", organisation=own_organisation(), view=view, counts=counts,
                           offers=queries.offers(organisation_id, Decision(view)), list_names=LIST_NAMES,
                           lists=queries.LISTS)


@bp.route("/peer-supporters")
@role_required(Role.PARTNER)
@linked
def supporters():
    """The organisation's peer supporters and their status."""
    return render_template("peers/partner_supporters.html", organisation=own_organisation(),
                           supporters=queries.supporters(current_user.organisation_id))


def _facts(supporter) -> list[dict]:
    """What the organisation sees of the person: the words they chose, never their case."""
    offer = supporter.offer
    category_names = {category.code: category.name for category in queries.offer_categories()}
    delivery = dict(DELIVERY_CHOICES).get(str(offer.delivery.value), "")
    rows = [
        (_("First name they chose"), offer.first_name),
        (_("What they went through"), ", ".join(category_names.get(code, code) for code in offer.categories)),
        (_("Languages"), ", ".join(_(LANGUAGE_NAMES.get(code, code)) for code in offer.languages)),
        (_("When they can usually help"), ", ".join(str(AVAILABILITY_WORDS[a]) for a in offer.availability
                                                    if a in AVAILABILITY_WORDS)),
        (_("Online or in person"), str(delivery)),
        (_("Contact details they chose to share"), offer.shared_contact or _("None: they chose to share none")),
    ]
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def _show(supporter, **forms):
    checks = forms.get("checks") or ChecksForm(data={
        "training_completed_on": supporter.training_completed_on,
        "references_received_on": supporter.references_received_on,
        "safeguarding_checked_on": supporter.safeguarding_checked_on})
    status = forms.get("status") or StatusForm(data={"status": supporter.status.value if supporter.status else None})
    form = forms.get("checks") or forms.get("status") or forms.get("accept")
    page = render_template("peers/partner_offer.html", organisation=own_organisation(), supporter=supporter,
                           facts=_facts(supporter), checks=checks, status_form=status,
                           accept_form=forms.get("accept") or AcceptForm(), form=form)
    record_read(current_user.id, "peer_offer.viewed", "peer_supporter", str(supporter.id))
    return page


def _to_page(supporter):
    return redirect(url_for("peer_partners.offer", supporter_id=supporter.id))


@bp.route("/peer-offers/<int:supporter_id>")
@role_required(Role.PARTNER)
@linked
def offer(supporter_id: int):
    """One offer: the first name, categories, languages, times and delivery the person chose, the checks, the
    decision and, once accepted, the status."""
    return _show(_own_or_404(supporter_id))


@bp.route("/peer-offers/<int:supporter_id>/checks", methods=["POST"])
@role_required(Role.PARTNER)
@linked
def checks(supporter_id: int):
    """Record the organisation's checks, with dates."""
    supporter = _own_or_404(supporter_id)
    form = ChecksForm()
    if form.saved_with(lambda details: services.record_checks(current_user, supporter.id, **details),
                       lambda: {"training_completed_on": form.training_completed_on.data,
                                "references_received_on": form.references_received_on.data,
                                "safeguarding_checked_on": form.safeguarding_checked_on.data}):
        flash(_("Checks saved."), "success")
        return _to_page(supporter)
    return _show(_own_or_404(supporter_id), checks=form)


@bp.route("/peer-offers/<int:supporter_id>/accept", methods=["POST"])
@role_required(Role.PARTNER)
@linked
def accept(supporter_id: int):
    """Accept the person as a peer supporter. They are told, in neutral words, that there is news to read."""
    supporter = _own_or_404(supporter_id)
    form = AcceptForm()
    if form.saved_with(lambda _details: services.accept(current_user, supporter.id), lambda: None):
        flash(_("You accepted %(name)s as a peer supporter.", name=supporter.offer.first_name), "success")
        return _to_page(supporter)
    return _show(_own_or_404(supporter_id), accept=form)


@bp.route("/peer-offers/<int:supporter_id>/decline", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def decline(supporter_id: int):
    """Decline the offer with a reason from the list ('another reason' with a few words)."""
    supporter = _own_or_404(supporter_id)
    if supporter.decision != Decision.NEW:
        flash(_("You have already decided on this offer."), "information")
        return _to_page(supporter)
    form = DeclineForm()
    if form.saved_with(lambda details: services.decline(current_user, supporter.id, **details),
                       lambda: {"reason": form.reason.data, "note": form.note.data}):
        flash(_("You declined the offer."), "success")
        return _to_page(supporter)
    return render_template("peers/partner_decline.html", organisation=own_organisation(), supporter=supporter,
                           form=form)


@bp.route("/peer-offers/<int:supporter_id>/status", methods=["POST"])
@role_required(Role.PARTNER)
@linked
def status(supporter_id: int):
    """Change an accepted peer supporter's status: active, paused or left."""
    supporter = _own_or_404(supporter_id)
    form = StatusForm()
    if form.saved_with(lambda details: services.set_status(current_user, supporter.id, details),
                       lambda: form.status.data):
        flash(_("Status saved."), "success")
        return _to_page(supporter)
    return _show(_own_or_404(supporter_id), status=form)

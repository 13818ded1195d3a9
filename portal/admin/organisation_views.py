"""Admin pages for support organisations, their accreditation, and partner accounts."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import organisation_services as services
from portal.admin.organisation_forms import DeactivatePartnerForm, OrganisationForm, PartnerForm
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.domain import DomainError

bp = Blueprint("admin_organisations", __name__, url_prefix="/admin")


@bp.route("/organisations")
@role_required(Role.ADMIN)
def organisations():
    """Every organisation, with whether it is listed."""
    items = services.list_organisations()
    return render_template("admin/organisations.html", organisations=items,
                           statuses={o.id: services.status_of(o) for o in items})


def _details(form: OrganisationForm) -> services.OrganisationDetails:
    return services.OrganisationDetails(
        name=form.name.data, description=form.description.data, email=form.email.data, website=form.website.data,
        phone=form.phone.data, approved=bool(form.approved.data), accreditation_body=form.accreditation_body.data,
        assured_date=form.assured_date.data, accreditation_expires_on=form.accreditation_expires_on.data,
        first_contact_target_days=form.first_contact_target_days.data)


@bp.route("/organisations/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_organisation():
    """Add an organisation."""
    form = OrganisationForm(data={"first_contact_target_days": 2}) if request.method == "GET" else OrganisationForm()
    if form.saved_with(lambda details: services.create_organisation(current_user, details), lambda: _details(form)):
        flash(_("%(name)s has been added.", name=form.name.data), "success")
        return redirect(url_for("admin_organisations.organisations"))
    return render_template("admin/organisations_form.html", form=form, organisation=None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_organisation(organisation_id: int):
    """Change an organisation, approve it or record its accreditation."""
    organisation = services.get_organisation(organisation_id)
    if organisation is None:
        abort(404)
    form = OrganisationForm(obj=organisation) if request.method == "GET" else OrganisationForm()
    if form.saved_with(lambda details: services.update_organisation(current_user, organisation, details),
                       lambda: _details(form)):
        flash(_("Your changes to %(name)s are saved.", name=form.name.data), "success")
        return redirect(url_for("admin_organisations.organisations"))
    return render_template("admin/organisations_form.html", form=form, organisation=organisation)


@bp.route("/partners")
@role_required(Role.ADMIN)
def partners():
    """Partner accounts and the organisation each acts for."""
    return render_template("admin/partners.html", partners=services.list_partners(), form=DeactivatePartnerForm())


@bp.route("/partners/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_partner():
    """Create a partner account linked to an organisation; the person sets a password and an authenticator app."""
    form = PartnerForm()
    form.organisation.choices = [("", _("Select an organisation"))] + [
        (str(o.id), o.name) for o in services.list_organisations()]
    if form.validate_on_submit():
        try:
            services.create_partner_account(current_user, form.email.data, form.display_name.data,
                                            int(form.organisation.data))
        except DomainError as error:
            form.show_error(error.message, error.field)
        else:
            flash(_("Account created. We have emailed a link to set a password."), "success")
            return redirect(url_for("admin_organisations.partners"))
    return render_template("admin/partners_new.html", form=form)


@bp.route("/partners/<int:user_id>/deactivate", methods=["POST"])
@role_required(Role.ADMIN)
def deactivate_partner(user_id: int):
    """Stop a partner account signing in."""
    if not DeactivatePartnerForm().validate_on_submit():
        abort(400)
    try:
        user = services.deactivate_partner(current_user, user_id)
    except DomainError as error:
        flash(error.message, "information")
    else:
        flash(_("%(email)s can no longer sign in.", email=user.email), "success")
    return redirect(url_for("admin_organisations.partners"))

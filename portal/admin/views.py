"""Admin pages."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import services
from portal.admin.forms import ROUTE_LABELS, STAFF_ROLE_CHOICES, CategoryForm, StaffActionForm, StaffForm
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.domain import DomainError

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    """What an administrator can manage."""
    return render_template("admin/index.html")


@bp.route("/categories")
@role_required(Role.ADMIN)
def categories():
    """Crime categories and where each sends people."""
    return render_template("admin/categories.html", categories=services.list_all_categories(),
                           route_labels=dict(ROUTE_LABELS))


@bp.route("/categories/<code>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_category(code: str):
    """Change a category's name, hint, route, order or visibility."""
    category = services.get_category_by_code(code)
    if category is None:
        abort(404)
    form = CategoryForm(obj=category, route=category.route.value)
    if form.validate_on_submit():
        services.update_category(current_user, category, name=form.name.data, hint=form.hint.data,
                                 route=form.route.data, sort_order=form.sort_order.data, active=form.active.data)
        flash(_("Category saved."), "success")
        return redirect(url_for("admin.categories"))
    return render_template("admin/edit_category.html", form=form, category=category)


@bp.route("/staff")
@role_required(Role.ADMIN)
def staff():
    """Staff accounts."""
    return render_template("admin/staff.html", accounts=services.list_staff(), form=StaffActionForm(),
                           role_names=dict(STAFF_ROLE_CHOICES))


@bp.route("/staff/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_staff():
    """Create a staff account; the person sets a password and an authenticator app."""
    form = StaffForm()
    if form.validate_on_submit():
        try:
            services.create_staff_account(current_user, form.email.data, form.display_name.data, form.role.data,
                                          rank=form.rank.data, collar_number=form.collar_number.data)
        except DomainError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            flash(_("Account created. We have emailed a link to set a password."), "success")
            return redirect(url_for("admin.staff"))
    return render_template("admin/new_staff.html", form=form)


@bp.route("/staff/<int:user_id>/sign-out", methods=["POST"])
@role_required(Role.ADMIN)
def sign_out_everywhere(user_id: int):
    """End every session of a staff account at once (a lost phone or laptop), without deactivating it."""
    if not StaffActionForm().validate_on_submit():
        abort(400)
    try:
        user = services.sign_out_staff_everywhere(current_user, user_id)
    except DomainError as error:
        flash(error.message, "information")
    else:
        flash(_("%(email)s is signed out on every device.", email=user.email), "success")
    return redirect(url_for("admin.staff"))


@bp.route("/staff/<int:user_id>/deactivate", methods=["POST"])
@role_required(Role.ADMIN)
def deactivate(user_id: int):
    """Deactivate a staff account."""
    if not StaffActionForm().validate_on_submit():
        abort(400)
    try:
        user = services.deactivate_account(current_user, user_id)
    except DomainError as error:
        flash(error.message, "information")
    else:
        flash(_("%(email)s can no longer sign in.", email=user.email), "success")
    return redirect(url_for("admin.staff"))

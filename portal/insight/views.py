"""The insight dashboard (supervisors and commissioners) and the published summary."""

from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from portal.auth.access import public, role_required
from portal.auth.roles import Role
from portal.clock import today_in_london, utcnow
from portal.i18n import uk_datetime
from portal.insight import figures, queries
from portal.insight.charts import bar_chart
from portal.insight.exports import figure_csv as as_csv
from portal.insight.figures import FigureData, Results
from portal.insight.filters import LONDON, FilterForm, Filters, carried, whole_months_before
from portal.insight.refresh import last_refresh
from portal.tasks.due_times import DUE_TIMES

bp = Blueprint("insight", __name__, url_prefix="/insight")

DASHBOARD_ROLES = (Role.SUPERVISOR, Role.COMMISSIONER)
PUBLIC_PERIOD_MONTHS = 12


@dataclass(frozen=True)
class Shown:
    """A figure on a page: its data, its chart and where to download it."""

    data: FigureData
    chart: Markup
    csv_url: str | None


def figures_as_of() -> str:
    """When the figures were worked out (the last refresh of the rollups), for the page."""
    state = last_refresh()
    if state is None:
        return str(_("The figures have not been worked out yet."))
    return str(_("Figures as of %(time)s (London time).", time=uk_datetime(state.as_of.astimezone(LONDON))))


def figures_worked_out_now() -> str:
    """For a page read live rather than from the rollups."""
    return str(_("Figures as of %(time)s (London time), worked out when you opened this page.",
                 time=uk_datetime(utcnow().astimezone(LONDON))))


def _form() -> tuple[FilterForm, bool]:
    form = FilterForm(queries.categories(), request.args)
    return form, form.validate()


def _shown(figure_ids: list[str], results: Results, downloads: bool = True) -> list[Shown]:
    items = []
    for figure_id in figure_ids:
        data = figures.build(figure_id, results)
        csv_url = url_for("insight.figure_csv", figure_id=figure_id, **carried(request.args)) if downloads else None
        items.append(Shown(data, bar_chart(data, f"chart-{figure_id}"), csv_url))
    return items


def _page(template: str, figure_ids: list[str], as_of: str | None = None, dates_are: tuple[str, str] | None = None,
          breakdown: str | None = None, **context):
    """A dashboard page: the filters, then each figure. ``dates_are`` replaces the date filters' hints (what the
    dates are of), and ``as_of`` the line saying when the figures were worked out."""
    form, valid = _form()
    if dates_are is not None:
        form.date_from.description, form.date_to.description = dates_are
    shown = _shown(figure_ids, Results(form.filters(), breakdown)) if valid else []
    return render_template(template, form=form, figures=shown, valid=valid, links=carried(request.args),
                           figures_as_of=as_of or figures_as_of(), **context)


@bp.route("/")
@role_required(*DASHBOARD_ROLES)
def service():
    """Service levels: the 45-minute and 48-hour targets, Victims' Code promises and support organisations."""
    return _page("insight/service.html", figures.PAGES["service"])


@bp.route("/demand")
@role_required(*DASHBOARD_ROLES)
def demand():
    """Demand: reports by category, borough and week, new demand and reports handled another way."""
    return _page("insight/demand.html", figures.PAGES["demand"])


@bp.route("/experience")
@role_required(*DASHBOARD_ROLES)
def experience():
    """Experience and outcomes: satisfaction and coping change, broken down one way at a time."""
    dimension = request.args.get("by", "borough")
    if dimension not in queries.DIMENSIONS:
        abort(404)
    figure_ids = [*figures.PAGES["experience"], figures.SATISFACTION_BY[dimension].id,
                  figures.COPING_BY[dimension].id]
    if dimension in figures.COMPARISON_BY:
        figure_ids.append(figures.COMPARISON_BY[dimension].id)
    return _page("insight/experience.html", figure_ids, breakdown=dimension, dimension=dimension,
                 dimensions=figures.DIMENSION_NAMES)


@bp.route("/requests")
@role_required(*DASHBOARD_ROLES)
def requests():
    """Requests: what people asked of us, by type; the share finished by the due time and the working days taken
    (read live: a median cannot be added up from the daily rollups)."""
    return _page("insight/requests.html", figures.PAGES["requests"], as_of=figures_worked_out_now(),
                 dates_are=(_("Requests raised in this month or later. For example, 4 2026"),
                            _("Requests raised in this month or earlier. For example, 6 2026")),
                 due_times=DUE_TIMES.values())


@bp.route("/witnesses")
@role_required(*DASHBOARD_ROLES)
def witnesses():
    """Witnesses: the share who said they cannot attend a hearing, the share with no answer 7 days before one, and
    hearings adjourned, moved and vacated, by month (read live)."""
    return _page("insight/witnesses.html", figures.PAGES["witnesses"], as_of=figures_worked_out_now(),
                 dates_are=(_("Answers given, hearings due and changes made in this month or later. For example, "
                              "4 2026"),
                            _("Answers given, hearings due and changes made in this month or earlier. For example, "
                              "6 2026")))


@bp.route("/figures/<figure_id>.csv")
@role_required(*DASHBOARD_ROLES)
def figure_csv(figure_id: str):
    """One figure as CSV, with the same filters and the same suppression as the page."""
    if figure_id not in figures.FIGURES:
        abort(404)
    form, valid = _form()
    if not valid:
        problems = "\n".join(str(errors[0]) for errors in form.errors.values())
        return Response(f"The filters are not valid:\n{problems}\n", status=400, mimetype="text/plain")
    data = figures.build(figure_id, Results(form.filters()))
    response = Response(as_csv(data), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{figure_id}.csv"'
    return response


@bp.route("/public")
@public
def published():
    """The published summary: headline service levels and satisfaction by borough over the last 12 whole months
    (the same every day of a month, so two days' pages cannot be subtracted to show one day's reports)."""
    first, last = whole_months_before(today_in_london(), PUBLIC_PERIOD_MONTHS)
    results = Results(Filters(date_from=first, date_to=last))
    return render_template("insight/public.html", figures=_shown(figures.PUBLIC, results, downloads=False),
                           first=first, last=last, figures_as_of=figures_as_of(),
                           headline=figures.comparison_headline(results))

"""The bare baseline page of the load benchmark (benchmarks/load.py): one row by primary key, one small template.

It goes through the same stack as every other page (security hooks, session, CSP, the site's base template), so
the benchmark can report each portal page as a ratio to it. It is registered only when BENCHMARK_BASELINE is set.
"""

from flask import Blueprint, abort, render_template

from portal.auth.access import public
from portal.cases.queries import category_by_id

bp = Blueprint("benchmark", __name__, url_prefix="/benchmark")


@bp.route("/baseline/<int:category_id>")
@public
def baseline(category_id: int):
    """One crime category, fetched by its primary key, rendered in the site's layout."""
    category = category_by_id(category_id)
    if category is None:
        abort(404)
    return render_template("benchmark/baseline.html", category=category)


def register(app) -> None:
    """Mount the baseline page, only when the configuration asks for it (BENCHMARK_BASELINE=1)."""
    if app.config["BENCHMARK_BASELINE"]:
        app.register_blueprint(bp)

"""The insight benchmark (benchmarks/insight.py) works end to end at a tiny size. Not a speed test."""

import importlib.util
import sys

import pytest

from tests.paths import BENCHMARKS


def _load(name: str):
    """Import a benchmark script as a module (the folder is not a package)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(app) -> None:
    from portal.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_insight_benchmark_seeds_times_every_page_and_reuses_the_database(tmp_path):
    insight = _load("insight")
    common = _load("_common")
    url = f"sqlite:///{tmp_path}/bench.db"

    app, supervisor_id, generation = insight.prepare(url, 300, quiet=True)
    assert generation is not None and generation > 0
    try:
        results = insight.time_pages(app, supervisor_id, 300, requests=1, figure=insight.default_figure())
        assert [(r.url, r.filters) for r in results] == [
            (page, name) for page in (*insight.PAGES, f"/insight/figures/{insight.default_figure()}.csv")
            for name, _query in insight.FILTERS]
        for result in results:
            assert result.size == 300
            assert result.p50 > 0 and result.p95 >= result.p50
            assert int(result.statements.split("-")[0]) > 0
        table = insight.table(results)
        assert table.count("\n") == len(results) + 1
        assert "| /insight/demand" in table and "borough" in table and "3 months" in table

        client = common.sign_in(app, supervisor_id)
        request_ms, sql_ms, slowest = insight.profile_page(app, client, "/insight/demand")
        assert request_ms > 0 and sql_ms > 0
        assert slowest and all(statement.lstrip().upper().startswith("SELECT") and plan
                               for _ms, statement, plan in slowest)
        with pytest.raises(common.PageError, match="404"):
            common.time_page(app, client, "/insight/no-such-page", 1)
    finally:
        _close(app)

    # The same database is used again as it is, and refused if it holds another number of cases.
    again, same_supervisor, regenerated = insight.prepare(url, 300, reuse=True, quiet=True)
    _close(again)
    assert regenerated is None and same_supervisor == supervisor_id
    with pytest.raises(SystemExit, match="holds 300 cases, not 301"):
        insight.prepare(url, 301, reuse=True, quiet=True)


def test_insight_benchmark_refuses_a_database_that_already_has_tables_unless_reused(tmp_path):
    insight = _load("insight")
    url = f"sqlite:///{tmp_path}/bench.db"
    app, _supervisor, _generation = insight.prepare(url, 0, quiet=True)
    _close(app)
    with pytest.raises(SystemExit, match="already has tables"):
        insight.prepare(url, 0, quiet=True)


def test_three_months_asks_for_this_month_and_the_two_before():
    """The dashboard's filters take whole months (a month and a year at each end, no day)."""
    from portal.clock import utcnow

    insight = _load("insight")
    query = {key: int(value) for key, value in (part.split("=") for part in insight.three_months().split("&"))}
    assert set(query) == {f"{name}-{part}" for name in ("date_from", "date_to") for part in ("month", "year")}
    today = utcnow().date()
    assert (query["date_to-year"], query["date_to-month"]) == (today.year, today.month)
    months = (query["date_to-year"] * 12 + query["date_to-month"]) - (query["date_from-year"] * 12
                                                                       + query["date_from-month"])
    assert months == 2 and 1 <= query["date_from-month"] <= 12

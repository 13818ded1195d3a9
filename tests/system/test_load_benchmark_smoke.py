"""The load benchmark (benchmarks/load.py) and its baseline page. Not a speed test: it checks that the benchmark
runs end to end at its smallest size and prints a row for every endpoint, and that the baseline page exists only
when the configuration asks for it."""

import re
import subprocess
import sys

from sqlalchemy import select

from portal.auth.access import ACCESS_RULE, PUBLIC
from portal.cases.models import CrimeCategory
from portal.extensions import db
from tests.pagecheck import assert_good_page, h1_text
from tests.paths import ROOT
from tests.servers import require_servers
from tests.wizard import BIKE_THEFT

# Every row the benchmark's saturated table must have (the names in benchmarks/load_locustfile.py).
ENDPOINT_ROWS = (
    "baseline GET /benchmark/baseline/<id>",
    "GET / (start page)",
    "GET /cases/ (victim's cases)",
    "GET /cases/<crime_number> (victim case)",
    "GET /staff/triage (triage queue)",
    "GET /staff/cases/<crime_number>",
    "GET /partner/referrals (partner inbox)",
    "GET /partner/referrals/<reference>",
    f"report wizard, all {2 + 2 * len(BIKE_THEFT) + 3} requests",
    "POST /report/check-answers (submit)",
)


def _first_category(app) -> CrimeCategory:
    with app.app_context():
        category = db.session.scalar(select(CrimeCategory).order_by(CrimeCategory.id).limit(1))
        db.session.expunge(category)
        return category


def test_the_baseline_page_renders_one_category_in_the_site_layout(app, make_app):
    category = _first_category(app)
    baseline_app = make_app(BENCHMARK_BASELINE=True)
    response = baseline_app.test_client().get(f"/benchmark/baseline/{category.id}")
    assert response.status_code == 200
    assert_good_page(response)
    assert h1_text(response) == category.name
    assert getattr(baseline_app.view_functions["benchmark.baseline"], ACCESS_RULE) == PUBLIC


def test_the_baseline_page_says_not_found_for_a_category_that_does_not_exist(app, make_app):
    response = make_app(BENCHMARK_BASELINE=True).test_client().get("/benchmark/baseline/999999")
    assert response.status_code == 404


def test_the_baseline_page_is_absent_unless_the_configuration_asks_for_it(app, client):
    category = _first_category(app)
    assert app.config["BENCHMARK_BASELINE"] is False
    assert "benchmark.baseline" not in app.view_functions
    assert client.get(f"/benchmark/baseline/{category.id}").status_code == 404


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _servers_or_skip() -> None:
    require_servers("postgresql", "redis-server", why="the load benchmark")


def test_the_load_benchmark_runs_end_to_end_and_prints_every_endpoint():
    _servers_or_skip()
    result = subprocess.run(  # noqa: S603 - our own script, with fixed arguments
        [sys.executable, "benchmarks/load.py", "--sizes", "10000", "--duration", "3", "--users", "4",
         "--baseline", "once", "--mix-users", "10", "--mix-duration", "5", "--mix-ramp", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    lines = result.stdout.splitlines()
    saturated = lines[lines.index(next(line for line in lines if line.startswith("Each endpoint alone"))):]
    columns = _cells(next(line for line in saturated if line.startswith("| ") and "endpoint" in line))
    for name in ENDPOINT_ROWS:
        row = next((line for line in saturated if f"| {name} " in line), None)
        assert row is not None, f"no row for {name} in:\n{result.stdout}"
        cells = dict(zip(columns, _cells(row), strict=True))
        assert cells["cases"] == "10,000"
        assert float(cells["req/s"]) > 0, f"{name} was never requested: {row}"
        assert int(cells["fails"]) == 0, f"{name} had failed requests: {row}\n{result.stdout}"
    assert re.search(r"^\| +10,000 \| Aggregated ", "\n".join(lines), re.M), "no table for the realistic mix"

"""Where things are in the checkout, for tests in any folder."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
BENCHMARKS = ROOT / "benchmarks"
TEST_DATA = ROOT / "tests" / "data"
ARTIFACTS = ROOT / "test-artifacts"

"""The written architecture and the code agree: layers, which modules write, and the documentation."""

import ast
import fnmatch
import functools
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.paths import ROOT

PORTAL = ROOT / "portal"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text()

# Every module that writes through db.session. docs/architecture.md names the same list.
WRITERS = {
    "portal/cases/changes.py", "portal/cases/timeline.py", "portal/cases/victims_code.py", "portal/cases/sequence.py",
    "portal/audit/services.py", "portal/auth/services.py", "portal/auth/backoff.py",
    "portal/auth/session_records.py", "portal/auth/tokens.py",
    "portal/notifications/services.py", "portal/notifications/delivery.py",
    "portal/notifications/receipts.py",
    "portal/admin/services.py", "portal/admin/organisation_services.py", "portal/data_rights/services.py",
    "portal/equality/services.py", "portal/feedback/services.py", "portal/messages/services.py",
    "portal/messages/witness_services.py",
    "portal/partners/services.py", "portal/peers/services.py",
    "portal/reporting/services.py", "portal/reporting/claims.py", "portal/support/assessments.py",
    "portal/support/places.py",
    "portal/support/referrals.py", "portal/surveys/services.py", "portal/surveys/schedule.py",
    "portal/tasks/services.py", "portal/tasks/reminders.py", "portal/track/services.py", "portal/tracking/services.py",
    "portal/tracking/witnesses.py", "portal/tracking/reminders.py",
    "portal/peers/matches.py", "portal/peers/conversations.py", "portal/devtools/demo_peer_matches.py",
    "portal/triage/alerts.py", "portal/triage/reminders.py", "portal/insight/refresh.py",
    "portal/jobs/retention.py", "portal/devtools/demo.py",
    "portal/devtools/demo_groups.py", "portal/devtools/demo_peers.py", "portal/devtools/demo_peer_witness.py",
    "portal/devtools/demo_comparison.py",
    "portal/devtools/generator.py",
}
SESSION_WRITES = {"add", "add_all", "delete", "commit", "flush", "merge", "bulk_save_objects"}
WRITE_STATEMENTS = ("update(", "insert(", "delete(", "pg_insert(", "sqlite_insert(")


def _modules() -> list[Path]:
    return sorted(path for path in PORTAL.rglob("*.py") if "translations" not in path.parts)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _dotted(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


@functools.cache
def _tree(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once for the tests that read it (none changes it)."""
    return ast.parse(path.read_text(), filename=str(path))


def _writes(path: Path) -> list[int]:
    """Lines where the module writes through db.session."""
    lines = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and ast.unparse(node.func.value) == "db.session":
            statement = ast.unparse(node.args[0]) if node.args else ""
            if node.func.attr in SESSION_WRITES or (node.func.attr == "execute"
                                                    and statement.startswith(WRITE_STATEMENTS)):
                lines.append(node.lineno)
    return lines


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def _views_expressions() -> list[str]:
    [contract] = [c for c in _contracts() if c["id"] == "views-only-in-the-factory"]
    return contract["protected_modules"]


def _defines_blueprint(path: Path) -> bool:
    return any(isinstance(node, ast.Call) and ast.unparse(node.func) == "Blueprint" for node in ast.walk(_tree(path)))


def _view_modules() -> list[Path]:
    return [path for path in _modules() if _defines_blueprint(path)]


def test_every_views_module_is_under_the_views_contracts():
    """A module with a blueprint is a views module, and the import contracts name it (so none is forgotten)."""
    expressions = _views_expressions()
    views = _view_modules()
    assert len(views) >= 15
    for path in views:
        dotted = _dotted(path)
        assert any(fnmatch.fnmatchcase(dotted, expression) for expression in expressions), dotted


def test_views_never_touch_the_database_session():
    """Views read through queries and change things through services; they never import db or use a session."""
    offenders = []
    for path in _view_modules():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.module == "portal.extensions" \
                    and any(alias.name == "db" for alias in node.names):
                offenders.append(f"{_name(path)}:{node.lineno} imports db")
            if isinstance(node, ast.Attribute) and node.attr == "session" and ast.unparse(node.value) == "db":
                offenders.append(f"{_name(path)}:{node.lineno} uses db.session")
    assert offenders == []


def test_only_the_named_modules_write_through_the_session():
    """The list of writing modules (in this test and in docs/architecture.md) is the truth, both ways."""
    writing = {_name(path) for path in _modules() if _writes(path)}
    assert writing - WRITERS == set(), "a new module writes: name it here and in docs/architecture.md"
    assert WRITERS - writing == set(), "a named module no longer writes: take it off both lists"
    for name in WRITERS:
        assert f"`{name.removeprefix('portal/')}`" in ARCHITECTURE, name


def test_the_architecture_page_names_every_package_and_root_module():
    """docs/architecture.md describes each package under portal/ and each module at its top."""
    packages = sorted(path.parent.name for path in PORTAL.glob("*/__init__.py"))
    assert "cases" in packages and len(packages) >= 19
    missing = [name for name in packages if f"`portal/{name}/`" not in ARCHITECTURE]
    assert missing == []
    root_modules = sorted(path.name for path in PORTAL.glob("*.py") if path.name != "__init__.py")
    assert [name for name in root_modules if f"`{name}`" not in ARCHITECTURE
            and f"`portal/{name}`" not in ARCHITECTURE] == []


def test_function_level_imports_are_few_and_each_says_why():
    """Imports sit at the top of modules; the few inside functions carry a comment on the line above."""
    found = []
    for path in _modules():
        lines = path.read_text().splitlines()
        for function in ast.walk(_tree(path)):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        found.append((_name(path), node.lineno, lines[node.lineno - 2].strip()))
    found = sorted(set(found))
    assert len(found) < 10, found
    assert [(name, line) for name, line, above in found if not above.startswith("#")] == []


def test_the_readme_points_inside_the_repository():
    """The README links to the project's own architecture page, never to files outside the checkout."""
    readme = (ROOT / "README.md").read_text()
    assert "docs/architecture.md" in readme
    assert "../" not in readme


@pytest.mark.parametrize("folder", ["docs", "benchmarks", "scripts", "portal", "tests"])
def test_no_paths_of_a_particular_machine(folder):
    """Nothing committed names a developer's checkout or the folder beside it."""
    bad = ("/work/", "../" + "shared", "/home/")  # split, so this file does not name the folder itself
    hits = [f"{path.relative_to(ROOT)}" for path in (ROOT / folder).rglob("*")
            if path.is_file() and path.suffix in {".py", ".md", ".sh", ".txt", ".toml", ".cfg"}
            and path != Path(__file__) and any(marker in path.read_text(errors="ignore") for marker in bad)]
    assert hits == []


def test_the_import_contracts_hold():
    """The layers in pyproject.toml (import-linter), so that `make test` catches what `make lint` does."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 5 kept, 0 broken." in result.stdout

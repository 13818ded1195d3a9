"""Every action the code records reads as words in the audit trail."""

import ast
import functools
from pathlib import Path

import pytest

from portal.audit.words import has_words, in_words
from portal.tasks.enums import TaskStatus

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# Where the action is among each recording call's arguments.
ACTION_ARGUMENT = {"record_audit": 1, "record_read": 1, "commit_change": 3, "Change": 0}


@functools.cache
def _recorded_actions() -> tuple[frozenset[str], frozenset[str]]:
    """(actions written out, prefixes of actions built with an f-string) passed to the recording calls; scanned
    once for both tests that read it."""
    literal, prefixes = set(), set()
    for path in PORTAL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = ACTION_ARGUMENT.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                literal.add(argument.value)
            elif isinstance(argument, ast.JoinedStr) and isinstance(argument.values[0], ast.Constant):
                prefixes.add(argument.values[0].value)
    return frozenset(literal), frozenset(prefixes)


def test_the_scan_finds_the_recording_calls():
    literal, prefixes = _recorded_actions()
    assert {"report.submitted", "case.viewed", "referral.accepted"} <= literal
    assert {"decision.", "task.", "case.request_"} <= prefixes


def test_every_recorded_action_has_words():
    literal, prefixes = _recorded_actions()
    assert sorted(action for action in literal if not has_words(action)) == []
    # Families built at run time: each prefix is a family with words, or its values are listed one by one.
    finished = {f"task.{status.value}" for status in (TaskStatus.DONE, TaskStatus.CANNOT_DO)}
    assert all(has_words(action) for action in finished)
    assert sorted(p for p in prefixes if p != "task." and not has_words(p + "x")) == []


@pytest.mark.parametrize(("action", "words"), [
    ("report.claimed", "claimed the report"),
    ("decision.no_further_investigation", "decided: no further investigation"),
    ("update.suspect_arrested", "updated the case: suspect arrested"),
    ("case.request_statement", "asked for a Victim Personal Statement"),
    ("something.new_here", "something new here"),
])
def test_an_action_reads_as_words(action, words):
    assert in_words(action) == words

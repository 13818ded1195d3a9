"""The Polish and Arabic catalogues are complete for the victim and witness text, and every translation keeps
the placeholders and markup of its English."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.paths import ROOT

LANGUAGES = ("pl", "ar")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%\{count\}")
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    """The victim and witness text as the code has it now (babel.cfg, the same keywords as make extract-messages)."""
    pot = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-k", "N_", "-o", str(pot), "."], cwd=ROOT, check=True, timeout=300)
    with pot.open("rb") as handle:
        return {message.id: message for message in read_po(handle) if message.id}


def catalogue(language: str):
    with (ROOT / f"portal/translations/{language}/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle)


def strings(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def test_the_catalogue_has_the_text_the_code_shows(extracted):
    assert len(extracted) > 1000
    # A sample from each kind of source, so the extraction itself is known to reach them.
    for sample in ("Report a crime and get support", "Continue", "We received your report", "Bicycle theft",
                   "You have an update", "What is your ethnic group?", "Every %(days)s",
                   "You asked to be referred to %(organisation)s", "Restorative justice",
                   "Show password", "You can enter up to %{count} characters"):
        assert sample in extracted, sample


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(extracted, language):
    translated = {message.id: message for message in catalogue(language) if message.id}
    missing = [str(msgid) for msgid in extracted if msgid not in translated]
    empty = [str(m.id) for msgid, m in translated.items() if msgid in extracted and not all(strings(m.string))]
    fuzzy = [str(m.id) for msgid, m in translated.items() if msgid in extracted and m.fuzzy]
    assert not missing, f"{language}: not in the catalogue (run make extract-messages): {missing[:10]}"
    assert not empty, f"{language}: not translated: {empty[:10]}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_markup(extracted, language):
    problems = []
    for message in catalogue(language):
        if not message.id or message.id not in extracted:
            continue
        english = " ".join(strings(message.id))
        for translation in strings(message.string):
            if sorted(set(PLACEHOLDER.findall(english))) != sorted(set(PLACEHOLDER.findall(translation))):
                problems.append(f"placeholders differ: {english!r} -> {translation!r}")
            if sorted(TAG.findall(english)) != sorted(TAG.findall(translation)):
                problems.append(f"markup differs: {english!r} -> {translation!r}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_committed_one(language):
    """make install compiles the .po files; a stale .mo would show old words."""
    compiled = ROOT / f"portal/translations/{language}/LC_MESSAGES/messages.mo"
    source = ROOT / f"portal/translations/{language}/LC_MESSAGES/messages.po"
    assert compiled.exists(), "run make translations"
    assert compiled.stat().st_mtime >= source.stat().st_mtime, "run make translations"

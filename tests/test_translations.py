"""The translation catalogues: both parse, they are current (a fresh extraction from the source finds the same
msgids), and every Chinese entry is translated, not fuzzy, and keeps the placeholders of its English source (a
missing %(name)s would raise at run time, an extra one too)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
ZH = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN = LOCALE / "en" / "LC_MESSAGES" / "django.po"
ROOT = Path(__file__).resolve().parents[1]
MAKEMESSAGES = ROOT / "scripts" / "makemessages.sh"
# Not copied for the fresh extraction: makemessages.sh ignores them anyway, and some are large.
NOT_COPIED = {".git", ".venv", "node_modules", "staticfiles", "var", "tests", "bench", "__pycache__"}

# Python's %-format placeholders: %(name)s, %s, %d… ("%%" is a literal percent sign).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifgeExXor%]")
# Django template variables inside {% blocktrans %}: {{ name }}.
TEMPLATE_VARIABLE = re.compile(r"\{\{\s*\w+\s*\}\}")


def placeholders(text):
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%") + sorted(TEMPLATE_VARIABLE.findall(text))


def live_entries(catalogue):
    return [entry for entry in catalogue if not entry.obsolete]


def is_translated(entry):
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def describe(entry):
    where = ", ".join(f"{path}:{line}" if line else path for path, line in entry.occurrences[:3])
    return f"{entry.msgid!r} ({where})"


def keys(catalogue):
    return {(entry.msgctxt, entry.msgid) for entry in live_entries(catalogue)}


def gettext_required():
    # CI must prove the catalogues current; a developer without GNU gettext may skip it.
    return any(
        os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"} for name in ("CI", "REQUIRE_SERVICES")
    )


def copy_source_tree(destination):
    def ignore(directory, names):
        relative = Path(directory).relative_to(ROOT)
        return {
            name
            for name in names
            if name in NOT_COPIED or name.endswith((".pyc", ".mo")) or relative / name == Path("static/vendor")
        }

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=True)


@pytest.fixture(scope="module")
def zh():
    return polib.pofile(str(ZH))


@pytest.mark.parametrize("path", [ZH, EN], ids=["zh_Hans", "en"])
def test_catalogue_parses_and_has_entries(path):
    catalogue = polib.pofile(str(path))
    assert live_entries(catalogue), f"{path} has no entries: run makemessages"
    assert catalogue.metadata.get("Content-Type") == "text/plain; charset=UTF-8"


def test_both_catalogues_have_the_same_msgids(zh):
    en = polib.pofile(str(EN))
    assert {e.msgid for e in live_entries(zh)} == {e.msgid for e in live_entries(en)}


def require_gettext():
    missing_tools = [tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)]
    if missing_tools:
        message = f"GNU gettext is not installed ({', '.join(missing_tools)} missing): apt-get install gettext"
        if gettext_required():
            pytest.fail(message)
        pytest.skip(message)


def extract(tree):
    """Run the tree's own scripts/makemessages.sh on it; the freshly merged zh_Hans and en catalogues."""
    result = subprocess.run(
        ["bash", str(tree / MAKEMESSAGES.relative_to(ROOT))],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"makemessages.sh failed:\n{result.stdout}\n{result.stderr}"
    return polib.pofile(str(tree / ZH.relative_to(ROOT))), polib.pofile(str(tree / EN.relative_to(ROOT)))


def assert_current(fresh, committed):
    unextracted = sorted(keys(fresh) - keys(committed), key=str)
    stale = sorted(keys(committed) - keys(fresh), key=str)
    assert not unextracted and not stale, (
        "locale/ is out of date: run scripts/makemessages.sh and translate the new zh_Hans entries.\n"
        + "".join(f"  missing: {msgid!r}" + (f" (context {ctx!r})" if ctx else "") + "\n" for ctx, msgid in unextracted)
        + "".join(f"  no longer in the source: {msgid!r}\n" for ctx, msgid in stale)
    )


def test_catalogues_are_current_with_the_source(tmp_path, zh):
    # scripts/makemessages.sh, run on a copy of the tree (the real locale/ is left alone), must find exactly the
    # msgids the committed catalogues hold: a string marked since the last extraction would show in English.
    require_gettext()
    copy_source_tree(tmp_path / "tree")
    fresh_zh, fresh_en = extract(tmp_path / "tree")
    assert_current(fresh_zh, zh)
    assert_current(fresh_en, polib.pofile(str(EN)))


def test_currency_check_notices_strings_marked_after_the_extraction_even_under_an_alias(tmp_path, zh):
    # Services import gettext as `_t`: xgettext must be told about such aliases, or their strings never reach
    # the catalogue and the notifications stay English.
    require_gettext()
    tree = tmp_path / "tree"
    copy_source_tree(tree)
    (tree / "core" / "i18n_probe.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "from django.utils.translation import gettext as _probe\n\n"
        "PLAIN = _('A plain string marked after the last extraction')\n"
        "ALIASED = _probe('An aliased string marked after the last extraction')\n"
    )
    fresh_zh, _ = extract(tree)
    with pytest.raises(AssertionError) as failure:
        assert_current(fresh_zh, zh)
    assert "A plain string marked after the last extraction" in str(failure.value)
    assert "An aliased string marked after the last extraction" in str(failure.value)


def test_every_chinese_entry_is_translated(zh):
    untranslated = [describe(entry) for entry in live_entries(zh) if not is_translated(entry)]
    assert not untranslated, f"{len(untranslated)} untranslated zh_Hans entries:\n" + "\n".join(untranslated)


def test_no_chinese_entry_is_fuzzy(zh):
    fuzzy = [describe(entry) for entry in live_entries(zh) if "fuzzy" in entry.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy zh_Hans entries (check them and drop the flag):\n" + "\n".join(fuzzy)


def test_chinese_catalogue_header_is_not_fuzzy(zh):
    # A fuzzy header is skipped by the compilers: the catalogue would lose its charset and plural rule.
    assert not zh.metadata_is_fuzzy
    assert zh.metadata.get("Plural-Forms") == "nplurals=1; plural=0;"


def test_chinese_translations_keep_the_placeholders_of_their_source(zh):
    wrong = []
    for entry in live_entries(zh):
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values() if text]
        else:
            pairs = [(entry.msgid, entry.msgstr)] if entry.msgstr else []
        for source, translation in pairs:
            if placeholders(source) != placeholders(translation):
                wrong.append(f"{describe(entry)} → {translation!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translation_check_notices_an_untranslated_entry(tmp_path):
    # The checks above must fail on a catalogue with a gap: prove it on a small one.
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalogue.append(polib.POEntry(msgid="Sign in", msgstr="登录"))
    catalogue.append(polib.POEntry(msgid="Sign out", msgstr=""))
    path = tmp_path / "django.po"
    catalogue.save(str(path))
    with pytest.raises(AssertionError, match="Sign out"):
        test_every_chinese_entry_is_translated(polib.pofile(str(path)))

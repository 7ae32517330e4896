"""The translation catalogues: both parse, and every Chinese entry is translated, not fuzzy, and keeps the
placeholders of its English source (a missing %(name)s would raise at run time, an extra one too)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
ZH = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN = LOCALE / "en" / "LC_MESSAGES" / "django.po"

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
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    return f"{entry.msgid!r} ({where})"


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

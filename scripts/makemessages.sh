#!/usr/bin/env bash
# Re-extract the translation catalogues (locale/{zh_Hans,en}/LC_MESSAGES/django.po) from the source tree.
#
#   scripts/makemessages.sh            # from anywhere; works on the repository this script lives in
#   PYTHON=/path/to/python scripts/makemessages.sh
#
# New msgids arrive untranslated (or fuzzy when msgmerge guessed a near match): translate them in
# locale/zh_Hans, clear the fuzzy flags, then `make messages` (compiletranslations) builds the .mo files.
# tests/test_translations.py fails while the catalogues lag behind the source.
#
# makemessages only needs settings, not the apps: xgettext reads the files, it imports nothing. So it runs
# under a throw-away settings module (contenttypes only), and a half-written module elsewhere in the tree
# cannot stop the extraction. Needs GNU gettext (xgettext, msgmerge, msguniq).
#
# Modules that import gettext under another name (`from django.utils.translation import gettext as _t`,
# `gettext_lazy as _lazy`) would be invisible to xgettext, which knows only the standard names: every such
# alias found in the tree is passed to xgettext as an extra keyword.
#
# No JavaScript domain: static/js/*.js mark no strings (their labels come from the templates through
# json_script). Add `-d djangojs` here if a script starts calling gettext().
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
IGNORED=(.venv node_modules static/vendor staticfiles tests bench var .git)

for tool in xgettext msgmerge msguniq; do
    command -v "$tool" >/dev/null || { echo "makemessages.sh: $tool not found (install GNU gettext)" >&2; exit 1; }
done

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

cat >"$work_dir/makemessages_settings.py" <<PY
from pathlib import Path

SECRET_KEY = "makemessages-only"
INSTALLED_APPS = ["django.contrib.contenttypes"]
USE_I18N = True
LANGUAGE_CODE = "zh-hans"
LOCALE_PATHS = [Path("$ROOT") / "locale"]
PY

cat >"$work_dir/makemessages_run.py" <<'PY'
"""Django's makemessages, with the tree's gettext aliases added to xgettext's keywords."""

import os
import re
import sys
from pathlib import Path

import django
from django.core.management.commands import makemessages

# xgettext keyword specification per translation function: which arguments hold context, singular, plural.
SPECS = {
    "gettext": "", "gettext_lazy": "", "gettext_noop": "",
    "ngettext": ":1,2", "ngettext_lazy": ":1,2",
    "pgettext": ":1c,2", "pgettext_lazy": ":1c,2",
    "npgettext": ":1c,2,3", "npgettext_lazy": ":1c,2,3",
}
IMPORT = re.compile(r"^from\s+django\.utils\.translation\s+import\s+(\([^)]*\)|[^\n]+)", re.MULTILINE)
ALIAS = re.compile(r"\b(\w+)\s+as\s+(\w+)\b")


def python_files(root, ignored):
    for directory, subdirectories, files in os.walk(root):
        relative = Path(directory).relative_to(root)
        subdirectories[:] = [
            name for name in subdirectories if not name.startswith(".") and (relative / name).as_posix() not in ignored
        ]
        yield from (Path(directory) / name for name in files if name.endswith(".py"))


def alias_keywords(root, ignored):
    keywords = set()
    for path in python_files(root, ignored):
        for names in IMPORT.findall(path.read_text(encoding="utf-8", errors="replace")):
            for function, alias in ALIAS.findall(names):
                if function in SPECS and alias not in SPECS and alias != "_":
                    keywords.add(f"--keyword={alias}{SPECS[function]}")
    return sorted(keywords)


root, ignored, argv = Path(sys.argv[1]), sys.argv[2].split(), sys.argv[3:]
django.setup()


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, *alias_keywords(root, ignored)]


Command().run_from_argv(["manage.py", "makemessages", *argv])
PY

cd "$ROOT"
ignore_args=()
for name in "${IGNORED[@]}"; do ignore_args+=("--ignore=$name"); done
PYTHONPATH="$work_dir${PYTHONPATH:+:$PYTHONPATH}" DJANGO_SETTINGS_MODULE=makemessages_settings \
    "$PYTHON" "$work_dir/makemessages_run.py" "$ROOT" "${IGNORED[*]}" \
    -l zh_Hans -l en --no-obsolete --add-location=file "${ignore_args[@]}"

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
# No JavaScript domain: static/js/*.js mark no strings (their labels come from the templates through
# json_script). Add `-d djangojs` here if a script starts calling gettext().
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"

for tool in xgettext msgmerge msguniq; do
    command -v "$tool" >/dev/null || { echo "makemessages.sh: $tool not found (install GNU gettext)" >&2; exit 1; }
done

settings_dir="$(mktemp -d)"
trap 'rm -rf "$settings_dir"' EXIT
cat >"$settings_dir/makemessages_settings.py" <<PY
from pathlib import Path

SECRET_KEY = "makemessages-only"
INSTALLED_APPS = ["django.contrib.contenttypes"]
USE_I18N = True
LANGUAGE_CODE = "zh-hans"
LOCALE_PATHS = [Path("$ROOT") / "locale"]
PY

cd "$ROOT"
PYTHONPATH="$settings_dir${PYTHONPATH:+:$PYTHONPATH}" DJANGO_SETTINGS_MODULE=makemessages_settings \
    "$PYTHON" -m django makemessages \
    -l zh_Hans -l en \
    --no-obsolete \
    --add-location=file \
    --ignore=.venv --ignore=node_modules --ignore=static/vendor --ignore=staticfiles \
    --ignore=tests --ignore=bench --ignore=var --ignore=.git

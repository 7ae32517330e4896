"""Nothing is loaded from outside the host: our templates and static files name no external URL, the vendor
files copied by `make assets` exist, and every static reference resolves through the static finders."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
OUR_APPS = ("core", "accounts", "parks", "complaints", "integrity", "procurement")

# An attribute, CSS url() or @import whose value starts with a scheme-qualified or protocol-relative URL.
EXTERNAL_REFERENCE = re.compile(
    r"""(?:(?<![\w:-])(?!xmlns)[\w:-]+\s*=\s*["']?|url\(\s*["']?|@import\s+["'])\s*(?:https?:)?//""", re.IGNORECASE
)
# The CSP allows scripts only from files (script-src 'self'): no inline <script> (a json_script data block is
# fine) and no event-handler attributes.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:src=|type=[\"']application/(?:ld\+)?json))[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STATIC_TAG = re.compile(r"""{%\s*static\s+["']([^"']+)["']""")
ASSET_REFERENCE = re.compile(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]*)"', re.IGNORECASE)

# A string literal in a script that is a URL of another host (a comment naming a web page is harmless).
EXTERNAL_IN_SCRIPT = re.compile(r"""["'`](?:https?:)?//[\w.-]""")

# Copied from node_modules by scripts/copy_assets.sh.
VENDOR_FILES = (
    "bootstrap/bootstrap.min.css",
    "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/fonts/bootstrap-icons.woff2",
    "htmx/htmx.min.js",
    "echarts/echarts.min.js",
)


def our_templates():
    roots = [BASE_DIR / "templates", *(BASE_DIR / app / "templates" for app in OUR_APPS)]
    return sorted(path for root in roots if root.is_dir() for path in root.rglob("*.html"))


def our_static_files():
    root = BASE_DIR / "static"
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix in {".css", ".js", ".html", ".svg"} and "vendor" not in path.relative_to(root).parts
    )


def relative(path):
    return str(path.relative_to(BASE_DIR))


def test_there_are_templates_and_static_files_to_check():
    assert our_templates() and our_static_files()


@pytest.mark.parametrize("path", our_templates() + our_static_files(), ids=relative)
def test_file_references_no_external_host(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":
        found = EXTERNAL_IN_SCRIPT.findall(text)
    else:
        found = [match.group(0) for match in EXTERNAL_REFERENCE.finditer(text)]
    assert found == []


def test_the_external_reference_check_catches_a_cdn_link():
    samples = [
        '<script src="https://cdn.example.com/x.js">',
        "<link href='//fonts.example.com/css'>",
        "background: url( 'http://img.example.com/a.png')",
        '@import "https://fonts.example.com/a.css";',
    ]
    assert all(EXTERNAL_REFERENCE.search(sample) for sample in samples)
    assert not EXTERNAL_REFERENCE.search(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a href="/parks/">'
    )
    assert EXTERNAL_IN_SCRIPT.search('fetch("https://api.example.com/x")')
    assert not EXTERNAL_IN_SCRIPT.search("// see https://echarts.apache.org/\nfetch('/api/v1/parks/')")


@pytest.mark.parametrize("path", our_templates(), ids=relative)
def test_template_has_no_inline_script_the_csp_would_block(path):
    text = path.read_text(encoding="utf-8")
    assert INLINE_SCRIPT.findall(text) + EVENT_HANDLER.findall(text) == []


def test_the_inline_script_check_tells_code_from_data():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert EVENT_HANDLER.search('<button class="btn" onclick="go()">')
    assert not INLINE_SCRIPT.search('<script src="/static/js/x.js"></script><script type="application/json">{}')
    assert not EVENT_HANDLER.search('<button class="btn" data-confirm="one">')


@pytest.mark.parametrize("name", VENDOR_FILES)
def test_the_vendor_file_is_in_place_after_make_assets(name):
    assert (BASE_DIR / "static" / "vendor" / name).is_file(), "run `make assets`"


@pytest.mark.parametrize("path", our_templates(), ids=relative)
def test_every_static_tag_of_the_template_resolves_through_the_finders(path):
    missing = [name for name in STATIC_TAG.findall(path.read_text(encoding="utf-8")) if finders.find(name) is None]
    assert missing == []


@pytest.mark.django_db
def test_every_script_and_stylesheet_of_the_public_home_resolves_through_the_finders(client):
    html = client.get(reverse("core:public-home")).content.decode()
    assets = [ref for ref in ASSET_REFERENCE.findall(html) if ref.startswith(settings.STATIC_URL)]
    assert any(ref.endswith(".js") for ref in assets) and any(ref.endswith(".css") for ref in assets)
    missing = [ref for ref in assets if finders.find(ref.removeprefix(settings.STATIC_URL).split("?")[0]) is None]
    assert missing == []

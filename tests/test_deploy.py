"""Production mode (DEBUG=0) under the documented environment, docs/production.env.example: refuses the demo
secret, passes `check --deploy`, serves collected static files through WhiteNoise, sends security headers;
and the API's schema and documentation pages, which must load nothing from outside this host."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
ENV_EXAMPLE = BASE_DIR / "docs" / "production.env.example"
# Variables of the test run that must not leak into a production process started by a test.
RUN_ONLY_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def production_env(tmp_path, **overrides):
    """The documented production environment with fresh secrets and writable paths under tmp_path."""
    env = {k: v for k, v in os.environ.items() if k not in RUN_ONLY_VARIABLES}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_HMAC_KEY=secrets.token_urlsafe(50),
        SEALING_KEY=secrets.token_urlsafe(48),
        VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(overrides)
    return env


def run(args, env, timeout=120):
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_documented_production_environment_sets_debug_off():
    assert "\nDEBUG=0\n" in ENV_EXAMPLE.read_text()


def test_production_start_up_refuses_the_demo_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "DEBUG=0 needs a SECRET_KEY of your own" in result.stderr


def test_production_start_up_refuses_the_demo_sealing_key(tmp_path):
    env = production_env(tmp_path)
    del env["SEALING_KEY"]
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "DEBUG=0 needs a SEALING_KEY of your own" in result.stderr


def test_production_start_up_refuses_a_short_secret_key(tmp_path):
    result = run([sys.executable, "-c", "import django; django.setup()"], production_env(tmp_path, SECRET_KEY="x" * 20))
    assert result.returncode != 0
    assert "50 characters or more" in result.stderr


def test_check_deploy_reports_no_issues_under_the_documented_production_environment(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


HEADERS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.test import Client
    answers = {}
    for name, (path, headers) in json.loads(sys.argv[1]).items():
        response = Client().get(path, headers=headers)
        answers[name] = {"status": response.status_code, "headers": dict(response.headers)}
    print(json.dumps(answers))
    """
)


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    """/api/schema/ fetched in production mode over TLS and over plain HTTP (as the proxy reports it), in one
    process: the page needs neither a database nor collected static files."""
    host = "portal.example.cn"
    requests = {
        "https": ["/api/schema/", {"host": host, "x-forwarded-proto": "https"}],
        "http": ["/api/schema/", {"host": host, "x-forwarded-proto": "http"}],
    }
    env = production_env(tmp_path_factory.mktemp("prod"))
    result = run([sys.executable, "-c", HEADERS_SCRIPT, json.dumps(requests)], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ],
)
def test_production_responses_carry_the_security_header(production_responses, header, expected):
    assert production_responses["https"]["status"] == 200
    assert production_responses["https"]["headers"][header] == expected


def test_production_responses_carry_a_content_security_policy_without_inline_scripts(production_responses):
    policy = production_responses["https"]["headers"]["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "default-src 'self'" in policy


def test_production_redirects_plain_http_to_https(production_responses):
    response = production_responses["http"]
    assert response["status"] == 301
    assert response["headers"]["Location"] == "https://portal.example.cn/api/schema/"


STATIC_SCRIPT = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.templatetags.static import static
    from django.test import Client
    url = static("vendor/bootstrap/bootstrap.min.css")
    response = Client().get(url, headers={"host": "portal.example.cn", "x-forwarded-proto": "https"})
    print(json.dumps({"url": url, "status": response.status_code, "cache": response.headers.get("Cache-Control")}))
    """
)


def test_collectstatic_builds_hashed_compressed_files_that_whitenoise_serves(tmp_path):
    env = production_env(tmp_path)
    collected = run([sys.executable, "manage.py", "collectstatic", "--noinput"], env, timeout=300)
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/bootstrap/bootstrap.min.css"]
    assert (tmp_path / "static" / f"{hashed}.gz").exists()

    served = run([sys.executable, "-c", STATIC_SCRIPT], env)
    assert served.returncode == 0, served.stderr
    response = json.loads(served.stdout)
    assert response["url"] == f"/static/{hashed}"
    assert response["status"] == 200 and "immutable" in response["cache"]


# --- API schema and documentation (test settings) ---------------------------------------------------------

ASSET_REFERENCE = re.compile(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]*)"', re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_the_schema_is_openapi_3(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_schema_generates_without_warnings(tmp_path):
    """A warning (two serializers with one name, an enum collision) means a wrong or unstable schema; name the
    serializer apart or add the choice set to SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]."""
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))


@pytest.mark.parametrize("url_name", ["api-docs", "api-redoc"])
def test_the_api_documentation_page_loads_only_local_static_assets(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    references = ASSET_REFERENCE.findall(html)
    assert references
    assert all(ref.startswith(settings.STATIC_URL) or ref.startswith(reverse(url_name)) for ref in references)
    assert "//" not in "".join(references)


@pytest.mark.parametrize("url_name", ["api-docs", "api-redoc"])
def test_the_api_documentation_page_has_no_inline_script(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert INLINE_SCRIPT.findall(html) == []


def test_swagger_ui_gets_its_start_up_code_as_a_script_file(client):
    response = client.get(reverse("api-docs"), {"script": ""})
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in response.content


@pytest.mark.browser
@pytest.mark.parametrize("path, selector", [("/api/docs/", ".swagger-ui .info .title"), ("/api/redoc/", "h1")])
def test_api_documentation_renders_in_the_browser_under_the_csp_from_this_host_only(live_server, page, path, selector):
    foreign = []
    page.on(
        "response",
        lambda response: (
            None if response.url.startswith((live_server.url, "blob:", "data:")) else foreign.append(response.url)
        ),
    )
    page.goto(live_server.url + path)
    heading = page.locator(selector).first
    # Redoc parses a 1 MB bundle and then the whole schema before it draws the title: on a busy two-core CI
    # machine that has taken longer than the default 15 s.
    heading.wait_for(timeout=90_000)
    assert "清廉园区 API" in heading.inner_text()
    # Redoc's sidebar links its logo from a CDN: the CSP blocks the request, so no response arrives.
    assert foreign == []


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_the_portal_with_the_shipped_config(tmp_path):
    port = free_port()
    env = production_env(tmp_path, PORT=str(port), WEB_CONCURRENCY="1", GUNICORN_THREADS="2")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/schema/?format=json",
        headers={"Host": "portal.example.cn", "X-Forwarded-Proto": "https"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    body, headers = json.load(response), response.headers
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=30)
    assert body["openapi"].startswith("3.") and "Strict-Transport-Security" in headers, errors


@pytest.mark.parametrize("document", ["README.md", "docs/deployment.md", "docs/api.md"])
def test_every_relative_link_of_the_document_points_at_a_file(document):
    path = BASE_DIR / document
    targets = re.findall(r"\]\(([^)#\s]+)\)", path.read_text())
    missing = [target for target in targets if "://" not in target and not (path.parent / target).exists()]
    assert missing == []

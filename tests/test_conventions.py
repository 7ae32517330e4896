"""Convention checks over the source tree (STYLE.md "Habits"; the idea of Zulip's custom_check.py).

They read the code rather than run it, and each failure names the file, the line and the rule broken:

- only services (``services.py`` or a ``services/`` package) write the audit trail (`core.audit` itself
  aside);
- only services, ``tasks.py`` and `core.notifications` queue Celery tasks (``.delay`` / ``.apply_async``), so
  that every task is queued after its transaction commits;
- templates load nothing from outside the host and carry no inline JavaScript (the Content-Security-Policy
  is ``script-src 'self'``);
- every model of our apps has a Django admin (NetBox's model-coverage meta-test), bar listed exemptions.
"""

import ast
import re
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "accounts", "parks", "complaints", "integrity", "procurement")
SKIPPED_DIRS = {"migrations", "tests", "__pycache__"}

# Models that deliberately have no admin page, each with its reason.
ADMIN_EXEMPT = {
    # The lock row that serialises appends to one audit chain: internal bookkeeping, never edited or shown.
    "core.auditchainhead",
}


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                yield path


def _rel(path):
    return path.relative_to(ROOT).as_posix()


def _is_services_module(path):
    parts = path.relative_to(ROOT).parts
    return path.name == "services.py" or "services" in parts[:-1]


def _calls(path):
    """(line, dotted name of the called function) for every call in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        parts, func = [], node.func
        while isinstance(func, ast.Attribute):
            parts.append(func.attr)
            func = func.value
        if isinstance(func, ast.Name):
            parts.append(func.id)
        yield node.lineno, ".".join(reversed(parts))


def _audit_writer(name):
    return name == "record_event" or name.endswith(".record_event") or name.endswith("AuditEvent.objects.create")


def _task_queueing(name):
    return name.endswith((".delay", ".apply_async"))


def _audit_write_allowed(path):
    return _is_services_module(path) or _rel(path) == "core/audit.py"


def _task_queueing_allowed(path):
    return _is_services_module(path) or path.name == "tasks.py" or _rel(path) == "core/notifications.py"


PYTHON_RULES = [
    (
        "audit events are written only by services (record_event / AuditEvent.objects.create)",
        _audit_writer,
        _audit_write_allowed,
    ),
    (
        "Celery tasks are queued (.delay / .apply_async) only by services, tasks.py and core/notifications.py",
        _task_queueing,
        _task_queueing_allowed,
    ),
]


@pytest.mark.parametrize(("rule", "matches", "allowed"), PYTHON_RULES, ids=["audit-writes", "task-queueing"])
def test_python_convention(rule, matches, allowed):
    violations = [
        f"{_rel(path)}:{line}: {name}(…) — {rule}"
        for path in _python_files()
        if not allowed(path)
        for line, name in _calls(path)
        if matches(name)
    ]

    assert not violations, "\n".join(violations)


# --- templates ---------------------------------------------------------------------------------------------


def _template_files():
    roots = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    for root in roots:
        if root.is_dir():
            yield from sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".html", ".txt", ".xml"})


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
TEMPLATE_RULES = [
    (
        re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
        "no asset or link from outside the host (src/href to http://, https:// or //); serve it from static/",
    ),
    (
        re.compile(r"""<[a-z][^>]*\son[a-z]+\s*=\s*["']""", re.IGNORECASE),
        "no inline event handler (onclick=… is blocked by the CSP); bind it in static/js/",
    ),
    (
        re.compile(r"""\bhref\s*=\s*["']\s*javascript:""", re.IGNORECASE),
        "no javascript: URL (blocked by the CSP); bind it in static/js/",
    ),
]
INLINE_SCRIPT_RULE = (
    "no inline <script> (a script tag without src=; the CSP is script-src 'self'): put the code in static/js/ "
    "and pass data with the json_script filter"
)


def _line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def test_templates_load_nothing_from_outside_and_have_no_inline_script():
    violations = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for pattern, rule in TEMPLATE_RULES:
            for match in pattern.finditer(text):
                violations.append(f"{_rel(path)}:{_line_of(text, match.start())}: {rule}")
        for match in SCRIPT_TAG.finditer(text):
            if not re.search(r"\bsrc\s*=", match.group(1), re.IGNORECASE):
                violations.append(f"{_rel(path)}:{_line_of(text, match.start())}: {INLINE_SCRIPT_RULE}")

    assert not violations, "\n".join(violations)


# --- the checks themselves ---------------------------------------------------------------------------------


def test_template_rules_catch_external_assets_and_inline_code():
    bad = [
        '<script src="https://cdn.example.com/htmx.js"></script>',
        "<link href='//fonts.example.com/x.css' rel=stylesheet>",
        '<button onclick="go()">',
        '<a href="javascript:void(0)">',
    ]
    good = ["<script src=\"{% static 'js/app.js' %}\"></script>", "<a href=\"{% url 'home' %}\">", "<p>Once = 1</p>"]

    assert all(any(p.search(snippet) for p, _rule in TEMPLATE_RULES) for snippet in bad)
    assert not any(p.search(snippet) for p, _rule in TEMPLATE_RULES for snippet in good)


def test_python_rules_recognise_calls_not_mentions(tmp_path):
    source = tmp_path / "views.py"
    source.write_text(
        '"""Calls core.audit.record_event(...) through the service."""\n'
        "audit.record_event(action='x', target=t)\n"
        "AuditEvent.objects.create(action='x')\n"
        "transaction.on_commit(lambda: route_ticket.delay(ticket.pk))\n"
        "# route_ticket.apply_async(...) is not called here\n",
        encoding="utf-8",
    )

    found = [(line, name) for line, name in _calls(source) if _audit_writer(name) or _task_queueing(name)]

    assert found == [(2, "audit.record_event"), (3, "AuditEvent.objects.create"), (4, "route_ticket.delay")]


def test_services_packages_and_modules_are_recognised():
    assert _is_services_module(ROOT / "complaints" / "services" / "routing.py")
    assert _is_services_module(ROOT / "core" / "services.py")
    assert not _is_services_module(ROOT / "core" / "views" / "home.py")


# --- admin coverage -----------------------------------------------------------------------------------------


def test_every_model_of_our_apps_has_an_admin():
    missing = [
        f"{model._meta.label} ({_rel(Path(sys.modules[model.__module__].__file__))})"
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy and model._meta.label_lower not in ADMIN_EXEMPT and model not in admin.site._registry
    ]

    assert not missing, (
        "models without a Django admin (register each in its app's admin.py, or add it to ADMIN_EXEMPT in "
        "tests/test_conventions.py with the reason):\n" + "\n".join(missing)
    )


def test_admin_exemptions_name_existing_models():
    labels = {model._meta.label_lower for model in apps.get_models()}

    assert labels >= ADMIN_EXEMPT

"""Auditors (核查员) read every procurement file of their park and can change nothing anywhere in procurement.

Every POST route of /api/v1/procurement/ (each viewset's ``create`` and every POST action, on a row the
auditor can see) and every procurement page is tried as the park's auditor, on a park holding a tender in
each stage. The API must answer 403 or 405 (404 only where the auditor cannot see any row of that viewset);
pages either refuse (403/404/405) or, following the portal's convention for refused form posts, redirect with
an error message — and in every case no audit event may be written and no procurement row may change."""

import hashlib
import re

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.request import Request

from core.models import AuditEvent
from procurement.api.urls import router
from procurement.choices import TenderStatus
from tests.procurement.factories_public import (
    ClarificationQuestionFactory,
    ObjectionFactory,
    RedFlagFactory,
    tender_in,
)

REFUSED_API = {403, 405}


def _state():
    """A digest of every procurement row and the number of audit events."""
    digest = hashlib.sha256()
    for model in apps.get_app_config("procurement").get_models():
        for row in model.objects.order_by("pk").values_list():
            # PostgreSQL returns binary columns as memoryview, whose repr is an address: compare the bytes.
            row = tuple(bytes(value) if isinstance(value, memoryview) else value for value in row)
            digest.update(repr(row).encode())
    return digest.hexdigest(), AuditEvent.objects.count()


@pytest.fixture
def files(world_a):
    """Tenders of park A in several stages, with a question, an objection and a red flag."""
    built = {status: tender_in(status, park=world_a.park) for status in (TenderStatus.DRAFT, TenderStatus.PUBLISHED)}
    built["contracted"] = tender_in(TenderStatus.CONTRACTED, park=world_a.park)
    tender = built["contracted"]["tender"]
    ClarificationQuestionFactory(tender=built[TenderStatus.PUBLISHED]["tender"])
    ObjectionFactory(tender=tender, supplier=built["contracted"]["bids"][1].supplier)
    RedFlagFactory(tender=tender)
    return built


def _visible_pk(viewset, user):
    """The id of a row the user sees through the viewset, or None."""
    view = viewset()
    request = Request(RequestFactory().get("/"))
    request.user = user
    view.request, view.args, view.kwargs, view.format_kwarg = request, (), {}, None
    view.action = "retrieve"
    try:
        row = view.get_queryset().order_by("pk").first()
    except Exception:  # noqa: BLE001 — a viewset without a queryset has no detail rows to try
        return None
    return getattr(row, "pk", None)


def _api_posts():
    """(url template with {pk}, viewset) for every POST route of the procurement API."""
    for prefix, viewset, _basename in router.registry:
        if hasattr(viewset, "create"):
            yield f"/api/v1/procurement/{prefix}/", viewset, False
        for extra in viewset.get_extra_actions():
            if "post" not in extra.mapping:
                continue
            path = extra.url_path
            if extra.detail:
                yield f"/api/v1/procurement/{prefix}/{{pk}}/{path}/", viewset, True
            else:
                yield f"/api/v1/procurement/{prefix}/{path}/", viewset, False


def test_the_auditor_can_post_nothing_to_the_procurement_api(client, world_a, files):
    client.force_login(world_a.auditor)
    before = _state()
    results, tried = [], 0

    for template, viewset, detail in _api_posts():
        pk = _visible_pk(viewset, world_a.auditor) if detail else None
        if detail and pk is None:
            continue
        url = template.format(pk=pk)
        response = client.post(url, {}, content_type="application/json")
        tried += 1
        if response.status_code not in REFUSED_API:
            results.append(f"{url}: {response.status_code} {response.content[:160]!r}")

    assert tried >= 10
    assert results == []
    assert _state() == before


def _page_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _page_patterns(entry, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("procurement/"):
            yield pattern


def _fill(pattern, ids):
    """A concrete path for a route pattern: each converter filled with the id that its place names."""

    def value(match):
        converter, name = match.group(1) or "str", match.group(2)
        if converter == "int":
            return str(ids.get(name, ids["pk"]))
        if converter == "slug":
            return ids["park_code"]
        return "approve"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)


def test_the_auditor_can_change_nothing_through_the_procurement_pages(client, world_a, files):
    tender = files["contracted"]["tender"]
    ids = {
        "pk": tender.pk,
        "park_id": world_a.park.pk,
        "question_pk": files[TenderStatus.PUBLISHED]["tender"].questions.first().pk,
        "bid_id": files["contracted"]["bids"][0].pk,
        "park_code": world_a.park.code,
    }
    client.force_login(world_a.auditor)
    before = _state()
    changed = []

    patterns = sorted(set(_page_patterns()))
    for pattern in patterns:
        url = _fill(pattern, ids)
        response = client.post(url, {"reason": "x", "text": "x", "answer": "x"})
        assert response.status_code in {302, 403, 404, 405, 200, 400}, url
        if _state() != before:
            changed.append(url)

    assert len(patterns) >= 20
    assert changed == []

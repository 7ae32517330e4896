"""The integrity API under /api/v1/integrity/: signing, declaring and reviewing through it, filters,
pagination, the OpenAPI schema, and pinned query counts on the lists."""

import pytest
from django.urls import reverse
from django.utils import timezone

from integrity.choices import Audience, ConductKind, DeclarationKind, DeclarationStatus, SignerKind
from integrity.models import Declaration, Pledge
from integrity.services.conduct import conduct_list_publish
from integrity.services.pledges import pledge_sign, pledge_template_publish
from tests.integrity.conftest import make_declaration
from tests.parks.factories import make_credit_code


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def template(world_a):
    return pledge_template_publish(
        park=world_a.park,
        signer_kind=SignerKind.OFFICIAL,
        title="廉洁承诺书",
        text="承诺正文",
        actor=world_a.discipline,
    )


def test_signing_through_the_api(client, world_a, template):
    client.force_login(world_a.handler)
    response = post(client, reverse("api:integrity:pledge-sign"), {"template": template.pk})
    assert response.status_code == 201
    assert response.json()["text_sha256"] == template.document_sha256()


def test_signing_a_superseded_version_through_the_api_is_a_409(client, world_a, template):
    pledge_template_publish(
        park=world_a.park, signer_kind=SignerKind.OFFICIAL, title="新版", text="新正文", actor=world_a.discipline
    )
    client.force_login(world_a.handler)
    response = post(client, reverse("api:integrity:pledge-sign"), {"template": template.pk})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "template_superseded")


def test_pledge_templates_show_the_document_hash(client, world_a, template):
    client.force_login(world_a.enterprise_user)
    rows = client.get(reverse("api:integrity:pledge-template-list"), {"current": "true"}).json()["results"]
    assert [(row["id"], row["sha256"]) for row in rows] == [(template.pk, template.document_sha256())]


def test_pledges_filter_by_validity(client, world_a, template):
    pledge_sign(template=template, actor=world_a.handler, now=timezone.now() - timezone.timedelta(days=400))
    client.force_login(world_a.discipline)
    url = reverse("api:integrity:pledge-list")
    assert (
        client.get(url, {"valid": "true"}).json()["count"],
        client.get(url, {"valid": "false"}).json()["count"],
    ) == (0, 1)


def test_conduct_lists_are_public(client, world_a):
    conduct_list_publish(
        park=world_a.park,
        audience=Audience.OFFICIALS,
        title="十不准",
        items=[(ConductKind.PROHIBITED, "不准吃拿卡要")],
        actor=world_a.park_admin,
    )
    rows = client.get(reverse("api:integrity:conduct-list-list")).json()["results"]
    assert [item["text"] for item in rows[0]["items"]] == ["不准吃拿卡要"]


def test_declaring_a_gift_and_its_review_through_the_api(client, world_a):
    client.force_login(world_a.handler)
    created = post(
        client,
        reverse("api:integrity:gift-declaration-list"),
        {
            "park": world_a.park.pk,
            "giver_name": "某公司",
            "received_on": timezone.localdate().isoformat(),
            "gift_kind": "goods",
            "description": "茶叶",
            "estimated_value": "200.00",
            "handling": "handed_in",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert post(client, reverse("api:integrity:gift-declaration-submit", args=[pk])).json()["status"] == "submitted"
    client.force_login(world_a.discipline)
    returned = post(client, reverse("api:integrity:gift-declaration-return", args=[pk]), {"reason": "请补充照片"})
    assert returned.json()["status"] == "returned"
    client.force_login(world_a.handler)
    patched = client.patch(
        reverse("api:integrity:gift-declaration-detail", args=[pk]),
        {"description": "茶叶两盒"},
        content_type="application/json",
    )
    assert patched.json()["description"] == "茶叶两盒"
    post(client, reverse("api:integrity:gift-declaration-submit", args=[pk]))
    client.force_login(world_a.discipline)
    assert post(client, reverse("api:integrity:gift-declaration-accept", args=[pk])).json()["status"] == "accepted"


def test_cash_not_handed_in_is_a_400_naming_the_field(client, world_a):
    client.force_login(world_a.handler)
    response = post(
        client,
        reverse("api:integrity:gift-declaration-list"),
        {
            "park": world_a.park.pk,
            "giver_name": "某人",
            "received_on": timezone.localdate().isoformat(),
            "gift_kind": "cash",
            "description": "红包",
            "estimated_value": "1000",
            "handling": "returned",
        },
    )
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["handling"])


def test_an_invalid_credit_code_is_a_400(client, world_a):
    client.force_login(world_a.handler)
    response = post(
        client,
        reverse("api:integrity:interest-declaration-list"),
        {
            "park": world_a.park.pk,
            "relative_name": "李某",
            "relation": "spouse",
            "enterprise_name": "某公司",
            "credit_code": "91350100M000100Y4X",
            "role": "owner",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 400


def test_requiring_an_action_through_the_api(client, world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    response = post(
        client,
        reverse("api:integrity:gift-declaration-require-action", args=[declaration.pk]),
        {"action": "hand_in", "reason": "须上交"},
    )
    assert (response.json()["status"], response.json()["required_action"]) == ("action_required", "hand_in")


def test_a_forbidden_transition_through_the_api_is_a_409(client, world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.ACCEPTED)
    client.force_login(world_a.discipline)
    response = post(client, reverse("api:integrity:gift-declaration-accept", args=[declaration.pk]))
    assert (response.status_code, response.json()["error"]["code"]) == (409, "transition_not_allowed")


def test_the_declarations_api_filters_by_flag_and_lateness(client, world_a):
    make_declaration(world_a, kind=DeclarationKind.FAMILY_EVENT, status=DeclarationStatus.SUBMITTED, tables=30)
    make_declaration(world_a, kind=DeclarationKind.FAMILY_EVENT, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    url = reverse("api:integrity:family-event-declaration-list")
    assert client.get(url, {"is_flagged": "true"}).json()["count"] == 1


def test_the_interest_api_filters_by_credit_code(client, world_a):
    code = make_credit_code(99)
    make_declaration(world_a, kind=DeclarationKind.INTEREST, status=DeclarationStatus.SUBMITTED, credit_code=code)
    make_declaration(world_a, kind=DeclarationKind.INTEREST, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    url = reverse("api:integrity:interest-declaration-list")
    assert client.get(url, {"credit_code": code.lower()}).json()["count"] == 1


def test_declaration_lists_are_paginated(client, world_a):
    for _ in range(3):
        make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    body = client.get(reverse("api:integrity:gift-declaration-list"), {"page_size": 2}).json()
    assert (body["count"], len(body["results"]), bool(body["next"])) == (3, 2, True)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("api:integrity:gift-declaration-list", DeclarationKind.GIFT),
        ("api:integrity:family-event-declaration-list", DeclarationKind.FAMILY_EVENT),
        ("api:integrity:interest-declaration-list", DeclarationKind.INTEREST),
    ],
)
def test_declaration_list_queries_do_not_grow_with_rows(client, world_a, django_assert_max_num_queries, name, kind):
    extra = {"invited_enterprises": [world_a.enterprise]} if kind == DeclarationKind.FAMILY_EVENT else {}
    for _ in range(6):
        make_declaration(world_a, kind=kind, status=DeclarationStatus.SUBMITTED, **extra)
    client.force_login(world_a.discipline)
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name))
    assert response.json()["count"] == 6


def test_pledge_list_queries_do_not_grow_with_rows(client, world_a, template, django_assert_max_num_queries):
    for user in (world_a.handler, world_a.dispatcher, world_a.park_admin, world_a.discipline):
        pledge_sign(template=template, actor=user)
    client.force_login(world_a.discipline)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api:integrity:pledge-list"))
    assert response.json()["count"] == 4


def test_conduct_and_template_list_queries_are_pinned(client, world_a, template, django_assert_max_num_queries):
    client.force_login(world_a.handler)
    with django_assert_max_num_queries(8):
        client.get(reverse("api:integrity:pledge-template-list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("api:integrity:conduct-list-list"))


def test_the_schema_documents_the_integrity_endpoints_without_warnings(client, world_a):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = [path for path in schema["paths"] if path.startswith("/api/v1/integrity/")]
    assert "/api/v1/integrity/gift-declarations/{id}/require-action/" in paths
    assert "/api/v1/integrity/pledges/sign/" in paths
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache


def test_creating_a_declaration_through_the_api_is_refused_to_an_auditor(client, world_a):
    client.force_login(world_a.auditor)
    response = post(
        client,
        reverse("api:integrity:gift-declaration-list"),
        {
            "park": world_a.park.pk,
            "giver_name": "某公司",
            "received_on": timezone.localdate().isoformat(),
            "gift_kind": "goods",
            "description": "茶叶",
            "estimated_value": "200.00",
            "handling": "handed_in",
        },
    )
    assert (response.status_code, Declaration.objects.count(), Pledge.objects.count()) == (403, 0, 0)


def test_a_platform_administrator_lists_every_pledge(client, world_a, world_b, template, platform_admin):
    pledge_sign(template=template, actor=world_a.handler)
    client.force_login(platform_admin)
    assert client.get(reverse("api:integrity:pledge-list")).json()["count"] == 1


def test_an_official_lists_the_pledges_of_their_park_only(client, world_a, world_b, template):
    pledge_sign(template=template, actor=world_a.handler)
    client.force_login(world_b.discipline)
    assert client.get(reverse("api:integrity:pledge-list")).json()["count"] == 0

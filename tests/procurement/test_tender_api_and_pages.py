"""API permission matrix of suppliers, tenders and clarifications, clarification anonymity on the API and the
public page, and the supplier and tender pages rendering for their users."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core import roles
from procurement.choices import Method, SupplierStatus, TenderStatus
from procurement.models import Supplier, Tender
from procurement.services import tenders as services
from tests.conftest import make_official
from tests.procurement.conftest import make_supplier
from tests.procurement.factories import TenderFactory
from tests.procurement.factories_bids import set_up_officer

API = "/api/v1/procurement/"


@pytest.fixture
def published(world_a, procurement_officer):
    """An open tender of park A published now, with one question from park A's enterprise user, answered."""
    set_up_officer(world_a.discipline)
    now = timezone.now()
    tender = services.tender_create(
        park=world_a.park,
        actor=procurement_officer,
        title="园区保洁服务采购",
        method=Method.OPEN_TENDER,
        needs="保洁服务一年",
        budget=Decimal("500000"),
    )
    tender = services.tender_publish(
        tender=tender, actor=procurement_officer, bid_deadline=now + dt.timedelta(days=40), now=now
    )
    question = services.clarification_ask(tender=tender, actor=world_a.enterprise_user, question="是否含节假日？")
    services.clarification_answer(question=question, actor=procurement_officer, answer="含法定节假日。")
    return tender


# --- permission matrix ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["tenders/", "suppliers/", "qualifications/", "tender-changes/", "clarifications/"])
def test_anonymous_callers_are_refused(client, db, path):
    assert client.get(API + path).status_code in (401, 403)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("procurement_officer", 201), ("park_admin", 201), ("handler", 403), ("enterprise_user", 403), ("auditor", 403)],
)
def test_who_may_draft_a_tender_through_the_api(client, world_a, procurement_officer, who, expected):
    user = procurement_officer if who == "procurement_officer" else getattr(world_a, who)
    client.force_login(user)

    response = client.post(
        API + "tenders/",
        {"park": world_a.park.pk, "title": "采购", "method": "inquiry", "needs": "纸张", "budget": "10000.00"},
        content_type="application/json",
    )

    assert response.status_code == expected, response.content


def test_publishing_too_early_through_the_api_is_a_400_naming_the_rule(client, world_a, procurement_officer):
    tender = TenderFactory(park=world_a.park)
    client.force_login(procurement_officer)

    response = client.post(
        API + f"tenders/{tender.pk}/publish/",
        {"bid_deadline": (timezone.now() + dt.timedelta(days=5)).isoformat()},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "20" in response.content.decode()
    tender.refresh_from_db()
    assert tender.status == TenderStatus.DRAFT


def test_park_b_gets_404_for_a_park_a_draft(client, world_a, world_b):
    draft = TenderFactory(park=world_a.park)
    officer_b = make_official(park=world_b.park, role=roles.PROCUREMENT)
    client.force_login(officer_b)

    assert client.get(API + f"tenders/{draft.pk}/").status_code == 404
    assert client.post(API + f"tenders/{draft.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert draft.pk not in [row["id"] for row in client.get(API + "tenders/").json()["results"]]


def test_an_enterprise_user_registers_through_the_api_and_the_officer_approves(client, world_a, procurement_officer):
    client.force_login(world_a.enterprise_user)
    expires = (timezone.localdate() + dt.timedelta(days=300)).isoformat()
    response = client.post(
        API + "suppliers/",
        {
            "enterprise": world_a.enterprise.pk,
            "business_scope": "绿化养护",
            "qualifications": [
                {"kind": "business_licence", "number": "N-1", "issuer": "市监局", "expires_on": expires}
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    supplier_id = response.json()["id"]
    assert client.post(API + f"suppliers/{supplier_id}/approve/", {}).status_code == 403

    client.force_login(procurement_officer)
    response = client.post(API + f"suppliers/{supplier_id}/approve/", {}, content_type="application/json")

    assert response.status_code == 200 and response.json()["status"] == SupplierStatus.APPROVED
    assert response.json()["can_bid"] == {"allowed": True, "reason": ""}


def test_a_suspension_without_reason_is_a_400(client, world_a, procurement_officer):
    supplier, _user = make_supplier(world_a.park, "海南测试供应商有限公司")
    client.force_login(procurement_officer)

    response = client.post(API + f"suppliers/{supplier.pk}/suspend/", {"reason": ""}, content_type="application/json")

    assert response.status_code == 400
    assert Supplier.objects.get(pk=supplier.pk).status == SupplierStatus.APPROVED


def test_enterprise_users_see_only_their_own_supplier_registrations(client, world_a):
    mine = make_supplier(world_a.park, "自己的供应商")
    make_supplier(world_a.park, "别人的供应商")
    client.force_login(mine[1])

    ids = [row["id"] for row in client.get(API + "suppliers/").json()["results"]]

    assert ids == [mine[0].pk]


# --- clarification anonymity ------------------------------------------------------------------------------------


def test_the_api_never_names_the_asker_to_others(client, world_a, world_b, published):
    asker = world_a.enterprise_user
    client.force_login(world_b.enterprise_user)

    rows = client.get(API + "clarifications/", {"tender": published.pk}).json()["results"]

    assert [row["answer"] for row in rows] == ["含法定节假日。"]
    assert rows[0]["asked_by"] is None
    body = client.get(API + "clarifications/").content.decode()
    assert asker.username not in body and str(asker.get_full_name() or "§") not in body


def test_the_parks_procurement_officer_sees_the_asker(client, world_a, published, procurement_officer):
    client.force_login(procurement_officer)

    rows = client.get(API + "clarifications/", {"tender": published.pk}).json()["results"]

    assert rows[0]["asked_by"]["id"] == world_a.enterprise_user.pk


def test_the_public_page_shows_the_answer_without_the_asker(client, world_a, published):
    response = client.get(reverse("procurement:tender-detail", args=[published.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "含法定节假日。" in body and "500000" in body
    assert world_a.enterprise_user.username not in body


# --- pages ------------------------------------------------------------------------------------------------------


def test_public_pages_render_for_anonymous_visitors(client, world_a, published):
    make_supplier(world_a.park, "公开名录供应商")

    for name in ("procurement:tender-list", "procurement:supplier-directory"):
        response = client.get(reverse(name))
        assert response.status_code == 200
    assert "公开名录供应商" in client.get(reverse("procurement:supplier-directory")).content.decode()
    assert published.title in client.get(reverse("procurement:tender-list")).content.decode()


def test_a_draft_page_is_a_404_for_the_public(client, world_a):
    draft = TenderFactory(park=world_a.park)

    assert client.get(reverse("procurement:tender-detail", args=[draft.pk])).status_code == 404


def test_officer_pages_render(client, world_a, procurement_officer, published):
    supplier, _user = make_supplier(world_a.park, "待审供应商")
    Supplier.objects.filter(pk=supplier.pk).update(status=SupplierStatus.PENDING)
    draft = TenderFactory(park=world_a.park)
    client.force_login(procurement_officer)

    for url in (
        reverse("procurement:tender-manage"),
        reverse("procurement:tender-create"),
        reverse("procurement:tender-detail", args=[draft.pk]),
        reverse("procurement:tender-edit", args=[draft.pk]),
        reverse("procurement:tender-detail", args=[published.pk]),
        reverse("procurement:supplier-review"),
        reverse("procurement:supplier-detail", args=[supplier.pk]),
    ):
        assert client.get(url).status_code == 200, url
    body = client.get(reverse("procurement:tender-detail", args=[published.pk])).content.decode()
    assert 'id="tender-stage-sections"' in body and 'id="officer-questions"' in body


def test_enterprise_pages_render(client, world_a):
    client.force_login(world_a.enterprise_user)

    assert client.get(reverse("procurement:supplier-register")).status_code == 200
    assert client.get(reverse("procurement:my-suppliers")).status_code == 200
    assert client.get(reverse("procurement:tender-manage")).status_code == 404


def test_drafting_and_publishing_through_the_pages(client, world_a, procurement_officer):
    set_up_officer(world_a.discipline)
    client.force_login(procurement_officer)

    response = client.post(
        reverse("procurement:tender-create") + f"?park={world_a.park.pk}",
        {
            "title": "页面创建的采购",
            "method": "inquiry",
            "category": "goods",
            "needs": "打印纸",
            "budget": "30000",
            "price_weight": 30,
        },
    )
    tender = Tender.objects.get(title="页面创建的采购")
    assert response.status_code == 302
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=15)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("procurement:tender-publish", args=[tender.pk]), {"bid_deadline": deadline})

    tender.refresh_from_db()
    assert tender.status == TenderStatus.PUBLISHED


def test_registering_through_the_page(client, world_a, procurement_officer):
    client.force_login(world_a.enterprise_user)

    response = client.post(
        reverse("procurement:supplier-register"),
        {
            "enterprise": world_a.enterprise.pk,
            "business_scope": "物业服务",
            "kind": "business_licence",
            "number": "YYZZ-1",
            "issuer": "市监局",
            "expires_on": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        },
    )

    assert response.status_code == 302
    assert Supplier.objects.get(enterprise=world_a.enterprise).status == SupplierStatus.PENDING

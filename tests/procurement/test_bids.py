"""Submitting, replacing and withdrawing sealed bids: deadlines, who may bid, input checks, receipts, API."""

import base64
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from procurement.choices import BidStatus
from procurement.models import Bid
from procurement.services.bids import bid_submit, bid_withdraw
from tests.procurement.factories_bids import publish, set_up_officer, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_sealing")]


@pytest.fixture
def tender(world_a, procurement_officer):
    set_up_officer(world_a.discipline)
    return publish(world_a, procurement_officer)


def test_a_sealed_bid_gets_a_receipt_with_its_commitment_and_an_audit_event(tender, suppliers_a):
    supplier, user = suppliers_a[0]
    bid, sealed = submit(tender, supplier, user)
    assert bid.receipt.startswith("R-") and bid.commitment == sealed["commitment"]
    event = events_for(bid).get(action="bid.submitted")
    assert event.data["commitment"] == sealed["commitment"]
    assert sealed["ciphertext"] not in str(event.data)


def test_a_late_bid_is_refused_naming_the_deadline(tender, suppliers_a):
    supplier, user = suppliers_a[0]
    with pytest.raises(Conflict) as raised:
        submit(tender, supplier, user, now=tender.bid_deadline)
    assert raised.value.code == "late_bid"
    from django.utils import formats, timezone

    assert formats.date_format(timezone.localtime(tender.bid_deadline), "DATETIME_FORMAT") in str(raised.value)
    assert not Bid.objects.exists()


def test_a_new_bid_replaces_the_live_one(tender, suppliers_a):
    supplier, user = suppliers_a[0]
    first, _ = submit(tender, supplier, user, price="1.00")
    second, _ = submit(tender, supplier, user, price="2.00")
    first.refresh_from_db()
    assert (first.status, first.replaced_by_id, second.status) == (BidStatus.REPLACED, second.pk, BidStatus.SEALED)
    assert [e.action for e in events_for(first)] == ["bid.submitted", "bid.replaced"]


def test_a_bid_can_be_withdrawn_before_the_deadline(tender, suppliers_a):
    supplier, user = suppliers_a[0]
    bid, _ = submit(tender, supplier, user)
    bid_withdraw(bid=bid, actor=user)
    bid.refresh_from_db()
    assert bid.status == BidStatus.WITHDRAWN and bid.withdrawn_at is not None


def test_a_bid_cannot_be_withdrawn_at_the_deadline(tender, suppliers_a):
    supplier, user = suppliers_a[0]
    bid, _ = submit(tender, supplier, user)
    with pytest.raises(Conflict):
        bid_withdraw(bid=bid, actor=user, now=tender.bid_deadline)


def test_only_the_suppliers_own_users_bid_or_withdraw(tender, suppliers_a):
    supplier, user = suppliers_a[0]
    _other_supplier, other_user = suppliers_a[1]
    with pytest.raises(PermissionDenied):
        submit(tender, supplier, other_user)
    bid, _ = submit(tender, supplier, user)
    with pytest.raises(PermissionDenied):
        bid_withdraw(bid=bid, actor=other_user)


def test_a_suspended_supplier_cannot_bid(tender, suppliers_a):
    supplier, user = suppliers_a[0]
    supplier.status = "suspended"
    supplier.save(update_fields=["status"])
    with pytest.raises(DomainError):
        submit(tender, supplier, user)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("wrapped_key", base64.b64encode(b"x" * 256).decode(), "bad_length"),
        ("iv", base64.b64encode(b"x" * 16).decode(), "bad_length"),
        ("commitment", "z" * 64, "bad_commitment"),
        ("commitment", "ab" * 31, "bad_commitment"),
        ("ciphertext", "not base64!", "bad_base64"),
        ("ciphertext", base64.b64encode(b"short").decode(), "bad_length"),
    ],
)
def test_malformed_sealed_fields_are_refused(tender, suppliers_a, field, value, code):
    from procurement import sealing

    supplier, user = suppliers_a[0]
    sealed = sealing.client_seal(tender.public_key_pem, {"price": "1.00"})
    sealed[field] = value
    with pytest.raises(DomainError) as raised:
        bid_submit(tender=tender, supplier=supplier, actor=user, **sealed)
    assert (raised.value.code, raised.value.field) == (code, field)
    assert not Bid.objects.exists()


def test_an_oversized_ciphertext_is_refused(tender, suppliers_a, monkeypatch):
    from procurement import sealing

    monkeypatch.setattr(sealing, "MAX_CIPHERTEXT_BYTES", 64)
    supplier, user = suppliers_a[0]
    sealed = sealing.client_seal(tender.public_key_pem, {"price": "1.00", "note": "x" * 200})
    with pytest.raises(DomainError) as raised:
        bid_submit(tender=tender, supplier=supplier, actor=user, **sealed)
    assert raised.value.code == "too_large"


def test_the_api_takes_a_sealed_bid_and_never_returns_its_ciphertext(client, tender, suppliers_a):
    from procurement import sealing

    supplier, user = suppliers_a[0]
    sealed = sealing.client_seal(tender.public_key_pem, {"price": "5.00"})
    client.force_login(user)
    response = client.post(
        "/api/v1/procurement/bids/",
        {"tender": tender.pk, "supplier": supplier.pk, **sealed},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["commitment"] == sealed["commitment"] and "ciphertext" not in body and "wrapped_key" not in body
    listing = client.get("/api/v1/procurement/bids/").content.decode()
    assert sealed["ciphertext"][:40] not in listing and sealed["wrapped_key"][:40] not in listing


def test_the_api_refuses_a_late_bid_with_409(client, tender, suppliers_a):
    from procurement import sealing

    supplier, user = suppliers_a[0]
    sealed = sealing.client_seal(tender.public_key_pem, {"price": "5.00"})
    with time_machine.travel(tender.bid_deadline + dt.timedelta(seconds=1)):
        client.force_login(user)
        response = client.post(
            "/api/v1/procurement/bids/",
            {"tender": tender.pk, "supplier": supplier.pk, **sealed},
            content_type="application/json",
        )
    assert response.status_code == 409


def test_the_bid_page_takes_the_ciphertext_as_a_file_and_shows_the_receipt(client, tender, suppliers_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from procurement import sealing

    supplier, user = suppliers_a[0]
    sealed = sealing.client_seal(tender.public_key_pem, {"price": "5.00"})
    client.force_login(user)
    response = client.post(
        reverse("procurement:bid-submit", args=[tender.pk]),
        {
            "supplier": supplier.pk,
            "wrapped_key": sealed["wrapped_key"],
            "iv": sealed["iv"],
            "commitment": sealed["commitment"],
            "ciphertext": SimpleUploadedFile("sealed-bid.bin", base64.b64decode(sealed["ciphertext"])),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert sealed["commitment"] in response.content.decode()
    assert Bid.objects.get().commitment == sealed["commitment"]


def test_the_bid_form_has_no_named_price_note_or_file_inputs(client, tender, suppliers_a):
    supplier, user = suppliers_a[0]
    client.force_login(user)
    body = client.get(reverse("procurement:bid-submit", args=[tender.pk])).content.decode()
    for element_id in ("bid-price", "bid-note", "bid-files"):
        start = body.index(f'id="{element_id}"')
        tag = body[body.rindex("<", 0, start) : body.index(">", start)]
        assert " name=" not in tag


def test_the_bid_form_is_not_for_users_without_a_supplier(client, tender, world_a):
    client.force_login(world_a.handler)
    assert client.get(reverse("procurement:bid-submit", args=[tender.pk])).status_code == 404

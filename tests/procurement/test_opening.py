"""Opening sealed bids: two parties, commitments, tampering, aliases, failing below the minimum, and proof that
before opening no table, page, API or admin holds the price or the note."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import AuditEvent
from procurement.choices import BidStatus, TenderStatus
from procurement.models import Bid
from procurement.services.opening import alias_for, tender_open
from tests.procurement.factories_bids import PASSWORD, bidding_world, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_sealing")]

SECRET_PRICE = "987654.32"
SECRET_NOTE = "机密备注-只有开标后才能看到-QX7"


def _open(w, world, officer_user, **kw):
    return tender_open(
        tender=w.tender,
        actor=officer_user,
        officer=world.discipline,
        officer_password=PASSWORD,
        now=w.after_deadline,
        **kw,
    )


def test_opening_with_the_officers_password_decrypts_every_bid_and_matches_the_commitments(
    world_a, procurement_officer, suppliers_a
):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    tender = _open(w, world_a, procurement_officer)
    assert tender.status == TenderStatus.OPENED
    assert sorted(str(b.price) for b in tender.bids.filter(status=BidStatus.OPENED)) == [
        "100000.00",
        "110000.00",
        "120000.00",
    ]
    assert all(b.commitment_ok and b.is_valid for b in tender.bids.all())
    assert tender.opening_cosigned_by == world_a.discipline


def test_every_decrypted_bid_is_an_audit_event_without_ciphertext(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    _open(w, world_a, procurement_officer)
    for bid in w.bids:
        bid.refresh_from_db()
        events = [e for e in events_for(bid) if e.action == "bid.unsealed"]
        assert len(events) == 1 and events[0].data["commitment_ok"] is True
        assert "ciphertext" not in events[0].data


def test_aliases_are_distinct_letters(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    tender = _open(w, world_a, procurement_officer)
    assert sorted(tender.bids.values_list("alias", flat=True)) == ["A", "B", "C"]


def test_alias_letters_continue_after_z():
    assert [alias_for(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_opening_without_the_officers_password_fails_and_opens_nothing(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    with pytest.raises(DomainError):
        tender_open(
            tender=w.tender,
            actor=procurement_officer,
            officer=world_a.discipline,
            officer_password="",
            now=w.after_deadline,
        )
    assert not Bid.objects.filter(status=BidStatus.OPENED).exists()


def test_a_wrong_password_fails_is_recorded_and_opens_nothing(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    with pytest.raises(DomainError) as raised:
        tender_open(
            tender=w.tender,
            actor=procurement_officer,
            officer=world_a.discipline,
            officer_password="guess",
            now=w.after_deadline,
        )
    assert raised.value.code == "wrong_password"
    w.tender.refresh_from_db()
    assert w.tender.status == TenderStatus.CLOSED and w.tender.opened_at is None
    assert [e.action for e in events_for(w.tender)][-1] == "tender.opening_refused"
    assert set(Bid.objects.values_list("status", flat=True)) == {BidStatus.SEALED}


def test_the_opening_needs_two_different_people(world_a, procurement_officer, suppliers_a):
    from django.contrib.auth import get_user_model

    from core import roles

    w = bidding_world(world_a, procurement_officer, suppliers_a)
    world_a.discipline.groups.add(*procurement_officer.groups.filter(name=roles.PROCUREMENT))
    both = get_user_model().objects.get(pk=world_a.discipline.pk)
    with pytest.raises(DomainError) as raised:
        tender_open(tender=w.tender, actor=both, officer=both, officer_password=PASSWORD, now=w.after_deadline)
    assert raised.value.code == "same_person"
    w.tender.refresh_from_db()
    assert w.tender.status == TenderStatus.CLOSED


def test_only_procurement_officers_open(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    with pytest.raises(PermissionDenied):
        tender_open(
            tender=w.tender,
            actor=world_a.handler,
            officer=world_a.discipline,
            officer_password=PASSWORD,
            now=w.after_deadline,
        )


def test_the_cosigner_must_be_a_discipline_officer_of_the_park(world_a, world_b, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    with pytest.raises(PermissionDenied):
        tender_open(
            tender=w.tender,
            actor=procurement_officer,
            officer=world_b.discipline,
            officer_password=PASSWORD,
            now=w.after_deadline,
        )


def test_a_tender_still_open_for_bids_cannot_be_opened(world_a, procurement_officer, suppliers_a):
    from tests.procurement.factories_bids import publish, set_up_officer

    set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    with pytest.raises(Conflict):
        tender_open(tender=tender, actor=procurement_officer, officer=world_a.discipline, officer_password=PASSWORD)


def test_a_flipped_ciphertext_byte_in_the_database_is_reported_as_tampered(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a, prices=("100000.00", "110000.00", "120000.00"))
    target = w.bids[1]
    raw = bytearray(Bid.objects.get(pk=target.pk).ciphertext)
    raw[5] ^= 0xFF
    Bid.objects.filter(pk=target.pk).update(ciphertext=bytes(raw))
    _open(w, world_a, procurement_officer)
    target.refresh_from_db()
    assert (target.status, target.commitment_ok, target.is_valid, target.price) == (
        BidStatus.TAMPERED,
        False,
        False,
        None,
    )
    assert "Ciphertext changed" in target.opening_note


def test_a_tampered_bid_leaves_too_few_valid_bids_and_fails_the_tender(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    Bid.objects.filter(pk=w.bids[0].pk).update(commitment="0" * 64)
    tender = _open(w, world_a, procurement_officer)
    assert tender.status == TenderStatus.FAILED
    assert "2 valid" in tender.failure_reason
    assert tender.changes.filter(kind="failure").exists()


def test_fewer_valid_bids_than_the_minimum_fails_the_tender(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a[:2])
    tender = _open(w, world_a, procurement_officer)
    assert tender.status == TenderStatus.FAILED and tender.opened_at is not None


def test_a_supplier_suspended_before_the_deadline_has_its_bid_marked_invalid(world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    supplier = suppliers_a[0][0]
    supplier.status = "suspended"
    supplier.save(update_fields=["status"])
    _open(w, world_a, procurement_officer)
    bid = Bid.objects.get(supplier=supplier, tender=w.tender)
    assert bid.commitment_ok is True and bid.is_valid is False


def test_replaced_and_withdrawn_bids_are_never_decrypted(world_a, procurement_officer, suppliers_a):
    from procurement.services.bids import bid_withdraw
    from tests.procurement.factories_bids import close, publish, set_up_officer

    set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    (s1, u1), (s2, u2), (s3, u3) = suppliers_a
    old, _ = submit(tender, s1, u1, price="1.00")
    submit(tender, s1, u1, price="2.00")
    withdrawn, _ = submit(tender, s2, u2, price="3.00")
    bid_withdraw(bid=withdrawn, actor=u2)
    submit(tender, s3, u3, price="4.00")
    close(tender)
    tender_open(
        tender=tender,
        actor=procurement_officer,
        officer=world_a.discipline,
        officer_password=PASSWORD,
        now=tender.bid_deadline + dt.timedelta(minutes=1),
    )
    old.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (old.status, old.price, withdrawn.status, withdrawn.price) == (
        BidStatus.REPLACED,
        None,
        BidStatus.WITHDRAWN,
        None,
    )
    assert sorted(str(p) for p in Bid.objects.filter(status=BidStatus.OPENED).values_list("price", flat=True)) == [
        "2.00",
        "4.00",
    ]


def test_documents_are_stored_as_attachments_with_their_hash(world_a, procurement_officer, suppliers_a):
    import hashlib

    from tests.procurement.factories_bids import close, publish, set_up_officer

    set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    content = "技术方案：三年上门保修。\n".encode()
    bids = [
        submit(tender, s, u, price=p, documents=[("plan.txt", content)])[0]
        for (s, u), p in zip(suppliers_a, ("1.00", "2.00", "3.00"), strict=True)
    ]
    close(tender)
    tender_open(
        tender=tender,
        actor=procurement_officer,
        officer=world_a.discipline,
        officer_password=PASSWORD,
        now=tender.bid_deadline + dt.timedelta(minutes=1),
    )
    document = bids[0].documents.get()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.attachment.file.read() == content


def _database_text():
    """Every value of every column of every table, as text and bytes."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        chunks.append(bytes(value))
                    else:
                        chunks.append(str(value).encode("utf-8"))
    return b"\n".join(chunks)


def _sealed_world(world_a, procurement_officer, suppliers_a):
    from tests.procurement.factories_bids import close, publish, set_up_officer

    set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    (supplier, user) = suppliers_a[0]
    bid, _ = submit(
        tender, supplier, user, price=SECRET_PRICE, note=SECRET_NOTE, documents=[("x.txt", SECRET_NOTE.encode())]
    )
    close(tender)
    return tender, bid, user


def test_before_opening_no_row_of_any_table_holds_the_price_or_the_note(world_a, procurement_officer, suppliers_a):
    tender, _bid, _user = _sealed_world(world_a, procurement_officer, suppliers_a)
    dump = _database_text()
    assert len(dump) > 1000
    for needle in (SECRET_PRICE, SECRET_PRICE.replace(".", ""), SECRET_NOTE):
        assert needle.encode("utf-8") not in dump
        assert needle.encode("utf-16-le") not in dump


def test_the_database_scan_finds_a_price_once_one_is_stored(world_a, procurement_officer, suppliers_a):
    # The scan above can find what it looks for: the same scan sees the price once the bid is opened.
    tender, bid, _user = _sealed_world(world_a, procurement_officer, suppliers_a)
    Bid.objects.filter(pk=bid.pk).update(price=SECRET_PRICE)
    assert SECRET_PRICE.encode() in _database_text()


def test_before_opening_no_page_api_or_admin_shows_the_price_or_the_note(
    client, world_a, procurement_officer, suppliers_a, platform_admin
):
    tender, bid, user = _sealed_world(world_a, procurement_officer, suppliers_a)
    paths = {
        user: [
            reverse("procurement:bid-receipt", args=[bid.pk]),
            reverse("procurement:my-bids"),
            "/api/v1/procurement/bids/",
            f"/api/v1/procurement/bids/{bid.pk}/",
        ],
        procurement_officer: [
            reverse("procurement:tender-open", args=[tender.pk]),
            reverse("procurement:tender-commitments", args=[tender.pk]),
            "/api/v1/procurement/openings/",
            f"/api/v1/procurement/openings/{tender.pk}/",
            f"/api/v1/procurement/bid-commitments/?tender={tender.pk}",
        ],
        platform_admin: [
            reverse("admin:procurement_bid_changelist"),
            reverse("admin:procurement_bid_change", args=[bid.pk]),
            reverse("admin:procurement_tender_change", args=[tender.pk]),
            reverse("admin:core_auditevent_changelist"),
        ],
    }
    platform_admin.is_staff = True
    platform_admin.save(update_fields=["is_staff"])
    for viewer, urls in paths.items():
        client.force_login(viewer)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert SECRET_PRICE not in body and SECRET_NOTE not in body, url
    assert not AuditEvent.objects.filter(data__icontains=SECRET_PRICE).exists()


def test_the_commitments_are_published_at_the_deadline(client, world_a, procurement_officer, suppliers_a):
    tender, bid, _user = _sealed_world(world_a, procurement_officer, suppliers_a)
    client.force_login(world_a.enterprise_user)
    body = client.get(reverse("procurement:tender-commitments", args=[tender.pk])).content.decode()
    assert bid.commitment in body and bid.receipt in body


def test_the_opening_record_shows_names_prices_and_checks_to_bidders(client, world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    _open(w, world_a, procurement_officer)
    client.force_login(suppliers_a[0][1])
    body = client.get(reverse("procurement:opening-record", args=[w.tender.pk])).content.decode()
    assert "110000.00" in body and suppliers_a[2][0].enterprise.name in body


def test_the_opening_record_is_hidden_from_other_enterprises(client, world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    _open(w, world_a, procurement_officer)
    client.force_login(world_a.enterprise_user)
    assert client.get(reverse("procurement:opening-record", args=[w.tender.pk])).status_code == 404


def test_the_opening_page_opens_with_the_cosigners_password(client, world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    with time_machine.travel(w.after_deadline):
        client.force_login(procurement_officer)
        response = client.post(
            reverse("procurement:tender-open", args=[w.tender.pk]),
            {"officer": world_a.discipline.pk, "officer_password": PASSWORD},
        )
    assert response.status_code == 302
    w.tender.refresh_from_db()
    assert w.tender.status == TenderStatus.OPENED


def test_the_opening_api_refuses_a_wrong_password(client, world_a, procurement_officer, suppliers_a):
    w = bidding_world(world_a, procurement_officer, suppliers_a)
    with time_machine.travel(w.after_deadline):
        client.force_login(procurement_officer)
        response = client.post(
            f"/api/v1/procurement/openings/{w.tender.pk}/open/",
            {"officer": world_a.discipline.pk, "officer_password": "nope"},
            content_type="application/json",
        )
    assert response.status_code == 400
    w.tender.refresh_from_db()
    assert w.tender.status == TenderStatus.CLOSED

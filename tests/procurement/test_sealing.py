"""The cryptography of sealed bids and the officers' opening keys (procurement.sealing, services.keys)."""

import base64
import json

import pytest
from django.test import override_settings

from core.audit import events_for
from core.errors import DomainError, PermissionDenied
from procurement import sealing
from procurement.models import OfficerKey, TenderKeyShare
from procurement.services.keys import (
    officer_key_change_password,
    officer_key_ensure,
    officer_key_recover,
    officer_key_replace,
)
from tests.procurement.factories import TenderFactory
from tests.procurement.factories_bids import PASSWORD, publish, set_up_officer

NEW_PASSWORD = "another-pass-67890"
pytestmark = pytest.mark.usefixtures("fast_sealing")


def _raw(sealed):
    return {k: (base64.b64decode(v) if k != "commitment" else v) for k, v in sealed.items()}


def test_client_seal_round_trip_decrypts_with_the_private_key_and_matches_the_commitment():
    key = sealing.generate_rsa_key()
    sealed = sealing.client_seal(sealing.public_pem(key), {"price": "99.50", "note": "含税价", "documents": []})
    result = sealing.unseal_bid(key, **_raw(sealed))
    assert (result.ok, result.price, result.note) == (True, "99.50", "含税价")


def test_the_wrapped_key_is_384_bytes_and_the_iv_12():
    key = sealing.generate_rsa_key()
    raw = _raw(sealing.client_seal(sealing.public_pem(key), {"price": "1.00"}))
    assert (len(raw["wrapped_key"]), len(raw["iv"]), len(raw["commitment"])) == (384, 12, 64)


def test_two_seals_of_the_same_price_have_different_commitments():
    pem = sealing.public_pem(sealing.generate_rsa_key())
    assert (
        sealing.client_seal(pem, {"price": "1.00"})["commitment"]
        != sealing.client_seal(pem, {"price": "1.00"})["commitment"]
    )


def test_a_flipped_ciphertext_byte_is_reported_as_a_changed_ciphertext():
    key = sealing.generate_rsa_key()
    raw = _raw(sealing.client_seal(sealing.public_pem(key), {"price": "1.00"}))
    raw["ciphertext"] = bytes([raw["ciphertext"][0] ^ 1]) + raw["ciphertext"][1:]
    assert sealing.unseal_bid(key, **raw).problem == "ciphertext"


def test_a_consistent_re_encryption_of_another_plaintext_fails_the_commitment():
    key = sealing.generate_rsa_key()
    pem = sealing.public_pem(key)
    original = _raw(sealing.client_seal(pem, {"price": "1.00"}))
    forged = _raw(sealing.client_seal(pem, {"price": "2.00"}))
    forged["commitment"] = original["commitment"]
    result = sealing.unseal_bid(key, **forged)
    assert (result.ok, result.problem) == (False, "commitment")


def test_the_plaintext_is_the_documented_json():
    body = json.loads(
        sealing.build_plaintext({"price": "5.00", "note": "n", "documents": [{"name": "a", "content_b64": ""}]})
    )
    assert set(body) == {"price", "nonce", "note", "documents"} and len(body["nonce"]) == 32


@pytest.mark.django_db
def test_officer_key_ensure_creates_a_key_that_unlocks_only_with_the_password(world_a):
    key = officer_key_ensure(user=world_a.discipline, password=PASSWORD)
    assert sealing.officer_private_key(key, PASSWORD) is not None
    with pytest.raises(sealing.SealingError):
        sealing.officer_private_key(key, "wrong-password")
    assert [e.action for e in events_for(key)] == ["officer_key.created"]


@pytest.mark.django_db
def test_officer_key_ensure_refuses_a_password_that_is_not_the_accounts(world_a):
    with pytest.raises(DomainError):
        officer_key_ensure(user=world_a.discipline, password="not-my-password")
    assert not OfficerKey.objects.exists()


@pytest.mark.django_db
def test_officer_key_ensure_refuses_users_who_are_not_discipline_officers(world_a):
    with pytest.raises(PermissionDenied):
        officer_key_ensure(user=world_a.handler, password=PASSWORD)


@pytest.mark.django_db
def test_officer_key_ensure_twice_keeps_the_same_key(world_a):
    first = officer_key_ensure(user=world_a.discipline, password=PASSWORD)
    assert officer_key_ensure(user=world_a.discipline, password=PASSWORD).fingerprint == first.fingerprint


@pytest.mark.django_db
def test_the_officer_private_key_is_never_stored_in_clear(world_a):
    key = officer_key_ensure(user=world_a.discipline, password=PASSWORD)
    private = sealing.officer_private_key(key, PASSWORD)
    der = sealing._pkcs8(private)
    assert der[40:80] not in bytes(key.encrypted_private_key)


@pytest.mark.django_db
def test_publication_is_refused_when_no_discipline_officer_has_an_opening_key(world_a, procurement_officer):
    with pytest.raises(DomainError) as raised:
        publish(world_a, procurement_officer)
    assert raised.value.code == "no_officer_key"


@pytest.mark.django_db
def test_publication_wraps_a_share_to_every_discipline_officer_with_a_key(world_a, procurement_officer):
    from core import roles
    from tests.conftest import make_official

    second = make_official(park=world_a.park, role=roles.DISCIPLINE, username="discipline_second")
    set_up_officer(world_a.discipline)
    set_up_officer(second)
    tender = publish(world_a, procurement_officer)
    assert TenderKeyShare.objects.filter(tender=tender).count() == 2
    assert tender.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")


@pytest.mark.django_db
def test_the_tender_key_opens_with_the_platform_key_and_an_officers_password(world_a, procurement_officer):
    key = set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    private = sealing.tender_private_key(tender=tender, officer_key=key, password=PASSWORD)
    assert sealing.public_pem(private) == tender.public_key_pem


@pytest.mark.django_db
def test_an_administrator_with_the_database_and_the_sealing_key_but_no_officer_password_cannot_decrypt(
    world_a, procurement_officer
):
    key = set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    for guess in ("", "admin", "pass-12345-wor", tender.number):
        with pytest.raises(sealing.SealingError):
            sealing.tender_private_key(tender=tender, officer_key=key, password=guess)


@pytest.mark.django_db
def test_the_officers_password_without_the_platform_sealing_key_cannot_decrypt(world_a, procurement_officer):
    key = set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    with (
        override_settings(SEALING_KEY="another-server-sealing-key-of-enough-length-xyz"),
        pytest.raises(sealing.SealingError) as raised,
    ):
        sealing.tender_private_key(tender=tender, officer_key=key, password=PASSWORD)
    assert raised.value.code == "bad_platform_share"


@pytest.mark.django_db
def test_a_share_copied_to_another_tender_does_not_open_it(world_a, procurement_officer):
    key = set_up_officer(world_a.discipline)
    first = publish(world_a, procurement_officer)
    second = publish(world_a, procurement_officer)
    second.platform_share = first.platform_share
    with pytest.raises(sealing.SealingError):
        sealing.tender_private_key(tender=second, officer_key=key, password=PASSWORD)


@pytest.mark.django_db
def test_a_password_change_re_encrypts_the_key_and_openings_keep_working(world_a, procurement_officer):
    key = set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    officer_key_change_password(user=world_a.discipline, old_password=PASSWORD, new_password=NEW_PASSWORD)
    key.refresh_from_db()
    assert sealing.tender_private_key(tender=tender, officer_key=key, password=NEW_PASSWORD)
    with pytest.raises(sealing.SealingError):
        sealing.officer_private_key(key, PASSWORD)


@pytest.mark.django_db
def test_after_a_reset_the_key_is_locked_and_the_previous_password_recovers_it(world_a, procurement_officer):
    key = set_up_officer(world_a.discipline)
    world_a.discipline.set_password(NEW_PASSWORD)
    world_a.discipline.save()
    with pytest.raises(sealing.SealingError) as raised:
        officer_key_ensure(user=world_a.discipline, password=NEW_PASSWORD)
    assert raised.value.code == "key_locked"
    officer_key_recover(user=world_a.discipline, previous_password=PASSWORD, password=NEW_PASSWORD)
    key.refresh_from_db()
    assert sealing.officer_private_key(key, NEW_PASSWORD)


@pytest.mark.django_db
def test_replacing_a_key_loses_only_that_officers_shares(world_a, procurement_officer):
    from core import roles
    from tests.conftest import make_official

    second = make_official(park=world_a.park, role=roles.DISCIPLINE, username="discipline_second")
    set_up_officer(world_a.discipline)
    other_key = set_up_officer(second)
    tender = publish(world_a, procurement_officer)
    new_key = officer_key_replace(user=world_a.discipline, password=PASSWORD)
    assert not TenderKeyShare.objects.filter(officer_key=new_key).exists()
    assert sealing.tender_private_key(tender=tender, officer_key=other_key, password=PASSWORD)
    assert [e.action for e in events_for(new_key)] == ["officer_key.replaced"]


@pytest.mark.django_db
def test_the_key_of_an_officer_set_up_after_publication_holds_no_share(world_a, procurement_officer):
    from core import roles
    from tests.conftest import make_official

    set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    late = set_up_officer(make_official(park=world_a.park, role=roles.DISCIPLINE, username="discipline_late"))
    with pytest.raises(sealing.SealingError) as raised:
        sealing.tender_private_key(tender=tender, officer_key=late, password=PASSWORD)
    assert raised.value.code == "no_share"


@pytest.mark.django_db
def test_tender_keys_cannot_be_created_twice(world_a, procurement_officer):
    set_up_officer(world_a.discipline)
    tender = publish(world_a, procurement_officer)
    with pytest.raises(DomainError):
        sealing.tender_keys_create(tender=tender)


@pytest.mark.django_db
def test_tender_keys_need_a_saved_tender(world_a):
    set_up_officer(world_a.discipline)
    with pytest.raises(ValueError):
        sealing.tender_keys_create(tender=TenderFactory.build(park=world_a.park))

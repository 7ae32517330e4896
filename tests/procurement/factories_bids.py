"""Factories and helpers of the sealed-bid stage: officer keys, key shares, bids, bid documents, and a helper that
drives a tender through publication, sealed bidding and closing with the real services."""

import base64
import datetime as dt
import secrets
from types import SimpleNamespace

import factory
from django.utils import timezone

from procurement import models, sealing
from procurement.choices import BidStatus, Method
from procurement.services.bids import bid_submit
from procurement.services.keys import officer_key_ensure
from procurement.services.tenders import tender_close, tender_publish
from tests.accounts.factories import UserFactory
from tests.procurement.factories import SupplierFactory, TenderFactory

PASSWORD = "pass-12345-word"  # tests.accounts.factories.UserFactory's password


class OfficerKeyFactory(factory.django.DjangoModelFactory):
    """An officer key whose private key is encrypted under PASSWORD (real crypto: it unlocks)."""

    class Meta:
        model = models.OfficerKey

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        user = kwargs.pop("user")
        material = sealing.officer_key_material(user_id=user.pk, password=kwargs.pop("password", PASSWORD))
        return model_class.objects.create(user=user, **{**material, **kwargs})


class TenderKeyShareFactory(factory.django.DjangoModelFactory):
    """A share row with random bytes (for admin and listing tests; it opens nothing)."""

    class Meta:
        model = models.TenderKeyShare

    tender = factory.SubFactory(TenderFactory)
    officer_key = factory.SubFactory(OfficerKeyFactory)
    wrapped_share = factory.LazyFunction(lambda: secrets.token_bytes(sealing.WRAPPED_KEY_BYTES))


class BidFactory(factory.django.DjangoModelFactory):
    """A sealed bid row with random ciphertext (it decrypts to nothing; use `submit` for a real one)."""

    class Meta:
        model = models.Bid

    tender = factory.SubFactory(TenderFactory)
    supplier = factory.SubFactory(SupplierFactory, park=factory.SelfAttribute("..tender.park"))
    status = BidStatus.SEALED
    ciphertext = factory.LazyFunction(lambda: secrets.token_bytes(64))
    wrapped_key = factory.LazyFunction(lambda: secrets.token_bytes(sealing.WRAPPED_KEY_BYTES))
    iv = factory.LazyFunction(lambda: secrets.token_bytes(sealing.IV_BYTES))
    commitment = factory.LazyFunction(lambda: secrets.token_hex(32))
    ciphertext_sha256 = factory.LazyAttribute(lambda o: sealing.sha256_hex(o.ciphertext))
    receipt = factory.Sequence(lambda n: f"R-TEST-{n:06d}")
    submitted_by = factory.SubFactory(UserFactory)


class BidDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BidDocument

    bid = factory.SubFactory(BidFactory)
    name = factory.Sequence(lambda n: f"doc{n}.pdf")
    sha256 = factory.LazyFunction(lambda: secrets.token_hex(32))
    size = 1024


def set_up_officer(user, password=PASSWORD):
    return officer_key_ensure(user=user, password=password)


def publish(world, officer, *, method=Method.OPEN_TENDER, now=None, days=30, **fields):
    """A tender of world's park published by `officer` (a procurement officer) with its sealing keys; the
    park's discipline officer must have set up a key first. Returns the tender."""
    now = now or timezone.now()
    tender = TenderFactory(park=world.park, method=method, created_by=officer, **fields)
    return tender_publish(tender=tender, actor=officer, bid_deadline=now + dt.timedelta(days=days), now=now)


def submit(tender, supplier, user, *, price="123456.00", note="", documents=(), now=None):
    """Seal a bid as the browser does and submit it; returns (bid, sealed dict)."""
    tender.refresh_from_db()
    sealed = sealing.client_seal(
        tender.public_key_pem,
        {
            "price": price,
            "note": note,
            "documents": [
                {"name": name, "content_b64": base64.b64encode(content).decode()} for name, content in documents
            ],
        },
    )
    bid = bid_submit(tender=tender, supplier=supplier, actor=user, now=now, **sealed)
    return bid, sealed


def close(tender, now=None):
    """Close bidding at (or after) the deadline, publishing the commitments."""
    tender.refresh_from_db()
    return tender_close(tender=tender, actor=None, now=now or tender.bid_deadline)


def bidding_world(world, procurement_officer, suppliers, *, prices=("100000.00", "110000.00", "120000.00"), **kw):
    """Discipline officer's key, a published tender, one sealed bid per supplier at `prices`, closed. Returns a
    namespace (tender, bids, after_deadline)."""
    set_up_officer(world.discipline)
    tender = publish(world, procurement_officer, **kw)
    bids = []
    for (supplier, user), price in zip(suppliers, prices, strict=False):
        bids.append(submit(tender, supplier, user, price=price, note=f"note for {price}")[0])
    after = tender.bid_deadline + dt.timedelta(minutes=1)
    close(tender, now=tender.bid_deadline)
    tender.refresh_from_db()
    return SimpleNamespace(tender=tender, bids=bids, after_deadline=after)

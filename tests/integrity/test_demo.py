"""`manage.py seed_integrity_demo` on top of `seed_demo`: every declaration status and kind is present, some
pledges have expired, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from integrity.choices import DeclarationKind, DeclarationStatus
from integrity.models import ConductList, Declaration, Pledge, PledgeTemplate, VerificationSample, YearlyReturn


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_integrity_demo", verbosity=0)


def counts():
    return [
        model.objects.count()
        for model in (ConductList, PledgeTemplate, Pledge, Declaration, YearlyReturn, VerificationSample)
    ]


def test_the_demo_has_declarations_in_every_status_and_of_every_kind(seeded):
    assert set(Declaration.objects.values_list("status", flat=True)) == set(DeclarationStatus.values)
    assert set(Declaration.objects.values_list("kind", flat=True)) == set(DeclarationKind.values)


def test_the_demo_has_valid_and_expired_pledges_and_a_superseded_version(seeded):
    from django.utils import timezone

    now = timezone.now()
    assert Pledge.objects.filter(expires_at__gt=now).exists() and Pledge.objects.filter(expires_at__lte=now).exists()
    assert PledgeTemplate.objects.filter(superseded_at__isnull=False).exists()


def test_the_demo_command_is_idempotent(seeded):
    before = counts()
    call_command("seed_integrity_demo", verbosity=0)
    assert counts() == before


def test_the_demo_command_needs_the_parks_demo(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_integrity_demo", verbosity=0)

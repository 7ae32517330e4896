"""`manage.py seed_decisions_demo`: bodies with rosters, a dozen meetings with items of all four kinds and a
case of every flag, loaded through the services on top of `seed_demo`, and idempotent."""

import pytest
from django.core.management import call_command

from core.models import AuditEvent
from integrity.choices_decisions import DecisionKind
from integrity.decisions_flags import FlagKind
from integrity.models import CollectiveDecision, DecisionBody, DecisionVote, FundPayment, Meeting
from integrity.selectors.decisions import flags_for
from tests.accounts.factories import UserFactory


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_decisions_demo", verbosity=0)


def test_the_demo_has_bodies_a_dozen_meetings_and_items_of_all_four_kinds(seeded):
    assert DecisionBody.objects.count() == 6
    assert Meeting.objects.count() == 12
    assert set(CollectiveDecision.objects.values_list("kind", flat=True)) == set(DecisionKind.values)
    assert DecisionVote.objects.filter(position="recused").exists()
    assert DecisionVote.objects.filter(position="against").exclude(statement="").exists()


def test_the_demo_raises_every_flag(seeded):
    admin = UserFactory(username="flag_reader", roles=["platform_admin"])

    assert {flag.kind for flag in flags_for(admin)} == set(FlagKind.values)


def test_a_second_run_changes_nothing(seeded):
    counts = (Meeting.objects.count(), CollectiveDecision.objects.count(), FundPayment.objects.count())
    events = AuditEvent.objects.count()

    call_command("seed_decisions_demo", verbosity=0)

    assert (Meeting.objects.count(), CollectiveDecision.objects.count(), FundPayment.objects.count()) == counts
    assert AuditEvent.objects.count() == events

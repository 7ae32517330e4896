"""`manage.py seed_risk_demo`: a realistic register on top of `seed_demo`, loaded through the services, and
idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from integrity.choices_risk import NoticeStatus, NoticeVisibility, ResponseStatus, RiskLevel
from integrity.models import DisciplinaryNotice, IntegrityRisk, RiskControl, RiskReview, RiskScreeningCampaign


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_risk_demo", verbosity=0)


def test_the_demo_register_spans_every_area_and_level(seeded):
    risks = IntegrityRisk.objects.all()

    assert risks.count() >= 36
    assert set(risks.values_list("area", flat=True)) >= {
        "personnel",
        "investment",
        "engineering",
        "approval",
        "policy_payouts",
        "financing",
        "procurement",
        "asset_disposal",
        "internal",
    }
    assert set(risks.values_list("residual_level", flat=True)) == set(RiskLevel.values)


def test_the_demo_has_controls_reviews_and_overdue_ones(seeded):
    today = timezone.localdate()

    assert RiskControl.objects.filter(status="done").exists()
    assert RiskControl.objects.filter(status="open", due_date__lt=today).exists()
    assert RiskReview.objects.exists()
    assert IntegrityRisk.objects.filter(review_due_date__lt=today).exists()


def test_the_demo_campaign_is_half_answered(seeded):
    campaign = RiskScreeningCampaign.objects.get(park__code="yzw")
    statuses = list(campaign.responses.values_list("status", flat=True))

    assert statuses.count(ResponseStatus.PENDING) >= len(statuses) // 2
    assert ResponseStatus.NIL in statuses and ResponseStatus.ANSWERED in statuses


def test_the_demo_has_one_public_notice_among_internal_ones(seeded):
    published = DisciplinaryNotice.objects.filter(status=NoticeStatus.PUBLISHED)

    assert published.filter(visibility=NoticeVisibility.PUBLIC).count() == 1
    assert published.filter(visibility=NoticeVisibility.INTERNAL).count() >= 2


def test_a_park_version_of_the_matrix_grades_the_later_risks_of_that_park(seeded):
    qz = IntegrityRisk.objects.filter(park__code="qz")

    assert {r.matrix_version.park_id is None for r in qz} == {True, False}


def test_running_it_again_changes_nothing(seeded):
    before = (IntegrityRisk.objects.count(), RiskControl.objects.count(), RiskReview.objects.count())

    call_command("seed_risk_demo", verbosity=0)

    assert (IntegrityRisk.objects.count(), RiskControl.objects.count(), RiskReview.objects.count()) == before

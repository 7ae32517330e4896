"""Factories and helpers of the risk-register and notice tests. Factories write rows directly, for a test's
starting state; `register_risk` goes through the service, as behaviour under test does."""

import datetime as dt
from importlib import import_module

import factory
from django.apps import apps as django_apps
from django.utils import timezone

from integrity import models
from integrity.choices_risk import ControlKind, NoticeKind, NoticeVisibility, RiskArea, RiskLevel
from integrity.services.risks import risk_create
from tests.accounts.factories import UserFactory
from tests.parks.factories import DepartmentFactory, ParkFactory

_MATRIX_MIGRATION = import_module("integrity.migrations.0002_risk_register_and_notices")


def default_matrix():
    """The platform-default matrix (version 1). A migration creates it, but a transactional test elsewhere
    in the run flushes every table afterwards, so it is re-created here the same way when missing."""
    _MATRIX_MIGRATION.create_default_matrix(django_apps, None)
    return models.RiskMatrixVersion.objects.get(park__isnull=True, version=1)


class RiskMatrixVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RiskMatrixVersion

    park = factory.SubFactory(ParkFactory)
    version = factory.Sequence(lambda n: n + 1)


class IntegrityRiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IntegrityRisk

    park = factory.SubFactory(ParkFactory)
    department = factory.LazyAttribute(lambda o: DepartmentFactory(park=o.park))
    post = "项目审批岗"
    area = RiskArea.APPROVAL
    title = "审批环节吃拿卡要"
    description = "审批人员利用审批权限向企业索取好处。"
    matrix_version = factory.LazyFunction(default_matrix)
    inherent_likelihood = 3
    inherent_impact = 3
    inherent_score = 9
    inherent_level = RiskLevel.MEDIUM
    residual_likelihood = 2
    residual_impact = 3
    residual_score = 6
    residual_level = RiskLevel.MEDIUM
    review_anchor_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=180))
    review_due_date = factory.LazyAttribute(lambda o: o.review_anchor_date)


class RiskControlFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RiskControl

    risk = factory.SubFactory(IntegrityRiskFactory)
    kind = ControlKind.INTERNAL_CONTROL
    description = "审批事项实行双人复核。"
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class RiskReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RiskReview

    risk = factory.SubFactory(IntegrityRiskFactory)
    reviewer = factory.SubFactory(UserFactory)
    reviewed_on = factory.LazyFunction(timezone.localdate)
    findings = "措施落实到位。"
    residual_likelihood = 2
    residual_impact = 3
    residual_score = 6
    residual_level = RiskLevel.MEDIUM
    matrix_version = factory.LazyFunction(default_matrix)


class RiskReviewReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RiskReviewReminder

    risk = factory.SubFactory(IntegrityRiskFactory)
    due_date = factory.LazyFunction(timezone.localdate)
    kind = "due"


class RiskScreeningCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RiskScreeningCampaign

    park = factory.SubFactory(ParkFactory)
    title = "2026年度廉洁风险排查"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class RiskScreeningResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RiskScreeningResponse

    campaign = factory.SubFactory(RiskScreeningCampaignFactory)
    department = factory.LazyAttribute(lambda o: DepartmentFactory(park=o.campaign.park))


class RiskScreeningReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RiskScreeningReminder

    response = factory.SubFactory(RiskScreeningResponseFactory)
    threshold = 3


class DisciplinaryNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DisciplinaryNotice

    park = factory.SubFactory(ParkFactory)
    kind = NoticeKind.CRITICISM
    title = "关于违规接受管理服务对象宴请问题的通报"
    body = "经查，某部门干部违规接受宴请。"
    visibility = NoticeVisibility.INTERNAL


class NoticePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.NoticePerson

    notice = factory.SubFactory(DisciplinaryNoticeFactory)
    name = "张三丰"


def register_risk(world, *, actor=None, department=None, **values):
    """A risk of the world's business department registered through `risk_create` by its discipline
    officer (inherent 3 × 3, residual 2 × 3 unless told)."""
    data = {
        "post": "政策兑现审核岗",
        "area": RiskArea.POLICY_PAYOUTS,
        "title": "惠企资金审核把关不严",
        "description": "对企业申报材料审核不严，存在虚报冒领风险。",
        "manifestations": "材料造假未发现；优亲厚友。",
        "inherent_likelihood": 3,
        "inherent_impact": 3,
        "residual_likelihood": 2,
        "residual_impact": 3,
    }
    data.update(values)
    default_matrix()
    return risk_create(
        park=world.park,
        department=department or world.business,
        actor=actor or world.discipline,
        **data,
    )


def make_head(department, user):
    """Set a department's head directly (test setup; the app changes it through parks' services)."""
    department.head = user
    department.save(update_fields=["head"])
    return user

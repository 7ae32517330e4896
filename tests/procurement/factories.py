"""Factories of the procurement models shared by every stage's tests. They write rows directly, to set up a
test's starting state; the behaviour under test always goes through the services. Stage-specific factories
live in factories_<stage>.py."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from procurement import models
from procurement.choices import Method, QualificationKind, SupplierStatus, TenderStatus
from tests.accounts.factories import UserFactory
from tests.parks.factories import EnterpriseFactory, ParkFactory


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Supplier

    park = factory.SubFactory(ParkFactory)
    enterprise = factory.SubFactory(EnterpriseFactory, park=factory.SelfAttribute("..park"))
    status = SupplierStatus.APPROVED
    business_scope = "办公设备、信息化系统集成"
    status_changed_at = factory.LazyFunction(timezone.now)


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Qualification

    supplier = factory.SubFactory(SupplierFactory)
    kind = QualificationKind.BUSINESS_LICENCE
    number = factory.Sequence(lambda n: f"ZZ-{n:06d}")
    issuer = "市场监督管理局"
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))


class QualificationReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.QualificationReminder

    qualification = factory.SubFactory(QualificationFactory)
    threshold_days = 30
    sent_at = factory.LazyFunction(timezone.now)


class TenderFactory(factory.django.DjangoModelFactory):
    """A draft tender; publish it through `procurement.services` in tests that need one open for bids."""

    class Meta:
        model = models.Tender

    park = factory.SubFactory(ParkFactory)
    number = factory.Sequence(lambda n: f"CG-2026-{n:04d}")
    title = factory.Sequence(lambda n: f"办公设备采购项目{n}")
    method = Method.OPEN_TENDER
    status = TenderStatus.DRAFT
    needs = "台式计算机50台，三年上门保修。"
    qualification_requirements = "具有独立法人资格；近三年无重大违法记录。"
    budget = Decimal("800000.00")
    created_by = factory.SubFactory(UserFactory)


class MethodRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MethodRule

    park = factory.SubFactory(ParkFactory)
    method = Method.OPEN_TENDER
    min_bidding_days = 20


class FlagSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FlagSettings
        django_get_or_create = ("park",)

    park = factory.SubFactory(ParkFactory)

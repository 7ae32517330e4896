"""Factories of the integrity models. They write rows directly, for setting up a test's starting state;
the behaviour under test always goes through the services."""

import datetime as dt
import hashlib

import factory
from django.utils import timezone

from integrity import models
from integrity.choices import (
    Audience,
    ConductKind,
    DeclarationKind,
    DeclarationStatus,
    FamilyEventKind,
    GiftHandling,
    GiftKind,
    InterestRole,
    Relation,
    SignerKind,
)
from tests.accounts.factories import UserFactory
from tests.parks.factories import ParkFactory, make_credit_code


class IntegritySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IntegritySettings
        django_get_or_create = ("park",)

    park = factory.SubFactory(ParkFactory)


class ConductListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ConductList

    park = factory.SubFactory(ParkFactory)
    audience = Audience.OFFICIALS
    version = factory.Sequence(lambda n: n + 1)
    title = "园区干部“十不准”"
    published_at = factory.LazyFunction(timezone.now)


class ConductItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ConductItem

    conduct_list = factory.SubFactory(ConductListFactory)
    kind = ConductKind.PROHIBITED
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"不准吃拿卡要第{n}条")


class PledgeTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PledgeTemplate

    park = factory.SubFactory(ParkFactory)
    signer_kind = SignerKind.OFFICIAL
    version = factory.Sequence(lambda n: n + 1)
    title = "廉洁承诺书"
    text = "本人郑重承诺:严守纪律,廉洁从政。"
    term_days = 365
    published_at = factory.LazyFunction(timezone.now)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Pledge

    template = factory.SubFactory(PledgeTemplateFactory)
    park = factory.LazyAttribute(lambda o: o.template.park)
    signer_kind = factory.LazyAttribute(lambda o: o.template.signer_kind)
    signer = factory.SubFactory(UserFactory)
    signer_name = factory.LazyAttribute(lambda o: o.signer.get_full_name())
    template_version = factory.LazyAttribute(lambda o: o.template.version)
    text_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.template.text.encode()).hexdigest())
    signed_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.signed_at + dt.timedelta(days=o.template.term_days))


class PledgeReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PledgeReminder

    pledge = factory.SubFactory(PledgeFactory)
    threshold_days = 30
    sent_at = factory.LazyFunction(timezone.now)


class _DeclarationFactory(factory.django.DjangoModelFactory):
    park = factory.SubFactory(ParkFactory)
    declarant = factory.SubFactory(UserFactory)
    status = DeclarationStatus.DRAFT


class GiftDeclarationFactory(_DeclarationFactory):
    class Meta:
        model = models.GiftDeclaration

    kind = DeclarationKind.GIFT
    giver_name = "王先生"
    received_on = factory.LazyFunction(timezone.localdate)
    gift_kind = GiftKind.GOODS
    description = "茶叶两盒"
    estimated_value = 300
    handling = GiftHandling.HANDED_IN
    due_date = factory.LazyAttribute(lambda o: o.received_on + dt.timedelta(days=30))


class FamilyEventDeclarationFactory(_DeclarationFactory):
    class Meta:
        model = models.FamilyEventDeclaration

    kind = DeclarationKind.FAMILY_EVENT
    event_kind = FamilyEventKind.WEDDING
    person_concerned = "本人之子"
    event_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=5))
    venue = "三亚市某酒店"
    tables = 10
    guests = 100


class InterestDeclarationFactory(_DeclarationFactory):
    class Meta:
        model = models.InterestDeclaration

    kind = DeclarationKind.INTEREST
    relative_name = "李某"
    relation = Relation.SPOUSE
    enterprise_name = "某某贸易有限公司"
    credit_code = factory.Sequence(lambda n: make_credit_code(10_000 + n))
    role = InterestRole.OWNER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))


class DeclarationReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DeclarationReminder

    declaration = factory.SubFactory(GiftDeclarationFactory)
    code = "draft_overdue"
    sent_at = factory.LazyFunction(timezone.now)


class YearlyRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.YearlyRound

    park = factory.SubFactory(ParkFactory)
    year = 2025
    due_date = dt.date(2026, 1, 31)
    opened_at = factory.LazyFunction(timezone.now)


class YearlyReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.YearlyReturn

    round = factory.SubFactory(YearlyRoundFactory)
    park = factory.LazyAttribute(lambda o: o.round.park)
    declarant = factory.SubFactory(UserFactory)


class YearlyReturnReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.YearlyReturnReminder

    yearly_return = factory.SubFactory(YearlyReturnFactory)
    threshold_days = 14
    sent_at = factory.LazyFunction(timezone.now)


class VerificationSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.VerificationSample

    park = factory.SubFactory(ParkFactory)
    drawn_by = factory.SubFactory(UserFactory)
    drawn_at = factory.LazyFunction(timezone.now)
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 12, 31)
    percent = 10
    minimum = 1
    seed = "0" * 32
    population_size = 1


class SampleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SampleItem

    sample = factory.SubFactory(VerificationSampleFactory)
    declaration = factory.SubFactory(GiftDeclarationFactory, park=factory.SelfAttribute("..sample.park"))


FACTORIES = {
    models.IntegritySettings: IntegritySettingsFactory,
    models.ConductList: ConductListFactory,
    models.ConductItem: ConductItemFactory,
    models.PledgeTemplate: PledgeTemplateFactory,
    models.Pledge: PledgeFactory,
    models.PledgeReminder: PledgeReminderFactory,
    models.Declaration: GiftDeclarationFactory,
    models.GiftDeclaration: GiftDeclarationFactory,
    models.FamilyEventDeclaration: FamilyEventDeclarationFactory,
    models.InterestDeclaration: InterestDeclarationFactory,
    models.DeclarationReminder: DeclarationReminderFactory,
    models.YearlyRound: YearlyRoundFactory,
    models.YearlyReturn: YearlyReturnFactory,
    models.YearlyReturnReminder: YearlyReturnReminderFactory,
    models.VerificationSample: VerificationSampleFactory,
    models.SampleItem: SampleItemFactory,
}

import random

import factory

from parks.models import (
    Department,
    Enterprise,
    EnterpriseMembership,
    Park,
    ParkFigure,
    ParkStatistic,
    StaffProfile,
)
from parks.validators import CREDIT_CODE_CHARSET, credit_code_check_character
from tests.accounts.factories import UserFactory


def make_credit_code(seed=None):
    """A valid 统一社会信用代码 (correct check character), deterministic for a given seed."""
    rng = random.Random(seed)
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(9))
    return body + credit_code_check_character(body)


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试园区{n}")
    code = factory.Sequence(lambda n: f"P{n}")
    level = Park.Level.PROVINCIAL
    region = "海南省三亚市"


class ParkStatisticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParkStatistic

    park = factory.SubFactory(ParkFactory)
    year = 2021
    revenue = 100


class ParkFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParkFigure

    park = factory.SubFactory(ParkFactory)
    label = factory.Sequence(lambda n: f"在建项目{n}")
    value = 65
    unit = "个"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"部门{n}")
    kind = Department.Kind.BUSINESS


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(n))
    status = Enterprise.Status.VERIFIED


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    department = None

    @factory.post_generation
    def parks(self, create, extracted, **kwargs):
        if create and extracted:
            self.parks.set(extracted)


class EnterpriseMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMembership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)

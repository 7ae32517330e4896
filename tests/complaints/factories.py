"""factory_boy factories of the 吐槽区. Tickets made here bypass the services (for selectors, statistics
and query-count tests); lifecycle tests drive tickets through the services instead (see conftest.py)."""

import factory
from django.utils import timezone

from complaints.choices import (
    Channel,
    DuplicateReason,
    FollowUpChannel,
    Stage,
    Status,
)
from complaints.models import (
    AnonymousReceipt,
    Category,
    DuplicateSuggestion,
    ExtensionRequest,
    FollowUp,
    ReturnRequest,
    RoutingRule,
    Ticket,
    TicketCounter,
    TicketMessage,
    TicketReminder,
)
from tests.accounts.factories import UserFactory
from tests.parks.factories import DepartmentFactory, ParkFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"类别{n}")
    code = factory.Sequence(lambda n: f"cat-{n}")


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule
        skip_postgeneration_save = True

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"规则{n}")
    department = factory.SubFactory(DepartmentFactory, park=factory.SelfAttribute("..park"))
    priority = 100

    @factory.post_generation
    def co_departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_departments.set(extracted)


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    park = factory.SubFactory(ParkFactory)
    number = factory.Sequence(lambda n: f"T-2025-{n:06d}")
    category = factory.SubFactory(CategoryFactory, park=factory.SelfAttribute("..park"))
    channel = Channel.WEB
    subject = factory.Sequence(lambda n: f"诉求{n}")
    body = "企业反映的问题描述。"
    status = Status.SUBMITTED
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def co_departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_departments.set(extracted)


class TicketCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketCounter

    park = factory.SubFactory(ParkFactory)
    year = 2025


class TicketMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketMessage

    ticket = factory.SubFactory(TicketFactory)
    author = factory.SubFactory(UserFactory)
    body = "请补充材料。"
    created_at = factory.LazyFunction(timezone.now)


class TicketReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketReminder

    ticket = factory.SubFactory(TicketFactory)
    stage = Stage.REPLY
    threshold = 50
    sent_at = factory.LazyFunction(timezone.now)


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtensionRequest

    ticket = factory.SubFactory(TicketFactory)
    requested_by = factory.SubFactory(UserFactory)
    reason = "需要协调多个部门。"
    previous_due = factory.LazyFunction(timezone.now)
    requested_due = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))
    created_at = factory.LazyFunction(timezone.now)


class ReturnRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnRequest

    ticket = factory.SubFactory(TicketFactory)
    department = factory.SubFactory(DepartmentFactory, park=factory.SelfAttribute("..ticket.park"))
    requested_by = factory.SubFactory(UserFactory)
    reason = "不属于本部门职责。"
    created_at = factory.LazyFunction(timezone.now)


class AnonymousReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnonymousReceipt

    ticket = factory.SubFactory(TicketFactory, is_anonymous=True)
    lookup = factory.Sequence(lambda n: f"{n:064x}")
    code_hash = "!"
    created_at = factory.LazyFunction(timezone.now)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    ticket = factory.SubFactory(TicketFactory)
    channel = FollowUpChannel.PHONE
    satisfaction = 5
    at = factory.LazyFunction(timezone.now)


class DuplicateSuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuplicateSuggestion

    ticket = factory.SubFactory(TicketFactory)
    candidate = factory.SubFactory(TicketFactory, park=factory.SelfAttribute("..ticket.park"))
    reason = DuplicateReason.SIMILAR_TEXT
    score = 0.8
    created_at = factory.LazyFunction(timezone.now)

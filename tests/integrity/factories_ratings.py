"""Factories and helpers of the service rating card tests. Factories write rows directly, for a test's starting
state; `issue_card` and `rate` go through the services, as behaviour under test does."""

import factory
from django.utils import timezone

from integrity import models
from integrity.services import ratings as services
from tests.accounts.factories import UserFactory
from tests.complaints.factories import CategoryFactory
from tests.parks.factories import ParkFactory


class ServiceCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ServiceCard

    park = factory.SubFactory(ParkFactory)
    official = factory.SubFactory(UserFactory)
    token = factory.LazyFunction(services.new_card_token)
    issued_at = factory.LazyFunction(timezone.now)


class ServiceRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ServiceRating

    card = factory.SubFactory(ServiceCardFactory)
    park = factory.SelfAttribute("card.park")
    official = factory.SelfAttribute("card.official")
    created_at = factory.LazyFunction(timezone.now)
    attitude = 4
    efficiency = 4
    integrity = 5
    rater_kind = models.RaterKind.ANONYMOUS
    browser_digest = factory.Sequence(lambda n: f"{n:064x}")


def issue_card(world, official=None):
    """A valid card of `official` (the world's handler by default), issued by the discipline officer."""
    return services.service_card_issue(park=world.park, official=official or world.handler, actor=world.discipline)


def misconduct_category(park):
    """The default tree's 吃拿卡要 category (a transactional test may have flushed the others)."""
    parent = CategoryFactory(park=park, code="misconduct", name="作风问题", is_misconduct=True)
    return CategoryFactory(
        park=park, parent=parent, code="misconduct-improper-demands", name="吃拿卡要", is_misconduct=True
    )


def rate(card, *, actor=None, browser_id="browser-1", scores=(4, 4, 5), **kwargs):
    attitude, efficiency, integrity = scores
    return services.service_rating_submit(
        card=card,
        attitude=attitude,
        efficiency=efficiency,
        integrity=integrity,
        actor=actor,
        browser_id="" if actor is not None else browser_id,
        **kwargs,
    )

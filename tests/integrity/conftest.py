"""Helpers of the integrity tests: valid content for each kind of declaration, and declarations brought to a
given status through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from integrity.choices import (
    DeclarationKind,
    DeclarationStatus,
    FamilyEventKind,
    GiftHandling,
    GiftKind,
    InterestRole,
    Relation,
    RequiredAction,
)
from integrity.services import declarations as services
from tests.parks.factories import make_credit_code


def gift_data(**overrides):
    data = {
        "giver_name": "某企业负责人",
        "received_on": timezone.localdate(),
        "gift_kind": GiftKind.GOODS,
        "description": "月饼两盒",
        "estimated_value": Decimal("300.00"),
        "handling": GiftHandling.HANDED_IN,
    }
    data.update(overrides)
    return data


def family_event_data(**overrides):
    data = {
        "event_kind": FamilyEventKind.WEDDING,
        "person_concerned": "本人之子",
        "event_date": timezone.localdate() + dt.timedelta(days=5),
        "venue": "三亚市天涯酒店",
        "tables": 12,
        "guests": 120,
    }
    data.update(overrides)
    return data


def interest_data(**overrides):
    data = {
        "relative_name": "李红",
        "relation": Relation.SPOUSE,
        "enterprise_name": "三亚某某贸易有限公司",
        "credit_code": make_credit_code(424242),
        "role": InterestRole.OWNER,
        "stake_percent": Decimal("30"),
        "start_date": timezone.localdate() - dt.timedelta(days=5),
    }
    data.update(overrides)
    return data


CREATE = {
    DeclarationKind.GIFT: (services.gift_declaration_create, gift_data),
    DeclarationKind.FAMILY_EVENT: (services.family_event_declaration_create, family_event_data),
    DeclarationKind.INTEREST: (services.interest_declaration_create, interest_data),
}


def make_declaration(world, *, kind=DeclarationKind.GIFT, declarant=None, status=DeclarationStatus.DRAFT, **data):
    """A declaration by `declarant` (the world's handler by default), brought to `status` through the
    services, the world's discipline officer reviewing."""
    create, defaults = CREATE[kind]
    declarant = declarant or world.handler
    declaration = create(park=world.park, actor=declarant, data=defaults(**data))
    reviewer = world.discipline
    steps = {
        DeclarationStatus.DRAFT: [],
        DeclarationStatus.SUBMITTED: ["submit"],
        DeclarationStatus.RETURNED: ["submit", "return"],
        DeclarationStatus.ACTION_REQUIRED: ["submit", "require"],
        DeclarationStatus.ACTION_TAKEN: ["submit", "require", "report"],
        DeclarationStatus.ACCEPTED: ["submit", "accept"],
    }[status]
    for step in steps:
        if step == "submit":
            declaration = services.declaration_submit(declaration=declaration, actor=declarant)
        elif step == "return":
            declaration = services.declaration_return(declaration=declaration, actor=reviewer, reason="请补充礼品照片")
        elif step == "require":
            declaration = services.declaration_require_action(
                declaration=declaration, actor=reviewer, action=RequiredAction.HAND_IN, reason="须上交"
            )
        elif step == "report":
            declaration = services.declaration_report_action(
                declaration=declaration, actor=declarant, report="已上交园区纪工委"
            )
        elif step == "accept":
            declaration = services.declaration_accept(declaration=declaration, actor=reviewer)
    return declaration


@pytest.fixture
def declare(world_a):
    """``declare(kind=…, status=…, **content)`` in park A."""

    def _declare(**kwargs):
        return make_declaration(world_a, **kwargs)

    return _declare


# Modules written against the English source texts (the 三重一大 register and the rating cards): run in English.
ENGLISH_MODULES = ("test_decisions", "test_ratings")


@pytest.fixture(autouse=True)
def _english_for_source_text_modules(request, settings):
    from django.utils import translation

    if not request.module.__name__.rsplit(".", 1)[-1].startswith(ENGLISH_MODULES):
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

"""The declared-interest provider behind recusal: complaint routing and procurement ask
`core.interests.officials_with_interest_in(enterprise)`, which integrity answers from the relatives'
business declarations, matched by the enterprise's 统一社会信用代码."""

import datetime as dt

from core.interests import officials_with_interest_in
from integrity.choices import DeclarationKind, DeclarationStatus
from integrity.selectors.declarations import officials_with_declared_interest
from tests.integrity.conftest import make_declaration
from tests.parks.factories import EnterpriseFactory, make_credit_code


def test_core_interests_names_the_official_who_declared_a_relatives_business_in_the_enterprise(world_a):
    make_declaration(
        world_a,
        kind=DeclarationKind.INTEREST,
        status=DeclarationStatus.ACCEPTED,
        credit_code=world_a.enterprise.credit_code,
    )
    assert officials_with_interest_in(world_a.enterprise) == {world_a.handler.pk}


def test_the_match_is_by_credit_code_even_when_the_enterprise_registered_later(world_a):
    code = make_credit_code(31337)
    make_declaration(world_a, kind=DeclarationKind.INTEREST, status=DeclarationStatus.SUBMITTED, credit_code=code)
    enterprise = EnterpriseFactory(park=world_a.park, credit_code=code)
    assert officials_with_interest_in(enterprise.pk) == {world_a.handler.pk}


def test_a_draft_already_counts_for_recusal(world_a):
    make_declaration(world_a, kind=DeclarationKind.INTEREST, credit_code=world_a.enterprise.credit_code)
    assert officials_with_declared_interest(world_a.enterprise) == {world_a.handler.pk}


def test_an_ended_interest_no_longer_counts(world_a):
    make_declaration(
        world_a,
        kind=DeclarationKind.INTEREST,
        status=DeclarationStatus.ACCEPTED,
        credit_code=world_a.enterprise.credit_code,
        start_date=dt.date(2020, 1, 1),
        ended_on=dt.date(2021, 1, 1),
    )
    assert officials_with_interest_in(world_a.enterprise) == frozenset()


def test_an_interest_in_another_enterprise_does_not_count(world_a, world_b):
    make_declaration(world_a, kind=DeclarationKind.INTEREST, credit_code=world_b.enterprise.credit_code)
    assert officials_with_interest_in(world_a.enterprise) == frozenset()

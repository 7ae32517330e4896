"""Read side of the service ratings: who sees which averages and ratings, the 12-month trend, the monthly
figures per park for the integrity index, and what a card shows."""

import datetime as dt

import pytest
from django.utils import timezone

from integrity.cards import card_facts, card_url
from integrity.selectors import ratings as selectors
from tests.integrity.factories import ConductItemFactory, ConductListFactory
from tests.integrity.factories_ratings import ServiceRatingFactory, issue_card

NOW = timezone.make_aware(dt.datetime(2026, 5, 20, 10, 0))


@pytest.fixture
def rated(world_a, world_b):
    handler_card = issue_card(world_a)
    dispatcher_card = issue_card(world_a, official=world_a.dispatcher)
    other_card = issue_card(world_b)
    ServiceRatingFactory(card=handler_card, attitude=5, efficiency=3, integrity=4, created_at=NOW)
    ServiceRatingFactory(card=handler_card, attitude=3, efficiency=1, integrity=4, is_low=True, created_at=NOW)
    ServiceRatingFactory(card=dispatcher_card, attitude=5, efficiency=5, integrity=5, created_at=NOW)
    ServiceRatingFactory(card=other_card, attitude=1, efficiency=1, integrity=1, created_at=NOW)
    return handler_card


def _officials(rows):
    return {row["official_id"] for row in rows}


def test_an_official_sees_only_their_own_averages(world_a, rated):
    rows = selectors.official_averages_for(world_a.handler)

    assert _officials(rows) == {world_a.handler.pk}
    assert rows[0]["attitude"] == 4.0 and rows[0]["efficiency"] == 2.0 and rows[0]["count"] == 2
    assert rows[0]["low"] == 1


@pytest.mark.parametrize("role", ["discipline", "park_admin", "auditor"])
def test_overseers_see_every_official_of_their_park_and_nothing_of_another(world_a, world_b, rated, role):
    rows = selectors.official_averages_for(getattr(world_a, role))

    assert _officials(rows) == {world_a.handler.pk, world_a.dispatcher.pk}


def test_averages_are_listed_lowest_first(world_a, rated):
    rows = selectors.official_averages_for(world_a.discipline)

    assert [row["official_id"] for row in rows] == [world_a.handler.pk, world_a.dispatcher.pk]


def test_only_discipline_officers_read_individual_ratings(world_a, rated, platform_admin):
    assert selectors.rating_list_for(world_a.discipline).count() == 3
    assert selectors.rating_list_for(platform_admin).count() == 4
    for role in ("park_admin", "auditor", "handler", "dispatcher", "enterprise_user"):
        assert not selectors.rating_list_for(getattr(world_a, role)).exists(), role


def test_the_trend_has_twelve_months_with_empty_ones(world_a, rated):
    ratings = rated.ratings.all()

    trend = selectors.monthly_trend(ratings, today=NOW.date())

    assert len(trend) == 12 and trend[0]["month"] == dt.date(2025, 6, 1) and trend[-1]["month"] == dt.date(2026, 5, 1)
    assert trend[-1]["count"] == 2 and trend[-1]["attitude"] == 4.0
    assert trend[0]["count"] == 0 and trend[0]["attitude"] is None


def test_monthly_park_figures_for_the_integrity_index(world_a, world_b, rated):
    ServiceRatingFactory(card=rated, attitude=4, efficiency=4, integrity=4, created_at=NOW - dt.timedelta(days=40))

    rows = selectors.park_monthly_rating_stats(park_ids=[world_a.park.pk])

    may = next(r for r in rows if r["month"] == dt.date(2026, 5, 1))
    april = next(r for r in rows if r["month"] == dt.date(2026, 4, 1))
    assert may["count"] == 3 and may["low"] == 1 and may["satisfied"] == 2
    assert april["count"] == 1 and april["satisfied"] == 1
    assert {r["park_id"] for r in rows} == {world_a.park.pk}


def test_a_card_shows_the_officials_post_department_park_reminders_and_discipline_phone(world_a):
    world_a.discipline_dept.phone = "0898-88886666"
    world_a.discipline_dept.save()
    profile = world_a.handler.staff_profile
    profile.position = "企业服务专员"
    profile.save()
    conduct = ConductListFactory(park=world_a.park, audience="officials")
    ConductItemFactory(conduct_list=conduct, kind="permitted", order=1, text="准许正常走访企业")
    ConductItemFactory(conduct_list=conduct, kind="prohibited", order=2, text="不准吃拿卡要")
    card = issue_card(world_a)

    facts = card_facts(card)

    assert facts.post == "企业服务专员" and facts.department == world_a.business.name
    assert facts.park == world_a.park.name and facts.phone == "0898-88886666"
    assert facts.lines == ["不准吃拿卡要", "准许正常走访企业"]
    assert facts.url == card_url(card) and facts.url.endswith(f"/integrity/rate/{card.token}/")


def test_an_unknown_or_revoked_token_finds_no_card(world_a):
    from integrity.services.ratings import service_card_revoke

    card = issue_card(world_a)
    service_card_revoke(card=card, actor=world_a.discipline)

    assert selectors.card_for_token(card.token) is None
    assert selectors.card_for_token("no-such-token") is None

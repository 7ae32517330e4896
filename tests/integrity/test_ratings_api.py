"""/api/v1/integrity/ for the service rating cards: enterprise users rate through a card's token with an API
token (a park's mobile app); ratings, cards and averages are scoped like the pages; cards change through one
POST action each; the demo command is idempotent."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.services import api_token_create
from integrity.models import ServiceCard, ServiceRating
from tests.integrity.factories_ratings import ServiceRatingFactory, issue_card, misconduct_category

BASE = "/api/v1/integrity/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def card(world_a):
    return issue_card(world_a)


def _body(card, **extra):
    return {"card": card.token, "attitude": 5, "efficiency": 4, "integrity": 5, **extra}


def test_an_enterprise_user_rates_with_an_api_token(api, world_a, card):
    _token, key = api_token_create(user=world_a.enterprise_user, name="园区App", actor=world_a.enterprise_user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.post(f"{BASE}service-ratings/", _body(card, comment="很好"), format="json")

    assert response.status_code == 201, response.json()
    rating = ServiceRating.objects.get(pk=response.json()["rating"])
    assert rating.enterprise == world_a.enterprise and rating.comment == "很好"


def test_a_second_rating_within_30_days_is_a_409_and_saves_nothing(api, world_a, card):
    api.force_authenticate(world_a.enterprise_user)
    api.post(f"{BASE}service-ratings/", _body(card), format="json")

    response = api.post(f"{BASE}service-ratings/", _body(card), format="json")

    assert response.status_code == 409 and ServiceRating.objects.count() == 1


def test_an_anonymous_report_through_the_api_returns_the_receipt_code(api, world_a, card):
    misconduct_category(world_a.park)
    api.force_authenticate(world_a.enterprise_user)

    response = api.post(
        f"{BASE}service-ratings/",
        _body(card, improper_demand=True, improper_demand_text="要求吃请", report_anonymously=True),
        format="json",
    )

    assert response.status_code == 201 and response.json()["receipt_code"] and response.json()["ticket"]


@pytest.mark.parametrize("role", ["handler", "discipline", "auditor"])
def test_staff_cannot_rate_through_the_api(api, world_a, card, role):
    api.force_authenticate(getattr(world_a, role))

    assert api.post(f"{BASE}service-ratings/", _body(card), format="json").status_code == 403


def test_an_enterprise_of_another_park_cannot_rate_through_the_api(api, world_b, card):
    api.force_authenticate(world_b.enterprise_user)

    assert api.post(f"{BASE}service-ratings/", _body(card), format="json").status_code == 403


def test_the_public_cannot_use_the_api(api, card):
    assert api.post(f"{BASE}service-ratings/", _body(card), format="json").status_code in (401, 403)
    assert api.get(f"{BASE}rating-averages/").status_code in (401, 403)


def test_an_unknown_card_is_a_404(api, world_a):
    api.force_authenticate(world_a.enterprise_user)

    response = api.post(f"{BASE}service-ratings/", {**_body(issue_card(world_a)), "card": "nope"}, format="json")

    assert response.status_code == 404


def test_invalid_scores_are_a_400(api, world_a, card):
    api.force_authenticate(world_a.enterprise_user)

    assert api.post(f"{BASE}service-ratings/", _body(card, attitude=6), format="json").status_code == 400


@pytest.mark.parametrize(("role", "count"), [("discipline", 1), ("park_admin", 0), ("handler", 0), ("auditor", 0)])
def test_individual_ratings_are_for_the_discipline_office(api, world_a, world_b, card, role, count):
    ServiceRatingFactory(card=card, comment="评语")
    ServiceRatingFactory(card=issue_card(world_b))
    api.force_authenticate(getattr(world_a, role))

    response = api.get(f"{BASE}service-ratings/")

    assert response.status_code == 200 and response.json()["count"] == count


@pytest.mark.parametrize(("role", "officials"), [("handler", 1), ("dispatcher", 0), ("park_admin", 1)])
def test_averages_are_scoped(api, world_a, world_b, card, role, officials):
    ServiceRatingFactory(card=card, attitude=2, efficiency=4, integrity=3)
    ServiceRatingFactory(card=issue_card(world_b))
    api.force_authenticate(getattr(world_a, role))

    rows = api.get(f"{BASE}rating-averages/").json()

    assert len(rows) == officials
    if rows:
        assert rows[0]["official_id"] == world_a.handler.pk and rows[0]["overall"] == 3.0


def test_an_official_lists_their_card_with_its_link(api, world_a, card):
    issue_card(world_a, official=world_a.dispatcher)
    api.force_authenticate(world_a.handler)

    rows = api.get(f"{BASE}rating-cards/").json()["results"]

    assert [row["id"] for row in rows] == [card.pk] and rows[0]["url"].endswith(f"/rate/{card.token}/")


def test_cards_are_issued_replaced_and_revoked_through_post_actions(api, world_a):
    api.force_authenticate(world_a.discipline)

    issued = api.post(f"{BASE}rating-cards/issue/", {"park": world_a.park.pk, "official": world_a.handler.pk})
    replaced = api.post(f"{BASE}rating-cards/{issued.json()['id']}/reissue/", {"reason": "遗失"})
    revoked = api.post(f"{BASE}rating-cards/{replaced.json()['id']}/revoke/", {})

    assert issued.status_code == 201 and replaced.status_code == 201 and revoked.status_code == 200
    assert revoked.json()["is_valid"] is False and revoked.json()["url"] is None
    assert not ServiceCard.objects.filter(revoked_at__isnull=True).exists()


def test_a_dispatcher_cannot_issue_a_card_for_a_colleague(api, world_a):
    api.force_authenticate(world_a.dispatcher)

    response = api.post(f"{BASE}rating-cards/issue/", {"park": world_a.park.pk, "official": world_a.handler.pk})

    assert response.status_code == 403


def test_the_demo_command_is_idempotent(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_integrity_demo", stdout=out)
    call_command("seed_ratings_demo", stdout=out)
    counts = (ServiceCard.objects.count(), ServiceRating.objects.count())

    call_command("seed_ratings_demo", stdout=out)

    assert counts[0] >= 12 and counts[1] >= 30
    assert (ServiceCard.objects.count(), ServiceRating.objects.count()) == counts
    assert ServiceRating.objects.filter(is_low=True).exists()

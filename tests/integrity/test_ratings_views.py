"""Pages of the service rating cards: the public rating page (no login, signed browser cookie, 30-day rule,
rate limit, improper-demand report with its receipt code), the official's card page and downloads, and the
overview and rating list with their role matrix."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from integrity import ratelimit_ratings
from integrity.models import ServiceCard, ServiceRating
from integrity.views.ratings import BROWSER_COOKIE
from tests.integrity.factories_ratings import ServiceRatingFactory, issue_card, misconduct_category

SCORES = {"attitude": "5", "efficiency": "4", "integrity": "5", "comment": "办事高效"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def card(world_a):
    return issue_card(world_a)


def _rate_url(card):
    return reverse("integrity:rate", args=[card.token])


def test_the_rating_page_needs_no_login_and_sets_a_signed_browser_cookie(client, card):
    response = client.get(_rate_url(card))

    assert response.status_code == 200
    assert card.official.get_full_name() in response.content.decode()
    cookie = response.cookies[BROWSER_COOKIE]
    assert cookie["httponly"] and ":" in cookie.value  # signed
    assert response["Cache-Control"] == "private, no-store"


def test_a_visitor_rates_and_a_second_rating_from_the_browser_is_refused_with_a_message(client, card):
    client.get(_rate_url(card))

    first = client.post(_rate_url(card), SCORES)
    second = client.post(_rate_url(card), SCORES)

    assert first.status_code == 200 and "Thank you" in first.content.decode()
    assert "already rated this official" in second.content.decode()
    assert ServiceRating.objects.count() == 1


def test_a_post_without_the_browser_cookie_saves_nothing(client, card):
    response = client.post(_rate_url(card), SCORES)

    assert "allow cookies" in response.content.decode()
    assert not ServiceRating.objects.exists()


def test_missing_scores_are_form_errors(client, card):
    client.get(_rate_url(card))

    response = client.post(_rate_url(card), {"attitude": "5"})

    assert response.context["form"].errors.keys() >= {"efficiency", "integrity"}
    assert not ServiceRating.objects.exists()


def test_an_anonymous_report_shows_the_receipt_code_once(client, world_a, card):
    misconduct_category(world_a.park)
    client.get(_rate_url(card))

    response = client.post(
        _rate_url(card), {**SCORES, "improper_demand": "on", "improper_demand_text": "窗口人员要求请客吃饭"}
    )

    assert response.context["receipt_code"] and response.context["ticket"].is_confidential
    assert response["Cache-Control"] == "private, no-store"


def test_an_enterprise_user_rates_as_their_enterprise(client, world_a, card):
    client.force_login(world_a.enterprise_user)

    page = client.get(_rate_url(card))
    client.post(_rate_url(card), SCORES)

    assert world_a.enterprise.name in page.content.decode()
    assert ServiceRating.objects.get().enterprise == world_a.enterprise


def test_officials_see_why_they_cannot_rate(client, world_a, card):
    client.force_login(world_a.handler)

    page = client.get(_rate_url(card))
    client.post(_rate_url(card), SCORES)

    assert "cannot rate yourself" in page.content.decode()
    assert not ServiceRating.objects.exists()


def test_an_unknown_or_revoked_token_is_a_404_page(client, world_a, card):
    from integrity.services.ratings import service_card_revoke

    service_card_revoke(card=card, actor=world_a.discipline)

    assert client.get(_rate_url(card)).status_code == 404
    assert client.get(reverse("integrity:rate", args=["x" * 22])).status_code == 404


def test_the_page_blocks_a_client_after_the_limit_without_storing_its_address(client, card):
    client.get(_rate_url(card))
    for _attempt in range(ratelimit_ratings.LIMIT):
        client.post(_rate_url(card), {"attitude": "9"}, REMOTE_ADDR="198.51.100.7")

    blocked = client.post(_rate_url(card), SCORES, REMOTE_ADDR="198.51.100.7")
    other = client.post(_rate_url(card), SCORES, REMOTE_ADDR="198.51.100.8")

    assert blocked.status_code == 429
    assert other.status_code == 200 and ServiceRating.objects.count() == 1
    request = type("R", (), {"META": {"REMOTE_ADDR": "198.51.100.7"}})()
    assert "198.51.100.7" not in ratelimit_ratings._key(request)


# --- the official's card ---------------------------------------------------------------------------------


def test_my_card_shows_averages_but_no_comments(client, world_a, card):
    ServiceRatingFactory(card=card, attitude=5, efficiency=3, integrity=4, comment="秘密评语")
    client.force_login(world_a.handler)

    response = client.get(reverse("integrity:my-card"))

    text = response.content.decode()
    assert response.status_code == 200 and card.token in text
    assert response.context["cards"][0]["summary"]["all_time"].efficiency == 3.0
    assert "秘密评语" not in text


def test_an_official_without_a_card_issues_it(client, world_a):
    client.force_login(world_a.dispatcher)

    assert client.get(reverse("integrity:my-card")).context["missing"].get() == world_a.park
    client.post(reverse("integrity:my-card-issue"), {"park": world_a.park.code})

    assert ServiceCard.objects.get().official == world_a.dispatcher


@pytest.mark.parametrize(("kind", "magic"), [("pdf", b"%PDF"), ("png", b"\x89PNG")])
def test_the_official_downloads_the_card(client, world_a, card, kind, magic):
    client.force_login(world_a.handler)

    response = client.get(reverse(f"integrity:card-{kind}", args=[card.pk]))

    assert response.status_code == 200 and response.content[:4] == magic


@pytest.mark.parametrize(
    ("role", "status"),
    [("discipline", 200), ("park_admin", 200), ("dispatcher", 404), ("auditor", 404), ("enterprise_user", 404)],
)
def test_who_may_download_someone_elses_card(client, world_a, card, role, status):
    client.force_login(getattr(world_a, role))

    assert client.get(reverse("integrity:card-pdf", args=[card.pk])).status_code == status


def test_replacing_a_card_from_my_card(client, world_a, card):
    client.force_login(world_a.handler)

    client.post(reverse("integrity:card-reissue", args=[card.pk]), {"reason": "遗失"})

    assert ServiceCard.objects.filter(official=world_a.handler, revoked_at__isnull=True).exclude(pk=card.pk).exists()
    assert client.get(_rate_url(card)).status_code == 404


def test_state_changes_refuse_get(client, world_a, card):
    client.force_login(world_a.handler)

    assert client.get(reverse("integrity:card-revoke", args=[card.pk])).status_code == 405


# --- overview and list ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "overview", "details"),
    [
        ("discipline", 200, 200),
        ("park_admin", 200, 404),
        ("auditor", 200, 404),
        ("handler", 404, 404),
        ("dispatcher", 404, 404),
        ("enterprise_user", 404, 404),
    ],
)
def test_overview_and_rating_list_role_matrix(client, world_a, card, role, overview, details):
    client.force_login(getattr(world_a, role))

    assert client.get(reverse("integrity:rating-overview")).status_code == overview
    assert client.get(reverse("integrity:rating-list")).status_code == details


def test_the_public_is_sent_to_sign_in(client, card):
    response = client.get(reverse("integrity:rating-overview"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_rating_list_shows_comments_of_the_park_only(client, world_a, world_b, card):
    ServiceRatingFactory(card=card, comment="甲园区评语")
    ServiceRatingFactory(card=issue_card(world_b), comment="乙园区评语")
    client.force_login(world_a.discipline)

    text = client.get(reverse("integrity:rating-list")).content.decode()

    assert "甲园区评语" in text and "乙园区评语" not in text


def test_the_rating_list_filters_low_ratings(client, world_a, card):
    ServiceRatingFactory(card=card, comment="好评")
    ServiceRatingFactory(card=card, comment="差评", attitude=1, is_low=True)
    client.force_login(world_a.discipline)

    text = client.get(reverse("integrity:rating-list") + "?is_low=true").content.decode()

    assert "差评" in text and "好评" not in text


def test_park_admins_see_averages_without_comments(client, world_a, card):
    ServiceRatingFactory(card=card, comment="秘密评语")
    client.force_login(world_a.park_admin)

    response = client.get(reverse("integrity:rating-overview"))

    assert [row["official_id"] for row in response.context["rows"]] == [world_a.handler.pk]
    assert "秘密评语" not in response.content.decode()


def test_the_discipline_office_issues_the_missing_cards(client, world_a):
    client.force_login(world_a.discipline)

    client.post(reverse("integrity:cards-issue-missing"), {"park": world_a.park.code})

    assert ServiceCard.objects.filter(park=world_a.park).count() == 4


def test_the_home_page_shows_the_ratings_panel(client, world_a, card):
    ServiceRatingFactory(card=card)
    client.force_login(world_a.discipline)

    response = client.get(reverse("core:home"))

    assert "panel-integrity-ratings-title" in response.content.decode()


def test_the_rating_list_query_count_is_constant(client, world_a, card, django_assert_max_num_queries):
    for _n in range(30):
        ServiceRatingFactory(card=card)
    client.force_login(world_a.discipline)

    with django_assert_max_num_queries(20):
        client.get(reverse("integrity:rating-list"))

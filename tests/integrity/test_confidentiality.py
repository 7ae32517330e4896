"""CONFIDENTIALITY of declarations, role by role, through every channel: the pages, the API, the Excel export
and the counts. Only the declaring official, the discipline officers of the park and platform
administrators see a declaration — not other officials, park administrators, auditors or enterprises."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from integrity.choices import DeclarationKind, DeclarationStatus
from integrity.selectors.declarations import declaration_counts_for, declarations_for
from integrity.services.yearly import yearly_round_open
from tests.integrity.conftest import make_declaration

SECRET = "机密礼品甲乙丙"

SEES = ["declarant", "discipline_a", "platform_admin"]
BLIND = ["park_admin_a", "dispatcher_a", "auditor_a", "enterprise_user_a", "discipline_b", "handler_b"]


@pytest.fixture
def people(world_a, world_b, platform_admin):
    return {
        "declarant": world_a.handler,
        "discipline_a": world_a.discipline,
        "platform_admin": platform_admin,
        "park_admin_a": world_a.park_admin,
        "dispatcher_a": world_a.dispatcher,
        "auditor_a": world_a.auditor,
        "enterprise_user_a": world_a.enterprise_user,
        "discipline_b": world_b.discipline,
        "handler_b": world_b.handler,
    }


@pytest.fixture
def secret(world_a):
    """A submitted gift declaration of park A's handler, with a description nobody else may read."""
    return make_declaration(world_a, status=DeclarationStatus.SUBMITTED, description=SECRET)


# --- pages --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", SEES)
def test_the_declaration_page_is_shown_to(client, people, secret, who):
    client.force_login(people[who])
    response = client.get(reverse("integrity:declaration-detail", args=[secret.pk]))
    assert response.status_code == 200
    assert SECRET in response.content.decode()


@pytest.mark.parametrize("who", BLIND)
def test_the_declaration_page_is_a_404_for(client, people, secret, who):
    client.force_login(people[who])
    response = client.get(reverse("integrity:declaration-detail", args=[secret.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["discipline_a", "platform_admin"])
def test_the_review_queue_lists_it_for(client, people, secret, who):
    client.force_login(people[who])
    response = client.get(reverse("integrity:review-queue"))
    assert f'href="{reverse("integrity:declaration-detail", args=[secret.pk])}"' in response.content.decode()


@pytest.mark.parametrize("who", BLIND)
def test_the_review_queue_is_a_404_or_empty_for(client, people, secret, who):
    client.force_login(people[who])
    response = client.get(reverse("integrity:review-queue"))
    link = f'href="{reverse("integrity:declaration-detail", args=[secret.pk])}"'
    assert response.status_code == 404 or link not in response.content.decode()


@pytest.mark.parametrize("who", BLIND)
def test_own_declaration_lists_of_others_do_not_show_it(client, people, secret, who):
    client.force_login(people[who])
    response = client.get(reverse("integrity:my-declarations"))
    assert response.status_code == 404 or SECRET not in response.content.decode()


@pytest.mark.parametrize("who", BLIND)
def test_a_blind_user_cannot_review_it_by_posting(client, people, secret, who):
    client.force_login(people[who])
    response = client.post(reverse("integrity:declaration-accept", args=[secret.pk]), {"note": ""})
    secret.refresh_from_db()
    assert (response.status_code, secret.status) == (404, DeclarationStatus.SUBMITTED)


def test_the_yearly_round_page_is_a_404_for_a_park_administrator(client, world_a):
    yearly_round = yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    client.force_login(world_a.park_admin)
    assert client.get(reverse("integrity:yearly-round-detail", args=[yearly_round.pk])).status_code == 404


def test_the_samples_page_is_a_404_for_a_park_administrator(client, world_a):
    client.force_login(world_a.park_admin)
    assert client.get(reverse("integrity:samples")).status_code == 404


# --- API -----------------------------------------------------------------------------------------------------------

ENDPOINTS = {
    DeclarationKind.GIFT: "api:integrity:gift-declaration",
    DeclarationKind.FAMILY_EVENT: "api:integrity:family-event-declaration",
    DeclarationKind.INTEREST: "api:integrity:interest-declaration",
}


@pytest.mark.parametrize("kind", list(DeclarationKind))
@pytest.mark.parametrize("who", SEES)
def test_the_api_lists_and_reads_it_for(client, people, world_a, kind, who):
    declaration = make_declaration(world_a, kind=kind, status=DeclarationStatus.SUBMITTED)
    client.force_login(people[who])
    listing = client.get(reverse(f"{ENDPOINTS[kind]}-list")).json()
    detail = client.get(reverse(f"{ENDPOINTS[kind]}-detail", args=[declaration.pk]))
    assert ([row["id"] for row in listing["results"]], detail.status_code) == ([declaration.pk], 200)


@pytest.mark.parametrize("kind", list(DeclarationKind))
@pytest.mark.parametrize("who", BLIND)
def test_the_api_hides_it_from(client, people, world_a, kind, who):
    declaration = make_declaration(world_a, kind=kind, status=DeclarationStatus.SUBMITTED)
    client.force_login(people[who])
    listing = client.get(reverse(f"{ENDPOINTS[kind]}-list")).json()
    detail = client.get(reverse(f"{ENDPOINTS[kind]}-detail", args=[declaration.pk]))
    assert (listing["count"], detail.status_code) == (0, 404)


@pytest.mark.parametrize("who", BLIND)
def test_the_api_refuses_a_review_action_from(client, people, secret, who):
    client.force_login(people[who])
    response = client.post(
        reverse("api:integrity:gift-declaration-accept", args=[secret.pk]), {}, content_type="application/json"
    )
    assert response.status_code == 404


def test_the_api_does_not_answer_anonymous_requests(client, secret):
    assert client.get(reverse("api:integrity:gift-declaration-list")).status_code in (401, 403)


# --- export --------------------------------------------------------------------------------------------------------


def exported_ids(response):
    sheet = load_workbook(BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("who", ["discipline_a", "platform_admin"])
def test_the_export_contains_it_for(client, people, secret, who):
    client.force_login(people[who])
    response = client.get(reverse("integrity:review-export"))
    assert exported_ids(response) == [secret.pk]


def test_the_export_of_another_parks_discipline_officer_leaves_it_out(client, people, secret):
    client.force_login(people["discipline_b"])
    response = client.get(reverse("integrity:review-export"))
    assert exported_ids(response) == []


@pytest.mark.parametrize(
    "who", ["declarant", "park_admin_a", "dispatcher_a", "auditor_a", "enterprise_user_a", "handler_b"]
)
def test_the_export_is_a_404_for(client, people, secret, who):
    client.force_login(people[who])
    assert client.get(reverse("integrity:review-export")).status_code == 404


# --- counts --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"), [*((w, 1) for w in ["discipline_a", "platform_admin"]), *((w, 0) for w in BLIND)]
)
def test_the_waiting_count_includes_it_only_for(people, secret, who, expected):
    assert declaration_counts_for(people[who])["awaiting_review"] == expected


@pytest.mark.parametrize(("who", "expected"), [*((w, 1) for w in SEES), *((w, 0) for w in BLIND)])
def test_the_selector_count_includes_it_only_for(people, secret, who, expected):
    assert declarations_for(people[who]).count() == expected


@pytest.mark.parametrize("who", ["park_admin_a", "dispatcher_a", "auditor_a"])
def test_the_home_page_shows_no_declaration_numbers_to(client, people, secret, who):
    client.force_login(people[who])
    response = client.get(reverse("core:home"))
    assert 'data-panel="integrity-review"' not in response.content.decode()


def test_the_home_page_shows_the_waiting_count_to_the_discipline_officer(client, people, secret):
    client.force_login(people["discipline_a"])
    response = client.get(reverse("core:home"))
    assert 'data-panel="integrity-review"' in response.content.decode()


@pytest.mark.parametrize(("who", "sees"), [("declarant", True), ("discipline_a", False), ("platform_admin", False)])
def test_a_draft_is_seen_by_its_declarant_only(people, world_a, who, sees):
    draft = make_declaration(world_a)
    assert declarations_for(people[who]).filter(pk=draft.pk).exists() is sees

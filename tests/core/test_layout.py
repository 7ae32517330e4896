"""The base layout: navigation by role, language switch, notification bell, messages, nothing external."""

import re

import pytest
from django.urls import reverse

from accounts.services import api_token_create
from core import navigation, roles
from core.navigation import NavItem
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def isolated_nav(monkeypatch):
    monkeypatch.setattr(navigation, "_REGISTRY", list(navigation._REGISTRY))


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_pages_are_in_chinese_unless_english_is_chosen(client):
    assert client.get(reverse("accounts:login"))["Content-Language"] == "zh-hans"


def test_language_switch_sets_english_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:login"))["Content-Language"] == "en"


def test_language_switcher_posts_to_set_language_with_the_current_path(client):
    content = get_page(client, reverse("accounts:login") + "?next=/home/")
    form = re.search(r'<form[^>]*action="/i18n/setlang/"[^>]*method="post"', content)
    assert form is not None
    assert 'name="next" value="/accounts/login/?next=/home/"' in content
    assert 'name="language"' in content and 'value="en"' in content and 'value="zh-hans"' in content


def test_navigation_shows_entries_for_the_users_roles_only(client, world_a, isolated_nav):
    navigation.register(NavItem("Disclosure", "accounts:profile", roles=(roles.DISCIPLINE,), public=False))
    client.force_login(world_a.discipline)
    assert "Disclosure" in get_page(client, reverse("accounts:profile"))
    client.force_login(world_a.handler)
    assert "Disclosure" not in get_page(client, reverse("accounts:profile"))


def test_navigation_hides_signed_in_entries_from_visitors(client):
    assert reverse("core:home") not in [
        item["url"] for item in client.get(reverse("accounts:login")).context["nav_items"]
    ]


def test_signed_in_page_loads_the_notification_bell_with_htmx(client, world_a):
    client.force_login(world_a.handler)
    content = get_page(client, reverse("accounts:profile"))
    assert f'hx-get="{reverse("core:notification-bell")}"' in content
    assert 'hx-trigger="load, every 60s"' in content


def test_visitor_page_has_no_notification_bell(client):
    assert "notification-bell" not in get_page(client, reverse("accounts:login"))


def test_logout_in_the_user_menu_is_a_post_form(client, world_a):
    client.force_login(world_a.handler)
    content = get_page(client, reverse("accounts:profile"))
    assert re.search(r'<form method="post" action="/accounts/logout/">', content)


def test_messages_are_shown_as_bootstrap_alerts(client):
    user = UserFactory()
    token, _ = api_token_create(user=user, name="旧脚本", actor=user)
    client.force_login(user)
    revoke = reverse("accounts:token-revoke", args=[token.pk])
    assert 'class="alert alert-success' in client.post(revoke, follow=True).content.decode()
    # Revoking it again is refused: an error message, shown as Bootstrap's "danger".
    assert 'class="alert alert-danger' in client.post(revoke, follow=True).content.decode()


@pytest.mark.parametrize("url_name", ["core:public-home", "accounts:login"])
def test_public_pages_load_nothing_from_another_host(client, url_name):
    _assert_self_contained(get_page(client, reverse(url_name)))


@pytest.mark.parametrize("url_name", ["core:home", "accounts:profile", "accounts:password-change"])
def test_signed_in_pages_load_nothing_from_another_host(client, world_a, url_name):
    client.force_login(world_a.enterprise_user)
    _assert_self_contained(get_page(client, reverse(url_name)))


def _assert_self_contained(content):
    for attr, url in re.findall(r'\b(src|href|action)="([^"]*)"', content):
        assert not re.match(r"^(https?:)?//", url), f"{attr} points outside the host: {url}"
    for script in re.findall(r"<script\b[^>]*>", content):
        assert "src=" in script, f"inline script is not allowed under the CSP: {script}"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", content), "inline event handlers are not allowed under the CSP"

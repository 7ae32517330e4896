import pytest
from django.test import Client
from django.urls import reverse

from core import dashboard, navigation, roles
from core.dashboard import Panel, register_panel
from core.models import Notification
from core.navigation import NavItem
from parks.models import Enterprise
from tests.accounts.factories import UserFactory
from tests.parks.factories import EnterpriseFactory, EnterpriseMembershipFactory

pytestmark = pytest.mark.django_db

HOME = "/home/"


@pytest.fixture
def en_client():
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def isolated_panels(monkeypatch, settings):
    """An empty panel registry and an in-memory panel template, restored after the test."""
    monkeypatch.setattr(dashboard, "_PANELS", {})
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"test/panel.html": '<div class="card">{{ title }}: {{ figure }}</div>'},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


@pytest.fixture
def isolated_nav(monkeypatch):
    monkeypatch.setattr(navigation, "_REGISTRY", list(navigation._REGISTRY))


def test_home_is_at_its_documented_address():
    assert reverse("core:home") == HOME


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_greets_the_user_by_name(en_client, world_a):
    en_client.force_login(world_a.dispatcher)
    content = en_client.get(HOME).content.decode()
    assert f"Welcome, {world_a.dispatcher.get_full_name()}" in content


def test_home_shows_the_users_roles_and_parks(en_client, world_a, world_b):
    en_client.force_login(world_a.discipline)
    response = en_client.get(HOME)
    affiliations = response.context["affiliations"]
    assert affiliations.role_codes == [roles.DISCIPLINE]
    assert [p.pk for p in affiliations.parks] == [world_a.park.pk]
    content = response.content.decode()
    assert "Discipline officer" in content
    assert world_a.park.name in content
    assert world_b.park.name not in content


def test_home_shows_the_latest_five_unread_notifications(en_client, world_a):
    user = world_a.handler
    for i in range(7):
        Notification.objects.create(recipient=user, kind="test", title=f"未读通知{i}")
    Notification.objects.create(recipient=user, kind="test", title="已读通知", read_at="2025-01-01T00:00:00+08:00")
    en_client.force_login(user)
    response = en_client.get(HOME)
    shown = [n.title for n in response.context["unread_notifications"]]
    assert shown == [f"未读通知{i}" for i in (6, 5, 4, 3, 2)]
    assert response.context["unread_count"] == 7
    content = response.content.decode()
    assert "已读通知" not in content
    assert reverse("core:notifications") in content


def test_home_shows_no_notification_of_another_user(en_client, world_a):
    Notification.objects.create(recipient=world_a.dispatcher, kind="test", title="别人的通知")
    en_client.force_login(world_a.handler)
    assert "别人的通知" not in en_client.get(HOME).content.decode()


def test_registered_panel_is_rendered_with_its_context(en_client, world_a, isolated_panels):
    register_panel(Panel("open-tickets", "test/panel.html", lambda request: {"title": "待办诉求", "figure": 42}))
    en_client.force_login(world_a.dispatcher)
    content = en_client.get(HOME).content.decode()
    assert "待办诉求: 42" in content
    assert 'data-panel="open-tickets"' in content


def test_panel_for_other_roles_is_not_shown(en_client, world_a, isolated_panels):
    register_panel(
        Panel("risks", "test/panel.html", lambda request: {"title": "风险台账", "figure": 3}, roles=(roles.DISCIPLINE,))
    )
    en_client.force_login(world_a.handler)
    assert "风险台账" not in en_client.get(HOME).content.decode()
    en_client.force_login(world_a.discipline)
    assert "风险台账: 3" in en_client.get(HOME).content.decode()


def test_panels_appear_in_their_order(en_client, world_a, isolated_panels):
    register_panel(Panel("second", "test/panel.html", lambda request: {"title": "乙", "figure": 2}, order=20))
    register_panel(Panel("first", "test/panel.html", lambda request: {"title": "甲", "figure": 1}, order=10))
    en_client.force_login(world_a.dispatcher)
    content = en_client.get(HOME).content.decode()
    assert content.index("甲: 1") < content.index("乙: 2")


def test_modules_grid_links_to_the_modules_the_role_may_use(en_client, world_a, isolated_nav):
    # A label no real module uses, so the test does not depend on which apps register what.
    label = "Discipline-only test module"
    navigation.register(NavItem(label, "accounts:profile", roles=(roles.DISCIPLINE,), public=False, icon="shield"))
    en_client.force_login(world_a.discipline)
    modules = en_client.get(HOME).context["modules"]
    assert label in [m["label"] for m in modules]
    en_client.force_login(world_a.handler)
    modules = en_client.get(HOME).context["modules"]
    assert label not in [m["label"] for m in modules]


def test_modules_grid_does_not_link_to_the_home_itself(en_client, world_a):
    en_client.force_login(world_a.dispatcher)
    modules = en_client.get(HOME).context["modules"]
    assert HOME not in [m["url"] for m in modules]
    assert reverse("core:public-home") in [m["url"] for m in modules]


def test_module_whose_page_does_not_exist_is_not_listed(en_client, world_a, isolated_nav):
    navigation.register(NavItem("Not built yet", "nowhere:missing", public=False))
    en_client.force_login(world_a.dispatcher)
    modules = en_client.get(HOME).context["modules"]
    assert "Not built yet" not in [m["label"] for m in modules]


def test_enterprise_user_sees_their_verified_enterprise(en_client, world_a):
    en_client.force_login(world_a.enterprise_user)
    content = en_client.get(HOME).content.decode()
    assert 'id="home-enterprises"' in content
    assert world_a.enterprise.name in content
    assert "Verified by the park" in content


def test_enterprise_user_sees_that_their_enterprise_awaits_verification(en_client, world_a):
    user = UserFactory(roles=[roles.ENTERPRISE])
    pending = EnterpriseFactory(park=world_a.park, name="待核验科技有限公司", status=Enterprise.Status.PENDING)
    EnterpriseMembershipFactory(user=user, enterprise=pending)
    en_client.force_login(user)
    content = en_client.get(HOME).content.decode()
    assert "待核验科技有限公司" in content
    assert "Waiting for the park to verify it" in content


def test_officials_do_not_get_the_enterprise_section(en_client, world_a):
    en_client.force_login(world_a.dispatcher)
    assert 'id="home-enterprises"' not in en_client.get(HOME).content.decode()

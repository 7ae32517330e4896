"""Red-flag pages: who sees the list and a flag (permission matrix), the declared-interest evidence shown to
discipline officers only, the confirm and dismiss forms, the tender page's section and the home panel."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from core import roles
from procurement.choices import FlagKind, FlagStatus
from procurement.services.flags import flags_compute
from tests.conftest import make_official
from tests.integrity.factories_risk import default_matrix
from tests.procurement.factories_flags import RedFlagFactory, opened_tender
from tests.procurement.test_redflags import declare_interest

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world_a, world_b, platform_admin, procurement_officer):
    return {
        "discipline": world_a.discipline,
        "park_admin": world_a.park_admin,
        "procurement": procurement_officer,
        "auditor": world_a.auditor,
        "platform_admin": platform_admin,
        "handler": world_a.handler,
        "enterprise": world_a.enterprise_user,
        "expert": make_official(park=world_a.park, role=roles.EXPERT, username="expert_pa"),
        "other_park": world_b.discipline,
    }


@pytest.fixture
def interest_flag(world_a):
    """A declared-interest flag: the handler declared a relative's business in bidder A."""
    tender, (a, _b) = opened_tender(world_a.park, prices=[1, 2], buyer_department=world_a.business)
    declare_interest(world_a, world_a.handler, a.supplier.enterprise)
    (flag,) = flags_compute(tender_id=tender.pk, trigger="opening")
    assert flag.kind == FlagKind.DECLARED_INTEREST
    return flag


READERS = {"discipline", "park_admin", "procurement", "auditor", "platform_admin"}


@pytest.mark.parametrize(
    "who", ["discipline", "park_admin", "procurement", "auditor", "platform_admin", "handler", "enterprise", "expert"]
)
def test_the_flag_list_is_for_procurement_readers_only(client, people, interest_flag, who):
    client.force_login(people[who])

    response = client.get(reverse("procurement:flag-list"))

    if who in READERS:
        assert response.status_code == 200
        assert f'id="flag-{interest_flag.pk}"' in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", sorted(READERS | {"handler", "enterprise", "expert", "other_park"}))
def test_a_flag_page_is_for_its_parks_procurement_readers_only(client, people, interest_flag, who):
    client.force_login(people[who])

    response = client.get(reverse("procurement:flag-detail", args=[interest_flag.pk]))

    assert response.status_code == (200 if who in READERS else 404)


def test_the_public_is_sent_to_sign_in(client, interest_flag):
    response = client.get(reverse("procurement:flag-list"))

    assert response.status_code == 302


def test_the_list_shows_only_the_users_parks(client, world_a, world_b):
    mine = RedFlagFactory(tender__park=world_a.park, summary="甲园区的预警")
    RedFlagFactory(tender__park=world_b.park, summary="乙园区的预警")
    client.force_login(world_a.auditor)

    html = client.get(reverse("procurement:flag-list")).content.decode()

    assert f'id="flag-{mine.pk}"' in html and "乙园区的预警" not in html


def test_the_list_filters_by_status_and_kind(client, world_a):
    open_flag = RedFlagFactory(tender__park=world_a.park, kind=FlagKind.SINGLE_BID)
    RedFlagFactory(tender__park=world_a.park, kind=FlagKind.NEAR_BUDGET)
    RedFlagFactory(tender__park=world_a.park, kind=FlagKind.SINGLE_BID, status=FlagStatus.DISMISSED)
    client.force_login(world_a.discipline)

    html = client.get(reverse("procurement:flag-list"), {"status": "open", "kind": "single_bid"}).content.decode()

    assert re.findall(r'id="flag-\d+"', html) == [f'id="flag-{open_flag.pk}"']


def test_htmx_gets_the_table_alone(client, world_a):
    RedFlagFactory(tender__park=world_a.park)
    client.force_login(world_a.discipline)

    html = client.get(reverse("procurement:flag-list"), headers={"HX-Request": "true"}).content.decode()

    assert 'id="flag-table"' in html and "<html" not in html


def test_discipline_officers_read_who_declared_the_interest(client, world_a, interest_flag):
    client.force_login(world_a.discipline)

    html = client.get(reverse("procurement:flag-detail", args=[interest_flag.pk])).content.decode()

    assert interest_flag.evidence["official"] in html
    assert "data-flag-redacted" not in html


@pytest.mark.parametrize("who", ["park_admin", "procurement", "auditor"])
def test_others_never_read_who_declared_the_interest(client, people, world_a, interest_flag, who):
    client.force_login(people[who])

    html = client.get(reverse("procurement:flag-detail", args=[interest_flag.pk])).content.decode()

    assert interest_flag.evidence["official"] not in html
    assert interest_flag.evidence["credit_code"] not in html
    assert "data-flag-redacted" in html


def test_the_list_never_shows_the_declarant_either(client, people, interest_flag):
    client.force_login(people["procurement"])

    html = client.get(reverse("procurement:flag-list")).content.decode()

    assert interest_flag.evidence["official"] not in html


def test_only_discipline_officers_get_the_decision_forms(client, world_a, interest_flag):
    url = reverse("procurement:flag-detail", args=[interest_flag.pk])
    client.force_login(world_a.discipline)
    assert 'id="flag-confirm-form"' in client.get(url).content.decode()

    client.force_login(world_a.park_admin)
    assert 'id="flag-confirm-form"' not in client.get(url).content.decode()


def test_confirming_on_the_page_links_the_risk(client, world_a, interest_flag):
    default_matrix()
    client.force_login(world_a.discipline)

    response = client.post(reverse("procurement:flag-confirm", args=[interest_flag.pk]), {"note": "已约谈"})

    assert response.status_code == 302
    interest_flag.refresh_from_db()
    assert interest_flag.status == FlagStatus.CONFIRMED and interest_flag.risk is not None
    html = client.get(response["Location"]).content.decode()
    assert 'id="flag-risk-link"' in html


def test_the_page_asks_for_a_department_when_the_tender_has_none(client, world_a):
    default_matrix()
    tender, _ = opened_tender(world_a.park, prices=[1])
    (flag,) = flags_compute(tender_id=tender.pk, trigger="opening")
    client.force_login(world_a.discipline)

    assert 'name="department"' in client.get(reverse("procurement:flag-detail", args=[flag.pk])).content.decode()
    response = client.post(reverse("procurement:flag-confirm", args=[flag.pk]), {"department": world_a.business.pk})

    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.risk.department == world_a.business


def test_dismissing_without_a_reason_shows_the_error_and_changes_nothing(client, world_a, interest_flag):
    client.force_login(world_a.discipline)

    response = client.post(reverse("procurement:flag-dismiss", args=[interest_flag.pk]), {"reason": ""})

    assert response.status_code == 200
    assert 'id="flag-dismiss-form"' in response.content.decode()
    interest_flag.refresh_from_db()
    assert interest_flag.status == FlagStatus.OPEN


def test_dismissing_with_a_reason(client, world_a, interest_flag):
    client.force_login(world_a.discipline)

    response = client.post(reverse("procurement:flag-dismiss", args=[interest_flag.pk]), {"reason": "亲属已退出该企业"})

    assert response.status_code == 302
    interest_flag.refresh_from_db()
    assert (interest_flag.status, interest_flag.decision_reason) == (FlagStatus.DISMISSED, "亲属已退出该企业")


def test_a_park_admin_posting_a_decision_changes_nothing(client, world_a, interest_flag):
    client.force_login(world_a.park_admin)

    response = client.post(reverse("procurement:flag-dismiss", args=[interest_flag.pk]), {"reason": "不需要"})

    assert response.status_code == 302
    interest_flag.refresh_from_db()
    assert interest_flag.status == FlagStatus.OPEN


def test_decisions_are_post_only(client, world_a, interest_flag):
    client.force_login(world_a.discipline)

    assert client.get(reverse("procurement:flag-dismiss", args=[interest_flag.pk])).status_code == 405


# --- the tender page's section -------------------------------------------------------------------------------


def render_section(tender, user):
    template = Template('{% include "procurement/flags/_tender_section.html" with tender=tender user=user %}')
    return template.render(Context({"tender": tender, "user": user}))


def test_the_tender_section_lists_the_flags_and_the_hold(world_a):
    tender, _ = opened_tender(world_a.park, prices=[1])
    blocking = RedFlagFactory(tender=tender, kind=FlagKind.RELATED_BIDDERS)

    html = render_section(tender, world_a.discipline)

    assert f'id="tender-flag-{blocking.pk}"' in html and 'id="tender-blocked"' in html


@pytest.mark.parametrize("who", ["enterprise", "expert", "handler", "other_park"])
def test_the_tender_section_is_empty_for_anyone_outside_procurement_of_the_park(people, world_a, who):
    tender, _ = opened_tender(world_a.park, prices=[1])
    RedFlagFactory(tender=tender)

    assert render_section(tender, people[who]).strip() == ""


def test_the_tender_section_is_empty_for_the_public(world_a):
    from django.contrib.auth.models import AnonymousUser

    tender, _ = opened_tender(world_a.park, prices=[1])
    RedFlagFactory(tender=tender)

    assert render_section(tender, AnonymousUser()).strip() == ""


# --- the home panel --------------------------------------------------------------------------------------


def test_the_home_panel_lists_open_flags_blocking_first(client, world_a, world_b):
    informing = RedFlagFactory(tender__park=world_a.park, kind=FlagKind.SINGLE_BID, summary="单一投标")
    blocking = RedFlagFactory(tender__park=world_a.park, kind=FlagKind.RELATED_BIDDERS, summary="关联投标")
    RedFlagFactory(tender__park=world_a.park, status=FlagStatus.DISMISSED, summary="已排除的预警")
    RedFlagFactory(tender__park=world_b.park, summary="乙园区的预警")
    client.force_login(world_a.discipline)

    html = client.get(reverse("core:home")).content.decode()

    assert 'id="red-flag-panel"' in html
    assert html.index("关联投标") < html.index("单一投标")
    assert "已排除的预警" not in html and "乙园区的预警" not in html
    assert 'data-figure="open">2<' in html and 'data-figure="blocking">1<' in html
    assert informing.pk and blocking.pk


def test_handlers_and_enterprises_get_no_flag_panel(client, world_a):
    RedFlagFactory(tender__park=world_a.park)
    for user in (world_a.handler, world_a.enterprise_user):
        client.force_login(user)
        assert 'id="red-flag-panel"' not in client.get(reverse("core:home")).content.decode()


def test_the_list_runs_a_constant_number_of_queries(client, world_a, django_assert_max_num_queries):
    for _ in range(8):
        RedFlagFactory(tender__park=world_a.park)
    client.force_login(world_a.discipline)

    with django_assert_max_num_queries(20):
        assert client.get(reverse("procurement:flag-list")).status_code == 200

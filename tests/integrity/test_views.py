"""The integrity pages: public boards and conduct lists, the official's forms, the review actions (POST only),
the export, publishing, and pinned query counts on the lists."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from integrity.choices import Audience, ConductKind, DeclarationKind, DeclarationStatus, SignerKind
from integrity.models import ConductList, Declaration, GiftDeclaration, PledgeTemplate
from integrity.services.conduct import conduct_list_publish
from integrity.services.pledges import pledge_sign, pledge_template_publish
from tests.integrity.conftest import make_declaration


@pytest.fixture
def conduct(world_a):
    return conduct_list_publish(
        park=world_a.park,
        audience=Audience.OFFICIALS,
        title="园区干部“十不准”",
        items=[
            (ConductKind.PROHIBITED, "不准吃拿卡要"),
            (ConductKind.NORM, "规范政商交往"),
            (ConductKind.PERMITTED, "准许依规为企业协调解决困难"),
        ],
        actor=world_a.park_admin,
    )


# --- public pages ------------------------------------------------------------------------------------------------


def test_the_integrity_index_is_public(client, world_a):
    response = client.get(reverse("integrity:index"))
    assert reverse("integrity:pledge-board", args=[world_a.park.code]) in response.content.decode()


def test_the_conduct_lists_page_groups_items_by_kind(client, world_a, conduct):
    response = client.get(reverse("integrity:conduct-lists", args=[world_a.park.code]))
    body = response.content.decode()
    assert body.index("不准吃拿卡要") < body.index("规范政商交往") < body.index("准许依规为企业协调解决困难")


def test_publishing_a_new_conduct_list_keeps_the_old_version_readable(client, world_a, conduct):
    conduct_list_publish(
        park=world_a.park,
        audience=Audience.OFFICIALS,
        title="园区干部“十不准”(修订)",
        items=[(ConductKind.PROHIBITED, "不准违规收受礼品礼金")],
        actor=world_a.park_admin,
    )
    url = reverse("integrity:conduct-lists", args=[world_a.park.code])
    current, old = (
        client.get(url).content.decode(),
        client.get(url, {"audience": "officials", "version": 1}).content.decode(),
    )
    assert ("不准违规收受礼品礼金" in current, "不准吃拿卡要" in current, "不准吃拿卡要" in old) == (True, False, True)
    assert ConductList.objects.filter(park=world_a.park).count() == 2


def test_a_pledge_text_shows_the_conduct_items_it_cites(client, world_a, conduct):
    template = pledge_template_publish(
        park=world_a.park,
        signer_kind=SignerKind.OFFICIAL,
        title="廉洁承诺书",
        text="本人承诺",
        cited_items=list(conduct.items.all()[:1]),
        actor=world_a.discipline,
    )
    response = client.get(reverse("integrity:template-detail", args=[template.pk]))
    assert "不准吃拿卡要" in response.content.decode()
    assert template.document_sha256() in response.content.decode()


def test_an_unknown_park_is_a_404(client, db):
    assert client.get(reverse("integrity:pledge-board", args=["nowhere"])).status_code == 404


def test_the_pledge_board_queries_are_pinned(client, world_a, django_assert_max_num_queries):
    template = pledge_template_publish(
        park=world_a.park, signer_kind=SignerKind.OFFICIAL, title="t", text="x", actor=world_a.discipline
    )
    for user in (world_a.handler, world_a.dispatcher, world_a.park_admin, world_a.discipline):
        pledge_sign(template=template, actor=user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("integrity:pledge-board", args=[world_a.park.code]))
    assert response.status_code == 200


# --- the official's pages ----------------------------------------------------------------------------------------


def gift_form(**overrides):
    data = {
        "giver_name": "某企业",
        "received_on": timezone.localdate().isoformat(),
        "gift_kind": "goods",
        "description": "水果一箱",
        "estimated_value": "150",
        "handling": "returned",
    }
    data.update(overrides)
    return data


def test_an_official_saves_a_gift_declaration_as_a_draft(client, world_a):
    client.force_login(world_a.handler)
    response = client.post(reverse("integrity:declaration-create", args=["gift"]), gift_form(save="1"))
    declaration = GiftDeclaration.objects.get()
    assert (response.url, declaration.status) == (
        reverse("integrity:declaration-detail", args=[declaration.pk]),
        DeclarationStatus.DRAFT,
    )


def test_an_official_saves_and_submits_in_one_go(client, world_a):
    client.force_login(world_a.handler)
    client.post(reverse("integrity:declaration-create", args=["gift"]), gift_form(submit="1"))
    assert GiftDeclaration.objects.get().status == DeclarationStatus.SUBMITTED


def test_cash_not_handed_in_is_shown_on_the_handling_field(client, world_a):
    client.force_login(world_a.handler)
    response = client.post(reverse("integrity:declaration-create", args=["gift"]), gift_form(gift_kind="cash"))
    assert response.status_code == 200
    assert "handling" in response.context["form"].errors
    assert not Declaration.objects.exists()


def test_a_wedding_too_early_is_saved_as_a_draft_with_a_warning(client, world_a):
    client.force_login(world_a.handler)
    data = {
        "event_kind": "wedding",
        "person_concerned": "本人之女",
        "event_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "venue": "酒店",
        "tables": "10",
        "guests": "100",
        "submit": "1",
    }
    response = client.post(reverse("integrity:declaration-create", args=["family-event"]), data, follow=True)
    assert Declaration.objects.get().status == DeclarationStatus.DRAFT
    assert response.status_code == 200


def test_the_interest_form_validates_the_credit_code(client, world_a):
    client.force_login(world_a.handler)
    data = {
        "relative_name": "李某",
        "relation": "spouse",
        "enterprise_name": "某公司",
        "credit_code": "91350100M000100Y4X",
        "role": "owner",
        "start_date": "2026-01-01",
        "outcome": "undecided",
    }
    response = client.post(reverse("integrity:declaration-create", args=["interest"]), data)
    assert "credit_code" in response.context["form"].errors


def test_the_declarant_edits_a_returned_declaration_and_resubmits(client, world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.RETURNED)
    client.force_login(world_a.handler)
    client.post(
        reverse("integrity:declaration-edit", args=[declaration.pk]), gift_form(description="更正后的描述", submit="1")
    )
    declaration.refresh_from_db()
    assert (declaration.status, GiftDeclaration.objects.get().description) == (
        DeclarationStatus.SUBMITTED,
        "更正后的描述",
    )


def test_a_declaration_form_is_a_404_for_an_enterprise_user(client, world_a):
    client.force_login(world_a.enterprise_user)
    assert client.get(reverse("integrity:declaration-create", args=["gift"])).status_code == 404


def test_the_declaration_page_shows_its_history(client, world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.RETURNED)
    client.force_login(world_a.handler)
    body = client.get(reverse("integrity:declaration-detail", args=[declaration.pk])).content.decode()
    assert 'data-action="declaration.returned"' in body and "请补充礼品照片" in body


def test_the_own_list_queries_are_pinned(client, world_a, django_assert_max_num_queries):
    for kind in (DeclarationKind.GIFT, DeclarationKind.FAMILY_EVENT, DeclarationKind.INTEREST) * 2:
        make_declaration(world_a, kind=kind, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.handler)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("integrity:my-declarations"))
    assert response.status_code == 200


# --- the discipline office's pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["declaration-accept", "declaration-return", "declaration-require-action", "declaration-submit"]
)
def test_state_changes_are_post_only(client, world_a, name):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    assert client.get(reverse(f"integrity:{name}", args=[declaration.pk])).status_code == 405


def test_accepting_from_the_page(client, world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    response = client.post(reverse("integrity:declaration-accept", args=[declaration.pk]), {"note": "已核实"})
    declaration.refresh_from_db()
    assert (response.url, declaration.status) == (reverse("integrity:review-queue"), DeclarationStatus.ACCEPTED)


def test_returning_without_a_reason_changes_nothing(client, world_a):
    declaration = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    client.post(reverse("integrity:declaration-return", args=[declaration.pk]), {"reason": ""})
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.SUBMITTED


def test_requiring_an_action_from_the_page(client, world_a):
    declaration = make_declaration(world_a, kind=DeclarationKind.INTEREST, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    client.post(
        reverse("integrity:declaration-require-action", args=[declaration.pk]), {"action": "recuse", "reason": "回避"}
    )
    declaration.refresh_from_db()
    assert (declaration.status, declaration.required_action) == (DeclarationStatus.ACTION_REQUIRED, "recuse")


def test_the_review_queue_opens_on_what_awaits_review(client, world_a):
    waiting = make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    done = make_declaration(world_a, status=DeclarationStatus.ACCEPTED)
    client.force_login(world_a.discipline)
    rows = [row.pk for row in client.get(reverse("integrity:review-queue")).context["page"]]
    assert rows == [waiting.pk] and done.pk not in rows


def test_the_review_queue_filters_by_kind(client, world_a):
    make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    interest = make_declaration(world_a, kind=DeclarationKind.INTEREST, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    rows = list(client.get(reverse("integrity:review-queue"), {"kind": "interest"}).context["page"])
    assert [row.pk for row in rows] == [interest.pk]


def test_the_review_queue_answers_htmx_with_the_table_only(client, world_a):
    client.force_login(world_a.discipline)
    response = client.get(reverse("integrity:review-queue"), HTTP_HX_REQUEST="true")
    assert [t.name for t in response.templates][0] == "integrity/partials/review_table.html"


def test_the_review_queue_queries_are_pinned(client, world_a, django_assert_max_num_queries):
    for kind in (DeclarationKind.GIFT, DeclarationKind.FAMILY_EVENT, DeclarationKind.INTEREST) * 3:
        make_declaration(world_a, kind=kind, status=DeclarationStatus.SUBMITTED)
    client.force_login(world_a.discipline)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("integrity:review-queue"))
    assert len(response.context["page"]) == 9


def test_the_export_follows_the_queue_filters(client, world_a):
    make_declaration(world_a, status=DeclarationStatus.SUBMITTED)
    flagged = make_declaration(
        world_a, kind=DeclarationKind.FAMILY_EVENT, status=DeclarationStatus.SUBMITTED, tables=40
    )
    client.force_login(world_a.discipline)
    response = client.get(reverse("integrity:review-export"), {"is_flagged": "true"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [flagged.pk]


def test_opening_a_round_from_the_page(client, world_a):
    client.force_login(world_a.discipline)
    response = client.post(reverse("integrity:yearly-rounds"), {"park": world_a.park.pk, "year": 2025})
    assert response.status_code == 302
    assert "4" in client.get(response.url).content.decode()


# --- publishing --------------------------------------------------------------------------------------------------


def test_a_park_administrator_publishes_a_new_pledge_version_from_the_page(client, world_a, conduct):
    client.force_login(world_a.park_admin)
    item = conduct.items.first()
    client.post(
        reverse("integrity:template-publish", args=[world_a.park.code]),
        {
            "signer_kind": "official",
            "title": "廉洁承诺书",
            "text": "承诺正文",
            "term_days": "365",
            "cited_items": [item.pk],
        },
    )
    template = PledgeTemplate.objects.get()
    assert (template.version, list(template.cited_items.all())) == (1, [item])


def test_a_handler_cannot_reach_the_publishing_pages(client, world_a):
    client.force_login(world_a.handler)
    assert client.get(reverse("integrity:template-publish", args=[world_a.park.code])).status_code == 404


def test_publishing_a_conduct_list_from_the_page(client, world_a):
    client.force_login(world_a.discipline)
    client.post(
        reverse("integrity:conduct-publish", args=[world_a.park.code]),
        {
            "audience": "enterprises",
            "title": "廉洁从商七项规范",
            "norm": "依法经营\n诚信纳税",
            "prohibited": "",
            "permitted": "",
        },
    )
    conduct_list = ConductList.objects.get()
    assert list(conduct_list.items.values_list("kind", "text")) == [("norm", "依法经营"), ("norm", "诚信纳税")]


def test_the_my_pledges_page_offers_the_current_version(client, world_a):
    template = pledge_template_publish(
        park=world_a.park, signer_kind=SignerKind.ENTERPRISE, title="企业廉洁承诺书", text="x", actor=world_a.discipline
    )
    client.force_login(world_a.enterprise_user)
    response = client.get(reverse("integrity:my-pledges"))
    assert reverse("integrity:pledge-sign", args=[template.pk]) in response.content.decode()


def test_the_my_pledges_page_offers_renewal_only_in_the_renewal_window(client, world_a):
    template = pledge_template_publish(
        park=world_a.park, signer_kind=SignerKind.OFFICIAL, title="廉洁承诺书", text="x", actor=world_a.discipline
    )
    pledge_sign(template=template, actor=world_a.handler)
    client.force_login(world_a.handler)
    body = client.get(reverse("integrity:my-pledges")).content.decode()
    assert reverse("integrity:pledge-sign", args=[template.pk]) not in body

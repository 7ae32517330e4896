"""Disciplinary notices (通报): names stored apart and masked on every public rendering (persons, title, body);
internal notices for the park's officials only; drafts for its discipline office; the services' rules and
audit events; the public page and the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from integrity.choices_risk import NoticeStatus, NoticeVisibility
from integrity.models.notices import mask_names_in, mask_person_name
from integrity.services.notices import notice_draft, notice_publish, notice_update, notice_withdraw

BODY = (
    "经查，张三丰在担任企业服务局科员期间，违规接受管理服务对象宴请。"
    "张三丰的行为违反了中央八项规定精神。欧阳修同志负有领导责任。"
)


def draft(world, *, visibility=NoticeVisibility.PUBLIC, **kw):
    values = {
        "park": world.park,
        "actor": world.discipline,
        "title": "关于张三丰违规接受宴请问题的通报",
        "body": BODY,
        "visibility": visibility,
        "number": "2026年第1期",
        "persons": [{"name": "张三丰", "position": "企业服务局科员"}, {"name": "欧阳修", "position": "企业服务局局长"}],
    }
    values.update(kw)
    return notice_draft(**values)


def published(world, **kw):
    return notice_publish(notice=draft(world, **kw), actor=world.discipline)


# --- masking ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张某某"),
        ("李四", "李某"),
        ("欧阳修", "欧阳某"),
        ("司马相如", "司马某某"),
        ("王", "王某"),
        ("Wang Wei", "W某"),
    ],
)
def test_a_name_keeps_its_surname_and_the_rest_becomes_mou(name, masked):
    assert mask_person_name(name) == masked


def test_every_occurrence_of_every_name_is_masked_in_a_text():
    assert mask_names_in(BODY, ["张三丰", "欧阳修"]) == (
        "经查，张某某在担任企业服务局科员期间，违规接受管理服务对象宴请。张某某的行为违反了中央八项规定精神。欧阳某同志负有领导责任。"
    )


def test_a_longer_name_is_masked_whole_before_a_shorter_one_it_contains():
    assert mask_names_in("张三丰与张三", ["张三", "张三丰"]) == "张某某与张某"


# --- services -----------------------------------------------------------------------------------------------


def test_a_discipline_officer_drafts_a_notice_with_the_persons_stored_apart(world_a):
    notice = draft(world_a)

    assert notice.status == NoticeStatus.DRAFT
    assert notice.person_names() == ["张三丰", "欧阳修"]
    assert [e.action for e in events_for(notice)] == ["notice.drafted"]


def test_the_audit_trail_does_not_carry_the_names(world_a):
    notice = published(world_a)

    assert all("张三丰" not in str(event.data) for event in events_for(notice))


@pytest.mark.parametrize("role", ["park_admin", "handler", "auditor", "enterprise_user"])
def test_only_discipline_officers_draft_notices(world_a, role):
    with pytest.raises(PermissionDenied):
        draft(world_a, actor=getattr(world_a, role))


def test_a_discipline_officer_of_another_park_cannot_draft_here(world_a, world_b):
    with pytest.raises(PermissionDenied):
        draft(world_a, actor=world_b.discipline)


def test_a_notice_without_text_is_refused(world_a):
    with pytest.raises(DomainError) as error:
        draft(world_a, body="  ")

    assert error.value.field == "body"


def test_publishing_tells_the_parks_officials(world_a):
    published(world_a)

    assert Notification.objects.filter(recipient=world_a.handler, kind="notice.published").exists()


def test_a_published_notice_cannot_be_changed(world_a):
    notice = published(world_a)

    with pytest.raises(Conflict):
        notice_update(notice=notice, actor=world_a.discipline, title="新标题")


def test_a_draft_is_changed_with_its_persons(world_a):
    notice = notice_update(notice=draft(world_a), actor=world_a.discipline, persons=[{"name": "李四"}])

    assert notice.person_names() == ["李四"]
    assert [e.action for e in events_for(notice)][-1] == "notice.updated"


def test_withdrawing_needs_a_reason_and_a_published_notice(world_a):
    notice = published(world_a)
    with pytest.raises(DomainError):
        notice_withdraw(notice=notice, actor=world_a.discipline, reason="")

    notice = notice_withdraw(notice=notice, actor=world_a.discipline, reason="当事人申诉，重新核查")

    assert notice.status == NoticeStatus.WITHDRAWN
    with pytest.raises(Conflict):
        notice_withdraw(notice=notice, actor=world_a.discipline, reason="again")


# --- pages -------------------------------------------------------------------------------------------------


def test_the_public_list_shows_public_notices_with_names_masked(client, world_a):
    published(world_a)
    published(world_a, visibility=NoticeVisibility.INTERNAL, title="内部通报：作风纪律检查情况")
    draft(world_a, title="草稿通报")

    html = client.get(reverse("integrity:notice-public-list")).content.decode()

    assert "关于张某某违规接受宴请问题的通报" in html
    assert "张三丰" not in html and "内部通报" not in html and "草稿通报" not in html


def test_the_public_page_masks_names_in_the_title_body_and_persons(client, world_a):
    notice = published(world_a)

    html = client.get(reverse("integrity:notice-detail", args=[notice.pk])).content.decode()

    assert "张三丰" not in html and "欧阳修" not in html
    assert "张某某" in html and "欧阳某同志" in html


def test_officials_of_the_park_read_the_notice_in_full(client, world_a):
    notice = published(world_a)
    client.force_login(world_a.handler)

    html = client.get(reverse("integrity:notice-detail", args=[notice.pk])).content.decode()

    assert "张三丰" in html


@pytest.mark.parametrize("who", ["anonymous", "enterprise_user", "auditor", "other_park"])
def test_an_internal_notice_is_not_found_for_anyone_but_the_parks_officials(client, world_a, world_b, who):
    notice = published(world_a, visibility=NoticeVisibility.INTERNAL)
    if who == "other_park":
        client.force_login(world_b.discipline)
    elif who != "anonymous":
        client.force_login(getattr(world_a, who))

    assert client.get(reverse("integrity:notice-detail", args=[notice.pk])).status_code == 404


def test_an_official_of_another_park_sees_a_public_notice_masked(client, world_a, world_b):
    notice = published(world_a)
    client.force_login(world_b.handler)

    html = client.get(reverse("integrity:notice-detail", args=[notice.pk])).content.decode()

    assert "张三丰" not in html and "张某某" in html


def test_drafts_are_for_the_discipline_office_only(client, world_a):
    notice = draft(world_a)
    client.force_login(world_a.park_admin)

    assert client.get(reverse("integrity:notice-detail", args=[notice.pk])).status_code == 404


def test_a_withdrawn_notice_leaves_the_public_page(client, world_a):
    notice = notice_withdraw(notice=published(world_a), actor=world_a.discipline, reason="重新核查")

    assert client.get(reverse("integrity:notice-detail", args=[notice.pk])).status_code == 404


def test_a_discipline_officer_drafts_and_publishes_from_the_pages(client, world_a):
    client.force_login(world_a.discipline)
    response = client.post(
        reverse("integrity:notice-create"),
        {
            "park": world_a.park.pk,
            "number": "2026年第2期",
            "kind": "conduct",
            "visibility": "public",
            "issued_on": "2026-03-01",
            "title": "关于李四违规收受礼金的通报",
            "body": "李四收受企业礼金2000元。",
            "persons": "李四｜规划建设局科员",
        },
    )
    notice_url = response["Location"]
    pk = int(notice_url.rstrip("/").rsplit("/", 1)[1])

    client.post(reverse("integrity:notice-publish", args=[pk]))
    client.logout()

    html = client.get(reverse("integrity:notice-public-list")).content.decode()
    assert "关于李某违规收受礼金的通报" in html and "李四" not in html


def test_the_officials_list_shows_internal_notices_in_full(client, world_a):
    published(world_a, visibility=NoticeVisibility.INTERNAL)
    client.force_login(world_a.dispatcher)

    html = client.get(reverse("integrity:notice-list")).content.decode()

    assert "关于张三丰违规接受宴请问题的通报" in html


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_gives_the_public_masked_public_notices_only(world_a):
    published(world_a)
    published(world_a, visibility=NoticeVisibility.INTERNAL)

    data = APIClient().get("/api/v1/integrity/notices/").json()

    assert data["count"] == 1
    row = data["results"][0]
    assert row["names_masked"] and row["title"] == "关于张某某违规接受宴请问题的通报"
    assert [p["name"] for p in row["persons"]] == ["张某某", "欧阳某"]
    assert "张三丰" not in row["body"]


def test_the_api_gives_officials_their_parks_notices_in_full(world_a):
    published(world_a, visibility=NoticeVisibility.INTERNAL)
    api = APIClient()
    api.force_authenticate(world_a.handler)

    row = api.get("/api/v1/integrity/notices/").json()["results"][0]

    assert not row["names_masked"] and row["persons"][0]["name"] == "张三丰"


def test_the_api_drafts_and_publishes_for_discipline_officers(world_a):
    api = APIClient()
    api.force_authenticate(world_a.discipline)
    created = api.post(
        "/api/v1/integrity/notices/",
        {"park": world_a.park.pk, "title": "通报", "body": "王五迟到早退。", "persons": [{"name": "王五"}]},
        format="json",
    )

    published_row = api.post(f"/api/v1/integrity/notices/{created.json()['id']}/publish/").json()

    assert created.status_code == 201 and published_row["status"] == "published"


def test_anonymous_callers_cannot_draft_through_the_api(world_a):
    response = APIClient().post("/api/v1/integrity/notices/", {"park": world_a.park.pk, "title": "x", "body": "y"})

    assert response.status_code in (401, 403)

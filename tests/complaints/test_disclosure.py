"""Published answer lists (第N批企业诉求解答清单及整改措施): who publishes what, personal data removed,
numbering, the audit trail, and the public pages."""

import pytest
from django.urls import reverse

from complaints.choices import Status
from complaints.models import AnswerBatch, AnswerBatchItem
from complaints.redaction import redact
from complaints.services.disclosure import answer_batch_publish, chinese_number
from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied


@pytest.fixture
def answered(desk):
    """A closed ticket full of personal data, whose filer consented to publication."""
    return desk.to(
        Status.CLOSED,
        subject="甲园区示范企业有限公司研发补贴未到账",
        body="我是王小明(电话13900001111,邮箱wxm@example.cn),公司信用代码91350100M000100Y43,补贴至今未到。",
        contact_name="王小明",
        contact_phone="13900001111",
        consent_to_publish=True,
    )


def test_redaction_removes_names_phones_mail_codes_and_companies():
    text = "王小明(13900001111,0898-88886666,wxm@example.cn)替三亚某某科技有限公司反映,代码91350100M000100Y43。"

    cleaned = redact(text, people=["王小明"])

    for personal in ("王小明", "13900001111", "0898-88886666", "wxm@example.cn", "91350100M000100Y43", "科技有限公司"):
        assert personal not in cleaned


def test_redaction_keeps_dates_and_amounts():
    assert (
        redact("2025年6月9日申报,补贴金额1200000元,编号20250609") == "2025年6月9日申报,补贴金额1200000元,编号20250609"
    )


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (2, "二"), (10, "十"), (12, "十二"), (35, "三十五"), (105, "一百零五")]
)
def test_batch_numbers_are_written_in_chinese(n, text):
    assert chinese_number(n) == text


def test_dispatcher_publishes_the_first_batch_with_personal_data_removed(desk, answered):
    batch = answer_batch_publish(park=desk.park, tickets=[answered], actor=desk.w.dispatcher)

    item = batch.items.get()
    published = " ".join([item.subject, item.demand, item.reply, item.rectification_measures])
    assert batch.title == "第一批企业诉求解答清单及整改措施"
    for personal in ("王小明", "13900001111", "wxm@example.cn", "91350100M000100Y43", desk.w.enterprise.name):
        assert personal not in published
    assert item.reply == "补贴已于本周拨付。" and item.rectification_measures == "建立兑现台账"
    assert (item.category_name, item.department_name) == ("政策兑现", desk.w.business.name)


def test_batches_are_numbered_per_park(desk, answered):
    second = desk.to(Status.CLOSED, consent_to_publish=True)
    answer_batch_publish(park=desk.park, tickets=[answered], actor=desk.w.dispatcher)

    batch = answer_batch_publish(park=desk.park, tickets=[second], actor=desk.w.park_admin)

    assert (batch.number, batch.title) == (2, "第二批企业诉求解答清单及整改措施")


def test_publishing_is_recorded_on_the_batch_and_on_each_ticket(desk, answered):
    batch = answer_batch_publish(park=desk.park, tickets=[answered], actor=desk.w.dispatcher)

    assert [e.action for e in events_for(batch)] == ["answer_batch.published"]
    assert events_for(answered).last().action == "ticket.published"


def test_edited_texts_are_redacted_too(desk, answered):
    batch = answer_batch_publish(
        park=desk.park,
        tickets=[answered],
        actor=desk.w.dispatcher,
        texts={answered.pk: {"reply": "已联系王小明,电话13900001111。"}},
    )

    reply = batch.items.get().reply
    assert "王小明" not in reply and "13900001111" not in reply


def test_ticket_without_consent_is_refused(desk):
    ticket = desk.to(Status.CLOSED)

    with pytest.raises(DomainError):
        answer_batch_publish(park=desk.park, tickets=[ticket], actor=desk.w.dispatcher)
    assert not AnswerBatch.objects.exists()


def test_open_ticket_is_refused(desk):
    ticket = desk.to(Status.REPLIED, consent_to_publish=True)

    with pytest.raises(DomainError):
        answer_batch_publish(park=desk.park, tickets=[ticket], actor=desk.w.dispatcher)


def test_confidential_ticket_is_never_published(desk):
    ticket = desk.submit(actor=None, category=desk.misconduct, consent_to_publish=True).ticket

    with pytest.raises(DomainError):
        answer_batch_publish(park=desk.park, tickets=[ticket], actor=desk.w.dispatcher)


def test_a_ticket_is_published_only_once(desk, answered):
    answer_batch_publish(park=desk.park, tickets=[answered], actor=desk.w.dispatcher)

    with pytest.raises(Conflict):
        answer_batch_publish(park=desk.park, tickets=[answered], actor=desk.w.dispatcher)
    assert AnswerBatch.objects.count() == 1


@pytest.mark.parametrize("role", ["handler", "discipline", "auditor", "enterprise_user"])
def test_only_park_admins_and_dispatchers_publish(desk, answered, role):
    with pytest.raises(PermissionDenied):
        answer_batch_publish(park=desk.park, tickets=[answered], actor=getattr(desk.w, role))


def test_dispatcher_of_another_park_cannot_publish(desk, answered, world_b):
    with pytest.raises(PermissionDenied):
        answer_batch_publish(park=desk.park, tickets=[answered], actor=world_b.dispatcher)


def test_nothing_chosen_is_refused(desk):
    with pytest.raises(DomainError):
        answer_batch_publish(park=desk.park, tickets=[], actor=desk.w.dispatcher)


# --- pages ------------------------------------------------------------------------------------------------------


def test_publish_page_offers_only_closed_consented_tickets(client, desk, answered):
    desk.to(Status.CLOSED)  # no consent
    desk.to(Status.REPLIED, consent_to_publish=True)  # not closed
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:batch-publish", args=[desk.park.code]))

    assert list(response.context["form"].fields["tickets"].queryset) == [answered]


def test_preview_shows_the_redacted_texts_and_publishing_makes_the_page(client, desk, answered):
    client.force_login(desk.w.dispatcher)
    url = reverse("complaints:batch-publish", args=[desk.park.code])

    preview = client.post(url, {"tickets": [answered.pk], "step": "preview"})
    published = client.post(url, {"tickets": [answered.pk], "step": "publish"})

    assert "王小明" not in preview.content.decode() and preview.context["preview"]
    batch = AnswerBatch.objects.get()
    assert published.status_code == 302 and published["Location"] == reverse("complaints:batch-detail", args=[batch.pk])


def test_public_batch_page_shows_no_personal_data(client, desk, answered):
    batch = answer_batch_publish(park=desk.park, tickets=[answered], actor=desk.w.dispatcher)

    text = client.get(reverse("complaints:batch-detail", args=[batch.pk])).content.decode()

    assert "第一批企业诉求解答清单及整改措施" in text and "补贴已于本周拨付。" in text
    for personal in ("王小明", "13900001111", desk.w.enterprise.name, answered.number):
        assert personal not in text


def test_batch_list_is_public(client, desk, answered):
    answer_batch_publish(park=desk.park, tickets=[answered], actor=desk.w.dispatcher)

    response = client.get(reverse("complaints:batch-list"))

    assert response.status_code == 200
    assert "第一批企业诉求解答清单及整改措施" in response.content.decode()


@pytest.mark.parametrize("role", ["handler", "auditor", "enterprise_user"])
def test_publish_page_is_refused_to_other_roles(client, desk, role):
    client.force_login(getattr(desk.w, role))

    assert client.get(reverse("complaints:batch-publish", args=[desk.park.code])).status_code == 403


def test_published_items_keep_their_text_when_the_ticket_changes_later(desk, answered):
    batch = answer_batch_publish(park=desk.park, tickets=[answered], actor=desk.w.dispatcher)
    type(answered).objects.filter(pk=answered.pk).update(reply="后来改过的答复")

    assert AnswerBatchItem.objects.get(batch=batch).reply == "补贴已于本周拨付。"

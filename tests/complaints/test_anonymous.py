"""Anonymous reports: a 16-digit receipt shown once and stored only hashed, found again with the code, the
same answer for unknown and wrong codes, nothing identifying stored anywhere."""

import json

import pytest
from django.contrib.auth.hashers import check_password, make_password

from complaints import services
from complaints.choices import Status
from complaints.models import AnonymousReceipt, Ticket, TicketMessage
from complaints.selectors import ticket_messages_for, ticket_scope_for
from complaints.services.receipts import _invalid as invalid_receipt_error
from complaints.services.receipts import receipt_lookup_value
from core.audit import events_for
from core.errors import DomainError, PermissionDenied
from tests.complaints.conftest import at


@pytest.fixture
def report(desk):
    return desk.submit(
        actor=None, category=desk.misconduct, subject="窗口人员索要好处费", body="办理证照时被暗示需要表示"
    )


def test_anonymous_report_returns_a_sixteen_digit_receipt(report):
    assert report.receipt_code.isdigit()
    assert len(report.receipt_code) == 16


def test_receipt_is_stored_only_as_a_lookup_and_a_salted_hash(report):
    receipt = AnonymousReceipt.objects.get(ticket=report.ticket)
    stored = json.dumps([receipt.lookup, receipt.code_hash])

    assert report.receipt_code not in stored
    assert report.receipt_code[:8] not in stored
    assert check_password(report.receipt_code, receipt.code_hash)
    assert receipt.lookup == receipt_lookup_value(report.receipt_code)


def test_receipt_finds_the_ticket(report):
    assert services.receipt_lookup(code=report.receipt_code) == report.ticket


def test_receipt_is_found_when_typed_with_spaces(report):
    code = services.format_receipt_code(report.receipt_code)

    assert " " in code
    assert services.receipt_lookup(code=code) == report.ticket


@pytest.mark.parametrize("mangle", ["wrong_suffix", "unknown", "short", "empty"])
def test_unknown_and_wrong_codes_get_the_same_error(report, mangle):
    code = report.receipt_code
    bad = {
        "wrong_suffix": code[:8] + str((int(code[8:]) + 1) % 10**8).zfill(8),
        "unknown": str((int(code[:8]) + 1) % 10**8).zfill(8) + code[8:],
        "short": code[:10],
        "empty": "",
    }[mangle]

    with pytest.raises(DomainError) as raised:
        services.receipt_lookup(code=bad)

    assert (raised.value.code, raised.value.kind) == ("receipt_invalid", "not_found")
    assert str(raised.value) == str(invalid_receipt_error().message)


def test_two_receipts_sharing_the_lookup_half_are_told_apart_by_the_hash(desk, report):
    other = desk.submit(actor=None, subject="另一件", body="匿名反映").ticket
    twin_code = report.receipt_code[:8] + "00000000"
    receipt = AnonymousReceipt.objects.get(ticket=other)
    receipt.lookup = receipt_lookup_value(twin_code)
    receipt.code_hash = make_password(twin_code)
    receipt.save()

    assert services.receipt_lookup(code=report.receipt_code) == report.ticket
    assert services.receipt_lookup(code=twin_code) == other


def test_signed_in_user_choosing_anonymity_leaves_no_trace_of_themselves(desk):
    submission = desk.submit(is_anonymous=True, contact_name="张三", contact_phone="13800000000")

    ticket = submission.ticket
    assert ticket.submitter is None and ticket.enterprise is None
    assert (ticket.contact_name, ticket.contact_phone) == ("", "")
    event = events_for(ticket).get()
    assert event.actor is None
    assert event.actor_kind == "anonymous"
    assert submission.receipt_code


def test_anonymous_reporter_answers_officials_with_the_receipt(desk, report):
    ticket = services.ticket_accept(ticket=report.ticket, actor=desk.w.discipline, now=at(hours=1))
    services.ticket_message_post(ticket=ticket, actor=desk.w.discipline, body="请说明具体时间", now=at(hours=2))

    message = services.ticket_message_post(
        ticket=ticket, receipt_code=report.receipt_code, body="上周三上午", now=at(hours=3)
    )

    assert message.author is None
    assert message.author_kind == "reporter"
    assert events_for(ticket).last().actor_kind == "anonymous"


def test_reporter_never_sees_internal_notes(desk, report):
    services.ticket_supervise(ticket=report.ticket, actor=desk.w.discipline, note="内部:核查经办人", now=at(hours=1))
    services.ticket_message_post(ticket=report.ticket, actor=desk.w.discipline, body="已受理", now=at(hours=2))

    visible = list(ticket_messages_for(None, report.ticket, reporter=True).values_list("body", flat=True))

    assert visible == ["已受理"]


def test_a_wrong_receipt_cannot_post(desk, report):
    other = desk.submit(actor=None, subject="另一件", body="匿名反映")

    with pytest.raises(PermissionDenied):
        services.ticket_message_post(ticket=report.ticket, receipt_code=other.receipt_code, body="冒充")

    assert not TicketMessage.objects.exists()


def test_anonymous_reporter_rates_the_answer_with_the_receipt(desk):
    submission = desk.submit(actor=None)
    ticket = services.ticket_accept(ticket=submission.ticket, actor=desk.w.dispatcher, now=at(hours=1))
    ticket = services.ticket_dispatch(
        ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business, now=at(hours=2)
    )
    ticket = services.ticket_sign(ticket=ticket, actor=desk.w.handler, now=at(hours=3))
    ticket = services.ticket_reply(ticket=ticket, actor=desk.w.handler, reply="已整改", now=at(days=1))

    ticket = services.ticket_confirm(
        ticket=ticket, receipt_code=submission.receipt_code, satisfaction=4, now=at(days=2)
    )

    assert ticket.status == Status.CLOSED
    assert events_for(ticket).last().actor_kind == "anonymous"


def test_nothing_stored_about_an_anonymous_report_holds_an_address_or_a_user_agent(desk, report):
    services.ticket_message_post(
        ticket=report.ticket, receipt_code=report.receipt_code, body="补充材料", now=at(hours=1)
    )
    ticket = Ticket.objects.get(pk=report.ticket.pk)
    rows = [
        {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields},
        *TicketMessage.objects.filter(ticket=ticket).values(),
        *AnonymousReceipt.objects.filter(ticket=ticket).values(),
        *[{"data": e.data, "actor": e.actor_id, "label": e.actor_label} for e in events_for(ticket)],
    ]
    text = json.dumps(rows, default=str, ensure_ascii=False).lower()
    field_names = {f.name for model in (Ticket, TicketMessage, AnonymousReceipt) for f in model._meta.get_fields()}

    assert not {"ip", "ip_address", "remote_addr", "user_agent", "headers"} & field_names
    assert not any(marker in text for marker in ("127.0.0.1", "remote_addr", "user-agent", "user_agent", "mozilla"))
    assert ticket.submitter_id is None and ticket.registered_by_id is None


def test_anonymous_confidential_report_is_invisible_to_the_dispatcher(desk, report):
    assert not ticket_scope_for(desk.w.dispatcher).filter(pk=report.ticket.pk).exists()
    assert ticket_scope_for(desk.w.discipline).filter(pk=report.ticket.pk).exists()


def test_anonymous_channel_must_be_public(desk):
    with pytest.raises(DomainError):
        desk.submit(actor=None, channel="phone")

"""Intake, numbering and the individual services' rules (who may act, what they refuse, what they record)."""

import re
from unittest import mock

import pytest

from complaints import services
from complaints.choices import Channel, Priority, RequestStatus, ReturnStatus, Status
from complaints.models import FollowUp, Ticket, TicketCounter, TicketMessage
from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from tests.complaints.conftest import T0, at, local
from tests.complaints.factories import CategoryFactory
from tests.conftest import make_official
from tests.parks.factories import DepartmentFactory, EnterpriseFactory

# --- intake and numbering -------------------------------------------------------------------------------


def test_ticket_number_is_park_code_year_and_a_six_digit_counter(desk):
    ticket = desk.submit().ticket

    assert re.fullmatch(r"PA-2025-\d{6}", ticket.number)
    assert ticket.number.endswith("000001")


def test_ticket_numbers_count_per_park_and_per_year(desk, world_b):
    other_category = CategoryFactory(park=world_b.park)
    a1 = desk.submit().ticket
    a2 = desk.submit().ticket
    b1 = services.ticket_submit(
        park=world_b.park, category=other_category, subject="s", body="b", actor=None, now=T0
    ).ticket
    next_year = desk.submit(now=T0.replace(year=2026, month=1, day=5)).ticket

    assert [a1.number, a2.number, b1.number, next_year.number] == [
        "PA-2025-000001",
        "PA-2025-000002",
        "PB-2025-000001",
        "PA-2026-000001",
    ]
    assert TicketCounter.objects.get(park=desk.park, year=2025).last_number == 2


def test_enterprise_submission_is_filed_for_the_users_enterprise_and_audited(desk):
    ticket = desk.submit(contact_name="张经理", contact_phone="13812345678").ticket

    assert ticket.submitter == desk.w.enterprise_user
    assert ticket.enterprise == desk.w.enterprise
    assert ticket.status == Status.SUBMITTED
    assert ticket.contact_phone_masked == "138****5678"
    event = events_for(ticket).get()
    assert event.action == "ticket.submitted"
    assert event.actor == desk.w.enterprise_user


def test_submission_sets_the_acceptance_deadline_on_the_work_calendar(desk):
    ticket = desk.submit().ticket  # Monday 9 June 2025, 10:00

    assert local(ticket.accept_due) == "2025-06-10 23:59"
    assert ticket.next_reminder_at is not None


def test_enterprise_user_cannot_file_for_another_enterprise(desk):
    stranger = EnterpriseFactory(park=desk.park)

    with pytest.raises(PermissionDenied):
        desk.submit(enterprise=stranger)

    assert not Ticket.objects.exists()


def test_category_of_another_park_is_refused(desk, world_b):
    with pytest.raises(DomainError) as raised:
        desk.submit(category=CategoryFactory(park=world_b.park))

    assert raised.value.field == "category"


def test_non_public_category_is_refused_on_the_public_form_but_open_to_the_dispatcher(desk):
    with pytest.raises(DomainError):
        desk.submit(category=desk.internal)

    ticket = desk.submit(actor=desk.w.dispatcher, channel=Channel.PHONE, category=desk.internal).ticket
    assert ticket.category == desk.internal


def test_empty_subject_is_refused(desk):
    with pytest.raises(DomainError) as raised:
        desk.submit(subject="   ")

    assert raised.value.field == "subject"


def test_only_officials_mark_a_ticket_urgent(desk):
    with pytest.raises(PermissionDenied):
        desk.submit(priority=Priority.URGENT)


def test_dispatcher_registration_of_a_phone_demand_is_accepted_at_once(desk):
    ticket = desk.submit(
        actor=desk.w.dispatcher,
        channel=Channel.HOTLINE_12345,
        enterprise=desk.w.enterprise,
        contact_phone="0898-1234567",
    ).ticket

    assert ticket.status == Status.ACCEPTED
    assert ticket.registered_by == desk.w.dispatcher
    assert ticket.submitter is None
    assert ticket.reply_due is not None
    assert [e.action for e in events_for(ticket)] == ["ticket.submitted", "ticket.accepted"]


def test_handler_cannot_register_hotline_demands(desk):
    with pytest.raises(PermissionDenied):
        desk.submit(actor=desk.w.handler, channel=Channel.HOTLINE_12345)


def test_any_official_of_the_park_registers_a_problem_from_a_liaison_visit(desk):
    ticket = desk.submit(actor=desk.w.handler, channel=Channel.VISIT, enterprise=desk.w.enterprise).ticket

    assert ticket.channel == Channel.VISIT
    assert ticket.status == Status.SUBMITTED


def test_misconduct_category_makes_the_ticket_confidential(desk):
    ticket = desk.submit(category=desk.misconduct, accused_official=desk.w.handler).ticket

    assert ticket.is_confidential


def test_accused_official_must_be_staff_of_the_park(desk, world_b):
    with pytest.raises(DomainError) as raised:
        desk.submit(category=desk.misconduct, accused_official=world_b.handler)

    assert raised.value.field == "accused_official"


def test_routing_is_queued_only_after_the_submission_commits(desk, django_capture_on_commit_callbacks):
    with mock.patch("complaints.tasks.route_ticket.delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ticket = desk.submit().ticket
        delay.assert_not_called()
        for callback in callbacks:
            callback()

    delay.assert_called_once_with(ticket.pk)


def test_submission_is_stored_when_the_broker_is_down(desk, django_capture_on_commit_callbacks, caplog):
    with (
        mock.patch("complaints.tasks.route_ticket.delay", side_effect=OSError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ticket = desk.submit().ticket

    ticket.refresh_from_db()
    assert ticket.routed_at is None
    assert "the sweep will catch up" in caplog.text


def test_dispatchers_are_told_of_a_new_ticket(desk):
    ticket = desk.submit().ticket

    assert Notification.objects.filter(recipient=desk.w.dispatcher, kind="ticket.submitted").exists()
    assert ticket.number in Notification.objects.get(recipient=desk.w.dispatcher).title


def test_dispatchers_are_not_told_of_a_confidential_ticket(desk):
    desk.submit(category=desk.misconduct)

    assert not Notification.objects.filter(recipient=desk.w.dispatcher).exists()
    assert Notification.objects.filter(recipient=desk.w.discipline, kind="ticket.submitted").exists()


# --- acceptance, dispatch, returns ---------------------------------------------------------------------


def test_accept_starts_the_reply_clock(desk):
    ticket = desk.to(Status.ACCEPTED)  # accepted Monday 9 June 11:00; general demand: 5 working days

    assert ticket.accepted_at == at(hours=1)
    assert local(ticket.reply_due) == "2025-06-16 23:59"


def test_accept_applies_the_routing_suggestion(desk):
    ticket = desk.submit().ticket
    Ticket.objects.filter(pk=ticket.pk).update(suggested_department=desk.w.business)

    ticket = services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, now=at(hours=1))

    assert ticket.status == Status.ASSIGNED
    assert ticket.lead_department == desk.w.business
    assert [e.action for e in events_for(ticket)][-2:] == ["ticket.accepted", "ticket.dispatched"]


def test_dispatchers_of_another_park_cannot_accept(desk, world_b):
    ticket = desk.to(Status.SUBMITTED)

    with pytest.raises(PermissionDenied):
        services.ticket_accept(ticket=ticket, actor=world_b.dispatcher)


def test_dispatchers_never_act_on_confidential_tickets(desk):
    ticket = desk.submit(category=desk.misconduct).ticket

    with pytest.raises(PermissionDenied):
        services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher)


def test_discipline_office_is_the_intake_desk_of_confidential_tickets(desk):
    ticket = desk.submit(category=desk.misconduct).ticket

    ticket = services.ticket_accept(ticket=ticket, actor=desk.w.discipline, now=at(hours=1))
    ticket = services.ticket_dispatch(
        ticket=ticket, actor=desk.w.discipline, department=desk.w.discipline_dept, now=at(hours=2)
    )

    assert ticket.lead_department == desk.w.discipline_dept


def test_confidential_ticket_cannot_be_dispatched_to_a_business_department(desk):
    ticket = services.ticket_accept(
        ticket=desk.submit(category=desk.misconduct).ticket, actor=desk.w.discipline, now=at(hours=1)
    )

    with pytest.raises(DomainError) as raised:
        services.ticket_dispatch(ticket=ticket, actor=desk.w.discipline, department=desk.w.business)

    assert raised.value.code == "confidential_department"


def test_ticket_is_never_dispatched_to_the_accused_officials_department(desk):
    ticket = desk.to(Status.ACCEPTED, accused_official=desk.w.handler)

    with pytest.raises(DomainError) as raised:
        services.ticket_dispatch(ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business)

    assert raised.value.code == "accused_department"


def test_dispatch_with_co_handling_departments(desk):
    planning = DepartmentFactory(park=desk.park, name="规划建设局")
    ticket = desk.to(Status.ACCEPTED)

    ticket = services.ticket_dispatch(
        ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business, co_departments=[planning], now=at(hours=2)
    )

    assert list(ticket.co_departments.all()) == [planning]
    assert local(ticket.sign_due) == "2025-06-10 23:59"


def test_dispatch_notifies_the_lead_departments_handlers(desk):
    desk.to(Status.ASSIGNED)

    assert Notification.objects.filter(recipient=desk.w.handler, kind="ticket.dispatched").exists()


def test_department_of_another_park_is_refused(desk, world_b):
    ticket = desk.to(Status.ACCEPTED)

    with pytest.raises(DomainError):
        services.ticket_dispatch(ticket=ticket, actor=desk.w.dispatcher, department=world_b.business)


def test_return_sends_the_ticket_back_to_the_dispatcher_with_a_pending_request(desk):
    ticket = desk.to(Status.ASSIGNED)

    request = services.ticket_return(ticket=ticket, actor=desk.w.handler, reason="属于规划建设局职责", now=at(hours=4))

    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED
    assert ticket.lead_department is None
    assert ticket.return_count == 1
    assert request.status == ReturnStatus.PENDING
    assert request.department == desk.w.business


def test_returned_ticket_cannot_be_dispatched_around_the_pending_return(desk):
    ticket = desk.to(Status.ASSIGNED)
    services.ticket_return(ticket=ticket, actor=desk.w.handler, reason="不属于本部门", now=at(hours=4))

    with pytest.raises(Conflict):
        services.ticket_dispatch(ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business)


def test_redispatch_sends_a_returned_ticket_to_another_department(desk):
    planning = DepartmentFactory(park=desk.park, name="规划建设局")
    request = services.ticket_return(
        ticket=desk.to(Status.ASSIGNED), actor=desk.w.handler, reason="不属于本部门", now=at(hours=4)
    )

    request = services.ticket_return_decide(
        return_request=request, actor=desk.w.dispatcher, redispatch_to=planning, now=at(hours=5)
    )

    ticket = Ticket.objects.get(pk=request.ticket_id)
    assert request.status == ReturnStatus.REDISPATCHED
    assert ticket.status == Status.ASSIGNED
    assert ticket.lead_department == planning
    assert events_for(ticket).last().action == "ticket.redispatched"


def test_redispatch_to_the_returning_department_is_refused(desk):
    request = services.ticket_return(
        ticket=desk.to(Status.ASSIGNED), actor=desk.w.handler, reason="不属于本部门", now=at(hours=4)
    )

    with pytest.raises(DomainError):
        services.ticket_return_decide(return_request=request, actor=desk.w.dispatcher, redispatch_to=desk.w.business)


def test_refused_return_goes_back_to_the_same_department_with_a_new_signing_clock(desk):
    request = services.ticket_return(
        ticket=desk.to(Status.ASSIGNED), actor=desk.w.handler, reason="不属于本部门", now=at(hours=4)
    )

    request = services.ticket_return_decide(
        return_request=request, actor=desk.w.dispatcher, reason="属于企业服务职责", now=at(days=1)
    )

    ticket = Ticket.objects.get(pk=request.ticket_id)
    assert request.status == ReturnStatus.REFUSED
    assert ticket.status == Status.ASSIGNED
    assert ticket.lead_department == desk.w.business
    assert local(ticket.sign_due) == "2025-06-11 23:59"
    assert events_for(ticket).last().action == "ticket.return_refused"


def test_refusing_a_return_needs_a_reason(desk):
    request = services.ticket_return(
        ticket=desk.to(Status.ASSIGNED), actor=desk.w.handler, reason="不属于本部门", now=at(hours=4)
    )

    with pytest.raises(DomainError):
        services.ticket_return_decide(return_request=request, actor=desk.w.dispatcher, reason="")

    request.refresh_from_db()
    assert request.status == ReturnStatus.PENDING


# --- signing, recusal -----------------------------------------------------------------------------------


def test_sign_makes_the_handler_the_assignee(desk):
    ticket = desk.to(Status.IN_PROGRESS)

    assert ticket.assignee == desk.w.handler
    assert ticket.signed_at == at(hours=3)


def test_handler_of_another_department_cannot_sign(desk):
    other = DepartmentFactory(park=desk.park)
    stranger = make_official(park=desk.park, role="handler", department=other, username="other_handler")

    with pytest.raises(PermissionDenied):
        services.ticket_sign(ticket=desk.to(Status.ASSIGNED), actor=stranger)


def test_handler_with_a_declared_interest_in_the_enterprise_cannot_sign(desk):
    from core import interests

    def provider(enterprise):
        return {desk.w.handler.pk} if getattr(enterprise, "pk", enterprise) == desk.w.enterprise.pk else set()

    interests.register_interest_provider(provider)
    try:
        ticket = desk.to(Status.ASSIGNED)
        with pytest.raises(PermissionDenied) as raised:
            services.ticket_sign(ticket=ticket, actor=desk.w.handler)
    finally:
        interests._PROVIDERS.remove(provider)

    assert raised.value.code == "recused"
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_recused_handler_is_not_notified_of_the_dispatch(desk):
    from core import interests

    def provider(enterprise):
        return {desk.w.handler.pk}

    interests.register_interest_provider(provider)
    try:
        desk.to(Status.ASSIGNED)
    finally:
        interests._PROVIDERS.remove(provider)

    assert not Notification.objects.filter(recipient=desk.w.handler, kind="ticket.dispatched").exists()


# --- extensions -----------------------------------------------------------------------------------------


def _request_extension(desk, ticket, now=None):
    return services.ticket_extension_request(
        ticket=ticket,
        actor=desk.w.handler,
        reason="需要会同规划部门现场核实",
        requested_due=ticket.reply_due.date().replace(day=ticket.reply_due.day + 7),
        now=now or at(days=1),
    )


def test_approved_extension_moves_the_reply_deadline_once(desk):
    ticket = desk.to(Status.IN_PROGRESS)
    request = _request_extension(desk, ticket)

    services.ticket_extension_decide(extension=request, actor=desk.w.dispatcher, approve=True, now=at(days=1, hours=1))

    ticket.refresh_from_db()
    assert ticket.reply_due == request.requested_due
    assert ticket.extension_count == 1
    with pytest.raises(Conflict) as raised:
        _request_extension(desk, ticket, now=at(days=2))
    assert raised.value.code == "extension_limit"


def test_refused_extension_keeps_the_deadline_and_needs_a_reason(desk):
    ticket = desk.to(Status.IN_PROGRESS)
    request = _request_extension(desk, ticket)

    with pytest.raises(DomainError):
        services.ticket_extension_decide(extension=request, actor=desk.w.dispatcher, approve=False)
    services.ticket_extension_decide(
        extension=request, actor=desk.w.dispatcher, approve=False, reason="可在原期限内完成", now=at(days=1, hours=1)
    )

    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert Ticket.objects.get(pk=ticket.pk).reply_due == ticket.reply_due


def test_extension_after_the_deadline_is_refused(desk):
    ticket = desk.to(Status.IN_PROGRESS)

    with pytest.raises(Conflict) as raised:
        _request_extension(desk, ticket, now=ticket.reply_due + (at(days=1) - at()))

    assert raised.value.code == "extension_too_late"


def test_second_pending_extension_request_is_refused(desk):
    ticket = desk.to(Status.IN_PROGRESS)
    _request_extension(desk, ticket)

    with pytest.raises(Conflict):
        _request_extension(desk, ticket)


def test_only_the_dispatcher_decides_an_extension(desk):
    request = _request_extension(desk, desk.to(Status.IN_PROGRESS))

    with pytest.raises(PermissionDenied):
        services.ticket_extension_decide(extension=request, actor=desk.w.handler, approve=True)


def test_reply_withdraws_a_pending_extension_request(desk):
    ticket = desk.to(Status.IN_PROGRESS)
    request = _request_extension(desk, ticket)

    services.ticket_reply(ticket=ticket, actor=desk.w.handler, reply="已办结", now=at(days=2))

    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


# --- reply and follow-up --------------------------------------------------------------------------------


def test_reply_stops_the_reply_clock_and_asks_the_submitter_to_rate(desk):
    ticket = desk.to(Status.REPLIED)

    assert ticket.replied_at == at(days=1)
    assert ticket.replied_by == desk.w.handler
    assert ticket.rectification_measures == "建立兑现台账"
    assert ticket.next_reminder_at is None
    assert Notification.objects.filter(recipient=desk.w.enterprise_user, kind="ticket.replied").exists()


def test_empty_reply_is_refused(desk):
    with pytest.raises(DomainError):
        services.ticket_reply(ticket=desk.to(Status.IN_PROGRESS), actor=desk.w.handler, reply="")


def test_submitter_confirms_with_a_score_and_the_ticket_closes(desk):
    ticket = desk.to(Status.REPLIED)

    ticket = services.ticket_confirm(
        ticket=ticket,
        actor=desk.w.enterprise_user,
        satisfaction=4,
        comment="很及时",
        consent_to_publish=True,
        now=at(days=2),
    )

    assert ticket.status == Status.CLOSED
    assert (ticket.satisfaction, ticket.satisfaction_comment, ticket.consent_to_publish) == (4, "很及时", True)
    assert ticket.closed_at == at(days=2)
    assert FollowUp.objects.get(ticket=ticket).channel == "online"


@pytest.mark.parametrize("score", [0, 6, None, "abc"])
def test_satisfaction_outside_one_to_five_is_refused(desk, score):
    ticket = desk.to(Status.REPLIED)

    with pytest.raises(DomainError) as raised:
        services.ticket_confirm(ticket=ticket, actor=desk.w.enterprise_user, satisfaction=score)

    assert raised.value.field == "satisfaction"


def test_someone_else_cannot_rate_the_answer(desk):
    with pytest.raises(PermissionDenied):
        services.ticket_confirm(ticket=desk.to(Status.REPLIED), actor=desk.w.handler, satisfaction=5)


def test_rejecting_the_answer_reopens_it_with_a_new_reply_clock(desk):
    ticket = desk.to(Status.REPLIED)

    ticket = services.ticket_reject_answer(
        ticket=ticket, actor=desk.w.enterprise_user, reason="补贴金额与申报不符", now=at(days=2)
    )

    assert ticket.status == Status.IN_PROGRESS
    assert ticket.reopen_count == 1
    assert ticket.replied_at is None
    assert ticket.reply_started_at == at(days=2)
    assert local(ticket.reply_due) == "2025-06-18 23:59"
    assert TicketMessage.objects.get(ticket=ticket).body == "补贴金额与申报不符"


def test_dispatcher_follow_up_waits_for_the_submitter_to_answer_first(desk):
    ticket = desk.to(Status.REPLIED)  # replied Tuesday 10 June

    with pytest.raises(Conflict) as raised:
        services.ticket_followup_record(ticket=ticket, actor=desk.w.dispatcher, satisfaction=3, now=at(days=3))
    assert raised.value.code == "followup_too_early"

    ticket = services.ticket_followup_record(ticket=ticket, actor=desk.w.dispatcher, satisfaction=3, now=at(days=7))
    assert ticket.status == Status.CLOSED
    assert FollowUp.objects.get(ticket=ticket).channel == "phone"


def test_follow_up_of_an_unreachable_submitter_closes_without_a_score(desk):
    ticket = desk.to(Status.REPLIED)

    ticket = services.ticket_followup_record(ticket=ticket, actor=desk.w.dispatcher, reachable=False, now=at(days=7))

    assert ticket.status == Status.CLOSED
    assert ticket.satisfaction is None
    assert FollowUp.objects.get(ticket=ticket).outcome == "unreachable"


def test_phone_registration_can_be_followed_up_at_once(desk):
    ticket = desk.submit(actor=desk.w.dispatcher, channel=Channel.PHONE).ticket
    ticket = services.ticket_dispatch(
        ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business, now=at(hours=1)
    )
    ticket = services.ticket_sign(ticket=ticket, actor=desk.w.handler, now=at(hours=2))
    ticket = services.ticket_reply(ticket=ticket, actor=desk.w.handler, reply="已处理", now=at(hours=3))

    ticket = services.ticket_followup_record(ticket=ticket, actor=desk.w.dispatcher, satisfaction=5, now=at(hours=4))

    assert ticket.status == Status.CLOSED


# --- merge, supervision, messages ------------------------------------------------------------------------


def test_merge_links_the_duplicate_to_the_original(desk):
    original = desk.submit(subject="原件").ticket
    duplicate = desk.submit().ticket

    duplicate = services.ticket_merge(ticket=duplicate, into=original, actor=desk.w.dispatcher, now=at(hours=1))

    assert duplicate.status == Status.MERGED
    assert duplicate.merged_into == original
    assert original.number in duplicate.closure_reason


def test_merge_into_a_ticket_of_another_park_is_refused(desk, world_b):
    other = services.ticket_submit(
        park=world_b.park, category=CategoryFactory(park=world_b.park), subject="s", body="b", now=T0
    ).ticket

    with pytest.raises(DomainError):
        services.ticket_merge(ticket=desk.submit().ticket, into=other, actor=desk.w.dispatcher)


def test_supervision_raises_the_level_and_keeps_the_note_internal(desk):
    ticket = desk.to(Status.IN_PROGRESS)

    ticket = services.ticket_supervise(ticket=ticket, actor=desk.w.discipline, note="三日内报送进展", now=at(days=1))

    assert ticket.supervision_level == 1
    message = TicketMessage.objects.get(ticket=ticket)
    assert message.internal
    assert Notification.objects.filter(recipient=desk.w.handler, kind="ticket.supervised").exists()


def test_only_the_discipline_office_supervises(desk):
    with pytest.raises(PermissionDenied):
        services.ticket_supervise(ticket=desk.to(Status.IN_PROGRESS), actor=desk.w.dispatcher, note="快办")


def test_submitter_and_handler_exchange_messages(desk):
    ticket = desk.to(Status.IN_PROGRESS)

    services.ticket_message_post(ticket=ticket, actor=desk.w.handler, body="请提供申报编号", now=at(days=1))
    services.ticket_message_post(ticket=ticket, actor=desk.w.enterprise_user, body="编号 2024-001", now=at(days=1))

    assert list(TicketMessage.objects.filter(ticket=ticket).values_list("body", flat=True)) == [
        "请提供申报编号",
        "编号 2024-001",
    ]
    assert Notification.objects.filter(recipient=desk.w.enterprise_user, kind="ticket.message").exists()
    assert Notification.objects.filter(recipient=desk.w.handler, kind="ticket.message").exists()


def test_submitter_cannot_write_internal_notes(desk):
    with pytest.raises(PermissionDenied):
        services.ticket_message_post(
            ticket=desk.to(Status.IN_PROGRESS), actor=desk.w.enterprise_user, body="x", internal=True
        )


def test_auditor_cannot_write_in_a_ticket(desk):
    with pytest.raises(PermissionDenied):
        services.ticket_message_post(ticket=desk.to(Status.IN_PROGRESS), actor=desk.w.auditor, body="x")


def test_default_categories_install_once_with_a_confidential_misconduct_branch(world_a):
    created = services.complaints_install_default_categories(park=world_a.park)
    again = services.complaints_install_default_categories(park=world_a.park)

    names = {c.name for c in created}
    assert {"政策兑现", "审批服务", "融资", "人才", "用地", "基础设施", "噪音环境", "作风问题"} <= names
    assert again == []
    misconduct = next(c for c in created if c.code == "misconduct-improper-demands")
    assert misconduct.confidential and misconduct.parent.name == "作风问题"


def test_photos_filed_with_a_demand_are_attached_without_their_metadata(desk):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from core.attachments import attachments_for

    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG", exif=exif.tobytes())
    photo = SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")

    ticket = desk.submit(files=[photo]).ticket

    attachment = attachments_for(ticket).get()
    with attachment.file.open("rb") as stored:
        assert b"PhoneMaker" not in stored.read()

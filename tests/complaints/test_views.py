"""The officials' and enterprises' pages: role × page matrix, the ticket page's actions and errors,
confidentiality and 保密 masking, the receipt page with its rate limit, the handling sheet, the home panel."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from complaints import services
from complaints.choices import Status
from tests.complaints.conftest import T0

ROLES = ("park_admin", "dispatcher", "handler", "discipline", "auditor", "enterprise_user")


def user_of(world, role):
    return getattr(world, role)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


# --- role × page matrix ----------------------------------------------------------------------------------

PAGE_MATRIX = {
    # list kind (None: all tickets): roles answered 200; every other role gets 403
    "dispatch": {"park_admin", "dispatcher", "discipline"},
    "department": {"handler", "discipline"},
    "supervision": {"park_admin", "discipline"},
    "overdue": {"park_admin", "dispatcher", "handler", "discipline", "auditor"},
    "followup": {"dispatcher", "discipline"},
    "mine": set(ROLES),
    "all": set(ROLES),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(PAGE_MATRIX))
def test_list_pages_answer_each_role_as_the_matrix_says(client, desk, role, kind):
    client.force_login(user_of(desk.w, role))

    response = client.get(reverse("complaints:queue", kwargs={"kind": kind}))

    assert response.status_code == (200 if role in PAGE_MATRIX[kind] else 403)


def test_list_pages_send_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("complaints:ticket-list"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("park_admin", 200),
        ("dispatcher", 200),
        ("handler", 200),
        ("discipline", 200),
        ("auditor", 200),
        ("enterprise_user", 200),
    ],
)
def test_every_role_that_sees_a_dispatched_ticket_opens_its_page(client, desk, role, expected):
    ticket = desk.to(Status.ASSIGNED)
    client.force_login(user_of(desk.w, role))

    assert client.get(reverse("complaints:ticket-detail", args=[ticket.pk])).status_code == expected


def test_ticket_of_another_park_is_not_found(client, desk, world_b):
    ticket = desk.to(Status.SUBMITTED)
    client.force_login(world_b.dispatcher)

    assert client.get(reverse("complaints:ticket-detail", args=[ticket.pk])).status_code == 404


def test_handler_of_another_department_does_not_see_the_ticket(client, desk):
    ticket = desk.to(Status.ACCEPTED)
    client.force_login(desk.w.handler)

    assert client.get(reverse("complaints:ticket-detail", args=[ticket.pk])).status_code == 404


# --- confidentiality and 保密 ------------------------------------------------------------------------------


@pytest.fixture
def confidential(desk):
    return desk.submit(
        actor=None, category=desk.misconduct, subject="工作人员吃拿卡要", body="审批窗口工作人员暗示送礼。"
    ).ticket


@pytest.mark.parametrize("role", ["park_admin", "dispatcher", "handler", "auditor", "enterprise_user"])
def test_confidential_report_is_invisible_outside_the_discipline_office(client, desk, confidential, role):
    client.force_login(user_of(desk.w, role))

    listed = client.get(reverse("complaints:ticket-list"), {"q": "吃拿卡要"})
    detail = client.get(reverse("complaints:ticket-detail", args=[confidential.pk]))

    assert confidential.number not in listed.content.decode()
    assert detail.status_code == 404


def test_discipline_office_finds_the_confidential_report_in_search_and_supervision(client, desk, confidential):
    client.force_login(desk.w.discipline)

    listed = client.get(reverse("complaints:ticket-list"), {"q": "吃拿卡要"})
    supervision = client.get(reverse("complaints:queue", kwargs={"kind": "supervision"}))

    assert confidential.number in listed.content.decode()
    assert confidential.number in supervision.content.decode()


@pytest.fixture
def protected(desk):
    ticket = desk.submit(hide_identity=True, contact_name="王小明", contact_phone="13900001111").ticket
    services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, now=T0)
    return services.ticket_dispatch(ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business, now=T0)


def test_handler_sees_neither_enterprise_nor_contact_of_a_protected_ticket(client, desk, protected):
    client.force_login(desk.w.handler)

    page = client.get(reverse("complaints:ticket-detail", args=[protected.pk])).content.decode()
    listing = client.get(reverse("complaints:queue", kwargs={"kind": "department"})).content.decode()

    for text in (page, listing):
        assert desk.w.enterprise.name not in text
        assert "王小明" not in text and "13900001111" not in text
        assert desk.w.enterprise_user.get_full_name() not in text
    assert protected.number in listing


def test_dispatcher_sees_who_filed_a_protected_ticket_with_the_contact_masked_in_lists(client, desk, protected):
    client.force_login(desk.w.dispatcher)

    listing = client.get(reverse("complaints:ticket-list")).content.decode()
    page = client.get(reverse("complaints:ticket-detail", args=[protected.pk])).content.decode()

    assert desk.w.enterprise.name in listing
    assert "139****1111" in listing and "13900001111" not in listing
    assert "13900001111" in page


# --- the ticket page's actions ---------------------------------------------------------------------------


def _action_names(response):
    return set(response.context["action_forms"] and [a["action"] for a in response.context["action_forms"]])


def test_dispatcher_is_offered_accept_reject_and_merge_on_a_submitted_ticket(client, desk):
    ticket = desk.to(Status.SUBMITTED)
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:ticket-detail", args=[ticket.pk]))

    assert _action_names(response) == {"accept", "reject", "merge"}


def test_enterprise_user_is_offered_no_action_on_a_submitted_ticket(client, desk):
    ticket = desk.to(Status.SUBMITTED)
    client.force_login(desk.w.enterprise_user)

    response = client.get(reverse("complaints:ticket-detail", args=[ticket.pk]))

    assert _action_names(response) == set()


def test_handler_is_offered_sign_and_return_on_an_assigned_ticket(client, desk):
    ticket = desk.to(Status.ASSIGNED)
    client.force_login(desk.w.handler)

    response = client.get(reverse("complaints:ticket-detail", args=[ticket.pk]))

    assert _action_names(response) == {"sign", "return"}


def test_submitter_is_offered_rating_and_reopening_on_a_replied_ticket(client, desk):
    ticket = desk.to(Status.REPLIED)
    client.force_login(desk.w.enterprise_user)

    response = client.get(reverse("complaints:ticket-detail", args=[ticket.pk]))

    assert _action_names(response) == {"confirm", "reject_answer"}


def test_dispatcher_accepts_a_ticket_from_its_page(client, desk):
    ticket = desk.to(Status.SUBMITTED)
    client.force_login(desk.w.dispatcher)

    response = client.post(reverse("complaints:ticket-action", args=[ticket.pk, "accept"]), {"priority": ""})

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED


def test_dispatcher_dispatches_with_co_handling_departments(client, desk):
    ticket = desk.to(Status.ACCEPTED)
    client.force_login(desk.w.dispatcher)

    client.post(
        reverse("complaints:ticket-action", args=[ticket.pk, "dispatch"]),
        {"department": desk.w.business.pk, "co_departments": [desk.w.dispatch.pk]},
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED
    assert ticket.lead_department == desk.w.business
    assert list(ticket.co_departments.all()) == [desk.w.dispatch]


def test_rejecting_without_a_reason_shows_the_error_and_changes_nothing(client, desk):
    ticket = desk.to(Status.SUBMITTED)
    client.force_login(desk.w.dispatcher)

    response = client.post(reverse("complaints:ticket-action", args=[ticket.pk, "reject"]), {"reason": ""})

    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED


def test_service_refusal_comes_back_on_the_form_with_nothing_changed(client, desk):
    ticket = desk.to(Status.SUBMITTED)
    client.force_login(desk.w.park_admin)  # sees the ticket, is not the intake desk

    response = client.post(reverse("complaints:ticket-action", args=[ticket.pk, "accept"]), {"priority": ""})

    assert response.status_code == 400
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1  # the service's refusal (the form itself was valid)
    ticket.refresh_from_db()
    assert ticket.status == Status.SUBMITTED


def test_forbidden_transition_is_refused_with_a_message(client, desk):
    ticket = desk.to(Status.CLOSED)
    client.force_login(desk.w.dispatcher)

    response = client.post(reverse("complaints:ticket-action", args=[ticket.pk, "reject"]), {"reason": "迟到的拒绝"})

    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_actions_are_post_only(client, desk):
    ticket = desk.to(Status.SUBMITTED)
    client.force_login(desk.w.dispatcher)

    assert client.get(reverse("complaints:ticket-action", args=[ticket.pk, "accept"])).status_code == 405


def test_merge_from_the_queue_uses_the_original_ticket_number(client, desk):
    original = desk.to(Status.ACCEPTED)
    duplicate = desk.to(Status.SUBMITTED)
    client.force_login(desk.w.dispatcher)
    queue = reverse("complaints:queue", kwargs={"kind": "dispatch"})

    response = client.post(
        reverse("complaints:ticket-action", args=[duplicate.pk, "merge"]), {"into": original.number, "next": queue}
    )

    assert response.status_code == 302 and response["Location"] == queue
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == original


def test_handler_signs_and_answers_from_the_ticket_page(client, desk):
    ticket = desk.to(Status.ASSIGNED)
    client.force_login(desk.w.handler)

    client.post(reverse("complaints:ticket-action", args=[ticket.pk, "sign"]))
    client.post(
        reverse("complaints:ticket-action", args=[ticket.pk, "reply"]),
        {"reply": "已协调财政局拨付。", "rectification_measures": "建立补贴兑现台账,每月通报进度。"},
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.REPLIED
    assert ticket.rectification_measures.startswith("建立补贴兑现台账")


def test_submitter_rates_the_answer_and_the_ticket_closes(client, desk):
    ticket = desk.to(Status.REPLIED)
    client.force_login(desk.w.enterprise_user)

    client.post(
        reverse("complaints:ticket-action", args=[ticket.pk, "confirm"]),
        {"satisfaction": "4", "comment": "办理及时", "consent_to_publish": "on"},
    )

    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction, ticket.consent_to_publish) == (Status.CLOSED, 4, True)


def test_discipline_officer_supervises_from_the_ticket_page(client, desk):
    ticket = desk.to(Status.IN_PROGRESS)
    client.force_login(desk.w.discipline)

    client.post(reverse("complaints:ticket-action", args=[ticket.pk, "supervise"]), {"note": "请三日内答复"})

    ticket.refresh_from_db()
    assert ticket.supervision_level == 1


def test_submitter_and_handler_exchange_messages_on_the_page(client, desk):
    ticket = desk.to(Status.IN_PROGRESS)
    client.force_login(desk.w.handler)
    client.post(reverse("complaints:ticket-action", args=[ticket.pk, "message"]), {"body": "请补充申报材料编号。"})
    client.force_login(desk.w.enterprise_user)

    page = client.get(reverse("complaints:ticket-detail", args=[ticket.pk])).content.decode()

    assert "请补充申报材料编号。" in page


def test_internal_note_is_not_shown_to_the_submitter(client, desk):
    ticket = desk.to(Status.IN_PROGRESS)
    client.force_login(desk.w.handler)
    client.post(
        reverse("complaints:ticket-action", args=[ticket.pk, "message"]), {"body": "内部:先核对台账", "internal": "on"}
    )
    client.force_login(desk.w.enterprise_user)

    page = client.get(reverse("complaints:ticket-detail", args=[ticket.pk])).content.decode()

    assert "内部:先核对台账" not in page


def test_ticket_page_shows_the_whole_trail_from_the_audit_events(client, desk):
    ticket = desk.to(Status.CLOSED)
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:ticket-detail", args=[ticket.pk]))

    actions = [entry.action for entry in response.context["trail"]]
    assert actions == [
        "ticket.submitted",
        "ticket.accepted",
        "ticket.dispatched",
        "ticket.signed",
        "ticket.replied",
        "ticket.confirmed",
    ]


def test_trail_hides_the_filer_of_a_protected_ticket_from_the_handler(client, desk, protected):
    client.force_login(desk.w.handler)

    response = client.get(reverse("complaints:ticket-detail", args=[protected.pk]))

    submitted = next(e for e in response.context["trail"] if e.action == "ticket.submitted")
    assert submitted.actor != desk.w.enterprise_user.get_full_name()


# --- handling sheet ----------------------------------------------------------------------------------------


def test_handling_sheet_prints_the_ticket_with_its_trail(client, desk):
    ticket = desk.to(Status.CLOSED)
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:ticket-print", args=[ticket.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert ticket.number in text and "建立兑现台账" in text
    assert text.count("<tr><td") >= 6  # one row per trail event


def test_handling_sheet_pdf_is_a_pdf(client, desk):
    ticket = desk.to(Status.CLOSED)
    client.force_login(desk.w.auditor)

    response = client.get(reverse("complaints:ticket-print-pdf", args=[ticket.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_enterprise_users_do_not_print_handling_sheets(client, desk):
    ticket = desk.to(Status.CLOSED)
    client.force_login(desk.w.enterprise_user)

    assert client.get(reverse("complaints:ticket-print", args=[ticket.pk])).status_code == 403


# --- receipt page ------------------------------------------------------------------------------------------


@pytest.fixture
def anonymous(desk):
    submission = desk.submit(actor=None, subject="夜间施工噪音", body="园区三号路夜间施工到凌晨。")
    return submission.ticket, submission.receipt_code


def test_receipt_code_opens_the_report_with_its_public_trail(client, anonymous):
    ticket, code = anonymous

    response = client.post(reverse("complaints:receipt"), {"code": code})

    assert response.status_code == 200
    assert ticket.number in response.content.decode()
    assert [e.action for e in response.context["trail"]] == ["ticket.submitted"]
    assert response["Cache-Control"] == "private, no-store"


def test_receipt_page_sends_no_referrer_to_other_sites_but_keeps_its_own_forms_working(client, anonymous):
    response = client.get(reverse("complaints:receipt"))

    # no-referrer would make Chromium send "Origin: null" with the page's forms, which CSRF refuses.
    assert response["Referrer-Policy"] == "same-origin"


def test_unknown_and_wrong_receipt_codes_get_the_same_answer(client, anonymous):
    _ticket, code = anonymous
    wrong = ("0" if code[0] != "0" else "1") + code[1:]

    unknown = client.post(reverse("complaints:receipt"), {"code": "1234"}).context["form"].errors
    mistaken = client.post(reverse("complaints:receipt"), {"code": wrong}).context["form"].errors

    assert unknown == mistaken


def test_receipt_page_blocks_a_client_after_ten_wrong_codes_even_with_the_right_one(client, anonymous):
    _ticket, code = anonymous
    for attempt in range(10):
        assert client.post(reverse("complaints:receipt"), {"code": f"{attempt:016d}"}).status_code == 200

    blocked = client.post(reverse("complaints:receipt"), {"code": code})

    assert blocked.status_code == 429
    assert "ticket" not in blocked.context


def test_rate_limit_is_per_client(client, anonymous):
    _ticket, code = anonymous
    for attempt in range(10):
        client.post(reverse("complaints:receipt"), {"code": f"{attempt:016d}"}, REMOTE_ADDR="198.51.100.7")

    other = client.post(reverse("complaints:receipt"), {"code": code}, REMOTE_ADDR="198.51.100.8")

    assert other.status_code == 200


def test_rate_limit_key_does_not_contain_the_client_address(client, anonymous, settings):
    from complaints import ratelimit

    request = type("R", (), {"META": {"REMOTE_ADDR": "198.51.100.7"}})()

    assert "198.51.100.7" not in ratelimit._key(request)


def test_reporter_answers_the_officials_question_on_the_receipt_page(client, desk, anonymous):
    ticket, code = anonymous
    services.ticket_message_post(ticket=ticket, actor=desk.w.dispatcher, body="请问具体是哪一段路?", now=T0)

    response = client.post(reverse("complaints:receipt"), {"code": code, "action": "message", "body": "三号路东段"})

    assert "请问具体是哪一段路?" in response.content.decode()
    assert ticket.messages.filter(body="三号路东段", author__isnull=True, author_kind="reporter").exists()


def test_reporter_rates_the_answer_with_the_receipt(client, desk, anonymous):
    ticket, code = anonymous
    services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, now=T0)
    services.ticket_dispatch(ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business, now=T0)
    services.ticket_sign(ticket=ticket, actor=desk.w.handler, now=T0)
    services.ticket_reply(ticket=ticket, actor=desk.w.handler, reply="已责令夜间停工。", now=T0)

    client.post(reverse("complaints:receipt"), {"code": code, "action": "confirm", "satisfaction": "5"})

    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.satisfaction == 5


# --- home panel --------------------------------------------------------------------------------------------


def test_home_panel_counts_confidential_reports_only_for_the_discipline_office(client, desk, confidential):
    desk.to(Status.SUBMITTED)

    client.force_login(desk.w.dispatcher)
    dispatcher_stats = client.get(reverse("core:home")).context["panels"]
    client.force_login(desk.w.discipline)
    discipline_stats = client.get(reverse("core:home")).context["panels"]

    def open_count(panels):
        panel = next(p for p in panels if p["key"] == "complaints.overview")
        return panel["context"]["stats"]["open"]

    assert (open_count(dispatcher_stats), open_count(discipline_stats)) == (1, 2)


def test_home_panel_embeds_its_chart_data_without_inline_script(client, desk):
    desk.to(Status.SUBMITTED)
    client.force_login(desk.w.park_admin)

    text = client.get(reverse("core:home")).content.decode()

    assert 'id="complaints-dashboard-data"' in text
    assert "js/complaints_dashboard.js" in text


def test_enterprise_users_get_no_complaints_panel(client, desk):
    client.force_login(desk.w.enterprise_user)

    panels = client.get(reverse("core:home")).context["panels"]

    assert "complaints.overview" not in [p["key"] for p in panels]


def test_ticket_page_offers_discipline_officers_to_raise_a_risk_from_it(client, world_a):
    from django.urls import reverse

    from complaints.services import ticket_submit
    from tests.complaints.factories import CategoryFactory

    ticket = ticket_submit(
        park=world_a.park,
        category=CategoryFactory(park=world_a.park),
        subject="补贴迟迟不到位",
        body="申请的人才补贴三个月未到账",
        actor=world_a.enterprise_user,
        enterprise=world_a.enterprise,
    ).ticket
    risk_link = f"{reverse('integrity:risk-create')}?ticket={ticket.pk}"
    client.force_login(world_a.discipline)
    assert risk_link in client.get(reverse("complaints:ticket-detail", args=[ticket.pk])).content.decode()
    client.force_login(world_a.dispatcher)
    page = client.get(reverse("complaints:ticket-detail", args=[ticket.pk]))
    assert page.status_code == 200
    assert risk_link not in page.content.decode()

"""Pages of the 三重一大 register: who sees what (park B, enterprises, handlers see nothing; auditors read
without forms), every page renders in Chinese and English, the forms call the services, refusals change
nothing, minutes download, a query-count pin on the register."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.attachments import attachments_for
from integrity.choices_decisions import DecisionKind
from integrity.models import CollectiveDecision, DecisionBody, DecisionThreshold, FundPayment, Meeting
from integrity.services import decisions as services
from tests.integrity.factories_decisions import decide, hold_meeting, make_body

TODAY = timezone.localdate()


@pytest.fixture
def register(world_a, world_b):
    body = make_body(world_a, members=6)
    meeting = hold_meeting(world_a, body, present=3, number="2026年第2次")
    decision = decide(
        world_a,
        meeting,
        in_favour=3,
        title="标准厂房二期建设",
        kind=DecisionKind.MAJOR_PROJECT,
        amount=Decimal("3000000"),
    )
    payment = services.fund_payment_record(
        park=world_a.park,
        actor=world_a.discipline,
        payee="某建设公司",
        amount=Decimal("900000"),
        paid_on=TODAY,
        purpose="进度款",
    )
    other_body = make_body(world_b, members=3, name="乙园区党工委会议")
    other_meeting = hold_meeting(world_b, other_body, present=3)
    other = decide(world_b, other_meeting, in_favour=3, title="乙园区事项")
    return {"body": body, "meeting": meeting, "decision": decision, "payment": payment, "other": other}


def pages(register):
    return [
        reverse("integrity:decision-list"),
        reverse("integrity:decision-detail", args=[register["decision"].pk]),
        reverse("integrity:meeting-list"),
        reverse("integrity:meeting-detail", args=[register["meeting"].pk]),
        reverse("integrity:meeting-create"),
        reverse("integrity:decision-body-list"),
        reverse("integrity:decision-body-detail", args=[register["body"].pk]),
        reverse("integrity:fund-payment-list"),
        reverse("integrity:decision-flag-list"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_for_a_discipline_officer_in_both_languages(client, world_a, register, language):
    client.force_login(world_a.discipline)
    client.cookies["django_language"] = language

    for url in pages(register):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url


@pytest.mark.parametrize("role", ["handler", "dispatcher", "enterprise_user"])
def test_other_officials_and_enterprises_get_404(client, world_a, register, role):
    client.force_login(getattr(world_a, role))

    for url in pages(register):
        assert client.get(url).status_code == 404, url


def test_the_public_is_sent_to_sign_in(client, register):
    assert client.get(reverse("integrity:decision-list")).status_code == 302


def test_park_b_records_are_not_found_for_park_a(client, world_a, register):
    client.force_login(world_a.discipline)

    assert client.get(reverse("integrity:decision-detail", args=[register["other"].pk])).status_code == 404
    titles = {row["decision"].title for row in client.get(reverse("integrity:decision-list")).context["rows"]}
    assert titles == {"标准厂房二期建设"}


def test_an_auditor_reads_the_register_without_the_recording_forms(client, world_a, register):
    client.force_login(world_a.auditor)

    response = client.get(reverse("integrity:meeting-detail", args=[register["meeting"].pk]))

    assert response.status_code == 200 and not response.context["can_record"]
    assert b"attendance-form" not in response.content
    assert client.get(reverse("integrity:meeting-create")).status_code == 404
    assert (
        client.post(
            reverse("integrity:meeting-decision-add", args=[register["meeting"].pk]), {"title": "x"}
        ).status_code
        == 404
    )


def test_the_pages_show_the_flags(client, world_a, register):
    client.force_login(world_a.discipline)

    meeting_page = client.get(reverse("integrity:meeting-detail", args=[register["meeting"].pk]))
    flags_page = client.get(reverse("integrity:decision-flag-list"))

    assert [f.kind for f in meeting_page.context["flags"]] == ["quorum_short"]
    assert {f.kind for f in flags_page.context["page"]} == {
        "quorum_short",
        "majority_short",
        "spending_without_decision",
    }


def test_the_flag_list_filters_by_kind(client, world_a, register):
    client.force_login(world_a.discipline)

    response = client.get(reverse("integrity:decision-flag-list"), {"kind": "spending_without_decision"})

    assert [f.kind for f in response.context["page"]] == ["spending_without_decision"]


def test_a_meeting_is_recorded_through_the_form(client, world_a, register):
    client.force_login(world_a.park_admin)

    response = client.post(
        reverse("integrity:meeting-create"),
        {"body": register["body"].pk, "meeting_type": "special", "held_on": TODAY.isoformat(), "number": "专题会"},
    )

    meeting = Meeting.objects.get(number="专题会")
    assert response.status_code == 302 and response["Location"] == reverse(
        "integrity:meeting-detail", args=[meeting.pk]
    )


def test_a_refused_meeting_shows_the_error_and_records_nothing(client, world_a, register):
    client.force_login(world_a.discipline)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("integrity:meeting-create"),
        {"body": register["body"].pk, "meeting_type": "regular", "held_on": tomorrow},
    )

    assert response.status_code == 200 and response.context["form"].errors["held_on"]
    assert Meeting.objects.count() == 2


def test_attendance_items_and_positions_are_recorded_through_the_meeting_page(client, world_a, register):
    client.force_login(world_a.discipline)
    meeting = register["meeting"]
    members = list(register["body"].members.order_by("id"))
    attendance = {f"m{m.pk}": "present" for m in members}

    client.post(reverse("integrity:meeting-attendance", args=[meeting.pk]), attendance)
    client.post(
        reverse("integrity:meeting-decision-add", args=[meeting.pk]),
        {"kind": "appointment", "title": "任命招商局局长", "outcome": "adopted", "notified_in_advance": "on"},
    )
    decision = CollectiveDecision.objects.get(title="任命招商局局长")
    votes = {f"m{m.pk}": "for" for m in members[:4]} | {
        f"m{members[4].pk}": "against",
        f"t{members[4].pk}": "人选需再考察",
    }
    client.post(reverse("integrity:decision-votes", args=[decision.pk]), votes)

    assert meeting.attendance.filter(status="present").count() == 6
    assert decision.votes.filter(position="for").count() == 4
    assert decision.votes.get(position="against").statement == "人选需再考察"


def test_a_refused_vote_is_a_message_and_changes_nothing(client, world_a, register):
    client.force_login(world_a.discipline)
    decision = register["decision"]
    absent = register["body"].members.order_by("id").last()

    response = client.post(
        reverse("integrity:decision-votes", args=[decision.pk]), {f"m{absent.pk}": "for"}, follow=True
    )

    assert "not recorded as present" in response.content.decode() or "出席" in response.content.decode()
    assert not decision.votes.filter(member=absent).exists()


def test_minutes_are_uploaded_and_downloaded_by_readers_only(client, world_a, world_b, register):
    meeting = register["meeting"]
    client.force_login(world_a.discipline)
    upload = SimpleUploadedFile("纪要.txt", "会议纪要".encode(), content_type="text/plain")

    client.post(reverse("integrity:meeting-minutes", args=[meeting.pk]), {"minutes": upload})
    attachment = attachments_for(meeting).get()
    url = reverse("core:attachment-download", args=[attachment.token])

    client.force_login(world_a.auditor)
    assert client.get(url).status_code == 200
    client.force_login(world_b.discipline)
    assert client.get(url).status_code in (403, 404)


def test_bodies_members_and_thresholds_are_managed_on_their_pages(client, world_a, register):
    client.force_login(world_a.park_admin)

    client.post(
        reverse("integrity:decision-body-list"),
        {"park": world_a.park.pk, "name": "主任办公会", "kind": "director_office"},
    )
    body = DecisionBody.objects.get(name="主任办公会")
    client.post(
        reverse("integrity:decision-body-member-add", args=[body.pk]),
        {"user": world_a.park_admin.pk, "post": "管委会主任", "from_date": "2024-01-01"},
    )
    client.post(reverse("integrity:decision-threshold-set"), {"park": world_a.park.pk, "amount": "1000000"})

    assert body.members.get().name == world_a.park_admin.get_full_name()
    assert DecisionThreshold.objects.get(park=world_a.park, kind="").amount == Decimal("1000000")


def test_a_payment_is_recorded_and_linked_through_the_payments_page(client, world_a, register):
    client.force_login(world_a.discipline)
    body = make_body(world_a, members=3, name="主任办公会")
    meeting = hold_meeting(world_a, body, present=3, held_on=TODAY - dt.timedelta(days=3))
    decision = decide(world_a, meeting, in_favour=3, kind=DecisionKind.LARGE_FUNDS, amount=Decimal("900000"))

    client.post(
        reverse("integrity:fund-payment-list"),
        {
            "park": world_a.park.pk,
            "payee": "某监理公司",
            "amount": "600000",
            "paid_on": TODAY.isoformat(),
            "purpose": "监理费",
        },
    )
    client.post(reverse("integrity:fund-payment-link", args=[register["payment"].pk]), {"decision": decision.pk})

    assert FundPayment.objects.get(payee="某监理公司").decision is None
    register["payment"].refresh_from_db()
    assert register["payment"].decision == decision


def test_the_home_panel_shows_the_flags_to_the_discipline_office(client, world_a, register):
    client.force_login(world_a.discipline)

    response = client.get(reverse("core:home"))

    assert b"decision-panel" in response.content


def test_the_register_page_runs_a_constant_number_of_queries(client, world_a, register, django_assert_max_num_queries):
    for n in range(5):
        meeting = hold_meeting(world_a, register["body"], present=5, number=f"第{n}次")
        decide(world_a, meeting, in_favour=4, title=f"事项{n}")
    client.force_login(world_a.discipline)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("integrity:decision-list"))

    assert len(response.context["rows"]) == 6

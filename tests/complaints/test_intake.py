"""Intake on every channel through the pages: the public form (enterprise users, anonymous visitors, QR),
the registration form, attachments without photo metadata, the acknowledgement (page and PDF), QR posters,
and a submission that survives a broker that is down."""

import hashlib
import io
import re
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
import segno
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from complaints.choices import Channel, Status
from complaints.models import Ticket
from complaints.qrcodes import poster_png, poster_url
from complaints.services import receipt_lookup
from core.attachments import attachments_for


def _form(desk, **extra):
    data = {
        "park": desk.park.code,
        "channel": "web",
        "category": desk.general.pk,
        "subject": "研发补贴迟迟未到账",
        "body": "去年申报的研发补贴至今没有到账。",
    }
    data.update(extra)
    return data


# --- the public form ----------------------------------------------------------------------------------------


def test_anonymous_form_offers_only_the_public_categories(client, desk):
    response = client.get(reverse("complaints:new"), {"park": desk.park.code})

    offered = set(response.context["form"].fields["category"].queryset)
    assert desk.general in offered and desk.misconduct in offered
    assert desk.internal not in offered


def test_anonymous_form_asks_for_no_contact(client, desk):
    response = client.get(reverse("complaints:new"), {"park": desk.park.code})

    assert {"contact_name", "contact_phone", "enterprise"}.isdisjoint(response.context["form"].fields)


def test_anonymous_report_shows_its_receipt_code_once_with_a_warning(client, desk):
    response = client.post(reverse("complaints:new"), _form(desk))

    text = response.content.decode()
    ticket = Ticket.objects.get()
    code = response.context["receipt_code"].replace(" ", "")
    assert response.status_code == 200
    assert ticket.is_anonymous and ticket.submitter is None
    assert receipt_lookup(code=code) == ticket
    assert 'id="receipt-warning"' in text
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_report_stores_no_address_or_user_agent(client, desk, tmp_path):
    client.post(
        reverse("complaints:new"),
        _form(desk),
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="SpyBrowser/9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    dump = tmp_path / "dump.json"

    call_command("dumpdata", output=str(dump), verbosity=0)

    text = dump.read_text(encoding="utf-8")
    assert Ticket.objects.get().is_anonymous
    for trace in ("203.0.113.77", "198.51.100.99", "SpyBrowser"):
        assert trace not in text


def test_enterprise_user_files_for_the_enterprise_and_gets_the_acknowledgement(client, desk):
    client.force_login(desk.w.enterprise_user)

    response = client.post(
        reverse("complaints:new"),
        _form(desk, enterprise=desk.w.enterprise.pk, contact_name="张经理", contact_phone="13812345678"),
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:acknowledgement", args=[ticket.pk])
    assert (ticket.submitter, ticket.enterprise, ticket.is_anonymous) == (
        desk.w.enterprise_user,
        desk.w.enterprise,
        False,
    )


def test_enterprise_user_is_offered_only_their_own_enterprise(client, desk, world_b):
    client.force_login(desk.w.enterprise_user)

    response = client.get(reverse("complaints:new"))

    assert list(response.context["form"].fields["enterprise"].queryset) == [desk.w.enterprise]
    assert response.context["park"] == desk.park


def test_enterprise_user_following_another_parks_qr_code_gets_that_parks_form(client, desk, world_b):
    client.force_login(desk.w.enterprise_user)

    response = client.get(reverse("complaints:new"), {"park": world_b.park.code, "channel": "qr"})

    assert response.context["park"] == world_b.park
    assert "enterprise" not in response.context["form"].fields


def test_enterprise_user_may_ask_to_hide_their_identity(client, desk):
    client.force_login(desk.w.enterprise_user)

    client.post(reverse("complaints:new"), _form(desk, enterprise=desk.w.enterprise.pk, hide_identity="on"))

    assert Ticket.objects.get().hide_identity


def test_signed_in_user_may_still_report_anonymously(client, desk):
    client.force_login(desk.w.enterprise_user)

    response = client.post(reverse("complaints:new"), _form(desk, enterprise=desk.w.enterprise.pk, anonymous="on"))

    ticket = Ticket.objects.get()
    assert ticket.is_anonymous and ticket.submitter is None and ticket.enterprise is None
    assert response.context["receipt_code"]


def test_missing_subject_is_shown_on_the_form_and_nothing_is_stored(client, desk):
    response = client.post(reverse("complaints:new"), _form(desk, subject=""))

    assert response.status_code == 200
    assert response.context["form"].errors["subject"]
    assert not Ticket.objects.exists()


def test_without_a_park_the_form_asks_which_park(client, desk, world_b):
    response = client.get(reverse("complaints:new"), {"channel": "qr", "place": "服务大厅"})

    links = [url for _park, url in response.context["choices"]]
    assert any(f"park={desk.park.code}" in url and "channel=qr" in url for url in links)


# --- QR prefill and posters ----------------------------------------------------------------------------------


def test_qr_link_prefills_channel_and_place(client, desk):
    response = client.get(reverse("complaints:new"), {"park": desk.park.code, "channel": "qr", "place": "政务服务大厅"})

    form = response.context["form"]
    assert form.initial["channel"] == "qr" and form.initial["place"] == "政务服务大厅"
    assert 'id="qr-notice"' in response.content.decode()


def test_submission_from_a_qr_code_is_recorded_on_the_qr_channel(client, desk):
    client.post(reverse("complaints:new"), _form(desk, channel="qr", place="政务服务大厅"))

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.place) == (Channel.QR, "政务服务大厅")


def test_poster_link_opens_the_form_with_channel_qr_park_and_place(desk):
    url = urlparse(poster_url(desk.park, desk.w.business))

    assert url.path == reverse("complaints:new")
    assert parse_qs(url.query) == {"park": [desk.park.code], "channel": ["qr"], "place": [desk.w.business.name]}


def test_poster_png_encodes_the_poster_link(client, desk):
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:qr-department-png", args=[desk.park.code, desk.w.business.pk]))

    assert response["Content-Type"] == "image/png"
    expected = io.BytesIO()
    segno.make(poster_url(desk.park, desk.w.business), error="m", micro=False).save(
        expected, kind="png", scale=12, border=4
    )
    assert response.content == expected.getvalue() == poster_png(desk.park, desk.w.business)
    assert Image.open(io.BytesIO(response.content)).format == "PNG"


def test_park_poster_pdf_is_a_printable_pdf(client, desk):
    client.force_login(desk.w.park_admin)

    response = client.get(reverse("complaints:qr-pdf", args=[desk.park.code]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_poster_page_lists_the_park_and_its_departments(client, desk):
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:qr-posters"))

    row = response.context["rows"][0]
    assert row["park"] == desk.park
    assert {d["department"] for d in row["departments"]} == {desk.w.dispatch, desk.w.discipline_dept, desk.w.business}


@pytest.mark.parametrize("role", ["handler", "auditor", "enterprise_user"])
def test_posters_are_for_the_parks_officials_only(client, desk, role):
    client.force_login(getattr(desk.w, role))

    assert client.get(reverse("complaints:qr-png", args=[desk.park.code])).status_code == 404


def test_posters_of_another_park_are_not_served(client, desk, world_b):
    client.force_login(desk.w.dispatcher)

    assert client.get(reverse("complaints:qr-pdf", args=[world_b.park.code])).status_code == 404


# --- attachments ---------------------------------------------------------------------------------------------


def _photo_with_gps():
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (18.0, 21.0, 0.0), 3: "E", 4: (109.0, 11.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    buffer.name = "现场.jpg"
    buffer.seek(0)
    return buffer


def test_uploaded_photo_loses_its_location_and_camera_data(client, desk):
    photo = _photo_with_gps()
    assert Image.open(io.BytesIO(photo.getvalue())).getexif()  # the fixture really carries EXIF

    client.post(reverse("complaints:new"), {**_form(desk), "files": [photo]})

    ticket = Ticket.objects.get()
    attachment = attachments_for(ticket).get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert attachment.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"SpyCam" not in stored


def test_file_of_a_forbidden_type_is_refused_on_the_form(client, desk):
    upload = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    upload.name = "report.exe"

    response = client.post(reverse("complaints:new"), {**_form(desk), "files": [upload]})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Ticket.objects.exists()


# --- the registration form ----------------------------------------------------------------------------------


def test_dispatcher_registers_a_phone_demand_that_is_accepted_at_once(client, desk):
    client.force_login(desk.w.dispatcher)

    response = client.post(
        reverse("complaints:register"),
        {
            "park": desk.park.code,
            "channel": "phone",
            "category": desk.internal.pk,
            "subject": "来电反映道路积水",
            "body": "园区二号路雨后积水严重。",
            "contact_name": "李女士",
            "contact_phone": "13700001234",
            "priority": "normal",
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.channel, ticket.status, ticket.registered_by) == (
        Channel.PHONE,
        Status.ACCEPTED,
        desk.w.dispatcher,
    )


def test_registration_form_offers_the_non_public_categories(client, desk):
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:register"), {"park": desk.park.code})

    assert desk.internal in set(response.context["form"].fields["category"].queryset)


def test_enterprise_users_cannot_open_the_registration_form(client, desk):
    client.force_login(desk.w.enterprise_user)

    assert client.get(reverse("complaints:register")).status_code == 404


def test_handler_registering_a_phone_demand_is_refused_by_the_service(client, desk):
    client.force_login(desk.w.handler)

    response = client.post(
        reverse("complaints:register"),
        {
            "park": desk.park.code,
            "channel": "phone",
            "category": desk.general.pk,
            "subject": "来电",
            "body": "内容",
            "priority": "normal",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() or response.context["form"].errors
    assert not Ticket.objects.exists()


# --- acknowledgement ------------------------------------------------------------------------------------------


def test_acknowledgement_shows_number_time_and_the_sha256_of_the_text(client, desk):
    ticket = desk.submit().ticket
    client.force_login(desk.w.enterprise_user)

    response = client.get(reverse("complaints:acknowledgement", args=[ticket.pk]))

    digest = hashlib.sha256(f"{ticket.subject}\n{ticket.body}".encode()).hexdigest()
    text = response.content.decode()
    assert ticket.number in text and digest in text
    assert re.search(r"2025-06-09 10:00:00", text)


def test_acknowledgement_pdf_is_a_pdf_with_the_number(client, desk):
    ticket = desk.submit().ticket
    client.force_login(desk.w.enterprise_user)

    response = client.get(reverse("complaints:acknowledgement-pdf", args=[ticket.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"receipt-{ticket.number}.pdf" in response["Content-Disposition"]


def test_acknowledgement_of_someone_elses_ticket_is_not_found(client, desk, world_b):
    ticket = desk.submit().ticket
    client.force_login(world_b.enterprise_user)

    assert client.get(reverse("complaints:acknowledgement", args=[ticket.pk])).status_code == 404
    assert client.get(reverse("complaints:acknowledgement-pdf", args=[ticket.pk])).status_code == 404


# --- broker down ----------------------------------------------------------------------------------------------


def test_submission_is_stored_and_acknowledged_when_the_broker_is_down(
    client, desk, django_capture_on_commit_callbacks
):
    client.force_login(desk.w.enterprise_user)
    with (
        mock.patch("complaints.tasks.route_ticket.delay", side_effect=OSError("broker unreachable")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("complaints:new"), _form(desk, enterprise=desk.w.enterprise.pk))

    ticket = Ticket.objects.get()
    assert delay.called
    assert response.status_code == 302
    assert ticket.status == Status.SUBMITTED and ticket.routed_at is None
    assert client.get(response["Location"]).status_code == 200


def test_anonymous_submission_gets_its_receipt_when_the_broker_is_down(
    client, desk, django_capture_on_commit_callbacks
):
    with (
        mock.patch("complaints.tasks.route_ticket.delay", side_effect=OSError("broker unreachable")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("complaints:new"), _form(desk))

    assert response.status_code == 200
    assert response.context["receipt_code"]
    assert Ticket.objects.count() == 1

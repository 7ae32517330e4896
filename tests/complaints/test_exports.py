"""Excel exports: the filtered list as the user sees it (confidentiality and 保密 kept), and an answer list."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from complaints import services
from complaints.choices import Status
from complaints.exports import XLSX_CONTENT_TYPE
from complaints.services.disclosure import answer_batch_publish
from tests.complaints.conftest import T0


def rows_of(response):
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def column(header, rows, name):
    index = header.index(name)
    return [row[index] for row in rows]


@pytest.fixture
def mixed(desk):
    ordinary = desk.to(Status.ASSIGNED, subject="道路积水", contact_name="王小明", contact_phone="13900001111")
    closed = desk.to(Status.CLOSED, subject="补贴到账")
    confidential = desk.submit(actor=None, category=desk.misconduct, subject="吃拿卡要").ticket
    return ordinary, closed, confidential


def test_export_holds_the_filtered_list(client, desk, mixed):
    ordinary, _closed, _confidential = mixed
    client.force_login(desk.w.dispatcher)

    header, rows = rows_of(client.get(reverse("complaints:ticket-export"), {"status": "assigned"}))

    assert column(header, rows, header[0]) == [ordinary.number]


def test_export_never_holds_confidential_tickets_outside_the_discipline_office(client, desk, mixed):
    _ordinary, _closed, confidential = mixed
    client.force_login(desk.w.dispatcher)

    header, rows = rows_of(client.get(reverse("complaints:ticket-export")))

    assert confidential.number not in column(header, rows, header[0])
    assert len(rows) == 2


def test_discipline_office_exports_the_confidential_report(client, desk, mixed):
    _ordinary, _closed, confidential = mixed
    client.force_login(desk.w.discipline)

    header, rows = rows_of(client.get(reverse("complaints:ticket-export"), {"q": "吃拿卡要"}))

    assert column(header, rows, header[0]) == [confidential.number]


def test_export_masks_contacts(client, desk, mixed):
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:ticket-export"), {"q": "道路积水"})

    _header, rows = rows_of(response)
    flat = " ".join(str(v) for v in rows[0])
    assert "139****1111" in flat and "13900001111" not in flat and "王小明" not in flat


def test_export_of_a_queue_keeps_the_queue(client, desk, mixed):
    client.force_login(desk.w.handler)

    header, rows = rows_of(client.get(reverse("complaints:queue-export", kwargs={"kind": "department"})))

    ordinary, _closed, _confidential = mixed
    assert column(header, rows, header[0]) == [ordinary.number]


def test_export_hides_a_protected_filer_from_the_handler(client, desk):
    ticket = desk.submit(hide_identity=True, contact_name="王小明", contact_phone="13900001111").ticket
    services.ticket_accept(ticket=ticket, actor=desk.w.dispatcher, now=T0)
    services.ticket_dispatch(ticket=ticket, actor=desk.w.dispatcher, department=desk.w.business, now=T0)
    client.force_login(desk.w.handler)

    _header, rows = rows_of(client.get(reverse("complaints:ticket-export")))

    flat = " ".join(str(v) for v in rows[0])
    assert desk.w.enterprise.name not in flat and "139****1111" not in flat


def test_export_of_a_queue_the_role_does_not_use_is_refused(client, desk):
    client.force_login(desk.w.enterprise_user)

    assert client.get(reverse("complaints:queue-export", kwargs={"kind": "dispatch"})).status_code == 403


def test_text_that_looks_like_a_formula_is_exported_as_text(client, desk):
    desk.to(Status.SUBMITTED, subject='=HYPERLINK("http://evil.example","点我")')
    client.force_login(desk.w.dispatcher)

    response = client.get(reverse("complaints:ticket-export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    subject = next(cell for cell in sheet[2] if str(cell.value).startswith("=HYPERLINK"))
    assert subject.data_type == "s"


def test_answer_list_exports_its_published_items(client, desk):
    ticket = desk.to(Status.CLOSED, consent_to_publish=True, contact_name="王小明")
    batch = answer_batch_publish(park=desk.park, tickets=[ticket], actor=desk.w.dispatcher)

    header, rows = rows_of(client.get(reverse("complaints:batch-export", args=[batch.pk])))

    assert len(header) == 9 and len(rows) == 1
    assert "补贴已于本周拨付。" in rows[0]
    assert "王小明" not in " ".join(str(v) for v in rows[0])

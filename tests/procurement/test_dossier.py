"""The auditors' dossier: who may read it (the park's auditors, discipline officers, procurement officers and
park administrators; not park B's auditor, not an enterprise), what each stage shows and withholds, the trail
of the tender and its records, the Excel export and the API."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import roles
from core.audit import record_event
from procurement.choices import TenderStatus
from tests.conftest import make_official
from tests.procurement.factories_public import (
    ClarificationQuestionFactory,
    ObjectionFactory,
    RedFlagFactory,
    tender_in,
)


def _url(tender, name="procurement:dossier"):
    return reverse(name, args=[tender.pk])


def _english(client, tender):
    """The dossier page in English (labels are compared below)."""
    return client.get(_url(tender), HTTP_ACCEPT_LANGUAGE="en")


def _section(response, key):
    return next(s for s in response.context["sections"] if s.key == key)


@pytest.fixture
def contracted(world_a):
    return tender_in(TenderStatus.CONTRACTED, park=world_a.park)


# --- who may read it --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["auditor", "discipline", "park_admin", "procurement_officer"])
def test_the_parks_readers_of_procurement_files_see_the_dossier(client, world_a, contracted, who):
    user = (
        make_official(park=world_a.park, role=roles.PROCUREMENT)
        if who == "procurement_officer"
        else getattr(world_a, who)
    )
    client.force_login(user)

    response = client.get(_url(contracted["tender"]))

    assert response.status_code == 200
    assert contracted["tender"].number in response.content.decode()


@pytest.mark.parametrize("who", ["other_auditor", "enterprise_user", "handler"])
def test_others_are_refused_the_dossier_page_export_and_api(client, world_a, world_b, contracted, who):
    user = world_b.auditor if who == "other_auditor" else getattr(world_a, who)
    client.force_login(user)
    tender = contracted["tender"]

    page = client.get(_url(tender))
    export = client.get(_url(tender, "procurement:dossier-export"))
    api = client.get(f"/api/v1/procurement/dossiers/{tender.pk}/")

    assert (page.status_code, export.status_code, api.status_code) == (404, 404, 404)


def test_anonymous_visitors_are_sent_to_sign_in(client, contracted):
    response = client.get(_url(contracted["tender"]))

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_platform_admin_reads_every_parks_dossier(client, platform_admin, contracted):
    client.force_login(platform_admin)

    assert client.get(_url(contracted["tender"])).status_code == 200


# --- what each stage shows --------------------------------------------------------------------------------


def test_before_the_deadline_the_bids_are_receipts_without_bidders(client, world_a):
    built = tender_in(TenderStatus.PUBLISHED, park=world_a.park)
    from tests.procurement.factories_public import BidFactory

    bid = BidFactory(tender=built["tender"])
    record_event(action="bid.submitted", target=bid, actor=bid.submitted_by, park=world_a.park, data={"x": 1})
    client.force_login(world_a.auditor)

    response = client.get(_url(built["tender"]))
    text = response.content.decode()

    bids = _section(response, "bids")
    assert [row[0] for row in bids.rows] == [bid.receipt]
    assert bid.supplier.enterprise.name not in text
    assert bid.submitted_by.get_full_name() not in text
    (trail_row,) = [r for r in response.context["trail"] if r.action == "bid.submitted"]
    assert trail_row.data == "" and bid.submitted_by.username not in trail_row.actor


def test_after_closing_bidders_show_but_prices_wait_for_the_opening(client, world_a):
    built = tender_in(TenderStatus.CLOSED, park=world_a.park)
    client.force_login(world_a.auditor)

    bids = _section(_english(client, built["tender"]), "bids")

    assert {row[5] for row in bids.rows} == {b.supplier.enterprise.name for b in built["bids"]}
    assert "Supplier" in [str(h) for h in bids.headers] and "Price" not in [str(h) for h in bids.headers]


def test_after_opening_prices_and_commitment_checks_show_and_never_the_ciphertext(client, world_a):
    built = tender_in(TenderStatus.OPENED, park=world_a.park)
    client.force_login(world_a.auditor)

    response = _english(client, built["tender"])
    text = response.content.decode()

    bids = _section(response, "bids")
    price_column = [str(h) for h in bids.headers].index("Price")
    assert sorted(row[price_column] for row in bids.rows) == sorted(b.price for b in built["bids"])
    for bid in built["bids"]:
        assert bid.ciphertext.decode() not in text
        assert bid.wrapped_key.decode() not in text


def test_the_committee_and_scores_wait_for_the_evaluation_report(client, world_a):
    evaluating = tender_in(TenderStatus.EVALUATION, park=world_a.park)["tender"]
    reported = tender_in(TenderStatus.EVALUATED, park=world_a.park)["tender"]
    client.force_login(world_a.auditor)

    before = _english(client, evaluating)
    after = _english(client, reported)

    assert _section(before, "committee").rows == [] and _section(before, "committee").note
    assert len(_section(after, "scores").rows) == 3
    assert any(row[0] == "Member" for row in _section(after, "committee").rows)


def test_clarification_askers_objections_contract_and_flags_are_in_the_file(client, world_a, contracted):
    tender = contracted["tender"]
    question = ClarificationQuestionFactory(tender=tender)
    objection = ObjectionFactory(tender=tender, supplier=contracted["bids"][1].supplier)
    flag = RedFlagFactory(tender=tender, summary="中标价接近预算")
    client.force_login(world_a.auditor)

    response = _english(client, tender)

    assert _section(response, "questions").rows[0][1] == question.asked_by.get_full_name()
    assert _section(response, "objections").rows[0][3] == objection.text
    assert _section(response, "flags").rows[0][2] == flag.summary
    contract_rows = dict(_section(response, "contract").rows)
    assert contract_rows["Number"] == contracted["contract"].number


def test_the_trail_covers_the_tender_and_its_related_records_in_time_order(client, world_a, contracted):
    tender, award, contract = contracted["tender"], contracted["award"], contracted["contract"]
    base = tender.published_at
    record_event(action="tender.published", target=tender, actor=world_a.park_admin, at=base)
    record_event(action="award.decided", target=award, actor=world_a.park_admin, at=base + dt.timedelta(days=25))
    record_event(action="contract.signed", target=contract, actor=world_a.park_admin, at=base + dt.timedelta(days=40))
    other = tender_in(TenderStatus.PUBLISHED, park=world_a.park)["tender"]
    record_event(action="tender.published", target=other, actor=world_a.park_admin, at=base + dt.timedelta(days=1))
    client.force_login(world_a.auditor)

    trail = client.get(_url(tender)).context["trail"]

    assert [r.action for r in trail] == ["tender.published", "award.decided", "contract.signed"]
    assert trail[1].actor == world_a.park_admin.get_full_name()


def test_the_dossier_page_offers_no_form_that_changes_anything(client, world_a, contracted):
    client.force_login(world_a.auditor)

    text = client.get(_url(contracted["tender"])).content.decode()

    assert 'method="post"' not in text.replace(f'action="{reverse("accounts:logout")}"', "").split("<main")[-1]


# --- export and API ---------------------------------------------------------------------------------------


def test_the_excel_export_has_a_sheet_per_section_and_the_trail(client, world_a, contracted):
    record_event(action="tender.published", target=contracted["tender"], actor=world_a.park_admin)
    client.force_login(world_a.auditor)

    response = client.get(_url(contracted["tender"], "procurement:dossier-export"))

    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 12
    trail = book[book.sheetnames[-1]]
    assert trail.cell(row=2, column=2).value == "tender.published"
    bids = book[book.sheetnames[3]]
    assert bids.max_row == 4  # header + three bids


def test_the_api_dossier_has_the_same_sections_and_trail(client, world_a, contracted):
    record_event(action="tender.published", target=contracted["tender"], actor=world_a.park_admin)
    client.force_login(world_a.auditor)

    data = client.get(f"/api/v1/procurement/dossiers/{contracted['tender'].pk}/").json()

    assert [s["key"] for s in data["sections"]][:4] == ["tender", "changes", "questions", "bids"]
    assert [r["action"] for r in data["trail"]] == ["tender.published"]

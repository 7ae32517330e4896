"""The public notices board, the open-data page and the OCDS endpoints (page and API): no sign-in, order,
visibility (drafts never), park and date filtering, links to the stages' pages, errors for bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement import ocds
from procurement.choices import TenderChangeKind, TenderStatus
from tests.procurement.factories_public import ContractAmendmentFactory, TenderChangeFactory, tender_in

NOTICES = reverse("procurement:notices")
API_RELEASES = "/api/v1/procurement/ocds/releases/"
API_NOTICES = "/api/v1/procurement/notices/"


def _kinds(response):
    return [(row["kind"], row["tender"].number) for row in response.context["rows"]]


# --- notices board ----------------------------------------------------------------------------------------


def test_the_notices_board_needs_no_sign_in_and_lists_newest_first(client, world_a):
    start = timezone.now() - dt.timedelta(days=90)
    built = tender_in(TenderStatus.CONTRACTED, park=world_a.park, start=start)
    number = built["tender"].number

    response = client.get(NOTICES)

    assert response.status_code == 200
    assert _kinds(response) == [("contract", number), ("award", number), ("tender", number)]
    times = [row["at"] for row in response.context["rows"]]
    assert times == sorted(times, reverse=True)


def test_drafts_never_appear_on_the_board_nor_in_the_api(client, world_a):
    draft = tender_in(TenderStatus.DRAFT, park=world_a.park)["tender"]
    TenderChangeFactory(tender=draft, kind=TenderChangeKind.CANCELLATION)  # even with a notice row
    draft.status = TenderStatus.CANCELLED
    draft.save()

    page = client.get(NOTICES)
    api = client.get(API_NOTICES)

    assert draft.number not in page.content.decode()
    assert api.status_code == 200 and api.json()["count"] == 0


def test_the_board_shows_every_kind_of_notice_with_links_to_the_stage_pages(client, world_a):
    built = tender_in(TenderStatus.CONTRACTED, park=world_a.park)
    tender, contract = built["tender"], built["contract"]
    TenderChangeFactory(tender=tender, published_at=tender.published_at + dt.timedelta(days=1))
    ContractAmendmentFactory(contract=contract, recorded_at=contract.published_at + dt.timedelta(days=2))
    failed = tender_in(TenderStatus.FAILED, park=world_a.park)["tender"]
    single = tender_in(TenderStatus.JUSTIFICATION, park=world_a.park)["tender"]

    rows = {(r["kind"], r["tender"].pk): r["url"] for r in client.get(NOTICES).context["rows"]}

    assert rows[("tender", tender.pk)] == reverse("procurement:tender-detail", args=[tender.pk])
    assert rows[("change", tender.pk)] == reverse("procurement:tender-detail", args=[tender.pk])
    assert rows[("award", tender.pk)] == reverse("procurement:award-publicity", args=[tender.pk])
    assert rows[("contract", tender.pk)] == reverse("procurement:contract-detail", args=[contract.pk])
    assert rows[("amendment", tender.pk)] == reverse("procurement:contract-detail", args=[contract.pk])
    assert ("failure", failed.pk) in rows
    assert ("justification", single.pk) in rows


def test_the_board_filters_by_park_and_by_kind(client, world_a, world_b):
    a = tender_in(TenderStatus.ANNOUNCED, park=world_a.park)["tender"]
    b = tender_in(TenderStatus.ANNOUNCED, park=world_b.park)["tender"]

    by_park = client.get(NOTICES, {"park": world_b.park.code})
    by_kind = client.get(NOTICES, {"kind": "award"})

    assert {n for _k, n in _kinds(by_park)} == {b.number}
    assert sorted(_kinds(by_kind)) == sorted([("award", a.number), ("award", b.number)])


def test_an_award_is_on_the_board_only_once_announced(client, world_a):
    tender_in(TenderStatus.AWARDED, park=world_a.park)

    assert [k for k, _n in _kinds(client.get(NOTICES))] == ["tender"]


def test_the_api_notices_carry_labels_and_absolute_links(client, world_a):
    built = tender_in(TenderStatus.ANNOUNCED, park=world_a.park)

    data = client.get(API_NOTICES, {"park": world_a.park.code, "kind": "award"}).json()

    (notice,) = data["results"]
    assert notice["tender_number"] == built["tender"].number
    assert notice["url"].startswith("http://testserver/") and notice["url"].endswith(
        reverse("procurement:award-publicity", args=[built["tender"].pk])
    )


def test_the_api_notices_refuse_an_unknown_park(client, world_a):
    assert client.get(API_NOTICES, {"park": "NOPE"}).status_code == 404


# --- OCDS endpoints ---------------------------------------------------------------------------------------


def test_the_open_data_page_links_each_parks_package(client, world_a, world_b):
    response = client.get(reverse("procurement:ocds"))

    assert response.status_code == 200
    for park in (world_a.park, world_b.park):
        assert reverse("procurement:ocds-park", args=[park.code]) in response.content.decode()


def test_the_park_json_file_is_a_valid_package_without_sign_in(client, world_a):
    tender_in(TenderStatus.CONTRACTED, park=world_a.park)

    response = client.get(reverse("procurement:ocds-park", args=[world_a.park.code]), {"download": "1"})

    package = response.json()
    assert response.status_code == 200 and ocds.validation_errors(package) == []
    assert package["uri"].startswith("http://testserver/procurement/ocds/")
    assert "attachment" in response["Content-Disposition"]


def test_the_api_package_filters_by_park_and_date_range(client, world_a, world_b):
    start = timezone.make_aware(dt.datetime(2026, 2, 2, 9, 0))
    a = tender_in(TenderStatus.OPENED, park=world_a.park, start=start)["tender"]
    tender_in(TenderStatus.OPENED, park=world_b.park, start=start)

    whole = client.get(API_RELEASES, {"park": world_a.park.code}).json()
    first_week = client.get(API_RELEASES, {"park": world_a.park.code, "from": "2026-02-01", "to": "2026-02-07"}).json()

    assert {r["ocid"] for r in whole["releases"]} == {ocds.ocid_for(a)}
    assert [r["tag"] for r in whole["releases"]] == [["tender"], ["tenderUpdate"]]
    assert [r["tag"] for r in first_week["releases"]] == [["tender"]]
    assert ocds.validation_errors(whole) == [] and ocds.validation_errors(first_week) == []


def test_the_api_package_without_a_park_covers_every_active_park(client, world_a, world_b):
    tender_in(TenderStatus.PUBLISHED, park=world_a.park)
    tender_in(TenderStatus.PUBLISHED, park=world_b.park)

    package = client.get(API_RELEASES).json()

    assert len(package["releases"]) == 2


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "2026-13-01"}, "invalid_date"),
        ({"to": "yesterday"}, "invalid_date"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "invalid_range"),
    ],
)
def test_a_bad_date_is_refused_with_a_clear_message(client, world_a, params, code):
    tender_in(TenderStatus.PUBLISHED, park=world_a.park)

    api = client.get(API_RELEASES, params)
    page = client.get(reverse("procurement:ocds-park", args=[world_a.park.code]), params)

    assert (api.status_code, api.json()["code"]) == (400, code)
    assert (page.status_code, page.json()["code"]) == (400, code)
    assert api.json()["detail"]


def test_an_empty_range_or_unknown_park_is_a_404_not_an_invalid_package(client, world_a):
    tender_in(TenderStatus.PUBLISHED, park=world_a.park)

    empty = client.get(API_RELEASES, {"park": world_a.park.code, "to": "2000-01-01"})
    unknown = client.get(API_RELEASES, {"park": "NOPE"})
    page = client.get(reverse("procurement:ocds-park", args=["NOPE"]))

    assert (empty.status_code, unknown.status_code, page.status_code) == (404, 404, 404)


def test_the_export_never_shows_a_sealed_bid_before_opening(client, world_a):
    built = tender_in(TenderStatus.CLOSED, park=world_a.park)

    text = client.get(API_RELEASES).content.decode()

    for bid in built["bids"]:
        assert bid.receipt not in text and bid.commitment not in text
        assert bid.supplier.enterprise.credit_code not in text

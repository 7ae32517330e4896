"""The OCDS 1.1 export (procurement/ocds.py): releases per public event, packages by park and date range,
validation against the shipped schemas, CN-USCI identifiers, and nothing sealed or unannounced in the output."""

import datetime as dt
import filecmp
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from procurement import ocds
from procurement.choices import Method, TenderChangeKind, TenderStatus
from tests.procurement.factories_public import (
    ClarificationQuestionFactory,
    ContractAmendmentFactory,
    TenderChangeFactory,
    tender_in,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "ocds-1.1"
REPO_COPY = Path(ocds.__file__).resolve().parent / "ocds_schema"
ALL_STATUSES = list(TenderStatus)


def _package(park=None, **kwargs):
    releases = ocds.releases_for(park=park, **kwargs)
    return ocds.release_package(releases, uri="https://portal.example.cn/procurement/ocds/test.json")


# --- the shipped schemas ----------------------------------------------------------------------------------


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared reference data is not next to this checkout")
@pytest.mark.parametrize(
    "name",
    [
        "release-package-schema.json",
        "release-schema.json",
        *[f"codelists/{p.name}" for p in (REPO_COPY / "codelists").iterdir()],
    ],
)
def test_the_repository_copy_of_the_schemas_equals_the_shared_reference(name):
    assert filecmp.cmp(REPO_COPY / name, SHARED / name, shallow=False)


def test_the_validator_rejects_a_package_that_breaks_the_schema():
    package = {"uri": "x", "version": "1.1", "publishedDate": "2026-01-01T00:00:00+08:00", "publisher": {}}

    errors = ocds.validation_errors(package)

    assert any("releases" in e for e in errors) and any("name" in e for e in errors)


def test_the_validator_rejects_a_release_tag_outside_the_codelist():
    release = {
        "ocid": "o",
        "id": "o-1",
        "date": "2026-01-01T00:00:00+08:00",
        "tag": ["opened"],
        "initiationType": "tender",
    }
    package = ocds.release_package([release], uri="https://portal.example.cn/x.json")

    assert any("opened" in e for e in ocds.validation_errors(package))


# --- validity for every status ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", ALL_STATUSES, ids=lambda s: s.value)
def test_the_package_of_a_tender_in_every_status_validates(world_a, status):
    tender_in(status, park=world_a.park)
    releases = ocds.releases_for(park=world_a.park)
    if status == TenderStatus.DRAFT:
        assert releases == []
        return

    package = ocds.release_package(releases, uri="https://portal.example.cn/procurement/ocds/PA.json")

    assert ocds.validation_errors(package) == []


@pytest.mark.parametrize("method", list(Method), ids=lambda m: m.value)
def test_every_method_maps_to_a_code_of_the_method_codelist(world_a, method):
    built = tender_in(TenderStatus.PUBLISHED, park=world_a.park, method=method)

    code, details = ocds.procurement_method(built["tender"])

    assert code in ocds.codelist("method") and details


def test_a_full_tender_file_gives_one_release_per_public_event_with_the_codelist_tags(world_a):
    built = tender_in(TenderStatus.CONTRACTED, park=world_a.park)
    tender = built["tender"]
    TenderChangeFactory(
        tender=tender, kind=TenderChangeKind.AMENDMENT, published_at=tender.published_at + dt.timedelta(days=2)
    )
    TenderChangeFactory(
        tender=tender, kind=TenderChangeKind.CLARIFICATION, published_at=tender.published_at + dt.timedelta(days=3)
    )
    ClarificationQuestionFactory(tender=tender, answer="接受。", answered_at=tender.published_at + dt.timedelta(days=4))
    ContractAmendmentFactory(
        contract=built["contract"], recorded_at=built["contract"].published_at + dt.timedelta(days=30)
    )

    package = _package(world_a.park)

    assert [r["tag"] for r in package["releases"]] == [
        ["tender"],
        ["tenderAmendment"],
        ["tenderUpdate"],
        ["tenderUpdate"],
        ["tenderUpdate"],
        ["award"],
        ["contract"],
        ["contractAmendment"],
    ]
    assert ocds.validation_errors(package) == []


def test_release_ids_are_unique_and_stable_across_exports(world_a):
    tender_in(TenderStatus.CONTRACTED, park=world_a.park)
    tender_in(TenderStatus.FAILED, park=world_a.park)

    first = [r["id"] for r in _package(world_a.park)["releases"]]
    second = [r["id"] for r in _package(world_a.park)["releases"]]

    assert first == second and len(set(first)) == len(first)


def test_an_earlier_release_keeps_its_content_when_later_events_happen(world_a):
    built = tender_in(TenderStatus.ANNOUNCED, park=world_a.park)
    before = {r["id"]: r for r in _package(world_a.park)["releases"]}
    tender = built["tender"]
    tender.status = TenderStatus.CONTRACTED
    tender.save()
    from tests.procurement.factories_public import ContractFactory

    ContractFactory(
        tender=tender,
        supplier=built["award"].supplier,
        published_at=tender.announced_at + dt.timedelta(days=20),
    )

    after = {r["id"]: r for r in _package(world_a.park)["releases"]}

    assert all(after[key] == release for key, release in before.items())
    assert len(after) == len(before) + 1


@override_settings(OCDS_OCID_PREFIX="ocds-abc123")
def test_the_ocid_is_the_configured_prefix_and_the_tender_number(world_a):
    built = tender_in(TenderStatus.PUBLISHED, park=world_a.park)

    (release,) = _package(world_a.park)["releases"]

    assert release["ocid"] == f"ocds-abc123-{built['tender'].number}"
    assert release["id"] == f"ocds-abc123-{built['tender'].number}-tender"


# --- parties and content ----------------------------------------------------------------------------------


def test_tenderers_and_the_supplier_are_identified_with_their_unified_social_credit_code(world_a):
    built = tender_in(TenderStatus.CONTRACTED, park=world_a.park)

    last = _package(world_a.park)["releases"][-1]
    enterprises = [p for p in last["parties"] if "tenderer" in p["roles"] or "supplier" in p["roles"]]

    expected = {bid.supplier.enterprise.credit_code for bid in built["bids"]}
    assert {p["identifier"]["id"] for p in enterprises} == expected
    assert {p["identifier"]["scheme"] for p in enterprises} == {"CN-USCI"}
    assert all(p["id"] == f"CN-USCI-{p['identifier']['id']}" for p in enterprises)
    winner = next(p for p in enterprises if "supplier" in p["roles"])
    assert winner["identifier"]["id"] == built["award"].supplier.enterprise.credit_code
    assert last["awards"][0]["suppliers"] == [{"id": winner["id"], "name": winner["name"]}]


def test_the_park_is_buyer_and_procuring_entity_unless_a_buying_department_is_named(world_a):
    tender_in(TenderStatus.PUBLISHED, park=world_a.park)
    tender_in(TenderStatus.PUBLISHED, park=world_a.park, buyer_department=world_a.business)

    first, second = _package(world_a.park)["releases"]

    assert [p["roles"] for p in first["parties"]] == [["buyer", "procuringEntity"]]
    assert [p["roles"] for p in second["parties"]] == [["procuringEntity"], ["buyer"]]
    assert world_a.business.name in second["buyer"]["name"]


def test_the_tender_block_carries_budget_method_periods_and_chinese_method_details(world_a):
    built = tender_in(TenderStatus.PUBLISHED, park=world_a.park, method=Method.INVITED_TENDER)
    tender = built["tender"]

    block = _package(world_a.park)["releases"][0]["tender"]

    assert block["value"] == {"amount": 800000, "currency": "CNY"}
    assert (block["procurementMethod"], block["procurementMethodDetails"]) == ("selective", "邀请招标")
    assert block["tenderPeriod"]["endDate"] == timezone.localtime(tender.bid_deadline).isoformat()
    assert block["enquiryPeriod"]["endDate"] == timezone.localtime(tender.clarification_deadline).isoformat()
    assert block["status"] == "active" and "numberOfTenderers" not in block


def test_negotiation_with_invited_suppliers_is_limited_and_without_is_selective(world_a):
    public = tender_in(TenderStatus.PUBLISHED, park=world_a.park, method=Method.NEGOTIATION)["tender"]
    invited = tender_in(TenderStatus.PUBLISHED, park=world_a.park, method=Method.NEGOTIATION)["tender"]
    from tests.procurement.conftest import make_supplier

    invited.invited_suppliers.add(make_supplier(world_a.park, "受邀供应商有限公司")[0])

    assert ocds.procurement_method(public)[0] == "selective"
    assert ocds.procurement_method(invited)[0] == "limited"


def test_single_source_justification_is_a_planning_release_with_the_rationale(world_a):
    built = tender_in(TenderStatus.JUSTIFICATION, park=world_a.park)

    (release,) = _package(world_a.park)["releases"]

    assert release["tag"] == ["planning"]
    assert release["tender"]["status"] == "planning"
    assert release["tender"]["procurementMethod"] == "direct"
    assert release["tender"]["procurementMethodRationale"] == built["tender"].justification


def test_a_deadline_move_is_an_amendment_and_earlier_releases_keep_the_old_deadline(world_a):
    built = tender_in(TenderStatus.PUBLISHED, park=world_a.park)
    tender = built["tender"]
    old, new = tender.bid_deadline, tender.bid_deadline + dt.timedelta(days=15)
    TenderChangeFactory(
        tender=tender,
        kind=TenderChangeKind.DEADLINE,
        deadline_before=old,
        deadline_after=new,
        published_at=tender.published_at + dt.timedelta(days=8),
    )
    tender.bid_deadline = new
    tender.save()

    first, second = _package(world_a.park)["releases"]

    assert first["tender"]["tenderPeriod"]["endDate"] == timezone.localtime(old).isoformat()
    assert second["tender"]["tenderPeriod"]["endDate"] == timezone.localtime(new).isoformat()
    assert second["tag"] == ["tenderAmendment"]
    assert second["tender"]["amendments"][0]["amendsReleaseID"] == first["id"]
    assert second["tender"]["amendments"][0]["releaseID"] == second["id"]


def test_a_failed_tender_ends_with_an_unsuccessful_tender_update(world_a):
    tender_in(TenderStatus.FAILED, park=world_a.park)

    last = _package(world_a.park)["releases"][-1]

    assert (last["tag"], last["tender"]["status"]) == (["tenderUpdate"], "unsuccessful")


def test_a_cancelled_tender_ends_with_a_tender_cancellation(world_a):
    tender_in(TenderStatus.CANCELLED, park=world_a.park)

    last = _package(world_a.park)["releases"][-1]

    assert (last["tag"], last["tender"]["status"]) == (["tenderCancellation"], "cancelled")


def test_a_failure_without_a_notice_row_still_gives_a_release(world_a):
    built = tender_in(TenderStatus.FAILED, park=world_a.park)
    built["tender"].changes.all().delete()

    last = _package(world_a.park)["releases"][-1]

    assert last["id"].endswith("-failure") and last["tender"]["status"] == "unsuccessful"


def test_after_opening_the_tender_gives_the_number_of_tenderers_but_no_price(world_a):
    built = tender_in(TenderStatus.OPENED, park=world_a.park)

    text = json.dumps(_package(world_a.park), ensure_ascii=False)
    opening = _package(world_a.park)["releases"][-1]

    assert opening["tender"]["numberOfTenderers"] == 3
    assert len(opening["tender"]["tenderers"]) == 3
    assert not any(str(bid.price) in text or f"{bid.price:.0f}" in text for bid in built["bids"])


def test_award_and_contract_values_and_the_amended_contract_value(world_a):
    built = tender_in(TenderStatus.CONTRACTED, park=world_a.park)
    ContractAmendmentFactory(
        contract=built["contract"],
        value_change=Decimal("35000.50"),
        recorded_at=built["contract"].published_at + dt.timedelta(days=1),
    )

    releases = _package(world_a.park)["releases"]
    contract_release, amendment_release = releases[-2], releases[-1]

    assert contract_release["awards"][0]["value"] == {"amount": 690000, "currency": "CNY"}
    assert contract_release["awards"][0]["status"] == "active"
    assert contract_release["contracts"][0]["value"]["amount"] == 690000
    assert amendment_release["contracts"][0]["value"]["amount"] == 725000.5
    assert amendment_release["contracts"][0]["amendments"][0]["amendsReleaseID"] == contract_release["id"]
    assert contract_release["contracts"][0]["dateSigned"].startswith(built["contract"].signed_on.isoformat())


def test_an_announced_award_is_pending_during_publicity(world_a):
    tender_in(TenderStatus.ANNOUNCED, park=world_a.park)

    last = _package(world_a.park)["releases"][-1]

    assert last["tag"] == ["award"] and last["awards"][0]["status"] == "pending"


# --- what is never exported -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [TenderStatus.AWARDED, TenderStatus.EVALUATED], ids=lambda s: s.value)
def test_an_award_not_yet_announced_is_not_exported(world_a, status):
    tender_in(status, park=world_a.park)

    package = _package(world_a.park)

    assert all("awards" not in r for r in package["releases"])


def test_a_signed_but_unpublished_contract_is_not_exported(world_a):
    built = tender_in(TenderStatus.CONTRACTED, park=world_a.park)
    built["contract"].published_at = None
    built["contract"].save()

    package = _package(world_a.park)

    assert all("contracts" not in r for r in package["releases"])


def test_no_sealed_field_nor_the_asker_of_a_question_appears_in_the_export(world_a):
    built = tender_in(TenderStatus.CLOSED, park=world_a.park)
    tender = built["tender"]
    question = ClarificationQuestionFactory(
        tender=tender, answer="可以。", answered_at=tender.published_at + dt.timedelta(days=1)
    )

    text = json.dumps(_package(world_a.park), ensure_ascii=False)

    for bid in built["bids"]:
        assert bid.commitment not in text
        assert bid.receipt not in text
        assert bid.ciphertext_sha256 not in text
        assert bid.supplier.enterprise.name not in text  # bidders are not public before opening
        assert bid.supplier.enterprise.credit_code not in text
    assert question.asked_by.username not in text
    assert question.question in text


# --- filtering --------------------------------------------------------------------------------------------


def test_the_package_of_a_park_holds_only_that_parks_tenders(world_a, world_b):
    a = tender_in(TenderStatus.PUBLISHED, park=world_a.park)["tender"]
    tender_in(TenderStatus.PUBLISHED, park=world_b.park)

    package = _package(world_a.park)

    assert {r["ocid"] for r in package["releases"]} == {ocds.ocid_for(a)}


def test_the_date_range_keeps_the_releases_dated_within_it_inclusive(world_a):
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))
    built = tender_in(TenderStatus.OPENED, park=world_a.park, start=start)
    opened_day = timezone.localdate(built["tender"].opened_at)

    only_first_day = ocds.releases_for(park=world_a.park, date_from=start.date(), date_to=start.date())
    from_opening = ocds.releases_for(park=world_a.park, date_from=opened_day)
    until_before = ocds.releases_for(park=world_a.park, date_to=start.date() - dt.timedelta(days=1))

    assert [r["tag"] for r in only_first_day] == [["tender"]]
    assert [r["id"].rsplit("-", 1)[-1] for r in from_opening] == ["opening"]
    assert until_before == []


def test_the_package_published_date_is_its_newest_release(world_a):
    tender_in(TenderStatus.ANNOUNCED, park=world_a.park)

    package = _package(world_a.park)

    assert package["publishedDate"] == package["releases"][-1]["date"]
    assert package["version"] == "1.1"


def _dates(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _dates(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _dates(v, key)
    elif key in {"date", "publishedDate", "startDate", "endDate", "dateSigned", "datePublished"}:
        yield value


def test_every_date_is_iso_8601_with_the_china_offset(world_a):
    built = tender_in(TenderStatus.CONTRACTED, park=world_a.park)
    ContractAmendmentFactory(contract=built["contract"], recorded_at=built["contract"].published_at)

    dates = list(_dates(_package(world_a.park)))

    assert len(dates) > 20
    assert {dt.datetime.fromisoformat(d).utcoffset() for d in dates} == {dt.timedelta(hours=8)}

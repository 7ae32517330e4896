"""The OCDS 1.1 export: one release per public event of a tender, release packages by park and date range.

The events are those of `procurement.selectors.public` (the same as the public notices board), so the export
holds only public information: never a sealed bid's ciphertext, key, commitment or price, never who asked a
clarification question, never a decision that is not yet announced. Each release is the tender's public
record *as of its event*: statuses, the tenderers, the award and the contract appear only in the releases
dated after they became public, so a release's content does not change when later events happen (apart from
the tender's descriptive text, which the portal keeps only in its current form).

Choices where the standard leaves room (also in docs/ocds.md):

- ``ocid`` = ``settings.OCDS_OCID_PREFIX`` + ``-`` + the tender number; release ``id`` = ocid + ``-`` + the
  event key (``tender``, ``change-12``, ``award`` …): unique within the ocid and stable.
- Release tags (closed codelist ``releaseTag``): justification → ``planning``; tender notice → ``tender``;
  change of the documents or deadline → ``tenderAmendment`` (and an entry in ``tender.amendments``);
  clarification notice, answered question and opening → ``tenderUpdate``; failure (废标, tender status
  ``unsuccessful``) → ``tenderUpdate``; cancellation → ``tenderCancellation``; award publicity → ``award``;
  contract published → ``contract``; supplementary contract → ``contractAmendment``.
- Methods (codelist ``method``): 公开招标 → ``open``; 邀请招标 → ``selective``; 竞争性谈判 and 询价 →
  ``limited`` when the buyer invited the suppliers of its choice, ``selective`` when the notice was public
  but only the park's approved (pre-qualified) suppliers could bid; 单一来源 → ``direct`` with the published
  justification as ``procurementMethodRationale``. ``procurementMethodDetails`` is the method's Chinese
  legal name.
- Parties: the park is the ``procuringEntity`` and, unless a buying department is named, also the
  ``buyer``; enterprises (tenderers, suppliers) are identified with the ``CN-USCI`` scheme and their
  统一社会信用代码 (party id ``CN-USCI-<code>``). Parks and departments have no credit code in the portal,
  so they carry the park code as identifier without a scheme. No contact person, phone or e-mail is exported.
- Bids: OCDS 1.1 core has no bid statistics (that is an extension), so after opening the tender gives
  ``numberOfTenderers`` and ``tenderers``; bid prices are not exported (they stay on the opening record).
- Award status: ``pending`` during the publicity and objection period, ``active`` once the contract is
  published, ``cancelled`` when the tender failed after the announcement.
- Amounts are CNY numbers; dates are ISO 8601 with the Asia/Shanghai offset; a date-only field (the day a
  contract was signed) is that day's midnight.
- A package's ``publishedDate`` is its newest release's date (the guidance for packages generated on
  demand), so the same query gives the same package.
"""

import json
from datetime import datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from core.errors import DomainError
from procurement.choices import LOWEST_PRICE_METHODS, ContractStatus, Method, TenderChangeKind
from procurement.selectors.public import (
    announced_award,
    award_announced_at,
    public_events,
    published_contract,
    tender_public_events,
)

OCDS_VERSION = "1.1"
CURRENCY = "CNY"
IDENTIFIER_SCHEME = "CN-USCI"
SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema"
RELEASE_SCHEMA_URI = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"

METHOD_DETAILS = {
    Method.OPEN_TENDER: "公开招标",
    Method.INVITED_TENDER: "邀请招标",
    Method.NEGOTIATION: "竞争性谈判",
    Method.INQUIRY: "询价",
    Method.SINGLE_SOURCE: "单一来源",
}

EVENT_TAGS = {
    "justification": "planning",
    "tender": "tender",
    "enquiry": "tenderUpdate",
    "opening": "tenderUpdate",
    "failure": "tenderUpdate",
    "cancellation": "tenderCancellation",
    "award": "award",
    "contract": "contract",
    "amendment": "contractAmendment",
}
CHANGE_TAGS = {
    TenderChangeKind.AMENDMENT: "tenderAmendment",
    TenderChangeKind.DEADLINE: "tenderAmendment",
    TenderChangeKind.CLARIFICATION: "tenderUpdate",
}


# --- identifiers and small conversions ----------------------------------------------------------------------


def ocid_for(tender):
    """The tender's Open Contracting ID: the configured prefix and the tender number."""
    return f"{settings.OCDS_OCID_PREFIX}-{tender.number}"


def ocid_prefix():
    return settings.OCDS_OCID_PREFIX


def release_id(tender, key):
    return f"{ocid_for(tender)}-{key}"


def _iso(moment):
    if moment is None:
        return None
    if not isinstance(moment, datetime):  # a date: that day's midnight, local time
        moment = timezone.make_aware(datetime.combine(moment, time.min), timezone.get_current_timezone())
    return timezone.localtime(moment).isoformat()


def _value(amount):
    number = float(amount)
    return {"amount": int(number) if number.is_integer() else number, "currency": CURRENCY}


def _absolute(url):
    return f"{settings.SITE_URL}{url}" if url else None


def safe_reverse(name, *args):
    """The URL of another stage's page, or None while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def tender_page_url(tender):
    return safe_reverse("procurement:tender-detail", tender.pk)


def award_page_url(tender):
    return safe_reverse("procurement:award-publicity", tender.pk)


def contract_page_url(contract):
    return safe_reverse("procurement:contract-detail", contract.pk)


def procurement_method(tender):
    """(OCDS method code, Chinese details) — see the module docstring for the mapping."""
    if tender.method == Method.OPEN_TENDER:
        code = "open"
    elif tender.method == Method.INVITED_TENDER:
        code = "selective"
    elif tender.method == Method.SINGLE_SOURCE:
        code = "direct"
    else:
        code = "limited" if tender.invited_suppliers.all() else "selective"
    return code, METHOD_DETAILS.get(tender.method, tender.method)


# --- parties ----------------------------------------------------------------------------------------------


def park_party_id(park):
    return f"park-{park.code}"


def enterprise_party_id(enterprise):
    return f"{IDENTIFIER_SCHEME}-{enterprise.credit_code}"


def _address(street, region):
    address = {"countryName": "中国"}
    if street:
        address["streetAddress"] = street
    if region:
        address["region"] = region
    return address


def _park_party(park, roles):
    return {
        "id": park_party_id(park),
        "name": park.name,
        "identifier": {"id": park.code, "legalName": park.name},
        "address": _address(park.address, park.region),
        "roles": roles,
    }


def _department_party(department, roles):
    park = department.park
    return {
        "id": f"{park_party_id(park)}-dept-{department.pk}",
        "name": f"{park.name}{department.name}",
        "identifier": {"id": f"{park.code}-{department.pk}", "legalName": f"{park.name}{department.name}"},
        "address": _address(park.address, park.region),
        "roles": roles,
    }


def _enterprise_party(enterprise, roles):
    return {
        "id": enterprise_party_id(enterprise),
        "name": enterprise.name,
        "identifier": {"scheme": IDENTIFIER_SCHEME, "id": enterprise.credit_code, "legalName": enterprise.name},
        "address": _address(enterprise.address, ""),
        "roles": roles,
    }


def _reference(party):
    return {"id": party["id"], "name": party["name"]}


# --- one release ------------------------------------------------------------------------------------------


class _Snapshot:
    """What was public of a tender at moment `at` (the date of one of its events)."""

    def __init__(self, tender, events, at):
        self.tender = tender
        self.at = at
        self.events = [e for e in events if e.at <= at]
        kinds = {e.kind for e in self.events}
        self.failed = "failure" in kinds
        self.cancelled = "cancellation" in kinds
        self.opened = "opening" in kinds
        self.award = announced_award(tender) if "award" in kinds else None
        self.contract = published_contract(tender) if "contract" in kinds else None

    def tender_status(self):
        if self.cancelled:
            return "cancelled"
        if self.failed:
            return "unsuccessful"
        if self.contract is not None:
            return "complete"
        if self.tender.published_at is None or self.tender.published_at > self.at:
            return "planning"
        return "active"

    def bid_deadline(self):
        """The deadline as it stood at `at`: a later change that moved it tells what it was before."""
        later = [
            e.record
            for e in self.all_changes()
            if e.at > self.at and e.record.deadline_before is not None and e.record.deadline_after is not None
        ]
        return later[0].deadline_before if later else self.tender.bid_deadline

    def all_changes(self):
        return [e for e in tender_public_events_cache(self.tender) if e.kind == "change"]


def tender_public_events_cache(tender):
    cached = getattr(tender, "_public_events", None)
    if cached is None:
        cached = tender_public_events(tender)
        tender._public_events = cached
    return cached


def _tender_block(snapshot, release_ids):
    tender = snapshot.tender
    method, details = procurement_method(tender)
    block = {
        "id": tender.number,
        "title": tender.title,
        "description": tender.needs,
        "status": snapshot.tender_status(),
        "procuringEntity": _reference(_park_party(tender.park, [])),
        "value": _value(tender.budget),
        "procurementMethod": method,
        "procurementMethodDetails": details,
        "mainProcurementCategory": tender.category,
        "submissionMethod": ["electronicSubmission"],
        "submissionMethodDetails": "在线密封投标：投标文件在投标人浏览器中加密，开标前任何人无法读取",
        "hasEnquiries": any(e.kind == "enquiry" for e in snapshot.events),
    }
    if tender.method == Method.SINGLE_SOURCE and tender.justification:
        block["procurementMethodRationale"] = tender.justification
    if tender.method != Method.SINGLE_SOURCE:
        if tender.method in LOWEST_PRICE_METHODS:
            block["awardCriteria"] = "priceOnly"
            block["awardCriteriaDetails"] = "最低评标价法：满足要求且报价最低者成交"
        else:
            block["awardCriteria"] = "ratedCriteria"
            block["awardCriteriaDetails"] = (
                f"综合评分法：价格分占{tender.price_weight}%，技术分占{tender.technical_weight}%"
            )
    if tender.qualification_requirements:
        block["eligibilityCriteria"] = tender.qualification_requirements
    if tender.published_at and tender.published_at <= snapshot.at:
        block["tenderPeriod"] = {"startDate": _iso(tender.published_at), "endDate": _iso(snapshot.bid_deadline())}
        if tender.clarification_deadline:
            block["enquiryPeriod"] = {
                "startDate": _iso(tender.published_at),
                "endDate": _iso(tender.clarification_deadline),
            }
        award_period = {"startDate": _iso(snapshot.bid_deadline())}
        if snapshot.award is not None:
            award_period["endDate"] = _iso(award_announced_at(tender, snapshot.award))
        block["awardPeriod"] = award_period
    elif tender.justification_ends_at:
        block["tenderPeriod"] = {
            "startDate": _iso(tender.justification_published_at),
            "endDate": _iso(tender.justification_ends_at),
        }
    if snapshot.opened:
        tenderers = [bid.supplier.enterprise for bid in getattr(tender, "opened_bids", ())]
        block["numberOfTenderers"] = len(tenderers)
        block["tenderers"] = [_reference(_enterprise_party(e, [])) for e in _unique(tenderers)]
    documents = _tender_documents(snapshot)
    if documents:
        block["documents"] = documents
    amendments = _tender_amendments(snapshot, release_ids)
    if amendments:
        block["amendments"] = amendments
    return block


def _unique(enterprises):
    seen, result = set(), []
    for enterprise in enterprises:
        if enterprise.pk not in seen:
            seen.add(enterprise.pk)
            result.append(enterprise)
    return result


def _tender_documents(snapshot):
    tender = snapshot.tender
    url = _absolute(tender_page_url(tender))
    documents = []
    for event in snapshot.events:
        document = None
        if event.kind in ("tender", "justification"):
            document = {
                "documentType": "tenderNotice",
                "title": "单一来源采购公示" if event.kind == "justification" else "采购公告",
            }
        elif event.kind in ("change", "failure", "cancellation") and event.record is not None:
            document = {
                "documentType": "clarifications" if event.change_kind == TenderChangeKind.CLARIFICATION else None,
                "title": event.record.get_kind_display(),
                "description": event.record.text,
            }
        elif event.kind == "enquiry":
            document = {
                "documentType": "clarifications",
                "title": "答疑",
                "description": f"问：{event.record.question}\n答：{event.record.answer}",
            }
        elif event.kind == "award":
            document = {"documentType": "awardNotice", "title": "中标（成交）结果公告"}
            url_here = _absolute(award_page_url(tender))
            if url_here:
                document["url"] = url_here
        elif event.kind == "contract":
            document = {"documentType": "contractNotice", "title": "合同公告"}
            url_here = _absolute(contract_page_url(event.record))
            if url_here:
                document["url"] = url_here
        if document is None:
            continue
        document = {k: v for k, v in document.items() if v is not None}
        document["id"] = event.key
        document["datePublished"] = _iso(event.at)
        document["language"] = "zh"
        if url and "url" not in document:
            document["url"] = url
        documents.append(document)
    return documents


def _tender_amendments(snapshot, release_ids):
    amendments = []
    previous = release_ids.get("tender")
    for event in snapshot.events:
        if event.kind != "change" or CHANGE_TAGS.get(event.change_kind) != "tenderAmendment":
            continue
        change = event.record
        amendment = {
            "id": str(change.pk),
            "date": _iso(event.at),
            "rationale": change.get_kind_display(),
            "description": change.text,
            "releaseID": release_ids[event.key],
        }
        if previous:
            amendment["amendsReleaseID"] = previous
        amendments.append(amendment)
        previous = release_ids[event.key]
    return amendments


def _award_block(snapshot):
    tender, award = snapshot.tender, snapshot.award
    if snapshot.failed or snapshot.cancelled:
        status = "cancelled"
    elif snapshot.contract is not None:
        status = "active"
    else:
        status = "pending"
    block = {
        "id": f"{tender.number}-award",
        "title": tender.title,
        "status": status,
        "date": _iso(award_announced_at(tender, award)),
        "value": _value(award.amount),
        "suppliers": [_reference(_enterprise_party(award.supplier.enterprise, []))],
    }
    url = _absolute(award_page_url(tender))
    if url:
        block["documents"] = [
            {
                "id": "award-notice",
                "documentType": "awardNotice",
                "title": "中标（成交）结果公告",
                "url": url,
                "datePublished": _iso(award_announced_at(tender, award)),
                "language": "zh",
            }
        ]
    return block


def _contract_block(snapshot, release_ids):
    tender, contract = snapshot.tender, snapshot.contract
    amendments = [e for e in snapshot.events if e.kind == "amendment"]
    value = contract.value + sum((e.record.value_change for e in amendments), start=Decimal(0))
    block = {
        "id": contract.number,
        "awardID": f"{tender.number}-award",
        "title": contract.title,
        "status": "terminated" if contract.status == ContractStatus.TERMINATED else "active",
        "value": _value(value),
        "dateSigned": _iso(contract.signed_on),
    }
    if contract.period_start or contract.period_end:
        block["period"] = {
            key: _iso(day) for key, day in (("startDate", contract.period_start), ("endDate", contract.period_end))
        }
        block["period"] = {k: v for k, v in block["period"].items() if v}
    if amendments:
        previous = release_ids.get("contract")
        block["amendments"] = []
        for event in amendments:
            amendment = event.record
            entry = {
                "id": str(amendment.pk),
                "date": _iso(event.at),
                "rationale": amendment.reason,
                "description": (
                    f"补充合同（{amendment.signed_on.isoformat()}签订），合同金额变更 {amendment.value_change:+} 元"
                ),
                "releaseID": release_ids[event.key],
            }
            if previous:
                entry["amendsReleaseID"] = previous
            block["amendments"].append(entry)
            previous = release_ids[event.key]
    url = _absolute(contract_page_url(contract))
    if url:
        block["documents"] = [
            {
                "id": "contract-notice",
                "documentType": "contractNotice",
                "title": "合同公告",
                "url": url,
                "datePublished": _iso(contract.published_at),
                "language": "zh",
            }
        ]
    return block


def _parties(snapshot):
    tender = snapshot.tender
    parties = []
    if tender.buyer_department_id:
        parties.append(_park_party(tender.park, ["procuringEntity"]))
        parties.append(_department_party(tender.buyer_department, ["buyer"]))
    else:
        parties.append(_park_party(tender.park, ["buyer", "procuringEntity"]))
    enterprises = {}
    if snapshot.opened:
        for bid in getattr(tender, "opened_bids", ()):
            enterprises.setdefault(bid.supplier.enterprise.pk, (bid.supplier.enterprise, []))
            if "tenderer" not in enterprises[bid.supplier.enterprise.pk][1]:
                enterprises[bid.supplier.enterprise.pk][1].append("tenderer")
    if snapshot.award is not None:
        enterprise = snapshot.award.supplier.enterprise
        enterprises.setdefault(enterprise.pk, (enterprise, []))[1].append("supplier")
    parties.extend(_enterprise_party(enterprise, roles) for enterprise, roles in enterprises.values())
    return parties


def _tag(event):
    if event.kind == "change":
        return CHANGE_TAGS.get(event.change_kind, "tenderUpdate")
    return EVENT_TAGS[event.kind]


def tender_releases(tender, events=None):
    """Every release of one tender (loaded through `procurement.selectors.public.public_tenders`), oldest
    first; `events` narrows to some of its public events."""
    all_events = tender_public_events_cache(tender)
    release_ids = {event.key: release_id(tender, event.key) for event in all_events}
    chosen = all_events if events is None else [e for e in all_events if e in set(events)]
    return [release_for(tender, event, all_events, release_ids) for event in chosen]


def release_for(tender, event, all_events, release_ids):
    """The release of one public event: the tender's public record as of the event."""
    snapshot = _Snapshot(tender, all_events, event.at)
    parties = _parties(snapshot)
    buyer = next(p for p in parties if "buyer" in p["roles"])
    release = {
        "ocid": ocid_for(tender),
        "id": release_ids[event.key],
        "date": _iso(event.at),
        "tag": [_tag(event)],
        "initiationType": "tender",
        "language": "zh",
        "parties": parties,
        "buyer": _reference(buyer),
        "tender": _tender_block(snapshot, release_ids),
    }
    if snapshot.award is not None:
        release["awards"] = [_award_block(snapshot)]
    if snapshot.contract is not None and snapshot.award is not None:
        release["contracts"] = [_contract_block(snapshot, release_ids)]
    return release


# --- packages ---------------------------------------------------------------------------------------------


def parse_date_range(raw_from, raw_to):
    """(date_from, date_to) from ``YYYY-MM-DD`` strings (either may be empty); DomainError when a date is not
    one or the range is reversed."""
    parsed = []
    for name, raw in (("from", raw_from), ("to", raw_to)):
        raw = (raw or "").strip()
        try:
            day = parse_date(raw) if raw else None
        except ValueError:
            day = None
        if raw and day is None:
            raise DomainError(_("Give the date as YYYY-MM-DD."), code="invalid_date", field=name)
        parsed.append(day)
    if parsed[0] and parsed[1] and parsed[0] > parsed[1]:
        raise DomainError(_("The start date is after the end date."), code="invalid_range", field="from")
    return tuple(parsed)


def releases_for(*, park=None, date_from=None, date_to=None):
    """The releases of the public events of `park` (or of every active park) dated within the local dates
    `date_from` … `date_to` (inclusive), oldest first."""
    events = public_events(park=park, date_from=date_from, date_to=date_to)
    by_tender = {}
    for event in events:
        by_tender.setdefault(event.tender.pk, (event.tender, []))[1].append(event)
    releases = []
    for tender, tender_events in by_tender.values():
        releases.extend(tender_releases(tender, tender_events))
    releases.sort(key=lambda r: (r["date"], r["ocid"], r["id"]))
    return releases


def release_package(releases, *, uri, publisher_name=None):
    """A release package around `releases` (at least one: the schema requires it)."""
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": max(release["date"] for release in releases),
        "publisher": {"name": publisher_name or settings.OCDS_PUBLISHER_NAME},
        "releases": releases,
    }


# --- validation -------------------------------------------------------------------------------------------


def _load(name):
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def package_validator():
    """A draft-04 validator of release packages against the shipped schemas (the package schema's remote
    reference to the release schema resolves to the local copy: nothing is fetched)."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    release_schema = _load("release-schema.json")
    registry = Registry().with_resource(
        RELEASE_SCHEMA_URI, Resource.from_contents(release_schema, default_specification=DRAFT4)
    )
    return Draft4Validator(
        _load("release-package-schema.json"), registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def validation_errors(package):
    """The schema errors of a release package, as readable strings (empty when valid)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(package_validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    ]


def codelist(name):
    """The codes of one shipped codelist (``method``, ``releaseTag`` …)."""
    import csv

    with (SCHEMA_DIR / "codelists" / f"{name}.csv").open(encoding="utf-8") as handle:
        return [row["Code"] for row in csv.DictReader(handle)]

"""Public pages of procurement transparency (no sign-in): the notices board of every park's procurement
(采购信息公告栏), the open-data page and the OCDS release packages as JSON files.

The board and the export read the same public events (`procurement.selectors.public`): tender
announcements, single-source justifications, change notices, failure and cancellation notices, award
publicity, contract publications and supplementary contracts — never a draft, never an award before its
announcement or a contract before its publication. Each notice links to the page of its stage (tender, award
publicity, contract) when that page exists.
"""

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.errors import DomainError
from parks.models import Park
from parks.selectors import public_parks
from procurement import ocds
from procurement.selectors.public import NOTICE_KINDS, public_events

PER_PAGE = 25

NOTICE_LABELS = {
    "justification": gettext_lazy("Single-source justification"),
    "tender": gettext_lazy("Tender announcement"),
    "change": gettext_lazy("Change notice"),
    "failure": gettext_lazy("Failure notice"),
    "cancellation": gettext_lazy("Cancellation notice"),
    "award": gettext_lazy("Award publicity"),
    "contract": gettext_lazy("Contract publication"),
    "amendment": gettext_lazy("Supplementary contract"),
}


def notice_url(event):
    """The page a notice links to (None while that stage's page does not exist)."""
    if event.kind == "award":
        return ocds.award_page_url(event.tender)
    if event.kind == "contract":
        return ocds.contract_page_url(event.record)
    if event.kind == "amendment":
        return ocds.contract_page_url(event.record.contract)
    return ocds.tender_page_url(event.tender)


def notice_label(event):
    if event.kind == "change" and event.record is not None:
        return event.record.get_kind_display()
    return NOTICE_LABELS[event.kind]


def notice_rows(events):
    return [
        {
            "event": event,
            "kind": event.kind,
            "label": notice_label(event),
            "at": event.at,
            "tender": event.tender,
            "park": event.tender.park,
            "url": notice_url(event),
        }
        for event in events
    ]


def _active_park(code):
    park = Park.objects.filter(code__iexact=code, is_active=True).first()
    if park is None:
        raise Http404(_("No such park."))
    return park


@require_safe
def notices(request):
    """Anyone: the public notices of procurement, newest first, by park (``?park=<code>``) and kind."""
    parks = list(public_parks())
    code = request.GET.get("park", "")
    park = next((p for p in parks if p.code.lower() == code.lower()), None) if code else None
    kind = request.GET.get("kind", "")
    kinds = {kind} if kind in NOTICE_KINDS else set(NOTICE_KINDS)
    events = public_events(park=park, kinds=kinds, newest_first=True)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "parks": parks,
        "park": park,
        "kind": kind if kind in NOTICE_KINDS else "",
        "kinds": [(k, NOTICE_LABELS[k]) for k in NOTICE_KINDS],
        "page": page,
        "rows": notice_rows(page.object_list),
        "query": query.urlencode(),
    }
    return render(request, "procurement/public/notices.html", context)


@require_safe
def open_data(request):
    """Anyone: what the OCDS export is and the download link of each park's release package."""
    return render(
        request,
        "procurement/public/open_data.html",
        {"parks": list(public_parks()), "today": timezone.localdate(), "ocid_prefix": ocds.ocid_prefix()},
    )


@require_safe
def park_package(request, code):
    """Anyone: the OCDS release package of one park (``?from=YYYY-MM-DD&to=YYYY-MM-DD`` narrows the dates);
    404 when the park has no public release in that range (a package needs at least one)."""
    park = _active_park(code)
    try:
        date_from, date_to = ocds.parse_date_range(request.GET.get("from"), request.GET.get("to"))
    except DomainError as error:
        return JsonResponse({"detail": str(error.message), "code": error.code}, status=400)
    releases = ocds.releases_for(park=park, date_from=date_from, date_to=date_to)
    if not releases:
        return JsonResponse({"detail": _("No public procurement release in this range.")}, status=404)
    package = ocds.release_package(releases, uri=request.build_absolute_uri())
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="ocds-{park.code}.json"'
    return response

"""The auditors' dossier of one tender (核查档案): every stage's records read-only with the audit trail of the
tender and its records, and its Excel export. No form, no action: nothing on these pages changes anything.

Reads go through `procurement.selectors.dossier` (who may read it, what waits for which stage); a tender
outside the user's scope is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.errors import DomainError
from procurement.exports_dossier import dossier_workbook
from procurement.ocds import award_page_url, contract_page_url, tender_page_url
from procurement.selectors.dossier import dossier_sections, dossier_tender_for, dossier_trail
from procurement.selectors.public import related_or_none

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tender(request, pk):
    try:
        return dossier_tender_for(request.user, pk)
    except DomainError as error:
        raise Http404(str(error.message)) from None


@login_required
@require_safe
def dossier(request, pk):
    """The tender's file: sections in stage order, then the trail."""
    tender = _tender(request, pk)
    contract = related_or_none(tender, "contract")
    context = {
        "tender": tender,
        "sections": dossier_sections(tender),
        "trail": dossier_trail(tender, request.user),
        "tender_url": tender_page_url(tender),
        "award_url": award_page_url(tender) if related_or_none(tender, "award") else None,
        "contract_url": contract_page_url(contract) if contract else None,
    }
    return render(request, "procurement/public/dossier.html", context)


@login_required
@require_safe
def dossier_export(request, pk):
    """The same file as an Excel workbook."""
    tender = _tender(request, pk)
    content = dossier_workbook(tender, dossier_sections(tender), dossier_trail(tender, request.user))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dossier-{tender.number}.xlsx"'
    return response

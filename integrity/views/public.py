"""Public pages (no sign-in): the integrity index of each park, the pledge board (公开栏), the conduct lists
(正负清单) and the pledge texts."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.choices import ENTERPRISE_SIGNER_KINDS, PERSONAL_SIGNER_KINDS, Audience
from integrity.models import PledgeTemplate
from integrity.selectors.access import can_manage_integrity
from integrity.selectors.conduct import (
    conduct_list_version,
    conduct_list_versions,
    current_conduct_lists,
    grouped_items,
)
from integrity.selectors.pledges import current_templates, pledge_board, pledge_coverage
from integrity.views.common import paginate
from parks.models import Park
from parks.selectors import public_parks


def _park(code):
    park = Park.objects.filter(code__iexact=code, is_active=True).first()
    if park is None:
        raise Http404(_("No such park."))
    return park


def index(request):
    """Anyone: each park's pledge board and conduct lists; links to the management pages for those who
    publish them."""
    parks = list(public_parks())
    manageable = [park for park in parks if request.user.is_authenticated and can_manage_integrity(request.user, park)]
    return render(request, "integrity/index.html", {"parks": parks, "manageable": manageable})


def pledge_board_view(request, code):
    """Anyone: the park's public pledge board — who signed (officials' names and posts, enterprises'
    names), when, and whether the pledge is still valid; each signer's latest pledge only."""
    park = _park(code)
    side = request.GET.get("side", "")
    kinds = {"officials": PERSONAL_SIGNER_KINDS, "enterprises": ENTERPRISE_SIGNER_KINDS}.get(side)
    page, query = paginate(request, pledge_board(park, kinds=kinds), per_page=50)
    return render(
        request,
        "integrity/pledge_board.html",
        {
            "park": park,
            "page": page,
            "query": query,
            "side": side,
            "now": timezone.now(),
            "coverage": pledge_coverage(park),
            "templates": current_templates(park),
        },
    )


def conduct_lists_view(request, code):
    """Anyone: the park's conduct lists in force (or an earlier version with ?audience=…&version=…), grouped
    into prohibitions, norms and permissions, with the list of versions."""
    park = _park(code)
    audience, version = request.GET.get("audience"), request.GET.get("version")
    if audience in Audience.values and (version or "").isdigit():
        chosen = conduct_list_version(park, audience, int(version))
        if chosen is None:
            raise Http404(_("No such version."))
        lists = [chosen]
    else:
        lists = current_conduct_lists(park)
    return render(
        request,
        "integrity/conduct_lists.html",
        {
            "park": park,
            "lists": [(conduct_list, grouped_items(conduct_list)) for conduct_list in lists],
            "versions": conduct_list_versions(park),
            "showing_old": bool(lists) and not lists[0].is_current,
        },
    )


def template_detail(request, pk):
    """Anyone: one version of a pledge text with the conduct items it cites and its SHA-256, so a signer
    or a visitor of the board can check what was signed."""
    template = get_object_or_404(PledgeTemplate.objects.select_related("park").filter(park__is_active=True), pk=pk)
    items = list(template.cited_items.select_related("conduct_list").order_by("conduct_list_id", "order"))
    return render(
        request,
        "integrity/template_detail.html",
        {"template": template, "items": items, "sha256": template.document_sha256(items)},
    )

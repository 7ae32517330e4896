"""The signed-in user's pledges: what they may sign, signing, and what they signed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from integrity.models import PledgeTemplate
from integrity.selectors.pledges import own_pledges, pledges_for, renewal_opens, signable_for
from integrity.services.pledges import pledge_sign
from integrity.views.common import paginate, report_error
from parks.models import Enterprise


@login_required
def my_pledges(request):
    """Officials and enterprise users: the pledge texts in force they may sign (with their current
    signature, if any) and every pledge they signed."""
    now = timezone.now()
    mine = list(own_pledges(request.user))
    latest = {}
    for pledge in mine:
        key = (pledge.template.park_id, pledge.signer_kind, pledge.enterprise_id)
        latest.setdefault(key, pledge)
    signable = []
    for entry in signable_for(request.user):
        template = entry.template
        key = (template.park_id, template.signer_kind, getattr(entry.enterprise, "pk", None))
        items = list(template.cited_items.all())
        current = latest.get(key)
        renew_from = renewal_opens(current) if current is not None and current.template_id == template.pk else None
        signable.append(
            {
                "template": template,
                "enterprise": entry.enterprise,
                "items": items,
                "sha256": template.document_sha256(items),
                "current": current,
                # Signing the same version again is open only in the renewal window before expiry.
                "renew_from": renew_from if renew_from is not None and renew_from > now else None,
            }
        )
    if not signable and not mine:
        raise Http404(_("There is no pledge for you to sign."))
    page, query = paginate(request, mine)
    return render(
        request, "integrity/my_pledges.html", {"signable": signable, "page": page, "query": query, "now": now}
    )


@login_required
@require_POST
def sign(request, template_id):
    """POST: sign the pledge text `template_id` (for the enterprise given, when it is an enterprise's)."""
    template = get_object_or_404(PledgeTemplate, pk=template_id)
    enterprise = None
    if request.POST.get("enterprise"):
        enterprise = Enterprise.objects.filter(pk=request.POST["enterprise"]).first()
        if enterprise is None:
            raise Http404
    if not request.POST.get("agree"):
        messages.error(request, _("Tick the box to confirm that you have read the pledge and agree to it."))
        return redirect("integrity:my-pledges")
    try:
        pledge = pledge_sign(
            template=template,
            actor=request.user,
            enterprise=enterprise,
            expected_sha256=request.POST.get("sha256") or None,
        )
    except DomainError as error:
        report_error(request, error)
        return redirect("integrity:my-pledges")
    messages.success(
        request,
        _("You signed “%(title)s”. It is valid until %(date)s.")
        % {"title": template.title, "date": timezone.localtime(pledge.expires_at).date()},
    )
    return redirect("integrity:pledge-detail", pk=pledge.pk)


@login_required
def pledge_detail(request, pk):
    """A signature the user may see: the version, the hash and the document it certifies."""
    pledge = get_object_or_404(pledges_for(request.user), pk=pk)
    template = pledge.template
    items = list(template.cited_items.order_by("conduct_list_id", "order"))
    return render(
        request,
        "integrity/pledge_detail.html",
        {
            "pledge": pledge,
            "template": template,
            "items": items,
            "document_matches": template.document_sha256(items) == pledge.text_sha256,
            "now": timezone.now(),
        },
    )

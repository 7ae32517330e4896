"""Publishing pledge texts and conduct lists (the park's administrators and discipline officers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from integrity.choices import Audience, SignerKind
from integrity.forms import ConductListForm, PledgeTemplateForm
from integrity.models import PledgeTemplate
from integrity.selectors.access import can_manage_integrity
from integrity.selectors.conduct import citable_items, current_conduct_lists
from integrity.selectors.pledges import current_templates
from integrity.services.conduct import conduct_list_publish
from integrity.services.pledges import pledge_template_publish
from integrity.views.public import _park
from parks.selectors import public_parks


def _manageable_park(request, code):
    park = _park(code)
    if not can_manage_integrity(request.user, park):
        raise Http404
    return park


@login_required
def manage(request):
    """The texts and lists in force of each park the user may publish for, with links to publish a new
    version."""
    parks = [park for park in public_parks() if can_manage_integrity(request.user, park)]
    if not parks:
        raise Http404
    rows = []
    for park in parks:
        templates = {t.signer_kind: t for t in current_templates(park)}
        lists = {c.audience: c for c in current_conduct_lists(park)}
        rows.append(
            {
                "park": park,
                "templates": [(kind, label, templates.get(kind)) for kind, label in SignerKind.choices],
                "lists": [(audience, label, lists.get(audience)) for audience, label in Audience.choices],
            }
        )
    return render(request, "integrity/manage.html", {"rows": rows})


@login_required
def template_publish(request, code):
    """Publish a new version of a pledge text; the form starts from the version in force."""
    park = _manageable_park(request, code)
    kind = request.GET.get("kind") or request.POST.get("signer_kind") or SignerKind.OFFICIAL
    if kind not in SignerKind.values:
        raise Http404
    current = PledgeTemplate.objects.filter(park=park, signer_kind=kind, superseded_at__isnull=True).first()
    initial = {"signer_kind": kind}
    if current is not None:
        initial.update(
            title=current.title,
            text=current.text,
            term_days=current.term_days,
            cited_items=list(current.cited_items.values_list("pk", flat=True)),
        )
    form = PledgeTemplateForm(request.POST or None, initial=initial, items=citable_items(park))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = pledge_template_publish(
                park=park,
                signer_kind=data["signer_kind"],
                title=data["title"],
                text=data["text"],
                term_days=data["term_days"],
                cited_items=data["cited_items"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Version %(version)d is published; earlier signatures stay valid until they expire.")
                % {"version": template.version},
            )
            return redirect("integrity:manage")
    return render(request, "integrity/template_form.html", {"park": park, "form": form, "current": current})


@login_required
def conduct_publish(request, code):
    """Publish a new version of a conduct list; the form starts from the version in force."""
    park = _manageable_park(request, code)
    audience = request.GET.get("audience") or request.POST.get("audience") or Audience.OFFICIALS
    if audience not in Audience.values:
        raise Http404
    current = next((c for c in current_conduct_lists(park) if c.audience == audience), None)
    initial = {"audience": audience}
    if current is not None:
        initial.update(title=current.title, introduction=current.introduction)
        for item in current.items.all():
            initial[item.kind] = (initial.get(item.kind, "") + "\n" + item.text).strip()
    form = ConductListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            conduct_list = conduct_list_publish(
                park=park,
                audience=form.cleaned_data["audience"],
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
                items=form.items(),
                actor=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Version %(version)d is published.") % {"version": conduct_list.version})
            return redirect("integrity:conduct-lists", code=park.code)
    return render(request, "integrity/conduct_form.html", {"park": park, "form": form, "current": current})

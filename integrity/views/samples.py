"""Random verification samples: drawing one, and recording the outcome of each drawn declaration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from integrity.forms import DrawSampleForm, VerifyItemForm
from integrity.models import SampleItem
from integrity.selectors.declarations import sample_items, samples_for
from integrity.selectors.settings import settings_for
from integrity.services.samples import sample_item_verify, verification_sample_draw
from integrity.views.common import discipline_parks_or_404, paginate, report_error


@login_required
def samples(request):
    """Discipline officers: the samples drawn in their parks, and the form to draw one."""
    parks = discipline_parks_or_404(request.user)
    form = DrawSampleForm(request.POST or None, parks=parks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = verification_sample_draw(
                park=data["park"],
                actor=request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
                kinds=data["kinds"],
                percent=data["percent"],
                note=data["note"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(count)d declarations were drawn.") % {"count": sample.items.count()})
            return redirect("integrity:sample-detail", pk=sample.pk)
    page, query = paginate(request, samples_for(request.user))
    defaults = settings_for(parks[0]) if len(parks) == 1 else None
    return render(request, "integrity/samples.html", {"page": page, "query": query, "form": form, "defaults": defaults})


@login_required
def sample_detail(request, pk):
    """Discipline officers: a sample's seed, population and drawn declarations with their outcomes."""
    sample = get_object_or_404(samples_for(request.user), pk=pk)
    return render(
        request,
        "integrity/sample_detail.html",
        {"sample": sample, "items": sample_items(sample), "verify_form": VerifyItemForm()},
    )


@login_required
@require_POST
def sample_item_verify_view(request, pk):
    item = get_object_or_404(SampleItem.objects.filter(sample__in=samples_for(request.user)), pk=pk)
    form = VerifyItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome."))
    else:
        try:
            sample_item_verify(
                item=item, actor=request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
        except DomainError as error:
            report_error(request, error)
        else:
            messages.success(request, _("The outcome was recorded."))
    return redirect("integrity:sample-detail", pk=item.sample_id)

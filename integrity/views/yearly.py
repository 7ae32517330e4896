"""The yearly declaration round: officials file their return (nil included); discipline officers open a
round and follow its completion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from integrity.forms import OpenRoundForm, YearlyReturnForm
from integrity.selectors.access import official_parks
from integrity.selectors.declarations import (
    own_yearly_returns,
    round_completion,
    yearly_returns_for,
    yearly_rounds_for,
)
from integrity.services.yearly import yearly_return_file, yearly_round_open
from integrity.views.common import discipline_parks_or_404, paginate, report_error


@login_required
def my_yearly_returns(request):
    """Officials: their yearly returns, the pending ones with the form to file (or file a nil return)."""
    if not official_parks(request.user):
        raise Http404
    return render(
        request,
        "integrity/my_yearly_returns.html",
        {"returns": own_yearly_returns(request.user), "form": YearlyReturnForm()},
    )


@login_required
@require_POST
def yearly_return_file_view(request, pk):
    row = get_object_or_404(yearly_returns_for(request.user), pk=pk, declarant=request.user)
    form = YearlyReturnForm(request.POST)
    if form.is_valid():
        try:
            yearly_return_file(
                yearly_return=row,
                actor=request.user,
                is_nil=form.cleaned_data["is_nil"],
                statement=form.cleaned_data["statement"],
            )
        except DomainError as error:
            report_error(request, error)
        else:
            messages.success(request, _("Your yearly return was filed."))
    return redirect("integrity:my-yearly-returns")


@login_required
def yearly_rounds(request):
    """Discipline officers: the rounds of their parks with the share filed and filed on time, and the form
    to open a round."""
    parks = discipline_parks_or_404(request.user)
    form = OpenRoundForm(request.POST or None, parks=parks)
    if request.method == "POST" and form.is_valid():
        try:
            yearly_round = yearly_round_open(
                park=form.cleaned_data["park"], year=form.cleaned_data["year"], actor=request.user
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The round is open; the officials were notified."))
            return redirect("integrity:yearly-round-detail", pk=yearly_round.pk)
    page, query = paginate(request, yearly_rounds_for(request.user))
    return render(request, "integrity/yearly_rounds.html", {"page": page, "query": query, "form": form})


@login_required
def yearly_round_detail(request, pk):
    """Discipline officers: one round's completion — who filed, when, nil or not, late or not."""
    yearly_round = get_object_or_404(yearly_rounds_for(request.user), pk=pk)
    returns = (
        yearly_returns_for(request.user)
        .filter(round=yearly_round)
        .select_related("declarant__staff_profile__department")
        .order_by("status", "declarant__username")
    )
    page, query = paginate(request, returns, per_page=50)
    return render(
        request,
        "integrity/yearly_round_detail.html",
        {"round": yearly_round, "completion": round_completion(yearly_round), "page": page, "query": query},
    )

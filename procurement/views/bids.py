"""Pages of sealed bidding and opening: the sealed-bid form, receipts, my bids, the published commitments, the
opening page (co-signed by a discipline officer), the opening record (开标记录) and "My opening key".

None of these pages ever shows a bid's ciphertext or wrapped key; before opening there is no plaintext to show.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from procurement import sealing
from procurement.choices import PUBLIC_TENDER_STATUSES, SupplierStatus, TenderStatus
from procurement.filters_bids import BidFilterSet
from procurement.forms_bids import (
    OfficerKeyForm,
    OfficerKeyRecoverForm,
    OfficerKeyReplaceForm,
    OpeningForm,
    SealedBidForm,
)
from procurement.models import Bid, Supplier, Tender
from procurement.selectors import bids as selectors
from procurement.selectors.access import can_read_procurement_files, supplier_enterprise_ids
from procurement.services.bids import bid_submit, bid_withdraw
from procurement.services.keys import (
    officer_key_change_password,
    officer_key_ensure,
    officer_key_recover,
    officer_key_replace,
    officer_key_status,
)
from procurement.services.opening import tender_open


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


def _bidding_suppliers(user, tender):
    return Supplier.objects.filter(
        enterprise_id__in=supplier_enterprise_ids(user), park=tender.park, status=SupplierStatus.APPROVED
    ).select_related("enterprise")


@login_required
def bid_form(request, pk):
    """GET: the sealed-bid form of an open tender (price, note and files are encrypted in the browser). POST: the
    sealed fields only."""
    tender = get_object_or_404(Tender.objects.select_related("park"), pk=pk, status__in=PUBLIC_TENDER_STATUSES)
    queryset = _bidding_suppliers(request.user, tender)
    suppliers = list(queryset)
    if not suppliers:
        raise Http404(_("You do not act for an approved supplier of this park."))
    form = SealedBidForm(request.POST or None, request.FILES or None, suppliers=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            bid = bid_submit(
                tender=tender,
                supplier=form.cleaned_data["supplier"],
                actor=request.user,
                ciphertext=form.cleaned_data["ciphertext"],
                wrapped_key=form.cleaned_data["wrapped_key"],
                iv=form.cleaned_data["iv"],
                commitment=form.cleaned_data["commitment"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your sealed bid was received. Keep the receipt."))
            return redirect("procurement:bid-receipt", bid.pk)
    live = {s.pk: selectors.live_bid_of(tender, s) for s in suppliers}
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "procurement/bids/bid_form.html",
        {
            "tender": tender,
            "form": form,
            "suppliers": suppliers,
            "live": [bid for bid in live.values() if bid],
            "open_for_bids": tender.status == TenderStatus.PUBLISHED and timezone.now() < tender.bid_deadline,
            "max_mb": sealing.MAX_PLAINTEXT_BYTES // (1024 * 1024),
            "max_bytes": sealing.MAX_PLAINTEXT_BYTES,
        },
        status=status,
    )


def _own_bid_or_404(user, pk):
    bid = get_object_or_404(Bid.objects.select_related("tender", "tender__park", "supplier__enterprise"), pk=pk)
    if not selectors.can_bid_for(user, bid.supplier):
        raise Http404
    return bid


@login_required
def bid_receipt(request, pk):
    """The bidder's receipt: receipt code, commitment, SHA-256 of the ciphertext, time."""
    bid = _own_bid_or_404(request.user, pk)
    return render(request, "procurement/bids/receipt.html", {"bid": bid, "tender": bid.tender})


@login_required
@require_POST
def withdraw(request, pk):
    bid = _own_bid_or_404(request.user, pk)
    try:
        bid_withdraw(bid=bid, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your bid was withdrawn. It will never be opened."))
    return redirect("procurement:my-bids")


@login_required
def my_bids(request):
    """Every bid of the suppliers the user acts for, with receipts and (after opening) the opening record."""
    if not supplier_enterprise_ids(request.user):
        raise Http404
    filterset = BidFilterSet(request.GET, queryset=selectors.supplier_bids_for(request.user))
    return render(request, "procurement/bids/my_bids.html", {"bids": filterset.qs, "now": timezone.now()})


def commitments(request, pk):
    """Public: the commitments (and receipt codes) of the sealed bids, published at the deadline."""
    tender = get_object_or_404(Tender.objects.select_related("park"), pk=pk, status__in=PUBLIC_TENDER_STATUSES)
    return render(
        request,
        "procurement/bids/commitments.html",
        {"tender": tender, "commitments": selectors.published_commitments(tender)},
    )


@login_required
def opening(request, pk):
    """The opening page: the procurement officer opens, a discipline officer co-signs with their password."""
    tender = get_object_or_404(Tender.objects.select_related("park"), pk=pk)
    if not selectors.can_open(request.user, tender):
        raise Http404
    officers = selectors.cosigning_officers(tender).exclude(pk=request.user.pk)
    form = OpeningForm(request.POST or None, officers=officers)
    if request.method == "POST" and form.is_valid():
        try:
            tender_open(
                tender=tender,
                actor=request.user,
                officer=form.cleaned_data["officer"],
                officer_password=form.cleaned_data["officer_password"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            tender.refresh_from_db()
            if tender.status == TenderStatus.FAILED:
                messages.warning(
                    request,
                    _("The bids were opened; the tender failed: %(reason)s") % {"reason": tender.failure_reason},
                )
            else:
                messages.success(request, _("The bids were opened."))
            return redirect("procurement:opening-record", tender.pk)
    return render(
        request,
        "procurement/bids/open.html",
        {
            "tender": tender,
            "form": form,
            "sealed_count": tender.bids.filter(status="sealed").count(),
            "can_open_now": tender.status == TenderStatus.CLOSED,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def opening_record(request, pk):
    """开标记录: supplier names, prices and commitment checks, for the tender's bidders and officials."""
    tender = get_object_or_404(Tender.objects.select_related("park", "opening_cosigned_by"), pk=pk)
    if not selectors.can_see_opening_record(request.user, tender):
        raise Http404
    return render(
        request,
        "procurement/bids/opening_record.html",
        {
            "tender": tender,
            "bids": selectors.opening_record(tender),
            "official": can_read_procurement_files(request.user, tender.park),
        },
    )


@login_required
def officer_key(request):
    """My opening key: set it up (or check it) with the password; recover or replace a locked one."""
    if not selectors.officer_park_ids(request.user):
        raise Http404
    key = selectors.officer_key_of(request.user)
    forms = {
        "ensure": OfficerKeyForm(prefix="ensure"),
        "recover": OfficerKeyRecoverForm(prefix="recover"),
        "replace": OfficerKeyReplaceForm(prefix="replace"),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in forms:
            raise Http404
        form = forms[action] = type(forms[action])(request.POST, prefix=action)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "ensure":
                    officer_key_ensure(user=request.user, password=data["password"])
                    messages.success(request, _("Your opening key is set up and unlocks with your password."))
                elif action == "recover":
                    officer_key_recover(
                        user=request.user, previous_password=data["previous_password"], password=data["password"]
                    )
                    messages.success(request, _("Your opening key now unlocks with your current password."))
                else:
                    officer_key_replace(user=request.user, password=data["password"])
                    messages.warning(request, _("Your opening key was replaced. New tenders will use it."))
            except DomainError as error:
                _form_error(form, error)
                if error.code == "key_locked":
                    messages.warning(request, str(error.message))
            else:
                return redirect("procurement:officer-key")
    return render(
        request,
        "procurement/bids/officer_key.html",
        {
            "key": key,
            "shares": selectors.officer_key_shares(request.user)[:50] if key else [],
            "forms": forms,
            "orphans": selectors.tenders_without_share().filter(park_id__in=selectors.officer_park_ids(request.user)),
        },
        status=400 if request.method == "POST" else 200,
    )


def officer_key_after_login(request, user, password):
    """Called by accounts' login view with the password just checked: a discipline officer's opening key is set
    up at their first sign-in, and they are warned when it no longer unlocks (password reset elsewhere). Never
    blocks the sign-in."""
    if not selectors.officer_park_ids(user):
        return
    if officer_key_status(user=user, password=password) == "locked":
        messages.warning(
            request,
            _("Your opening key does not unlock with your current password. Open “My opening key” to fix it."),
        )
        return
    try:
        officer_key_ensure(user=user, password=password)
    except DomainError:  # never block the sign-in; the page explains
        return


def officer_key_after_password_change(request, user, old_password, new_password):
    """Called by accounts' password-change view after the new password is saved: re-encrypt the opening key under
    it. A key that did not unlock with the old password either (already locked) is left alone, with a warning."""
    try:
        officer_key_change_password(user=user, old_password=old_password, new_password=new_password)
    except DomainError:
        messages.warning(
            request,
            _("Your opening key did not unlock with your old password. Open “My opening key” to fix it."),
        )

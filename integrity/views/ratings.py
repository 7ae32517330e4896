"""Pages of the service rating cards (监督提醒卡): the public rating page a card's QR code opens (no login), the
official's "my card" page with their averages and downloads, and the discipline office's overview of every
official's averages and individual ratings.

Reads go through `integrity.selectors.ratings`, changes through `integrity.services.ratings` (POST only).
The rating page is rate-limited per client address (`integrity.ratelimit_ratings`); an anonymous rater's
browser is recognised by a random id in a signed cookie, of which only an HMAC is stored.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from complaints.services import format_receipt_code
from complaints.views.common import private
from core.errors import DomainError
from core.roles import AUDITOR, OFFICIAL_ROLES, PLATFORM_ADMIN, has_role
from core.scoping import ALL, enterprise_ids_for
from integrity import ratelimit_ratings
from integrity.cards import card_facts, card_pdf, card_png
from integrity.filters_ratings import ServiceRatingFilterSet
from integrity.forms_ratings import CardRevokeForm, ServiceRatingForm
from integrity.selectors import ratings as selectors
from integrity.services import ratings as services
from integrity.views.common import filtered, paginate, style_filter_form
from parks.models import Enterprise, Park

BROWSER_COOKIE = "rating_browser"
BROWSER_COOKIE_SALT = "integrity.rating-browser"
BROWSER_COOKIE_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie


# --- the public rating page -----------------------------------------------------------------------------


def _browser_id(request):
    """The browser's random id from its signed cookie, or None (absent or tampered with)."""
    try:
        value = request.get_signed_cookie(BROWSER_COOKIE, salt=BROWSER_COOKIE_SALT)
    except (KeyError, signing.BadSignature):
        return None
    return value if 0 < len(value) <= services.BROWSER_ID_MAX else None


def _keep_browser_id(request, response, browser_id):
    if _browser_id(request) != browser_id:
        response.set_signed_cookie(
            BROWSER_COOKIE,
            browser_id,
            salt=BROWSER_COOKIE_SALT,
            max_age=BROWSER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        )
    return response


def _rater_enterprises(user, park):
    ids = enterprise_ids_for(user)
    if not ids:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(pk__in=ids, park=park).order_by("name")


def _refusal(user, card):
    """Why a signed-in user may not rate this card (None when they may)."""
    if not user.is_authenticated:
        return None
    if user.pk == card.official_id:
        return _("This is your own card: you cannot rate yourself.")
    if has_role(user, PLATFORM_ADMIN, AUDITOR, *OFFICIAL_ROLES):
        return _("Officials and auditors do not rate: the cards are for the people the park serves.")
    return None


def rate(request, token):
    """Anyone, no login: rate the official of a card (attitude, efficiency, integrity, comment) and, in the same
    step, report an improper demand in confidence. Signed-in enterprise users rate as their enterprise."""
    card = selectors.card_for_token(token)
    if card is None:
        return private(render(request, "integrity/ratings/card_invalid.html", status=404))
    # Set on the first visit; a POST without it (cookies blocked, a script) is refused by the service.
    cookie_id = _browser_id(request)
    browser_id = cookie_id or secrets.token_urlsafe(24)
    enterprises = _rater_enterprises(request.user, card.park)
    refusal = _refusal(request.user, card)
    form = ServiceRatingForm(
        request.POST or None,
        enterprises=enterprises,
        signed_in_enterprise=bool(enterprises) and refusal is None,
    )
    status = 200
    if request.method == "POST" and refusal is None:
        if ratelimit_ratings.is_blocked(request):
            form.add_error(None, _("Too many ratings from your network in the last hour. Please try again later."))
            status = 429
        else:
            ratelimit_ratings.record_attempt(request)
            if form.is_valid():
                try:
                    submission = services.service_rating_submit(
                        card=card,
                        actor=request.user if request.user.is_authenticated else None,
                        browser_id=cookie_id or "",
                        **form.service_kwargs(),
                    )
                except DomainError as error:
                    form.add_service_error(error)
                else:
                    # The receipt code is shown once, in this response only: in no session, log or redirect.
                    context = {
                        "facts": card_facts(card),
                        "rating": submission.rating,
                        "ticket": submission.ticket,
                        "receipt_code": format_receipt_code(submission.receipt_code)
                        if submission.receipt_code
                        else None,
                    }
                    response = render(request, "integrity/ratings/rate_done.html", context)
                    return private(_keep_browser_id(request, response, browser_id))
    context = {
        "card": card,
        "facts": card_facts(card),
        "form": form,
        "refusal": refusal,
        "can_report": selectors.misconduct_category(card.park) is not None,
        "as_enterprise": enterprises[0] if len(enterprises) == 1 else None,
    }
    response = render(request, "integrity/ratings/rate.html", context, status=status)
    return private(_keep_browser_id(request, response, browser_id))


# --- the official's own card ------------------------------------------------------------------------------


def _require_official(user):
    if not has_role(user, *OFFICIAL_ROLES):
        raise Http404


@login_required
def my_card(request):
    """An official: their card in each of their parks (preview, PDF and PNG, replace), and their own averages
    per dimension with a 12-month trend. Never the individual ratings."""
    _require_official(request.user)
    today = timezone.localdate()
    cards = [
        {"card": card, "facts": card_facts(card), "summary": selectors.my_summary(request.user, card.park, today=today)}
        for card in selectors.my_cards(request.user)
    ]
    context = {
        "cards": cards,
        "missing": selectors.parks_without_my_card(request.user),
        "revoke_form": CardRevokeForm(),
    }
    return render(request, "integrity/ratings/my_card.html", context)


@login_required
@require_POST
def my_card_issue(request):
    _require_official(request.user)
    park = get_object_or_404(Park, code=request.POST.get("park", ""), is_active=True)
    try:
        services.service_card_issue(park=park, official=request.user, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your card has been issued."))
    return redirect("integrity:my-card")


def _card_or_404(user, pk, *, valid=True):
    cards = selectors.card_list_for(user)
    if valid:
        cards = cards.filter(revoked_at__isnull=True)
    card = cards.filter(pk=pk).first()
    if card is None:
        raise Http404
    return card


@login_required
def card_download(request, pk, kind):
    """The card as a PDF or a PNG: the official, and the discipline office and administrators of the park."""
    card = _card_or_404(request.user, pk)
    if kind == "pdf":
        response = HttpResponse(card_pdf(card), content_type="application/pdf")
    else:
        response = HttpResponse(card_png(card), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="rating-card-{card.park.code}-{card.official_id}.{kind}"'
    return private(response)


def _back_to(request, card):
    return "integrity:my-card" if card.official_id == request.user.pk else "integrity:rating-overview"


@login_required
@require_POST
def card_reissue(request, pk):
    """Replace a card (the old QR code stops working)."""
    card = _card_or_404(request.user, pk)
    form = CardRevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.service_card_reissue(card=card, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("A new card has been issued; the old QR code no longer works."))
    return redirect(_back_to(request, card))


@login_required
@require_POST
def card_revoke(request, pk):
    """Revoke a card without replacing it (e.g. the official left the park)."""
    card = _card_or_404(request.user, pk)
    form = CardRevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.service_card_revoke(card=card, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The card has been revoked."))
    return redirect(_back_to(request, card))


# --- the discipline office's overview ------------------------------------------------------------------------


def _parks_where(ids):
    parks = Park.objects.filter(is_active=True).order_by("name")
    return parks if ids is ALL else parks.filter(pk__in=ids)


@login_required
def rating_overview(request):
    """Discipline officers, park administrators and auditors of a park (and platform administrators): every
    official's averages, worst first; the cards of the parks they manage, with downloads and the button that
    issues the missing ones."""
    average_ids = selectors.average_park_ids(request.user)
    if not average_ids:
        raise Http404
    parks = list(_parks_where(average_ids))
    park = next((p for p in parks if p.code == request.GET.get("park")), None)
    rows = selectors.official_averages_for(request.user, park=park)
    if average_ids is not ALL:
        rows = [row for row in rows if row["park_id"] in average_ids]
    manager_ids = selectors.card_manager_park_ids(request.user)
    cards = selectors.card_list_for(request.user).filter(revoked_at__isnull=True)
    cards = cards if manager_ids is ALL else cards.filter(park_id__in=manager_ids)
    if park is not None:
        cards = cards.filter(park=park)
    card_page, card_query = paginate(request, cards.order_by("park__name", "official__username"))
    context = {
        "parks": parks,
        "park": park,
        "rows": rows,
        "card_page": card_page,
        "card_query": card_query,
        "manager_parks": list(_parks_where(manager_ids)) if manager_ids else [],
        "can_read_details": bool(selectors.detail_park_ids(request.user)),
    }
    return render(request, "integrity/ratings/overview.html", context)


@login_required
def rating_list(request):
    """Discipline officers (and platform administrators): individual ratings with their comments, filtered."""
    if not selectors.detail_park_ids(request.user):
        raise Http404
    filterset = ServiceRatingFilterSet(
        request.GET or None, queryset=selectors.rating_list_for(request.user), request=request
    )
    style_filter_form(filterset.form)
    queryset = filtered(filterset)
    page, query = paginate(request, queryset)
    context = {
        "filterset": filterset,
        "page": page,
        "query": query,
        "averages": selectors.averages_of(queryset),
    }
    return render(request, "integrity/ratings/rating_list.html", context)


@login_required
@require_POST
def cards_issue_missing(request):
    park = get_object_or_404(Park, code=request.POST.get("park", ""), is_active=True)
    try:
        issued = services.service_cards_issue_missing(park=park, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        count = len(issued)
        messages.success(request, ngettext("%(n)d card issued.", "%(n)d cards issued.", count) % {"n": count})
    return redirect(f"{reverse('integrity:rating-overview')}?park={park.code}")

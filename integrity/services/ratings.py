"""State changes of the service rating cards (监督提醒卡): issuing and revoking an official's card, and rating an
official through it — with, when the rater ticks the box, a confidential report of an improper demand
(吃拿卡要) filed through `complaints.services.ticket_submit` in the same transaction.

Choices made where the issue is silent (see also `integrity.selectors.ratings` for who sees what):

- Cards go to the park's officials (park administrators, dispatchers, handlers, discipline officers with a
  staff profile in the park), one valid card per official and park. An official issues or replaces their own
  card; discipline officers and park administrators of the park do it for anyone, and can issue every missing
  card at once. Revoking makes the old QR code open nothing; re-issuing is revoke + issue in one step.
- Who may rate: anyone without an account, and enterprise users. An enterprise user with an enterprise in the
  card's park rates *as that enterprise* (once per official per enterprise per 30 days); a signed-in user
  without one rates like any visitor. Staff (officials, auditors, platform administrators) do not rate: the
  cards are for the people served, and colleagues rating one another would skew the figures.
- Anonymous raters are told apart only by a random browser id kept in a signed cookie; the table stores an
  HMAC of it keyed from SECRET_KEY and bound to the official and park (so two ratings of different officials
  from one browser cannot be linked). No IP address or user agent is stored. Clearing cookies resets it —
  the per-address rate limit in front of the page (`integrity.ratelimit_ratings`) bounds the abuse.
- A report of an improper demand is filed in the park's misconduct category (吃拿卡要), channel ``qr``, with
  the official as the accused: confidential, routed only to the discipline office, never to the official's
  department. The rating is saved whether the report is named or anonymous; a named report (an enterprise
  user who did not tick "anonymously") is linked to the rating, an anonymous one never is — the link would
  name the rating's enterprise. Visitors without an account always report anonymously and get the receipt
  code, as on the complaint form. Both are written in one transaction: a refused report saves no rating.
- A rating with any dimension at 2 or less notifies the park's discipline officers (not the official).
"""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from core.roles import AUDITOR, OFFICIAL_ROLES, PLATFORM_ADMIN, has_role
from core.scoping import enterprise_ids_for
from integrity.models import RaterKind, ServiceCard, ServiceRating
from integrity.selectors.ratings import (
    DIMENSIONS,
    LOW_SCORE,
    RATING_WINDOW_DAYS,
    can_manage_cards,
    card_holders,
    is_card_holder,
    low_rating_recipients,
    misconduct_category,
    previous_rating,
)

COMMENT_MAX = 1000
REPORT_MAX = 5000
REASON_MAX = 200
BROWSER_ID_MAX = 100


@dataclass(frozen=True)
class RatingSubmission:
    """What `service_rating_submit` returns: the rating, the report's ticket when one was filed, and for an
    anonymous report its receipt code (shown once, stored nowhere)."""

    rating: ServiceRating
    ticket: object = None
    receipt_code: str | None = None


def _name(user):
    return user.get_full_name() or user.get_username()


def new_card_token():
    """128 random bits, URL-safe: the only thing a card's QR code carries."""
    return secrets.token_urlsafe(16)


def browser_digest(*, browser_id, official_id, park_id):
    """HMAC of an anonymous rater's browser id, bound to one official and park."""
    key = hashlib.sha256(b"integrity.rating-browser:" + settings.SECRET_KEY.encode()).digest()
    message = f"{official_id}:{park_id}:{browser_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# --- cards ----------------------------------------------------------------------------------------------


def _may_handle_card(actor, *, park, official):
    return getattr(actor, "is_authenticated", False) and (actor.pk == official.pk or can_manage_cards(actor, park))


def _issue(*, park, official, actor, now):
    card = ServiceCard.objects.create(
        park=park, official=official, token=new_card_token(), issued_at=now, issued_by=actor
    )
    record_event(
        action="service_card.issued",
        target=card,
        actor=actor,
        park=park,
        data={"after": {"official": official.pk, "park": park.pk}},
        at=now,
    )
    return card


def service_card_issue(*, park, official, actor, now=None):
    """Issue `official`'s card in `park`. The official themself, or a discipline officer / park
    administrator of the park (platform administrators too). Refuses someone who is not an active official of
    the park, and a second valid card. Records ``service_card.issued``."""
    now = now or timezone.now()
    if not _may_handle_card(actor, park=park, official=official):
        raise PermissionDenied(_("Only the official or the park's discipline office and administrators issue cards."))
    if not is_card_holder(official, park):
        raise DomainError(_("Cards are issued to the park's officials only."), code="not_an_official", field="official")
    with transaction.atomic():
        # Serialise concurrent issues for one official; the partial unique constraint is the last word.
        get_user_model().objects.select_for_update().filter(pk=official.pk).first()
        if ServiceCard.objects.filter(park=park, official=official, revoked_at__isnull=True).exists():
            raise Conflict(_("This official already has a valid card in this park."), code="card_exists")
        return _issue(park=park, official=official, actor=actor, now=now)


def service_card_revoke(*, card, actor, reason="", now=None):
    """Revoke a card (lost, leaked, the official left): its QR code opens nothing afterwards; ratings given
    through it stay. The official or a discipline officer / park administrator of the park. Refuses a card
    already revoked. Records ``service_card.revoked``."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason is too long (200 characters at most)."), field="reason")
    if not _may_handle_card(actor, park=card.park, official=card.official):
        raise PermissionDenied(_("Only the official or the park's discipline office and administrators revoke cards."))
    with transaction.atomic():
        card = ServiceCard.objects.select_for_update().get(pk=card.pk)
        if card.revoked_at is not None:
            raise Conflict(_("This card has already been revoked."), code="card_revoked")
        card.revoked_at = now
        card.revoked_by = actor
        card.revoke_reason = reason
        card.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        record_event(
            action="service_card.revoked",
            target=card,
            actor=actor,
            park=card.park_id,
            data={"before": {"revoked": False}, "after": {"revoked": True, "reason": reason}},
            at=now,
        )
    return card


def service_card_reissue(*, card, actor, reason="", now=None):
    """Replace a card by a new one with a new token (the old QR code stops working), in one transaction.
    Same permissions as `service_card_revoke`; refuses when the official is no longer an official of the
    park (the old card is then only revoked, by `service_card_revoke`). Records ``service_card.revoked`` and
    ``service_card.issued``."""
    now = now or timezone.now()
    if not is_card_holder(card.official, card.park):
        raise DomainError(_("Cards are issued to the park's officials only."), code="not_an_official", field="official")
    with transaction.atomic():
        old = service_card_revoke(card=card, actor=actor, reason=reason, now=now)
        return _issue(park=old.park, official=old.official, actor=actor, now=now)


def service_cards_issue_missing(*, park, actor, now=None):
    """Issue a card to every official of the park who has none. Discipline officers and park administrators
    of the park, platform administrators. Returns the cards issued (none when all have one); records
    ``service_card.issued`` for each."""
    now = now or timezone.now()
    if not can_manage_cards(actor, park):
        raise PermissionDenied(_("Only the park's discipline office and administrators issue cards."))
    with transaction.atomic():
        have = set(
            ServiceCard.objects.select_for_update()
            .filter(park=park, revoked_at__isnull=True)
            .values_list("official_id", flat=True)
        )
        return [
            _issue(park=park, official=official, actor=actor, now=now)
            for official in card_holders(park)
            if official.pk not in have
        ]


# --- ratings --------------------------------------------------------------------------------------------


def _score(value, field):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or str(value).strip() != str(number) or not 1 <= number <= 5:
        raise DomainError(_("Choose a value from 1 to 5."), code="out_of_scale", field=field)
    return number


def _rater(*, actor, card, enterprise):
    """``(kind, enterprise)`` of whoever rates; refuses staff and the official themself."""
    signed_in = getattr(actor, "is_authenticated", False)
    if not signed_in:
        if enterprise is not None:
            raise PermissionDenied(_("Sign in to rate for an enterprise."))
        return RaterKind.ANONYMOUS, None
    if actor.pk == card.official_id:
        raise PermissionDenied(_("You cannot rate yourself."), code="own_card")
    if has_role(actor, PLATFORM_ADMIN, AUDITOR, *OFFICIAL_ROLES):
        raise PermissionDenied(
            _("Officials and auditors do not rate: the cards are for the people the park serves."), code="staff"
        )
    from parks.models import Enterprise

    mine = Enterprise.objects.filter(pk__in=enterprise_ids_for(actor), park_id=card.park_id)
    if enterprise is not None:
        if not mine.filter(pk=enterprise.pk).exists():
            raise PermissionDenied(_("You can rate only for your own enterprise in this park."), code="enterprise")
        return RaterKind.ENTERPRISE, enterprise
    mine = list(mine[:2])
    if len(mine) == 1:
        return RaterKind.ENTERPRISE, mine[0]
    if len(mine) > 1:
        raise DomainError(_("Choose the enterprise you rate for."), code="enterprise_required", field="enterprise")
    return RaterKind.ANONYMOUS, None


def _file_report(*, card, rating, text, actor, enterprise, anonymously, now):
    from complaints.choices import Channel
    from complaints.services import ticket_submit

    category = misconduct_category(card.park)
    if category is None:
        raise DomainError(
            _("This park takes no misconduct reports online yet; please call its discipline office."),
            code="no_misconduct_category",
            field="improper_demand",
        )
    name = _name(card.official)
    return ticket_submit(
        park=card.park,
        category=category,
        subject=_t("Improper demand (吃拿卡要) by %(name)s") % {"name": name},
        body=text,
        actor=None if anonymously else actor,
        channel=Channel.QR,
        enterprise=None if anonymously else enterprise,
        is_anonymous=anonymously,
        accused_official=card.official,
        place=_t("Service rating card of %(name)s") % {"name": name},
        now=now,
    )


def service_rating_submit(
    *,
    card,
    attitude,
    efficiency,
    integrity,
    comment="",
    actor=None,
    browser_id="",
    enterprise=None,
    improper_demand=False,
    improper_demand_text="",
    report_anonymously=False,
    now=None,
):
    """Rate the official of a valid `card` on attitude, efficiency and integrity (1–5), with an optional
    comment, and optionally report an improper demand. Returns a `RatingSubmission`.

    Who: anyone (``actor`` None or not signed in, identified by `browser_id` from a signed cookie) and
    enterprise users (as their enterprise of the card's park). Refuses: a revoked card, scores outside 1–5, a
    comment over 1,000 characters, a ticked report without text, the official rating themself, staff, an
    enterprise that is not the rater's, and a second rating of the same official by the same enterprise or
    browser within 30 days (nothing is saved). Records ``service_rating.submitted`` (actor kind anonymous for
    visitors); a report records the ticket's own events. Low ratings notify the discipline office.
    """
    now = now or timezone.now()
    scores = {
        "attitude": _score(attitude, "attitude"),
        "efficiency": _score(efficiency, "efficiency"),
        "integrity": _score(integrity, "integrity"),
    }
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(_("The comment is too long (1,000 characters at most)."), field="comment")
    report = (improper_demand_text or "").strip() if improper_demand else ""
    if improper_demand and not report:
        raise DomainError(
            _("Please describe the improper demand: what was asked, when and where."),
            code="required",
            field="improper_demand_text",
        )
    if len(report) > REPORT_MAX:
        raise DomainError(_("The report is too long (5,000 characters at most)."), field="improper_demand_text")
    kind, enterprise = _rater(actor=actor, card=card, enterprise=enterprise)
    digest = ""
    if kind == RaterKind.ANONYMOUS:
        browser_id = (browser_id or "").strip()
        if not browser_id or len(browser_id) > BROWSER_ID_MAX:
            raise DomainError(
                _("Your browser did not keep our cookie; allow cookies for this site and try again."),
                code="no_browser_id",
            )
        digest = browser_digest(browser_id=browser_id, official_id=card.official_id, park_id=card.park_id)
    # A visitor without an enterprise has no name to file under: their report is anonymous.
    anonymously = bool(report_anonymously) or kind == RaterKind.ANONYMOUS

    with transaction.atomic():
        card = ServiceCard.objects.select_for_update().select_related("park", "official").get(pk=card.pk)
        if card.revoked_at is not None:
            raise Conflict(_("This card is no longer valid."), code="card_revoked")
        earlier = previous_rating(card=card, enterprise=enterprise, browser_digest=digest, now=now)
        if earlier is not None:
            again = timezone.localdate(earlier.created_at + dt.timedelta(days=RATING_WINDOW_DAYS))
            raise Conflict(
                _("You have already rated this official in the last 30 days. You can rate again from %(date)s.")
                % {"date": formats.date_format(again, "SHORT_DATE_FORMAT")},
                code="already_rated",
            )
        rating = ServiceRating(
            park=card.park,
            official=card.official,
            card=card,
            created_at=now,
            comment=comment,
            rater_kind=kind,
            enterprise=enterprise,
            rated_by=actor if kind == RaterKind.ENTERPRISE else None,
            browser_digest=digest,
            is_low=min(scores.values()) <= LOW_SCORE,
            **scores,
        )
        submission = None
        if report:
            submission = _file_report(
                card=card,
                rating=rating,
                text=report,
                actor=actor,
                enterprise=enterprise,
                anonymously=anonymously,
                now=now,
            )
            if not anonymously:
                rating.ticket = submission.ticket
        rating.save()
        record_event(
            action="service_rating.submitted",
            target=rating,
            actor=actor if kind == RaterKind.ENTERPRISE else None,
            actor_kind=None if kind == RaterKind.ENTERPRISE else "anonymous",
            park=card.park,
            data={
                "after": {
                    **scores,
                    "card": card.pk,
                    "official": card.official_id,
                    "rater": str(kind),
                    "enterprise": enterprise.pk if enterprise else None,
                    "low": rating.is_low,
                    "comment": bool(comment),
                    "ticket": rating.ticket_id,
                }
            },
            at=now,
        )
        if rating.is_low:
            _notify_low(rating)
    return RatingSubmission(
        rating=rating,
        ticket=submission.ticket if submission else None,
        receipt_code=submission.receipt_code if submission else None,
    )


def _notify_low(rating):
    name = _name(rating.official)
    low = [str(ServiceRating._meta.get_field(d).verbose_name) for d in DIMENSIONS if getattr(rating, d) <= LOW_SCORE]
    notify(
        recipients=low_rating_recipients(rating.park),
        kind="service_rating.low",
        title=_t("Low service rating for %(name)s") % {"name": name},
        body=_t("Rated %(scores)s (attitude / efficiency / integrity); low: %(low)s.")
        % {"scores": f"{rating.attitude}/{rating.efficiency}/{rating.integrity}", "low": "、".join(low)},
        url=reverse("integrity:rating-list") + f"?official={rating.official_id}&park={rating.park_id}",
        park=rating.park,
    )

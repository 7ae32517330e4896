"""Read queries of pledges: the public board, what a user may sign, and coverage."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from core.roles import ENTERPRISE, STAFF_ROLES, has_role, user_roles
from core.scoping import ALL, enterprise_ids_for, park_ids_for
from integrity.choices import ENTERPRISE_SIGNER_KINDS, PERSONAL_SIGNER_KINDS, SignerKind
from integrity.models import ConductItem, Pledge, PledgeTemplate
from integrity.selectors.access import official_parks, park_officials


def renewal_window_days(park):
    """How long before expiry a pledge may be signed again: the park's earliest renewal reminder."""
    from integrity.selectors.settings import settings_for

    thresholds = settings_for(park).pledge_thresholds
    return thresholds[0] if thresholds else 30


def renewal_opens(pledge):
    """The moment from which the signer may renew `pledge` (sign the same version again)."""
    from datetime import timedelta

    return pledge.expires_at - timedelta(days=renewal_window_days(pledge.park_id))


def _with_items(queryset):
    return queryset.select_related("park").prefetch_related(
        Prefetch(
            "cited_items",
            queryset=ConductItem.objects.select_related("conduct_list").order_by("conduct_list_id", "order"),
        )
    )


def current_templates(park=None):
    """The versions in force (published and not superseded), optionally of one park."""
    queryset = PledgeTemplate.objects.filter(superseded_at__isnull=True)
    if park is not None:
        queryset = queryset.filter(park=park)
    return _with_items(queryset).order_by("park__name", "signer_kind")


def _visible_park_ids(user):
    """Parks whose pledge texts and signatures a signed-in user may list: staff their parks, enterprise users
    the parks of their enterprises."""
    ids = park_ids_for(user)
    if ids is ALL:
        return ALL
    ids = set(ids)
    if ENTERPRISE in user_roles(user):
        from parks.models import Enterprise

        ids.update(Enterprise.objects.filter(pk__in=enterprise_ids_for(user)).values_list("park_id", flat=True))
    return frozenset(ids)


def templates_for(user):
    """Every version (current and superseded) of the pledge texts of the parks the user may see."""
    ids = _visible_park_ids(user)
    queryset = PledgeTemplate.objects.all()
    if ids is not ALL:
        queryset = queryset.filter(park_id__in=ids)
    return _with_items(queryset).order_by("park__name", "signer_kind", "-version")


@dataclass(frozen=True)
class Signable:
    template: PledgeTemplate
    enterprise: object  # an Enterprise, or None when the user signs for themself


# Signed from "My pledges". Evaluators' pledges and integrity contracts are signed within the procurement
# steps that call for them (an evaluation panel, a contract), through the same `pledge_sign`.
SELF_SERVICE_KINDS = frozenset({SignerKind.OFFICIAL, SignerKind.ENTERPRISE, SignerKind.SUPPLIER})


def signable_for(user):
    """What the user may sign now from their pledges page: the officials' pledge of each park where they are
    an official, and the enterprise and supplier pledges of each verified enterprise they act for."""
    result = []
    parks = official_parks(user)
    if parks:
        personal = PERSONAL_SIGNER_KINDS & SELF_SERVICE_KINDS
        for template in current_templates().filter(park_id__in=parks, signer_kind__in=personal):
            result.append(Signable(template, None))
    enterprise_ids = enterprise_ids_for(user)
    if enterprise_ids:
        from parks.models import Enterprise

        enterprises = list(Enterprise.objects.filter(pk__in=enterprise_ids).select_related("park"))
        by_park = {}
        for enterprise in enterprises:
            by_park.setdefault(enterprise.park_id, []).append(enterprise)
        kinds = ENTERPRISE_SIGNER_KINDS & SELF_SERVICE_KINDS
        for template in current_templates().filter(park_id__in=by_park, signer_kind__in=kinds):
            for enterprise in by_park[template.park_id]:
                result.append(Signable(template, enterprise))
    return result


def _newer_pledge():
    """A newer signature by the same signer (or for the same enterprise) of the same kind in the same park."""
    return Pledge.objects.filter(
        park_id=OuterRef("park_id"), signer_kind=OuterRef("signer_kind"), pk__gt=OuterRef("pk")
    ).filter(Q(enterprise__isnull=True, signer_id=OuterRef("signer_id")) | Q(enterprise_id=OuterRef("enterprise_id")))


def latest_pledges():
    """Each signer's latest pledge of each kind (a renewal replaces the previous signature)."""
    return Pledge.objects.filter(~Exists(_newer_pledge()))


def pledge_board(park, *, kinds=None):
    """The public board (公开栏) of a park: each signer's latest pledge, newest first, official and enterprise
    names only — no account data."""
    queryset = latest_pledges().filter(park=park)
    if kinds:
        queryset = queryset.filter(signer_kind__in=kinds)
    return queryset.only(
        "id",
        "park_id",
        "signer_kind",
        "signer_name",
        "signer_post",
        "enterprise_name",
        "template_version",
        "signed_at",
        "expires_at",
        "text_sha256",
    ).order_by("-signed_at", "-id")


def pledges_for(user):
    """Signatures a signed-in user may list: staff those of their parks; enterprise users those for their
    enterprises; everyone their own."""
    if not getattr(user, "is_authenticated", False):
        return Pledge.objects.none()
    related = ("park", "template", "enterprise", "signer")
    if has_role(user, *STAFF_ROLES) and park_ids_for(user) is ALL:
        return Pledge.objects.select_related(*related)
    q = Q(signer=user)
    if has_role(user, *STAFF_ROLES):
        q |= Q(park_id__in=park_ids_for(user))
    enterprise_ids = enterprise_ids_for(user)
    if enterprise_ids:
        q |= Q(enterprise_id__in=enterprise_ids)
    return Pledge.objects.filter(q).select_related(*related)


def own_pledges(user):
    """The user's own signatures and those for the enterprises they act for, newest first."""
    q = Q(signer=user)
    enterprise_ids = enterprise_ids_for(user)
    if enterprise_ids:
        q |= Q(enterprise_id__in=enterprise_ids)
    return Pledge.objects.filter(q).select_related("park", "template", "enterprise").order_by("-signed_at", "-id")


@dataclass(frozen=True)
class Coverage:
    park: object
    officials_total: int
    officials_signed: int
    enterprises_total: int
    enterprises_signed: int

    @staticmethod
    def _share(part, total):
        return None if not total else part / total

    @property
    def officials_share(self):
        return self._share(self.officials_signed, self.officials_total)

    @property
    def enterprises_share(self):
        return self._share(self.enterprises_signed, self.enterprises_total)


def pledge_coverage(park, *, at=None):
    """Share of the park's officials with a valid officials' pledge, and of its verified enterprises with a
    valid enterprise pledge, at `at` (now by default). For the officials' home and the integrity index."""
    from parks.models import Enterprise

    at = at or timezone.now()
    officials = park_officials(park).values("pk")
    enterprises = Enterprise.objects.filter(park=park, status=Enterprise.Status.VERIFIED).values("pk")
    valid = Pledge.objects.filter(park=park, expires_at__gt=at)
    return Coverage(
        park=park,
        officials_total=park_officials(park).count(),
        officials_signed=valid.filter(signer_kind=SignerKind.OFFICIAL, signer_id__in=officials)
        .values("signer_id")
        .distinct()
        .count(),
        enterprises_total=enterprises.count(),
        enterprises_signed=valid.filter(signer_kind=SignerKind.ENTERPRISE, enterprise_id__in=enterprises)
        .values("enterprise_id")
        .distinct()
        .count(),
    )


def coverage_for(user):
    """Coverage of each park a staff user sees (for the dashboard panel)."""
    from parks.models import Park

    if not has_role(user, *STAFF_ROLES):
        return []
    ids = park_ids_for(user)
    parks = Park.objects.filter(is_active=True).order_by("name")
    if ids is not ALL:
        parks = parks.filter(pk__in=ids)
    return [pledge_coverage(park) for park in parks]

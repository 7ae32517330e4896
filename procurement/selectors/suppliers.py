"""Read queries of suppliers and their qualifications, scoped to the user; and whether a supplier may bid."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.scoping import ALL
from procurement.choices import SupplierStatus
from procurement.models import Qualification, Supplier
from procurement.selectors.access import can_read_procurement_files, procurement_park_ids, supplier_enterprise_ids

_REFUSALS = {
    SupplierStatus.PENDING: lambda: _("The supplier is still pending approval."),
    SupplierStatus.REJECTED: lambda: _("The supplier registration was rejected."),
    SupplierStatus.SUSPENDED: lambda: _("The supplier is suspended."),
    SupplierStatus.BLACKLISTED: lambda: _("The supplier is blacklisted."),
}


def supplier_can_bid(supplier, at=None):
    """``(True, "")`` when `supplier` may bid at `at` (default now), else ``(False, reason)``: it must be
    approved and hold at least one qualification, and for every type of qualification it holds, one that has
    not expired (a renewed qualification replaces the expired one of its type)."""
    refusal = _REFUSALS.get(supplier.status)
    if refusal is not None:
        return False, str(refusal())
    day = timezone.localdate(at) if at is not None else timezone.localdate()
    qualifications = list(supplier.qualifications.all())
    if not qualifications:
        return False, _("The supplier has no qualification on file.")
    by_kind = {}
    for qualification in qualifications:
        by_kind.setdefault(qualification.kind, []).append(qualification)
    expired = [
        max(items, key=lambda q: q.expires_on) for items in by_kind.values() if not any(q.is_valid(day) for q in items)
    ]
    if expired:
        names = ", ".join(
            _("%(kind)s %(number)s (expired on %(date)s)")
            % {"kind": q.get_kind_display(), "number": q.number, "date": q.expires_on.isoformat()}
            for q in sorted(expired, key=lambda q: q.expires_on)
        )
        return False, _("The supplier's qualification has expired: %(names)s.") % {"names": names}
    return True, ""


def _base():
    return Supplier.objects.select_related("park", "enterprise", "status_changed_by").prefetch_related(
        Prefetch("qualifications", queryset=Qualification.objects.order_by("kind", "expires_on", "pk"))
    )


def supplier_list_for(user):
    """Suppliers `user` may see: the parks' procurement readers (officers, administrators, discipline
    officers, auditors) every supplier of their parks; enterprise users their own enterprises' registrations;
    platform administrators all. Others: none."""
    ids = procurement_park_ids(user)
    queryset = _base()
    enterprises = supplier_enterprise_ids(user)
    if ids is ALL:
        return queryset
    if ids and enterprises:
        from django.db.models import Q

        return queryset.filter(Q(park_id__in=ids) | Q(enterprise_id__in=enterprises))
    if ids:
        return queryset.filter(park_id__in=ids)
    if enterprises:
        return queryset.filter(enterprise_id__in=enterprises)
    return queryset.none()


def supplier_get_for(user, pk):
    """One supplier `user` may see, else DomainError(kind="not_found")."""
    found = supplier_list_for(user).filter(pk=pk).first()
    if found is None:
        raise DomainError(_("No such supplier."), code="not_found", kind="not_found")
    return found


def supplier_review_queue(user):
    """Suppliers pending approval in the parks whose procurement `user` reads, oldest application first."""
    queryset = _base().filter(status=SupplierStatus.PENDING).order_by("registered_at", "pk")
    ids = procurement_park_ids(user)
    return queryset if ids is ALL else queryset.filter(park_id__in=ids)


def suppliers_of_user(user):
    """The supplier registrations of the enterprises `user` acts for ("my supplier status")."""
    enterprises = supplier_enterprise_ids(user)
    if not enterprises:
        return _base().none()
    return _base().filter(enterprise_id__in=enterprises).order_by("park__name", "enterprise__name")


def supplier_directory(park=None):
    """The public directory: approved suppliers only, optionally of one park."""
    queryset = (
        Supplier.objects.filter(status=SupplierStatus.APPROVED, park__is_active=True)
        .select_related("park", "enterprise")
        .prefetch_related(Prefetch("qualifications", queryset=Qualification.objects.order_by("kind", "expires_on")))
        .order_by("park__name", "enterprise__name")
    )
    if park is not None:
        queryset = queryset.filter(park=park)
    return queryset


def approved_suppliers(park):
    """Approved suppliers of `park` (to invite, or to name for a single source)."""
    return Supplier.objects.filter(park=park, status=SupplierStatus.APPROVED).select_related("enterprise")


def qualification_list_for(user):
    """Qualifications of the suppliers `user` may see."""
    return (
        Qualification.objects.filter(supplier__in=supplier_list_for(user).values("pk"))
        .select_related("supplier", "supplier__enterprise", "supplier__park")
        .order_by("supplier_id", "kind", "expires_on", "pk")
    )


def can_view_qualification_files(user, qualification_id):
    """Qualification documents: the supplier's own users and the park's procurement readers."""
    qualification = Qualification.objects.select_related("supplier").filter(pk=qualification_id).first()
    if qualification is None:
        return False
    supplier = qualification.supplier
    return supplier.enterprise_id in supplier_enterprise_ids(user) or can_read_procurement_files(user, supplier.park_id)

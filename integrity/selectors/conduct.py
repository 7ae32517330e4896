"""Read queries of the conduct lists (正负清单): public, for every park."""

from django.db.models import Prefetch

from integrity.choices import CONDUCT_KIND_ORDER, Audience, ConductKind
from integrity.models import ConductItem, ConductList


def _with_items(queryset):
    return queryset.select_related("park").prefetch_related(
        Prefetch("items", queryset=ConductItem.objects.order_by("order"))
    )


def public_conduct_lists():
    """Every published version of every active park's lists (the lists are public)."""
    return _with_items(ConductList.objects.filter(park__is_active=True)).order_by("park__name", "audience", "-version")


def current_conduct_lists(park):
    """The versions in force of a park's lists, officials' first."""
    lists = list(_with_items(ConductList.objects.filter(park=park, superseded_at__isnull=True)))
    order = {Audience.OFFICIALS: 0, Audience.ENTERPRISES: 1}
    return sorted(lists, key=lambda c: order.get(c.audience, 9))


def conduct_list_version(park, audience, version):
    return _with_items(ConductList.objects.filter(park=park, audience=audience, version=version)).first()


def conduct_list_versions(park):
    return ConductList.objects.filter(park=park).order_by("audience", "-version")


def grouped_items(conduct_list):
    """The list's items as ``[(kind label, [items…])]`` in the order 不准、规范、准许, each in list order."""
    groups = {}
    for item in conduct_list.items.all():
        groups.setdefault(item.kind, []).append(item)
    return [
        (ConductKind(kind).label, groups[kind]) for kind in sorted(groups, key=lambda k: CONDUCT_KIND_ORDER.get(k, 9))
    ]


def citable_items(park):
    """Items a new pledge text of the park may cite: those of its current lists."""
    return (
        ConductItem.objects.filter(conduct_list__park=park, conduct_list__superseded_at__isnull=True)
        .select_related("conduct_list")
        .order_by("conduct_list__audience", "order")
    )

"""State changes of the conduct lists (正负清单)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import DomainError, PermissionDenied
from integrity.choices import Audience, ConductKind
from integrity.models import ConductItem, ConductList
from integrity.selectors.access import can_manage_integrity


def conduct_list_publish(*, park, audience, title, items, actor, introduction="", now=None):
    """Publish a new version of the park's conduct list for `audience`; `items` are ``(kind, text)`` pairs in
    order. The version in force is superseded and kept, so pledges that cite its items still show them.

    May call: the park's administrators and discipline officers, platform administrators. Refuses an unknown
    audience or kind, an empty title and a list without items. Audit: ``conduct_list.published`` (and
    ``conduct_list.superseded`` on the previous version)."""
    if not can_manage_integrity(actor, park):
        raise PermissionDenied()
    if audience not in Audience.values:
        raise DomainError(_("Unknown audience."), field="audience")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("A conduct list needs a title."), field="title")
    cleaned = []
    for kind, text in items or ():
        text = (text or "").strip()
        if not text:
            continue
        if kind not in ConductKind.values:
            raise DomainError(_("Unknown kind of conduct item."), field="items")
        cleaned.append((kind, text))
    if not cleaned:
        raise DomainError(_("A conduct list needs at least one item."), field="items")
    now = now or timezone.now()
    with transaction.atomic():
        previous = list(
            ConductList.objects.select_for_update().filter(park=park, audience=audience).order_by("-version")
        )
        version = previous[0].version + 1 if previous else 1
        conduct_list = ConductList.objects.create(
            park=park,
            audience=audience,
            version=version,
            title=title,
            introduction=(introduction or "").strip(),
            published_at=now,
            published_by=actor,
        )
        ConductItem.objects.bulk_create(
            ConductItem(conduct_list=conduct_list, kind=kind, order=n, text=text)
            for n, (kind, text) in enumerate(cleaned, start=1)
        )
        for old in previous:
            if old.superseded_at is None:
                old.superseded_at = now
                old.save(update_fields=["superseded_at"])
                record_event(
                    action="conduct_list.superseded",
                    target=old,
                    actor=actor,
                    park=park,
                    data={"before": {"superseded_at": None}, "after": {"superseded_at": now}, "by": conduct_list.pk},
                )
        record_event(
            action="conduct_list.published",
            target=conduct_list,
            actor=actor,
            park=park,
            data={"audience": audience, "version": version, "items": [[k, t] for k, t in cleaned]},
        )
    return conduct_list

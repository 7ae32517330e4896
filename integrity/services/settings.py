"""Changing a park's integrity rules."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import DomainError, PermissionDenied
from core.roles import DISCIPLINE, has_role, is_platform_admin
from core.scoping import can_see_park
from integrity.models import IntegritySettings

EDITABLE_FIELDS = tuple(
    f.name
    for f in IntegritySettings._meta.get_fields()
    if getattr(f, "editable", False) and f.name not in {"id", "park", "updated_at", "updated_by"}
)


def integrity_settings_update(*, park, actor, **values):
    """Change the park's limits and deadlines (fields of `IntegritySettings`); the row is created with the
    defaults first if the park has none.

    May call: the park's discipline officers and platform administrators. Refuses unknown fields and values
    outside their bounds; refuses a wedding window whose earliest day comes after its latest. Audit:
    ``integrity_settings.updated`` with the changed values before and after."""
    if not (is_platform_admin(actor) or (has_role(actor, DISCIPLINE) and can_see_park(actor, park))):
        raise PermissionDenied()
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown setting: %(names)s") % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        IntegritySettings.objects.get_or_create(park=park)
        row = IntegritySettings.objects.select_for_update().get(park=park)
        before, after = {}, {}
        for name, value in values.items():
            if getattr(row, name) != value:
                before[name], after[name] = getattr(row, name), value
                setattr(row, name, value)
        try:
            row.full_clean(exclude=["park"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise DomainError(messages[0], field=field) from exc
        if row.wedding_min_days_before > row.wedding_max_days_before:
            raise DomainError(
                _("The earliest day to report a wedding must come before the latest."),
                field="wedding_max_days_before",
            )
        if not after:
            return row
        row.updated_by = actor
        row.save(update_fields=[*after, "updated_by", "updated_at"])
        record_event(
            action="integrity_settings.updated",
            target=row,
            actor=actor,
            park=park,
            data={"before": before, "after": after},
        )
    return row

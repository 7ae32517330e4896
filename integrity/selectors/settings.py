"""The park's integrity rules, with the defaults for a park that never changed them."""

from integrity.models import IntegritySettings


def settings_for(park):
    """The park's `IntegritySettings`; an unsaved row with the defaults when the park has none."""
    park_id = getattr(park, "pk", park)
    found = IntegritySettings.objects.filter(park_id=park_id).first()
    return found if found is not None else IntegritySettings(park_id=park_id)

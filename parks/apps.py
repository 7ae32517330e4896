from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    """Parks, departments, enterprises, staff profiles and memberships (DESIGN §5)."""

    name = "parks"
    verbose_name = _("Parks")

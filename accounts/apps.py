from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, sign-in, enterprise self-registration and personal API tokens."""

    name = "accounts"
    verbose_name = _("Accounts")

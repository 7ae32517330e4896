"""Navigation by role. Each app registers its menu entries here (in its AppConfig.ready or this module),
so the menu shows only modules that exist and that the user may use."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.roles import user_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple = ()  # empty: everyone (signed in or not, see `public`)
    public: bool = True
    icon: str = ""  # a Bootstrap Icons name, without the "bi-" prefix
    order: int = 100
    description: str = ""  # one line under the module's card on the officials' home


_REGISTRY: list[NavItem] = []


def register(item):
    if item not in _REGISTRY:
        _REGISTRY.append(item)
        _REGISTRY.sort(key=lambda i: i.order)


def items_for(request):
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    roles = user_roles(user) if signed_in else frozenset()
    result = []
    for item in _REGISTRY:
        if not item.public and not signed_in:
            continue
        if item.roles and not (roles & set(item.roles)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "description": item.description,
                "url_name": item.url_name,
                "active": request.path.startswith(url) and url != "/",
            }
        )
    return result


register(NavItem(_("My desk"), "core:home", public=False, icon="speedometer2", order=0))
register(
    NavItem(
        _("Parks"),
        "core:public-home",
        icon="buildings",
        order=10,
        description=_("The parks on the platform, their profiles and statistics."),
    )
)

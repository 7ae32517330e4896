"""The officials' home is composed of panels that each app registers (DESIGN §9).

An app calls `register_panel(...)` in its AppConfig.ready(); the home view renders, in order, every panel
whose roles the user holds, each with the context its `context` callable returns for the request.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from core.roles import user_roles


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable  # (request) -> dict
    roles: tuple = field(default_factory=tuple)  # empty: every signed-in user
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(panel):
    _PANELS[panel.key] = panel


def panels_for(request):
    roles = user_roles(request.user)
    result = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        if panel.roles and not (roles & set(panel.roles)):
            continue
        result.append({"key": panel.key, "template": panel.template, "context": panel.context(request)})
    return result

"""The officials' home is composed of panels that each app registers (DESIGN §9).

An app calls `register_panel(Panel(...))` in its AppConfig.ready(); the home renders, in order, every panel
whose roles the user holds, each with its own template and the context its `context` callable returns for
the request. A panel template renders one Bootstrap card (title, figures, links to the lists behind them).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from core.roles import user_roles


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable  # (request) -> dict
    roles: tuple = field(default_factory=tuple)  # empty: every signed-in user
    order: int = 100
    wide: bool = False  # spans the whole row instead of half of it on large screens


_PANELS: dict[str, Panel] = {}


def register_panel(panel):
    _PANELS[panel.key] = panel


def panels_for(request):
    """The panels the user's roles may see, in order, each as ``{"key", "template", "context", "wide"}``."""
    roles = user_roles(request.user)
    result = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if panel.roles and not (roles & set(panel.roles)):
            continue
        result.append(
            {"key": panel.key, "template": panel.template, "context": panel.context(request), "wide": panel.wide}
        )
    return result


def render_panels(request):
    """`panels_for`, each rendered to HTML with its template (``"html"`` added)."""
    panels = panels_for(request)
    for panel in panels:
        panel["html"] = render_to_string(panel["template"], panel["context"], request=request)
    return panels

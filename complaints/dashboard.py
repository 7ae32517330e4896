"""The 吐槽区 panel of the officials' home (DESIGN §9): counts, rates and three ECharts charts.

Every figure comes from `complaints.selectors.ticket_stats_for`, which counts only the tickets the user may
see — so a confidential ticket is counted for the discipline office and for nobody else. The charts are
drawn by static/js/complaints_dashboard.js from the JSON embedded with ``json_script``.
"""

from django.utils.translation import gettext as _

from complaints.selectors import ticket_stats_for


def chart_data(stats):
    """What complaints_dashboard.js draws: categories (pie), departments (bars), a 12-month trend (lines)."""
    return {
        "labels": {
            "byCategory": _("Tickets by category"),
            "byDepartment": _("Tickets by lead department"),
            "trend": _("Last 12 months"),
            "created": _("Filed"),
            "closed": _("Closed"),
            "open": _("Open"),
            "overdue": _("Overdue"),
            "total": _("All"),
        },
        "byCategory": [{"name": row["name"] or _("Other"), "value": row["count"]} for row in stats["by_category"]],
        "byDepartment": {
            "names": [row["name"] for row in stats["by_department"]],
            "total": [row["count"] for row in stats["by_department"]],
            "open": [row["open"] for row in stats["by_department"]],
            "overdue": [row["overdue"] for row in stats["by_department"]],
        },
        "trend": {
            "months": [row["month"] for row in stats["trend"]],
            "created": [row["created"] for row in stats["trend"]],
            "closed": [row["closed"] for row in stats["trend"]],
        },
    }


def complaints_panel_context(request):
    stats = ticket_stats_for(request.user)
    return {"stats": stats, "chart": chart_data(stats)}

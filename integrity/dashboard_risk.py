"""The risk register's panel on the officials' home: inherent and residual heat maps of the 5 × 5 matrix and
the reviews that are overdue, for whoever sees the register (scoped by `risk_scope_for`)."""

from django.utils import timezone

from integrity.choices_risk import IMPACT_LABELS, LIKELIHOOD_LABELS
from integrity.selectors.risks import controls_overdue_for, risk_heatmap_for, risks_overdue_for_review

OVERDUE_SHOWN = 8


def heatmap_chart_data(user):
    """What static/js/integrity_risk_heatmap.js draws: the counts per cell and the axis labels."""
    heat = risk_heatmap_for(user)
    return {
        "likelihood": [f"{n} {label}" for n, label in LIKELIHOOD_LABELS.items()],
        "impact": [f"{n} {label}" for n, label in IMPACT_LABELS.items()],
        # ECharts heatmap cells are [x, y, value] with 0-based indices.
        "inherent": [[lk - 1, im - 1, n] for lk, im, n in heat["inherent"]],
        "residual": [[lk - 1, im - 1, n] for lk, im, n in heat["residual"]],
        "max": max([n for _lk, _im, n in heat["inherent"] + heat["residual"]] or [1]),
    }, heat


def risk_panel_context(request):
    today = timezone.localdate()
    chart, heat = heatmap_chart_data(request.user)
    overdue = risks_overdue_for_review(request.user, today=today)
    return {
        "chart": chart,
        "total": heat["total"],
        "by_level": heat["by_level"],
        "overdue_reviews": list(overdue[:OVERDUE_SHOWN]),
        "overdue_count": overdue.count(),
        "overdue_controls": controls_overdue_for(request.user, today=today).count(),
        "today": today,
    }

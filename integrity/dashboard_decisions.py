"""The 三重一大 register's panel on the officials' home: meetings and items of the last twelve months, the
flags by kind and the latest ones, for whoever reads the register (scoped by `integrity.selectors.decisions`)."""

from integrity.decisions_flags import FlagKind
from integrity.selectors.decisions import flags_for, register_counts_for

LATEST_SHOWN = 6


def decision_panel_context(request):
    flags = flags_for(request.user)
    by_kind = dict.fromkeys(FlagKind.values, 0)
    for flag in flags:
        by_kind[flag.kind] += 1
    return {
        "counts": register_counts_for(request.user),
        "flag_count": len(flags),
        "by_flag": [{"kind": kind, "label": label, "count": by_kind[kind]} for kind, label in FlagKind.choices],
        "latest": flags[:LATEST_SHOWN],
    }

"""The 5 × 5 integrity-risk matrix as pure functions of its configured data (no database access).

A `RiskMatrixVersion` row stores the data; `MatrixRules.from_version(row)` reads it, and everything here
computes from the rules alone, so the whole grid can be tested without a database.

Default rules (the common grading of Chinese 廉政风险台账):

- score = likelihood × impact, each 1 … 5;
- score ≤ 4 低 (low), 5 … 9 中 (medium), 10 … 16 高 (high), ≥ 20 重大 (major). The products of two numbers
  from 1 to 5 are 1–6, 8–10, 12, 15, 16, 20 and 25: no score from 17 to 19 exists, so "10–16 高, ≥ 20 重大"
  leaves no gap, and a threshold set anywhere from 17 to 20 grades the grid the same way;
- integrity risks are graded by consequence: impact 5 is at least 高 and impact 4 at least 中, whatever the
  likelihood (a rare bribe in a large contract is still a high risk).

Review cadence by residual level (default 重大 30 days, 高 90, 中 180, 低 365) and a cap for risks whose
inherent level is 重大 (at least every 90 days) live in the same data.
"""

import datetime as dt
from dataclasses import dataclass, field

from integrity.choices_risk import LEVEL_RANK, LEVELS_IN_ORDER, RiskLevel, higher_level

SCALE = range(1, 6)

DEFAULT_MEDIUM_FROM = 5
DEFAULT_HIGH_FROM = 10
DEFAULT_MAJOR_FROM = 20


def default_impact_floors():
    return {"5": RiskLevel.HIGH.value, "4": RiskLevel.MEDIUM.value}


def default_review_days():
    return {
        RiskLevel.MAJOR.value: 30,
        RiskLevel.HIGH.value: 90,
        RiskLevel.MEDIUM.value: 180,
        RiskLevel.LOW.value: 365,
    }


DEFAULT_INHERENT_MAJOR_MAX_DAYS = 90


@dataclass(frozen=True)
class MatrixRules:
    """Thresholds, floors and cadence of one matrix version."""

    medium_from: int = DEFAULT_MEDIUM_FROM
    high_from: int = DEFAULT_HIGH_FROM
    major_from: int = DEFAULT_MAJOR_FROM
    impact_floors: dict = field(default_factory=default_impact_floors)
    review_days: dict = field(default_factory=default_review_days)
    inherent_major_max_days: int = DEFAULT_INHERENT_MAJOR_MAX_DAYS

    @classmethod
    def from_version(cls, version):
        return cls(
            medium_from=version.medium_from,
            high_from=version.high_from,
            major_from=version.major_from,
            impact_floors=dict(version.impact_floors or {}),
            review_days=dict(version.review_days or {}),
            inherent_major_max_days=version.inherent_major_max_days,
        )

    def problems(self):
        """What is wrong with these rules, as (field, message) pairs in English msgid form; empty when valid."""
        from django.utils.translation import gettext_lazy as _

        found = []
        if not 1 < self.medium_from < self.high_from < self.major_from <= 25:
            found.append(("thresholds", _("The thresholds must rise: 1 < medium from < high from < major from ≤ 25.")))
        for impact, level in self.impact_floors.items():
            if str(impact) not in {str(n) for n in SCALE} or level not in RiskLevel.values:
                found.append(("impact_floors", _("An impact floor maps an impact 1–5 to a level.")))
                break
        if set(self.review_days) != set(RiskLevel.values) or any(
            not isinstance(days, int) or days < 1 for days in self.review_days.values()
        ):
            found.append(("review_days", _("Give a review interval of at least one day for every level.")))
        if self.inherent_major_max_days < 1:
            found.append(("inherent_major_max_days", _("The interval for inherently major risks must be positive.")))
        return found

    # --- grading ---------------------------------------------------------------------------------------

    def level(self, likelihood, impact):
        """The level of a likelihood × impact pair (each 1 … 5) under these rules."""
        return level_for(
            likelihood,
            impact,
            medium_from=self.medium_from,
            high_from=self.high_from,
            major_from=self.major_from,
            impact_floors=self.impact_floors,
        )

    def grid(self):
        """``{(likelihood, impact): level}`` for the whole 5 × 5 matrix."""
        return {(lk, im): self.level(lk, im) for lk in SCALE for im in SCALE}

    # --- review cadence --------------------------------------------------------------------------------

    def review_interval(self, *, residual_level, inherent_level):
        """Days between two reviews: by residual level, and never longer than the inherent-重大 cap."""
        days = int(self.review_days.get(RiskLevel(residual_level).value, default_review_days()[residual_level]))
        if inherent_level == RiskLevel.MAJOR:
            days = min(days, self.inherent_major_max_days)
        return days


def score(likelihood, impact):
    _check_scale(likelihood, "likelihood")
    _check_scale(impact, "impact")
    return likelihood * impact


def _check_scale(value, name):
    if not isinstance(value, int) or value not in SCALE:
        raise ValueError(f"{name} must be an integer from 1 to 5, not {value!r}")


def level_for(likelihood, impact, *, medium_from, high_from, major_from, impact_floors):
    """The level of one cell: by score against the thresholds, then raised to the impact's floor."""
    points = score(likelihood, impact)
    if points >= major_from:
        level = RiskLevel.MAJOR
    elif points >= high_from:
        level = RiskLevel.HIGH
    elif points >= medium_from:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    floor = (impact_floors or {}).get(str(impact))
    if floor:
        level = RiskLevel(higher_level(level, floor))
    return level


def level_rank(level):
    return LEVEL_RANK[RiskLevel(level)]


def levels_in_order():
    return LEVELS_IN_ORDER


# --- the review schedule -------------------------------------------------------------------------------------


def first_review_due(start, interval_days):
    """The first review of a risk registered (or reopened) on `start`."""
    return start + dt.timedelta(days=interval_days)


def next_review_due(*, previous_due, reviewed_on, interval_days):
    """The due date after a review held on `reviewed_on` for the review that was due on `previous_due`.

    Counted from the previous due date, not from the review date, so that the schedule does not drift
    later with every late review (nor earlier with every early one): a quarterly review due on 31 March and
    held on 15 April is next due on 29 June. A review so late that one interval after the due date has
    already passed moves on by whole intervals until the next due date lies after the review.
    """
    step = dt.timedelta(days=interval_days)
    due = previous_due + step
    while due <= reviewed_on:
        due += step
    return due


def review_advances_schedule(*, previous_due, reviewed_on, interval_days):
    """Whether a review held on `reviewed_on` satisfies the review due on `previous_due`.

    A review counts for the period that ends on the due date: from one interval before it onward. A second
    review within a period already satisfied (the schedule has moved on to the next due date) is recorded
    but does not push the schedule further, or extra reviews would skip periods.
    """
    return reviewed_on > previous_due - dt.timedelta(days=interval_days)

"""The 5 × 5 matrix: levels from configured thresholds and impact floors, the whole grid, the review cadence
and the no-drift schedule — pure functions, no database except where a stored version is read."""

import datetime as dt

import pytest

from integrity.choices_risk import RiskLevel
from integrity.models import RiskMatrixVersion
from integrity.risk_matrix import MatrixRules, next_review_due, review_advances_schedule, score

L, M, H, X = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.MAJOR

# Rows: impact 5 (top) … 1 (bottom); columns: likelihood 1 … 5. The default rules: ≤4 低, 5–9 中, 10–16 高,
# ≥20 重大, impact 5 at least 高, impact 4 at least 中.
DEFAULT_GRID = {
    5: [H, H, H, X, X],
    4: [M, M, H, H, X],
    3: [L, M, M, H, H],
    2: [L, L, M, M, H],
    1: [L, L, L, L, M],
}


def test_default_rules_grade_the_whole_grid():
    rules = MatrixRules()

    grid = {impact: [rules.level(lk, impact) for lk in range(1, 6)] for impact in range(5, 0, -1)}

    assert grid == DEFAULT_GRID


def test_no_product_of_the_grid_falls_between_17_and_19():
    products = {score(lk, im) for lk in range(1, 6) for im in range(1, 6)}

    assert not products & {17, 18, 19}


@pytest.mark.parametrize("major_from", [17, 18, 19, 20])
def test_a_major_threshold_anywhere_from_17_to_20_grades_the_grid_alike(major_from):
    assert MatrixRules(major_from=major_from).grid() == MatrixRules().grid()


def test_impact_five_is_at_least_high_even_when_rare():
    assert MatrixRules().level(1, 5) == H


def test_impact_four_is_at_least_medium_even_when_rare():
    assert MatrixRules().level(1, 4) == M


def test_without_impact_floors_levels_follow_the_score_alone():
    rules = MatrixRules(impact_floors={})

    assert (rules.level(1, 5), rules.level(1, 4), rules.level(5, 4)) == (M, L, X)


def test_configured_thresholds_change_the_levels():
    strict = MatrixRules(medium_from=3, high_from=8, major_from=15, impact_floors={})

    assert [strict.level(1, 2), strict.level(1, 3), strict.level(2, 4), strict.level(3, 5)] == [L, M, H, X]


def test_levels_are_read_from_a_stored_version(db):
    stored = RiskMatrixVersion.objects.create(
        version=2, medium_from=4, high_from=9, major_from=16, impact_floors={"5": "major"}
    )

    assert (stored.rules.level(2, 2), stored.rules.level(3, 3), stored.rules.level(4, 4), stored.rules.level(1, 5)) == (
        M,
        H,
        X,
        X,
    )


def test_the_default_version_comes_from_the_migration(db):
    default = RiskMatrixVersion.objects.get(park__isnull=True, version=1)

    assert default.rules.grid() == MatrixRules().grid()
    assert default.review_days == {"major": 30, "high": 90, "medium": 180, "low": 365}


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 3), (3, 0), (3, 6), (2.5, 3)])
def test_scores_outside_one_to_five_are_refused(likelihood, impact):
    with pytest.raises(ValueError):
        MatrixRules().level(likelihood, impact)


def test_rules_that_do_not_rise_are_reported():
    problems = MatrixRules(medium_from=10, high_from=10, major_from=20).problems()

    assert [field for field, _message in problems] == ["thresholds"]


def test_a_cadence_missing_a_level_is_reported():
    problems = MatrixRules(review_days={"major": 30, "high": 90, "medium": 180}).problems()

    assert [field for field, _message in problems] == ["review_days"]


@pytest.mark.parametrize(
    ("residual", "inherent", "days"),
    [(X, X, 30), (H, H, 90), (M, M, 180), (L, L, 365), (L, X, 90), (M, X, 90), (H, X, 90), (L, H, 365)],
)
def test_review_interval_follows_the_residual_level_capped_for_inherent_major(residual, inherent, days):
    assert MatrixRules().review_interval(residual_level=residual, inherent_level=inherent) == days


def test_next_due_counts_from_the_previous_due_date_not_the_review_date():
    due = next_review_due(previous_due=dt.date(2026, 3, 31), reviewed_on=dt.date(2026, 4, 15), interval_days=90)

    assert due == dt.date(2026, 6, 29)


def test_an_early_review_does_not_pull_the_schedule_earlier():
    due = next_review_due(previous_due=dt.date(2026, 3, 31), reviewed_on=dt.date(2026, 3, 10), interval_days=90)

    assert due == dt.date(2026, 6, 29)


def test_a_review_late_by_more_than_one_interval_moves_on_by_whole_intervals():
    due = next_review_due(previous_due=dt.date(2026, 1, 1), reviewed_on=dt.date(2026, 3, 5), interval_days=30)

    assert due == dt.date(2026, 4, 1)  # 31 Jan and 2 Mar have passed


def test_four_late_quarterly_reviews_keep_the_original_quarter_days():
    due = dt.date(2026, 1, 1)
    seen = []
    for _quarter in range(4):
        reviewed = due + dt.timedelta(days=20)  # always three weeks late
        due = next_review_due(previous_due=due, reviewed_on=reviewed, interval_days=90)
        seen.append(due)

    assert seen == [dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 9, 28), dt.date(2026, 12, 27)]


def test_a_review_before_the_current_period_does_not_satisfy_it():
    assert not review_advances_schedule(
        previous_due=dt.date(2026, 6, 29), reviewed_on=dt.date(2026, 3, 31), interval_days=90
    )
    assert review_advances_schedule(
        previous_due=dt.date(2026, 6, 29), reviewed_on=dt.date(2026, 4, 1), interval_days=90
    )

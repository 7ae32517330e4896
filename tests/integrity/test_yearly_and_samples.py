"""The yearly declaration round (every official files, nil returns included, share on time, reminders once)
and the random verification samples (recorded seed and drawn ids, reproducible, 10 % at least one)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from integrity.choices import DeclarationKind, DeclarationStatus, VerificationOutcome, YearlyReturnStatus
from integrity.models import YearlyReturn, YearlyReturnReminder, YearlyRound
from integrity.selectors.declarations import round_completion, yearly_returns_for
from integrity.services.samples import draw, sample_item_verify, sample_size, verification_sample_draw
from integrity.services.yearly import yearly_reminders_send, yearly_return_file, yearly_round_open
from tests.integrity.conftest import make_declaration
from tests.parks.factories import StaffProfileFactory


def at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


# --- yearly round ------------------------------------------------------------------------------------------------


def test_opening_a_round_gives_every_official_of_the_park_a_pending_return(world_a):
    yearly_round = yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    declarants = set(yearly_round.returns.values_list("declarant__username", flat=True))
    assert declarants == {
        u.username for u in (world_a.park_admin, world_a.dispatcher, world_a.handler, world_a.discipline)
    }


def test_the_round_is_due_on_31_january_of_the_next_year_by_default(world_a):
    assert yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline).due_date == dt.date(2026, 1, 31)


def test_a_round_cannot_be_opened_twice(world_a):
    yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    with pytest.raises(Conflict):
        yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)


def test_only_a_discipline_officer_of_the_park_opens_a_round(world_a):
    with pytest.raises(PermissionDenied):
        yearly_round_open(park=world_a.park, year=2025, actor=world_a.park_admin)


def test_opening_a_round_notifies_the_officials(world_a):
    yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    assert Notification.objects.filter(kind="yearly_return.opened", recipient=world_a.handler).exists()


def _return_of(world, user, year=2025):
    yearly_round = YearlyRound.objects.filter(park=world.park, year=year).first() or yearly_round_open(
        park=world.park, year=year, actor=world.discipline
    )
    return YearlyReturn.objects.get(round=yearly_round, declarant=user)


def test_a_nil_return_filed_by_the_due_date_is_on_time(world_a):
    row = _return_of(world_a, world_a.handler)
    filed = yearly_return_file(yearly_return=row, actor=world_a.handler, is_nil=True, now=at(dt.date(2026, 1, 31), 23))
    assert (filed.status, filed.is_nil, filed.is_late) == (YearlyReturnStatus.FILED, True, False)


def test_a_return_filed_after_the_due_date_is_late(world_a):
    row = _return_of(world_a, world_a.handler)
    filed = yearly_return_file(yearly_return=row, actor=world_a.handler, is_nil=True, now=at(dt.date(2026, 2, 1)))
    assert filed.is_late is True


def test_a_return_that_is_not_nil_needs_a_statement(world_a):
    row = _return_of(world_a, world_a.handler)
    with pytest.raises(DomainError) as caught:
        yearly_return_file(yearly_return=row, actor=world_a.handler, is_nil=False, statement=" ")
    assert caught.value.field == "statement"


def test_a_return_is_filed_once(world_a):
    row = _return_of(world_a, world_a.handler)
    yearly_return_file(yearly_return=row, actor=world_a.handler, is_nil=True)
    with pytest.raises(Conflict):
        yearly_return_file(yearly_return=row, actor=world_a.handler, is_nil=True)


def test_only_the_official_files_their_return(world_a):
    row = _return_of(world_a, world_a.handler)
    with pytest.raises(PermissionDenied):
        yearly_return_file(yearly_return=row, actor=world_a.discipline, is_nil=True)


def test_filing_is_audited(world_a):
    row = _return_of(world_a, world_a.handler)
    yearly_return_file(yearly_return=row, actor=world_a.handler, is_nil=True)
    assert [e.action for e in events_for(row)] == ["yearly_return.filed"]


def test_the_completion_counts_filed_on_time_and_nil_returns(world_a):
    yearly_return_file(
        yearly_return=_return_of(world_a, world_a.handler),
        actor=world_a.handler,
        is_nil=True,
        now=at(dt.date(2026, 1, 5)),
    )
    yearly_return_file(
        yearly_return=_return_of(world_a, world_a.dispatcher),
        actor=world_a.dispatcher,
        is_nil=False,
        statement="收受月饼一盒已登记上交",
        now=at(dt.date(2026, 2, 3)),
    )
    completion = round_completion(YearlyRound.objects.get(park=world_a.park, year=2025))
    assert (completion.total, completion.filed, completion.on_time, completion.nil) == (4, 2, 1, 1)
    assert completion.share_on_time == 0.25


def test_the_sweep_opens_last_years_round_in_january(world_a):
    yearly_reminders_send(now=at(dt.date(2027, 1, 2)))
    assert YearlyRound.objects.filter(park=world_a.park, year=2026, due_date=dt.date(2027, 1, 31)).exists()


def test_the_sweep_does_not_open_a_round_after_its_due_date(world_a):
    yearly_reminders_send(now=at(dt.date(2026, 11, 23)))
    assert not YearlyRound.objects.exists()


def test_the_sweep_enrols_an_official_who_joined_after_the_round_opened(world_a):
    with time_machine.travel(at(dt.date(2026, 1, 2))):
        yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    from core import roles
    from tests.accounts.factories import UserFactory

    newcomer = UserFactory(username="newcomer", roles=[roles.HANDLER])
    StaffProfileFactory(user=newcomer, parks=[world_a.park])
    yearly_reminders_send(now=at(dt.date(2026, 1, 10)))
    assert YearlyReturn.objects.filter(declarant=newcomer, round__year=2025).exists()


def test_yearly_reminders_are_sent_once_each_however_often_the_sweep_runs(world_a):
    with time_machine.travel(at(dt.date(2026, 1, 2))):
        yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    for day in (
        dt.date(2026, 1, 17),
        dt.date(2026, 1, 17),
        dt.date(2026, 1, 28),
        dt.date(2026, 1, 31),
        dt.date(2026, 1, 31),
    ):
        yearly_reminders_send(now=at(day))
    row = YearlyReturn.objects.get(declarant=world_a.handler)
    assert sorted(YearlyReturnReminder.objects.filter(yearly_return=row).values_list("threshold_days", "skipped")) == [
        (0, False),
        (3, False),
        (14, False),
    ]
    assert Notification.objects.filter(recipient=world_a.handler, kind="yearly_return.reminder").count() == 3


def test_a_filed_return_gets_no_reminder(world_a):
    with time_machine.travel(at(dt.date(2026, 1, 2))):
        yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    row = YearlyReturn.objects.get(declarant=world_a.handler)
    yearly_return_file(yearly_return=row, actor=world_a.handler, is_nil=True, now=at(dt.date(2026, 1, 3)))
    yearly_reminders_send(now=at(dt.date(2026, 1, 30)))
    assert not YearlyReturnReminder.objects.filter(yearly_return=row).exists()


@pytest.mark.parametrize(("who", "count"), [("handler", 1), ("discipline", 4), ("park_admin", 1), ("auditor", 0)])
def test_yearly_returns_are_as_confidential_as_declarations(world_a, who, count):
    yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    assert yearly_returns_for(getattr(world_a, who)).count() == count


def test_a_platform_administrator_sees_every_yearly_return(world_a, platform_admin):
    yearly_round_open(park=world_a.park, year=2025, actor=world_a.discipline)
    assert yearly_returns_for(platform_admin).count() == 4


def test_filing_a_nil_return_from_the_page(client, world_a):
    row = _return_of(world_a, world_a.handler)
    client.force_login(world_a.handler)
    client.post(reverse("integrity:yearly-return-file", args=[row.pk]), {"is_nil": "on"})
    row.refresh_from_db()
    assert (row.status, row.is_nil) == (YearlyReturnStatus.FILED, True)


# --- verification samples ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "percent", "minimum", "size"), [(25, 10, 1, 3), (3, 10, 1, 1), (0, 10, 1, 0), (5, 10, 8, 5)]
)
def test_the_sample_is_the_share_rounded_up_and_at_least_the_minimum(population, percent, minimum, size):
    assert sample_size(population, percent, minimum) == size


def test_a_draw_is_reproducible_from_its_seed():
    ids = list(range(1, 101))
    assert draw(ids, 10, "seed-1") == draw(list(reversed(ids)), 10, "seed-1") != draw(ids, 10, "seed-2")


@pytest.fixture
def filed(world_a):
    """Twelve filed declarations of park A, and one draft that is never sampled."""
    rows = [make_declaration(world_a, status=DeclarationStatus.SUBMITTED) for _ in range(11)]
    rows.append(make_declaration(world_a, kind=DeclarationKind.INTEREST, status=DeclarationStatus.ACCEPTED))
    make_declaration(world_a)
    return rows


def _today_period():
    today = timezone.localdate()
    return {"period_start": today - dt.timedelta(days=1), "period_end": today}


def test_drawing_a_sample_records_the_seed_the_population_and_the_drawn_ids(world_a, filed):
    sample = verification_sample_draw(park=world_a.park, actor=world_a.discipline, **_today_period())
    drawn = sorted(sample.items.values_list("declaration_id", flat=True))
    assert (sample.population_size, len(drawn), sample.percent) == (12, 2, 10)
    assert drawn == draw(sample.population_ids, 2, sample.seed)


def test_drawing_a_sample_writes_the_draw_to_the_audit_trail(world_a, filed):
    sample = verification_sample_draw(park=world_a.park, actor=world_a.discipline, **_today_period())
    event = events_for(sample).get()
    assert event.action == "verification_sample.drawn"
    assert (event.data["seed"], event.data["drawn_ids"]) == (
        sample.seed,
        sorted(sample.items.values_list("declaration_id", flat=True)),
    )


def test_a_sample_can_be_limited_to_one_kind(world_a, filed):
    sample = verification_sample_draw(
        park=world_a.park, actor=world_a.discipline, kinds=[DeclarationKind.INTEREST], **_today_period()
    )
    assert (sample.population_size, sample.items.count()) == (1, 1)


def test_an_empty_population_is_refused(world_a):
    with pytest.raises(DomainError) as caught:
        verification_sample_draw(park=world_a.park, actor=world_a.discipline, **_today_period())
    assert caught.value.code == "empty_population"


@pytest.mark.parametrize("who", ["park_admin", "handler", "auditor"])
def test_only_a_discipline_officer_draws_a_sample(world_a, filed, who):
    with pytest.raises(PermissionDenied):
        verification_sample_draw(park=world_a.park, actor=getattr(world_a, who), **_today_period())


def test_recording_a_verification_outcome(world_a, filed):
    sample = verification_sample_draw(park=world_a.park, actor=world_a.discipline, **_today_period())
    item = sample.items.first()
    verified = sample_item_verify(item=item, actor=world_a.discipline, outcome=VerificationOutcome.CONFIRMED)
    assert (verified.outcome, verified.verified_by) == (VerificationOutcome.CONFIRMED, world_a.discipline)


def test_a_discrepancy_needs_findings(world_a, filed):
    item = verification_sample_draw(park=world_a.park, actor=world_a.discipline, **_today_period()).items.first()
    with pytest.raises(DomainError):
        sample_item_verify(item=item, actor=world_a.discipline, outcome=VerificationOutcome.DISCREPANCY, note="")


def test_an_item_is_verified_once(world_a, filed):
    item = verification_sample_draw(park=world_a.park, actor=world_a.discipline, **_today_period()).items.first()
    sample_item_verify(item=item, actor=world_a.discipline, outcome=VerificationOutcome.CONFIRMED)
    with pytest.raises(Conflict):
        sample_item_verify(item=item, actor=world_a.discipline, outcome=VerificationOutcome.CONFIRMED)


def test_drawing_from_the_page(client, world_a, filed):
    client.force_login(world_a.discipline)
    period = _today_period()
    response = client.post(
        reverse("integrity:samples"),
        {"park": world_a.park.pk, "period_start": period["period_start"], "period_end": period["period_end"]},
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200

"""Services of the service rating cards (监督提醒卡): issuing and revoking cards, rating through a card, the
30-day rule per enterprise or browser, the confidential report of an improper demand and its anonymity, the
low-rating notice, and the audit trail."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from complaints.models import Ticket
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import AuditEvent, Notification
from integrity.models import RaterKind, ServiceCard, ServiceRating
from integrity.services import ratings as services
from tests.integrity.factories_ratings import issue_card, misconduct_category, rate

T0 = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def card(world_a):
    return issue_card(world_a)


# --- cards ----------------------------------------------------------------------------------------------


def test_an_official_issues_their_own_card_with_an_unguessable_token(world_a):
    card = services.service_card_issue(park=world_a.park, official=world_a.handler, actor=world_a.handler)

    assert card.is_valid and len(card.token) >= 22 and str(world_a.handler.pk) != card.token
    assert AuditEvent.objects.filter(action="service_card.issued", target_id=str(card.pk)).exists()


@pytest.mark.parametrize("role", ["discipline", "park_admin"])
def test_the_discipline_office_and_park_admins_issue_cards_for_others(world_a, role):
    card = services.service_card_issue(park=world_a.park, official=world_a.dispatcher, actor=getattr(world_a, role))

    assert card.official == world_a.dispatcher


@pytest.mark.parametrize("role", ["dispatcher", "auditor", "enterprise_user"])
def test_others_may_not_issue_someone_elses_card(world_a, role):
    with pytest.raises(PermissionDenied):
        services.service_card_issue(park=world_a.park, official=world_a.handler, actor=getattr(world_a, role))

    assert not ServiceCard.objects.exists()


def test_a_park_b_discipline_officer_may_not_issue_cards_in_park_a(world_a, world_b):
    with pytest.raises(PermissionDenied):
        services.service_card_issue(park=world_a.park, official=world_a.handler, actor=world_b.discipline)


def test_auditors_and_enterprise_users_get_no_card(world_a):
    for person in (world_a.auditor, world_a.enterprise_user):
        with pytest.raises(DomainError) as error:
            services.service_card_issue(park=world_a.park, official=person, actor=world_a.discipline)
        assert error.value.code == "not_an_official"


def test_a_second_valid_card_is_refused(world_a, card):
    with pytest.raises(Conflict):
        services.service_card_issue(park=world_a.park, official=world_a.handler, actor=world_a.handler)

    assert ServiceCard.objects.count() == 1


def test_reissuing_revokes_the_old_token_and_keeps_its_ratings(world_a, card):
    rate(card)

    new = services.service_card_reissue(card=card, actor=world_a.handler, reason="卡片遗失")

    card.refresh_from_db()
    assert card.revoked_at is not None and card.revoke_reason == "卡片遗失"
    assert new.is_valid and new.token != card.token
    assert ServiceRating.objects.get().card == card
    assert AuditEvent.objects.filter(action="service_card.revoked", target_id=str(card.pk)).exists()


def test_a_revoked_card_cannot_be_revoked_again(world_a, card):
    services.service_card_revoke(card=card, actor=world_a.discipline)

    with pytest.raises(Conflict):
        services.service_card_revoke(card=card, actor=world_a.discipline)


def test_issue_missing_gives_every_official_of_the_park_a_card_once(world_a):
    first = services.service_cards_issue_missing(park=world_a.park, actor=world_a.discipline)
    again = services.service_cards_issue_missing(park=world_a.park, actor=world_a.discipline)

    holders = {world_a.park_admin, world_a.dispatcher, world_a.handler, world_a.discipline}
    assert {c.official for c in first} == holders
    assert again == []


# --- rating ---------------------------------------------------------------------------------------------


def test_an_anonymous_visitor_rates_and_only_a_digest_of_the_browser_is_stored(world_a, card):
    submission = rate(card, browser_id="secret-browser-id", scores=(5, 4, 3), comment="办事很快")

    rating = submission.rating
    assert (rating.attitude, rating.efficiency, rating.integrity) == (5, 4, 3)
    assert rating.rater_kind == RaterKind.ANONYMOUS and rating.enterprise is None and rating.rated_by is None
    assert rating.browser_digest and "secret-browser-id" not in rating.browser_digest
    event = AuditEvent.objects.get(action="service_rating.submitted")
    assert event.actor_kind == "anonymous" and "secret-browser-id" not in str(event.data)


def test_the_same_browser_cannot_rate_the_same_official_twice_in_30_days(world_a, card):
    rate(card, browser_id="b1", now=T0)

    with pytest.raises(Conflict) as error:
        rate(card, browser_id="b1", now=T0 + dt.timedelta(days=29))

    assert error.value.code == "already_rated"
    assert ServiceRating.objects.count() == 1


def test_the_same_browser_rates_again_after_30_days(world_a, card):
    rate(card, browser_id="b1", now=T0)

    rate(card, browser_id="b1", now=T0 + dt.timedelta(days=30, minutes=1))

    assert ServiceRating.objects.count() == 2


def test_another_browser_and_another_official_are_not_blocked(world_a, card):
    other = issue_card(world_a, official=world_a.dispatcher)
    rate(card, browser_id="b1", now=T0)

    rate(card, browser_id="b2", now=T0)
    rate(other, browser_id="b1", now=T0)

    assert ServiceRating.objects.count() == 3


def test_browser_digests_differ_per_official_so_ratings_cannot_be_linked(world_a, card):
    other = issue_card(world_a, official=world_a.dispatcher)

    one = rate(card, browser_id="b1").rating
    two = rate(other, browser_id="b1").rating

    assert one.browser_digest != two.browser_digest


def test_an_enterprise_user_rates_as_the_enterprise_once_in_30_days(world_a, card):
    rating = rate(card, actor=world_a.enterprise_user, now=T0).rating

    assert rating.rater_kind == RaterKind.ENTERPRISE and rating.enterprise == world_a.enterprise
    assert rating.browser_digest == ""
    with pytest.raises(Conflict):
        rate(card, actor=world_a.enterprise_user, now=T0 + dt.timedelta(days=10))


def test_a_colleague_of_the_same_enterprise_is_held_to_the_enterprises_window(world_a, card):
    from tests.accounts.factories import UserFactory
    from tests.parks.factories import EnterpriseMembershipFactory

    colleague = UserFactory(username="colleague", roles=["enterprise"])
    EnterpriseMembershipFactory(user=colleague, enterprise=world_a.enterprise)
    rate(card, actor=world_a.enterprise_user, now=T0)

    with pytest.raises(Conflict):
        rate(card, actor=colleague, now=T0 + dt.timedelta(days=1))


@pytest.mark.parametrize("role", ["handler", "dispatcher", "discipline", "auditor"])
def test_staff_and_the_official_themself_may_not_rate(world_a, card, role):
    with pytest.raises(PermissionDenied):
        rate(card, actor=getattr(world_a, role))

    assert not ServiceRating.objects.exists()


@pytest.mark.parametrize(
    ("scores", "field"), [((0, 3, 3), "attitude"), ((3, 6, 3), "efficiency"), ((3, 3, "x"), "integrity")]
)
def test_scores_outside_1_to_5_are_refused(world_a, card, scores, field):
    with pytest.raises(DomainError) as error:
        rate(card, scores=scores)

    assert error.value.field == field
    assert not ServiceRating.objects.exists()


def test_a_revoked_card_takes_no_rating(world_a, card):
    services.service_card_revoke(card=card, actor=world_a.handler)

    with pytest.raises(Conflict):
        rate(card)


def test_a_visitor_without_the_browser_cookie_is_refused(world_a, card):
    with pytest.raises(DomainError) as error:
        rate(card, browser_id="")

    assert error.value.code == "no_browser_id"


def test_a_too_long_comment_is_refused(world_a, card):
    with pytest.raises(DomainError) as error:
        rate(card, comment="长" * 1001)

    assert error.value.field == "comment"


# --- improper demands (吃拿卡要) ------------------------------------------------------------------------------


def test_an_anonymous_report_opens_a_confidential_misconduct_ticket_against_the_official(world_a, card):
    category = misconduct_category(world_a.park)

    submission = rate(card, scores=(1, 1, 1), improper_demand=True, improper_demand_text="暗示要请吃饭才给办")

    ticket = submission.ticket
    assert submission.receipt_code and ticket.is_anonymous and ticket.submitter is None
    assert ticket.is_confidential and ticket.category == category and ticket.accused_official == world_a.handler
    assert ticket.channel == "qr" and ticket.body == "暗示要请吃饭才给办"
    assert submission.rating.pk and submission.rating.ticket is None


def test_a_named_report_of_an_enterprise_user_is_linked_to_the_rating(world_a, card):
    misconduct_category(world_a.park)

    submission = rate(card, actor=world_a.enterprise_user, improper_demand=True, improper_demand_text="要求报销")

    assert submission.receipt_code is None
    assert submission.ticket.submitter == world_a.enterprise_user
    assert submission.ticket.enterprise == world_a.enterprise
    assert submission.rating.ticket == submission.ticket


def test_an_enterprise_users_anonymous_report_is_not_linked_to_the_enterprises_rating(world_a, card):
    misconduct_category(world_a.park)

    submission = rate(
        card,
        actor=world_a.enterprise_user,
        improper_demand=True,
        improper_demand_text="要求送礼",
        report_anonymously=True,
    )

    assert submission.ticket.is_anonymous and submission.ticket.submitter is None
    assert submission.ticket.enterprise is None and submission.receipt_code
    assert submission.rating.enterprise == world_a.enterprise and submission.rating.ticket is None
    event = AuditEvent.objects.get(action="service_rating.submitted")
    assert event.data["after"]["ticket"] is None


def test_a_ticked_report_without_text_saves_nothing(world_a, card):
    misconduct_category(world_a.park)

    with pytest.raises(DomainError) as error:
        rate(card, improper_demand=True, improper_demand_text="  ")

    assert error.value.field == "improper_demand_text"
    assert not ServiceRating.objects.exists() and not Ticket.objects.exists()


def test_a_report_the_park_cannot_take_saves_neither_rating_nor_ticket(world_a, card):
    with pytest.raises(DomainError) as error:
        rate(card, improper_demand=True, improper_demand_text="要求吃请")

    assert error.value.code == "no_misconduct_category"
    assert not ServiceRating.objects.exists() and not Ticket.objects.exists()


def test_a_rating_refused_by_the_window_files_no_report(world_a, card):
    misconduct_category(world_a.park)
    rate(card, browser_id="b1", now=T0)

    with pytest.raises(Conflict):
        rate(card, browser_id="b1", improper_demand=True, improper_demand_text="要求吃请", now=T0)

    assert not Ticket.objects.exists()


# --- notices --------------------------------------------------------------------------------------------


def test_a_low_rating_notifies_the_discipline_office_not_the_official(world_a, card):
    rate(card, scores=(5, 2, 5))

    assert Notification.objects.filter(recipient=world_a.discipline, kind="service_rating.low").exists()
    assert not Notification.objects.filter(recipient=world_a.handler, kind="service_rating.low").exists()
    assert ServiceRating.objects.get().is_low


def test_a_good_rating_notifies_nobody(world_a, card):
    rate(card, scores=(3, 3, 3))

    assert not Notification.objects.filter(kind="service_rating.low").exists()

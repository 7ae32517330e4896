"""Pledges: publishing versions, signing (version and hash recorded, superseded refused), renewal reminders
exactly once, the public board and coverage."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.audit import events_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Notification
from integrity.choices import Audience, ConductKind, SignerKind
from integrity.models import Pledge, PledgeReminder
from integrity.selectors.pledges import pledge_board, pledge_coverage
from integrity.services.conduct import conduct_list_publish
from integrity.services.pledges import pledge_reminders_send, pledge_sign, pledge_template_publish
from tests.parks.factories import EnterpriseFactory, EnterpriseMembershipFactory

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def publish(world, kind=SignerKind.OFFICIAL, text="本人郑重承诺:不收受管理服务对象礼品礼金。", **kwargs):
    return pledge_template_publish(
        park=world.park, signer_kind=kind, title="廉洁承诺书", text=text, actor=world.discipline, **kwargs
    )


def test_signing_records_the_version_and_the_sha256_of_the_document_signed(world_a):
    template = publish(world_a)
    pledge = pledge_sign(template=template, actor=world_a.handler)
    expected = hashlib.sha256(template.document().encode("utf-8")).hexdigest()
    assert (pledge.template_version, pledge.text_sha256) == (1, expected)


def test_the_signed_document_includes_the_cited_conduct_items(world_a):
    conduct = conduct_list_publish(
        park=world_a.park,
        audience=Audience.OFFICIALS,
        title="园区干部“十不准”",
        items=[(ConductKind.PROHIBITED, "不准吃拿卡要")],
        actor=world_a.park_admin,
    )
    template = publish(world_a, cited_items=list(conduct.items.all()))
    assert template.document().endswith("1. 不准吃拿卡要")


def test_signing_writes_an_audit_event(world_a):
    pledge = pledge_sign(template=publish(world_a), actor=world_a.handler)
    assert [e.action for e in events_for(pledge)] == ["pledge.signed"]


def test_signing_a_superseded_version_is_refused(world_a):
    old = publish(world_a)
    publish(world_a, text="新版承诺书正文")
    with pytest.raises(Conflict) as caught:
        pledge_sign(template=old, actor=world_a.handler)
    assert caught.value.code == "template_superseded"


def test_publishing_a_new_version_supersedes_the_old_one_and_numbers_it(world_a):
    old = publish(world_a)
    new = publish(world_a, text="新版承诺书正文")
    old.refresh_from_db()
    assert (new.version, old.superseded_at is not None, new.superseded_at) == (2, True, None)


def test_publishing_is_refused_to_a_handler(world_a):
    with pytest.raises(PermissionDenied):
        pledge_template_publish(
            park=world_a.park, signer_kind=SignerKind.OFFICIAL, title="t", text="x", actor=world_a.handler
        )


def test_a_pledge_cannot_cite_items_of_another_park(world_a, world_b):
    foreign = conduct_list_publish(
        park=world_b.park,
        audience=Audience.OFFICIALS,
        title="乙园区清单",
        items=[(ConductKind.PROHIBITED, "不准违规收礼")],
        actor=world_b.park_admin,
    )
    with pytest.raises(DomainError) as caught:
        publish(world_a, cited_items=list(foreign.items.all()))
    assert caught.value.field == "cited_items"


def test_signing_is_refused_when_the_text_changed_since_it_was_read(world_a):
    template = publish(world_a)
    with pytest.raises(Conflict) as caught:
        pledge_sign(template=template, actor=world_a.handler, expected_sha256="0" * 64)
    assert caught.value.code == "text_changed"


def test_an_official_of_another_park_cannot_sign_the_officials_pledge(world_a, world_b):
    with pytest.raises(PermissionDenied):
        pledge_sign(template=publish(world_a), actor=world_b.handler)


def test_an_auditor_cannot_sign_the_officials_pledge(world_a):
    with pytest.raises(PermissionDenied):
        pledge_sign(template=publish(world_a), actor=world_a.auditor)


def test_an_enterprise_user_signs_for_their_verified_enterprise(world_a):
    template = publish(world_a, kind=SignerKind.ENTERPRISE)
    pledge = pledge_sign(template=template, actor=world_a.enterprise_user, enterprise=world_a.enterprise)
    assert (pledge.enterprise, pledge.enterprise_name) == (world_a.enterprise, world_a.enterprise.name)


def test_an_enterprise_user_cannot_sign_for_an_enterprise_they_do_not_belong_to(world_a):
    other = EnterpriseFactory(park=world_a.park)
    template = publish(world_a, kind=SignerKind.ENTERPRISE)
    with pytest.raises(PermissionDenied):
        pledge_sign(template=template, actor=world_a.enterprise_user, enterprise=other)


def test_an_enterprise_user_cannot_sign_for_an_unverified_enterprise(world_a):
    pending = EnterpriseFactory(park=world_a.park, status="pending")
    EnterpriseMembershipFactory(user=world_a.enterprise_user, enterprise=pending)
    template = publish(world_a, kind=SignerKind.ENTERPRISE)
    with pytest.raises(PermissionDenied):
        pledge_sign(template=template, actor=world_a.enterprise_user, enterprise=pending)


def test_signing_the_same_version_again_long_before_expiry_is_refused(world_a):
    template = publish(world_a)
    pledge_sign(template=template, actor=world_a.handler)
    with pytest.raises(Conflict) as caught:
        pledge_sign(template=template, actor=world_a.handler)
    assert caught.value.code == "already_signed"


def test_a_pledge_can_be_renewed_within_the_reminder_window(world_a):
    template = publish(world_a)
    pledge_sign(template=template, actor=world_a.handler, now=START)
    renewal = pledge_sign(template=template, actor=world_a.handler, now=START + dt.timedelta(days=340))
    assert renewal.expires_at == START + dt.timedelta(days=340 + 365)


def test_a_pledge_expires_after_the_templates_term(world_a):
    template = publish(world_a, term_days=180)
    pledge = pledge_sign(template=template, actor=world_a.handler, now=START)
    assert not pledge.is_valid(at=START + dt.timedelta(days=181))


# --- renewal reminders ----------------------------------------------------------------------------------------


def _reminders(pledge):
    return sorted(PledgeReminder.objects.filter(pledge=pledge).values_list("threshold_days", "skipped"))


def test_each_renewal_reminder_is_sent_exactly_once_however_often_the_sweep_runs(world_a):
    pledge = pledge_sign(template=publish(world_a), actor=world_a.handler, now=START)
    for days_before in (30, 7, 0):
        moment = pledge.expires_at - dt.timedelta(days=days_before) + dt.timedelta(hours=1)
        pledge_reminders_send(now=moment)
        pledge_reminders_send(now=moment)
    notes = Notification.objects.filter(recipient=world_a.handler, kind="pledge.renewal")
    assert (notes.count(), _reminders(pledge)) == (3, [(0, False), (7, False), (30, False)])


def test_a_sweep_that_comes_late_sends_only_the_most_urgent_reminder(world_a):
    pledge = pledge_sign(template=publish(world_a), actor=world_a.handler, now=START)
    pledge_reminders_send(now=pledge.expires_at - dt.timedelta(days=3))
    assert _reminders(pledge) == [(7, False), (30, True)]


def test_a_renewed_pledge_gets_no_reminder(world_a):
    template = publish(world_a)
    old = pledge_sign(template=template, actor=world_a.handler, now=START)
    pledge_sign(template=template, actor=world_a.handler, now=old.expires_at - dt.timedelta(days=20))
    pledge_reminders_send(now=old.expires_at - dt.timedelta(days=6))
    assert _reminders(old) == []


def test_the_reminder_thresholds_come_from_the_park_settings(world_a):
    from integrity.services.settings import integrity_settings_update

    integrity_settings_update(park=world_a.park, actor=world_a.discipline, pledge_reminder_days=[60])
    pledge = pledge_sign(template=publish(world_a), actor=world_a.handler, now=START)
    pledge_reminders_send(now=pledge.expires_at - dt.timedelta(days=59))
    assert _reminders(pledge) == [(60, False)]


def test_the_reminder_sweep_is_audited(world_a):
    pledge = pledge_sign(template=publish(world_a), actor=world_a.handler, now=START)
    pledge_reminders_send(now=pledge.expires_at - dt.timedelta(days=29))
    assert [e.action for e in events_for(pledge)] == ["pledge.signed", "pledge.reminder_sent"]


# --- board and coverage ---------------------------------------------------------------------------------------


def test_the_board_shows_each_signers_latest_pledge_only(world_a):
    template = publish(world_a)
    pledge_sign(template=template, actor=world_a.handler, now=START)
    latest = pledge_sign(template=template, actor=world_a.handler, now=START + dt.timedelta(days=350))
    assert list(pledge_board(world_a.park)) == [latest]


def test_the_public_board_lists_names_and_posts_without_signing_in(client, world_a):
    world_a.handler.staff_profile.position = "企业服务专员"
    world_a.handler.staff_profile.save()
    pledge_sign(template=publish(world_a), actor=world_a.handler)
    response = client.get(reverse("integrity:pledge-board", args=[world_a.park.code]))
    assert response.status_code == 200
    assert world_a.handler.get_full_name() in response.content.decode()
    assert "企业服务专员" in response.content.decode()


def test_the_public_board_marks_expired_pledges(client, world_a):
    with time_machine.travel(START):
        pledge_sign(template=publish(world_a), actor=world_a.handler)
    with time_machine.travel(START + dt.timedelta(days=400)):
        response = client.get(reverse("integrity:pledge-board", args=[world_a.park.code]))
    assert "badge text-bg-secondary" in response.content.decode()


def test_coverage_counts_officials_and_verified_enterprises_with_a_valid_pledge(world_a):
    pledge_sign(template=publish(world_a), actor=world_a.handler)
    enterprise_template = publish(world_a, kind=SignerKind.ENTERPRISE)
    pledge_sign(template=enterprise_template, actor=world_a.enterprise_user, enterprise=world_a.enterprise)
    EnterpriseFactory(park=world_a.park)  # verified, unsigned
    EnterpriseFactory(park=world_a.park, status="pending")  # not counted
    coverage = pledge_coverage(world_a.park)
    # Officials of park A: park admin, dispatcher, handler, discipline officer (not the auditor).
    assert (coverage.officials_signed, coverage.officials_total) == (1, 4)
    assert (coverage.enterprises_signed, coverage.enterprises_total) == (1, 2)


def test_coverage_ignores_expired_pledges(world_a):
    pledge_sign(template=publish(world_a), actor=world_a.handler, now=START)
    coverage = pledge_coverage(world_a.park, at=START + dt.timedelta(days=366))
    assert coverage.officials_signed == 0


def test_coverage_panel_is_on_the_officials_home(client, world_a):
    pledge_sign(template=publish(world_a), actor=world_a.handler)
    client.force_login(world_a.park_admin)
    response = client.get(reverse("core:home"))
    assert 'data-panel="integrity-pledge-coverage"' in response.content.decode()


def test_signing_from_the_page_needs_the_agreement_box(client, world_a):
    template = publish(world_a)
    client.force_login(world_a.handler)
    client.post(reverse("integrity:pledge-sign", args=[template.pk]), {"sha256": template.document_sha256()})
    assert not Pledge.objects.exists()


def test_signing_from_the_page_records_the_pledge(client, world_a):
    template = publish(world_a)
    client.force_login(world_a.handler)
    response = client.post(
        reverse("integrity:pledge-sign", args=[template.pk]), {"sha256": template.document_sha256(), "agree": "1"}
    )
    pledge = Pledge.objects.get()
    assert response.url == reverse("integrity:pledge-detail", args=[pledge.pk])


def test_pledge_expiry_uses_local_dates_on_the_page(client, world_a):
    with time_machine.travel(START):
        pledge = pledge_sign(template=publish(world_a), actor=world_a.handler)
    client.force_login(world_a.handler)
    response = client.get(reverse("integrity:pledge-detail", args=[pledge.pk]))
    assert timezone.localtime(pledge.expires_at).strftime("%Y-%m-%d") in response.content.decode()

"""The audit trail (DESIGN §4.1): hash chains per record, append-only, tamper detection by verify_audit."""

import threading
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import DatabaseError, OperationalError, connection, connections, transaction

from core import audit
from core.models import AuditChainHead, AuditEvent, AuditImmutableError

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _chain_of(park, n):
    return [
        audit.record_event(action=f"park.step{i}", target=park, park=park, data={"step": i}) for i in range(1, n + 1)
    ]


def _tamper(sql, params):
    """Run raw SQL against the audit table, switching off the PostgreSQL triggers for this test's transaction
    (as the table owner could): the point is to prove that verify_audit notices what the database let pass."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


def _verify(*args):
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _verify_failing(*args):
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit", *args, stdout=out)
    assert excinfo.value.returncode == 1
    return out.getvalue()


# --- appending --------------------------------------------------------------------------------------------


def test_events_of_one_record_form_a_linked_chain(world_a):
    first, second = _chain_of(world_a.park, 2)

    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == ""
    assert second.prev_hash == first.hash
    assert first.chain == second.chain == f"parks.park:{world_a.park.pk}"


def test_each_record_has_its_own_chain_and_sequence(world_a, world_b):
    a1 = audit.record_event(action="park.touched", target=world_a.park)
    b1 = audit.record_event(action="park.touched", target=world_b.park)
    a2 = audit.record_event(action="park.touched", target=world_a.park)

    assert (a1.seq, b1.seq, a2.seq) == (1, 1, 2)
    assert b1.prev_hash == ""
    assert AuditChainHead.objects.get(chain=a1.chain).seq == 2
    assert AuditChainHead.objects.get(chain=b1.chain).seq == 1


def test_user_actor_is_recorded_with_name(world_a):
    event = audit.record_event(action="park.touched", target=world_a.park, actor=world_a.park_admin)

    assert event.actor_kind == "user"
    assert event.actor_id == world_a.park_admin.pk
    assert event.actor_label == world_a.park_admin.get_full_name()


def test_event_without_actor_is_a_system_event(world_a):
    event = audit.record_event(action="park.touched", target=world_a.park)

    assert (event.actor_kind, event.actor_id, event.actor_label) == ("system", None, "")


def test_anonymous_user_is_recorded_as_anonymous_without_identity(world_a):
    event = audit.record_event(action="ticket.filed", target=("complaints.ticket", 7), actor=AnonymousUser())

    assert (event.actor_kind, event.actor_id, event.actor_label) == ("anonymous", None, "")


def test_unsaved_target_is_refused(world_a):
    from parks.models import Park

    with pytest.raises(ValueError, match="unsaved"):
        audit.record_event(action="park.touched", target=Park(name="x", code="x"))


def test_naive_time_is_refused(world_a):
    with pytest.raises(ValueError, match="aware"):
        audit.record_event(action="park.touched", target=world_a.park, at=datetime(2025, 10, 1, 9, 0))


def test_data_is_stored_as_the_json_that_was_hashed(world_a):
    event = audit.record_event(
        action="park.touched",
        target=world_a.park,
        data={"amount": Decimal("12.50"), "when": datetime(2025, 10, 9, 9, 0, tzinfo=SHANGHAI), "big": 1e20},
    )
    event.refresh_from_db()

    assert event.data == {"amount": "12.50", "when": "2025-10-09 09:00:00+08:00", "big": 10**20}
    assert audit.verify_chains([event.chain]) == []


def test_events_for_returns_the_trail_oldest_first(world_a, world_b):
    _chain_of(world_a.park, 3)
    _chain_of(world_b.park, 1)

    trail = list(audit.events_for(world_a.park))

    assert [e.action for e in trail] == ["park.step1", "park.step2", "park.step3"]


def test_lock_chain_returns_the_chain_length(world_a):
    _chain_of(world_a.park, 2)

    with transaction.atomic():
        assert audit.lock_chain(world_a.park) == 2


def test_lock_chain_of_a_record_without_events_returns_zero(db):
    with transaction.atomic():
        assert audit.lock_chain(("core.calendaryear", 2027)) == 0


# --- the model refuses changes ------------------------------------------------------------------------------


def test_model_refuses_to_save_an_existing_event(world_a):
    event = audit.record_event(action="park.touched", target=world_a.park)
    event.action = "park.forged"

    with pytest.raises(AuditImmutableError):
        event.save()


def test_model_refuses_to_delete_an_event(world_a):
    event = audit.record_event(action="park.touched", target=world_a.park)

    with pytest.raises(AuditImmutableError):
        event.delete()


def test_queryset_refuses_update(world_a):
    audit.record_event(action="park.touched", target=world_a.park)

    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(action="park.touched").update(action="park.forged")


def test_queryset_refuses_delete(world_a):
    audit.record_event(action="park.touched", target=world_a.park)

    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()


# --- the database refuses changes (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_refuses_update_of_an_event(world_a):
    event = audit.record_event(action="park.touched", target=world_a.park)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'park.forged' WHERE id = %s", [event.pk])


@pytest.mark.postgres
def test_postgresql_refuses_delete_of_an_event(world_a):
    event = audit.record_event(action="park.touched", target=world_a.park)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


@pytest.mark.postgres
def test_postgresql_refuses_rewinding_a_chain_head(world_a):
    event = audit.record_event(action="park.touched", target=world_a.park)

    with pytest.raises(DatabaseError, match="only move forward"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditchainhead SET seq = 0 WHERE chain = %s", [event.chain])


# --- appends do not serialise across records (PostgreSQL) ----------------------------------------------------


@contextmanager
def _chain_held_by_another_connection(target):
    """Another thread appends to `target`'s chain and keeps its transaction open until the block ends."""
    holding, release, errors = threading.Event(), threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                audit.record_event(action="ticket.filed", target=target)
                holding.set()
                release.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001 - handed to the main thread, which fails the test with it
            errors.append(exc)
            holding.set()
        finally:
            connections.close_all()

    worker = threading.Thread(target=hold)
    worker.start()
    try:
        assert holding.wait(timeout=30)
        yield
    finally:
        release.set()
        worker.join(timeout=30)
    assert errors == []


def _append_without_waiting(target):
    with transaction.atomic(), connection.cursor() as cursor:
        # Waiting for a lock fails after 2 s instead of hanging the test.
        cursor.execute("SET LOCAL lock_timeout = '2s'")
        return audit.record_event(action="ticket.filed", target=target)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_append_to_a_record_does_not_wait_for_another_records_open_append():
    with _chain_held_by_another_connection(("complaints.ticket", "A")):
        event_b = _append_without_waiting(("complaints.ticket", "B"))

    assert event_b.seq == 1
    assert audit.verify_chains() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_append_to_the_same_record_waits_for_its_open_append():
    with _chain_held_by_another_connection(("complaints.ticket", "A")), pytest.raises(OperationalError):
        _append_without_waiting(("complaints.ticket", "A"))


# --- verification ------------------------------------------------------------------------------------------


def test_verify_audit_reports_success_on_an_intact_trail(world_a, world_b):
    _chain_of(world_a.park, 3)
    _chain_of(world_b.park, 2)

    output = _verify()

    assert "no problems" in output
    assert "5 events in 2 chains" in output


def test_verify_audit_detects_an_edited_event_in_the_middle_of_a_chain(world_a):
    events = _chain_of(world_a.park, 3)
    _tamper("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"step": 99}', events[1].pk])

    output = _verify_failing()

    assert f"chain {events[1].chain} seq 2 (event #{events[1].pk}): edited" in output
    assert "1 problem" in output


def test_verify_audit_detects_an_edited_actor_label(world_a):
    event = audit.record_event(action="park.touched", target=world_a.park, actor=world_a.park_admin)
    _tamper("UPDATE core_auditevent SET actor_label = %s WHERE id = %s", ["别人", event.pk])

    output = _verify_failing()

    assert f"(event #{event.pk}): edited" in output


def test_verify_audit_detects_an_edited_last_event(world_a):
    events = _chain_of(world_a.park, 3)
    _tamper("UPDATE core_auditevent SET action = %s WHERE id = %s", ["park.forged", events[2].pk])

    output = _verify_failing()

    assert f"seq 3 (event #{events[2].pk}): edited" in output


def test_verify_audit_detects_an_event_deleted_from_the_middle_of_a_chain(world_a):
    events = _chain_of(world_a.park, 3)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])

    output = _verify_failing()

    # The gap shows at the event after the deleted one.
    assert f"chain {events[2].chain} seq 3 (event #{events[2].pk}): deleted" in output


def test_verify_audit_detects_an_event_deleted_from_the_end_of_a_chain(world_a):
    events = _chain_of(world_a.park, 3)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])

    output = _verify_failing()

    assert f"chain {events[2].chain} end of chain: deleted" in output


def test_verify_audit_detects_a_chain_whose_every_event_was_deleted(world_a):
    events = _chain_of(world_a.park, 2)
    _tamper("DELETE FROM core_auditevent WHERE chain = %s", [events[0].chain])

    output = _verify_failing()

    assert f"chain {events[0].chain} end of chain: deleted" in output


def test_verify_audit_detects_a_deleted_chain_head(world_a):
    events = _chain_of(world_a.park, 2)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditchainhead DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM core_auditchainhead WHERE chain = %s", [events[0].chain])

    output = _verify_failing()

    assert f"chain {events[0].chain} end of chain: deleted: the chain head is missing" in output


def test_verify_audit_limited_to_one_chain_ignores_the_others(world_a, world_b):
    tampered = _chain_of(world_a.park, 2)
    intact = _chain_of(world_b.park, 2)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [tampered[0].pk])

    assert "no problems" in _verify("--chain", intact[0].chain)
    assert "deleted" in _verify_failing("--chain", tampered[0].chain)


def test_verify_audit_limited_to_one_park_checks_only_its_chains(world_a, world_b):
    tampered = _chain_of(world_a.park, 2)
    _chain_of(world_b.park, 2)
    _tamper("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"step": 5}', tampered[0].pk])

    assert "no problems" in _verify("--park", world_b.park.code)
    assert "edited" in _verify_failing("--park", str(world_a.park.pk))


def test_verify_audit_refuses_an_unknown_park(world_a):
    with pytest.raises(CommandError, match="No park"):
        call_command("verify_audit", "--park", "nowhere", stdout=StringIO())


def test_verify_chains_reports_nothing_for_an_empty_trail(db):
    assert audit.verify_chains() == []

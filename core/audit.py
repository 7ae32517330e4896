"""Writing and verifying the audit trail (DESIGN §4.1).

`record_event` is the only writer of `AuditEvent`. Services call it inside their transaction, so a change
and its event commit or roll back together.

Why appends do not serialise: each audited record has its own hash chain (``"<app.model>:<pk>"``), and an
append locks only that chain's `AuditChainHead` row (``SELECT … FOR UPDATE``). Two services writing events
for two different tickets therefore never wait for each other; only two writers of the *same* record queue,
which they must anyway so that its sequence numbers stay gapless. There is no global sequence, no table
lock and no "last event" row shared by all records. (SQLite, the embedded demo database, locks the whole
file for any write; PostgreSQL is what production uses and what the concurrency test runs on.)

Tamper evidence: every event stores an HMAC-SHA256 (key ``settings.AUDIT_HMAC_KEY``) over all of its
columns and over its predecessor's hash. `verify_chains` recomputes them: an edited column breaks that
event's hash, a deleted event leaves a gap in the sequence and a broken ``prev_hash`` link, and events
deleted from a chain's end are noticed because the chain head still remembers the length and last hash.
On PostgreSQL triggers (migration ``core.0003``) also refuse UPDATE, DELETE and TRUNCATE of events and any
rewind of a chain head, so tampering needs the table owner to switch them off first.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import AuditChainHead, AuditEvent

SYSTEM = AuditEvent.ActorKind.SYSTEM.value
ANONYMOUS = AuditEvent.ActorKind.ANONYMOUS.value


def target_label(target):
    """``("complaints.ticket", "42")`` for a model instance; ``(type, id)`` tuples pass through."""
    if isinstance(target, tuple):
        return str(target[0]), str(target[1])
    if target.pk is None:
        raise ValueError("cannot audit an unsaved object: save it before recording its event")
    return target._meta.label_lower, str(target.pk)


def chain_for(target):
    """The chain name of a record: one chain per audited record."""
    target_type, target_id = target_label(target)
    return f"{target_type}:{target_id}"


def _canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def compute_hash(
    *,
    chain,
    seq,
    prev_hash,
    created_at,
    actor_id,
    actor_kind,
    actor_label,
    park_id,
    action,
    target_type,
    target_id,
    data,
):
    """HMAC-SHA256 over every column of an event and its predecessor's hash."""
    payload = _canonical(
        {
            "chain": chain,
            "seq": seq,
            "prev": prev_hash,
            "at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_kind": actor_kind,
            "actor_label": actor_label,
            "park": park_id,
            "action": action,
            "target": [target_type, target_id],
            "data": data,
        }
    )
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def _event_hash(event):
    return compute_hash(
        chain=event.chain,
        seq=event.seq,
        prev_hash=event.prev_hash,
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_kind=event.actor_kind,
        actor_label=event.actor_label,
        park_id=event.park_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        data=event.data,
    )


def _parse_float(text):
    # PostgreSQL's jsonb stores 1e+20 as 100000000000000000000, which reads back as an int: store it as that
    # int in the first place so the value hashed is the value read back.
    value = float(text)
    if "e" in text.lower() and value.is_integer():
        return int(value)
    return value


def _json_safe(data):
    # Store exactly what is hashed: round-trip through JSON so dates, decimals and lazy strings become text.
    return json.loads(_canonical(data or {}), parse_float=_parse_float)


def lock_chain(target):
    """Lock a record's chain head for the rest of the current transaction and return its length.

    For "do this once per record" decisions: a service that must not run twice for the same record locks
    the chain, looks at `events_for(target)`, and appends its event only when none is there yet. Must be
    called inside ``transaction.atomic()``.
    """
    chain = chain_for(target)
    # get_or_create re-reads with the same FOR UPDATE lock when a concurrent transaction inserted the head
    # first (it catches the unique-key error inside a savepoint), so both paths end holding the row lock.
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(chain=chain)
    return head.seq


def record_event(*, action, target, actor=None, park=None, data=None, actor_kind=None, at=None):
    """Append one event to the audit trail and return it.

    `action` is a dotted code (``ticket.accepted``); `target` a saved model instance or a ``(type, id)``
    tuple; `data` JSON-able (usually ``{"before": …, "after": …}``). `actor` is a user; without a signed-in
    user the event is a *system* one (tasks), or *anonymous* when ``actor_kind="anonymous"`` or the actor is
    Django's AnonymousUser — nothing that identifies an anonymous reporter (no IP, no user agent) is ever
    passed here. `at` (aware datetime) defaults to now. Runs inside the caller's transaction (opens one if
    there is none) and locks only this record's chain head.
    """
    target_type, target_id = target_label(target)
    if actor is not None and getattr(actor, "is_authenticated", False):
        kind = AuditEvent.ActorKind.USER.value
        actor_id = actor.pk
        actor_label = (actor.get_full_name() or actor.get_username())[:150]
    else:
        if actor_kind is None:
            actor_kind = ANONYMOUS if actor is not None else SYSTEM
        if actor_kind not in (SYSTEM, ANONYMOUS):
            raise ValueError(f"actor_kind must be {SYSTEM!r} or {ANONYMOUS!r} without a signed-in actor")
        kind = actor_kind
        actor_id = None
        actor_label = ""
    created_at = at or timezone.now()
    if timezone.is_naive(created_at):
        raise ValueError("record_event needs an aware datetime for `at`")
    park_id = getattr(park, "pk", park)
    chain = f"{target_type}:{target_id}"
    payload = _json_safe(data)
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get_or_create(chain=chain)[0]
        seq = head.seq + 1
        digest = compute_hash(
            chain=chain,
            seq=seq,
            prev_hash=head.last_hash,
            created_at=created_at,
            actor_id=actor_id,
            actor_kind=kind,
            actor_label=actor_label,
            park_id=park_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            data=payload,
        )
        event = AuditEvent.objects.create(
            created_at=created_at,
            actor_id=actor_id,
            actor_kind=kind,
            actor_label=actor_label,
            park_id=park_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            data=payload,
            chain=chain,
            seq=seq,
            prev_hash=head.last_hash,
            hash=digest,
        )
        AuditChainHead.objects.filter(chain=chain).update(seq=seq, last_hash=digest)
    return event


def events_for(target):
    """The trail of one record, oldest first, for history pages and printouts."""
    target_type, target_id = target_label(target)
    return (
        AuditEvent.objects.filter(target_type=target_type, target_id=target_id).select_related("actor").order_by("seq")
    )


PROBLEM_TEXT = {
    "edited": "edited: the stored hash does not match the event's content",
    "deleted": "deleted: the event before this one is missing (sequence gap or broken link)",
    "deleted_tail": "deleted: the chain head records more events than are present",
    "head": "edited: the chain head's last hash does not match the last event",
    "head_missing": "deleted: the chain head is missing, so deletions at the chain's end cannot be checked",
}


@dataclass(frozen=True)
class AuditProblem:
    """One finding of `verify_chains`. `problem` is ``"edited"`` or ``"deleted"``; `detail` says how it was
    noticed (a key of `PROBLEM_TEXT`)."""

    chain: str
    seq: int | None
    event_id: int | None
    problem: str
    detail: str = ""

    def __str__(self):
        where = f"seq {self.seq}" if self.seq is not None else "end of chain"
        ident = f" (event #{self.event_id})" if self.event_id else ""
        text = PROBLEM_TEXT.get(self.detail, self.problem)
        return f"chain {self.chain} {where}{ident}: {text}"


def verify_chains(chains=None, *, batch_size=2000):
    """Recompute every chain (or the given ones) and return the problems found, in chain order.

    - an event whose stored hash does not match its content: *edited*;
    - a gap in the sequence, or a ``prev_hash`` that is not the previous event's hash: *deleted*;
    - a chain whose head says it is longer than the events present: events *deleted* from its end.

    Heads are read before events, so events appended while this runs only make a chain look longer than
    its head, which is not a problem.
    """
    wanted = None if chains is None else set(chains)
    heads_qs = AuditChainHead.objects.all()
    if wanted is not None:
        heads_qs = heads_qs.filter(chain__in=wanted)
    heads = {chain: (seq, last_hash) for chain, seq, last_hash in heads_qs.values_list("chain", "seq", "last_hash")}
    events = AuditEvent.objects.order_by("chain", "seq")
    if wanted is not None:
        events = events.filter(chain__in=wanted)

    problems = []
    seen = set()
    without_head = []

    def close_chain(chain, last_seq, last_hash, last_id):
        head = heads.get(chain)
        if head is None:
            without_head.append(chain)
        elif head[0] > last_seq:
            problems.append(AuditProblem(chain, None, None, "deleted", "deleted_tail"))
        elif head[0] == last_seq and head[1] != last_hash:
            problems.append(AuditProblem(chain, last_seq, last_id, "edited", "head"))

    current, expected_seq, prev_hash, last_id = None, 1, "", None
    for event in events.iterator(chunk_size=batch_size):
        if event.chain != current:
            if current is not None:
                close_chain(current, expected_seq - 1, prev_hash, last_id)
            current, expected_seq, prev_hash = event.chain, 1, ""
            seen.add(current)
        if event.seq != expected_seq or event.prev_hash != prev_hash:
            problems.append(AuditProblem(event.chain, event.seq, event.id, "deleted", "deleted"))
        if _event_hash(event) != event.hash:
            problems.append(AuditProblem(event.chain, event.seq, event.id, "edited", "edited"))
        expected_seq, prev_hash, last_id = event.seq + 1, event.hash, event.id
    if current is not None:
        close_chain(current, expected_seq - 1, prev_hash, last_id)

    # Chains whose every event was deleted.
    for chain, (head_seq, _last_hash) in heads.items():
        if head_seq and chain not in seen:
            problems.append(AuditProblem(chain, None, None, "deleted", "deleted_tail"))
    # A chain without a head may just have been started after the heads were read: look again.
    if without_head:
        present = set(AuditChainHead.objects.filter(chain__in=without_head).values_list("chain", flat=True))
        for chain in without_head:
            if chain not in present:
                problems.append(AuditProblem(chain, None, None, "deleted", "head_missing"))
    problems.sort(key=lambda p: (p.chain, p.seq if p.seq is not None else float("inf")))
    return problems


__all__ = [
    "record_event",
    "events_for",
    "lock_chain",
    "chain_for",
    "verify_chains",
    "AuditProblem",
    "SYSTEM",
    "ANONYMOUS",
    "register_trail_visibility",
    "filter_events_for",
]


# --- who may read which trail ----------------------------------------------------------------------------
# A record's trail is as confidential as the record: events of a confidential ticket or of a declaration must
# not show in a general audit list (the admin's, an auditor's) to someone who may not see the record. Apps
# register, per target type, a function `visible_ids(user)` returning a queryset of the target ids (as
# strings) the user may see, or None when every record of that type is visible to them.
_TRAIL_VISIBILITY = {}


def register_trail_visibility(target_types, visible_ids):
    for target_type in target_types:
        _TRAIL_VISIBILITY[target_type] = visible_ids


def filter_events_for(user, queryset):
    """`queryset` of AuditEvents without the events of records `user` may not see (platform admins see all)."""
    from core.roles import is_platform_admin

    if is_platform_admin(user):
        return queryset
    for target_type, visible_ids in _TRAIL_VISIBILITY.items():
        ids = visible_ids(user)
        if ids is None:
            continue
        queryset = queryset.exclude(Q(target_type=target_type) & ~Q(target_id__in=ids))
    return queryset

"""Writing and verifying the audit trail (DESIGN §4.1).

`record_event` is the only writer of `AuditEvent`. Services call it inside their transaction, so a change
and its event commit or roll back together. Each audited record has its own hash chain; appending locks the
chain's head row only, so unrelated records never wait for each other.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import AuditChainHead, AuditEvent

SYSTEM = "system"
ANONYMOUS = "anonymous"


def target_label(target):
    """``("complaints.ticket", "42")`` for a model instance; tuples pass through."""
    if isinstance(target, tuple):
        return str(target[0]), str(target[1])
    return target._meta.label_lower, str(target.pk)


def _canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def compute_hash(
    *, chain, seq, prev_hash, created_at, actor_id, actor_kind, park_id, action, target_type, target_id, data
):
    """HMAC-SHA256 over an event's content and its predecessor's hash."""
    payload = _canonical(
        {
            "chain": chain,
            "seq": seq,
            "prev": prev_hash,
            "at": created_at.astimezone(timezone.UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_kind": actor_kind,
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
        park_id=event.park_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        data=event.data,
    )


def _json_safe(data):
    # Store exactly what is hashed: round-trip through JSON so dates, decimals and lazy strings become text.
    return json.loads(_canonical(data or {}))


def record_event(*, action, target, actor=None, park=None, data=None, actor_kind=None, at=None):
    """Append one event to the audit trail and return it.

    `actor` is a user, or None with ``actor_kind="system"`` (tasks) or ``"anonymous"`` (anonymous reporters:
    nothing that identifies them — no IP, no user agent — is ever passed here). Must run inside the caller's
    transaction; it opens one itself if there is none.
    """
    target_type, target_id = target_label(target)
    if actor is not None and getattr(actor, "is_authenticated", False):
        kind = AuditEvent.ActorKind.USER
        actor_id = actor.pk
        actor_label = actor.get_full_name() or actor.get_username()
    else:
        kind = actor_kind or SYSTEM
        actor_id = None
        actor_label = ""
    park_id = getattr(park, "pk", park)
    chain = f"{target_type}:{target_id}"
    payload = _json_safe(data)
    created_at = at or timezone.now()
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(chain=chain)
        if _created:
            # Another transaction may have created the same head concurrently; re-read it locked.
            head = AuditChainHead.objects.select_for_update().get(chain=chain)
        seq = head.seq + 1
        digest = compute_hash(
            chain=chain,
            seq=seq,
            prev_hash=head.last_hash,
            created_at=created_at,
            actor_id=actor_id,
            actor_kind=kind,
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


@dataclass(frozen=True)
class AuditProblem:
    chain: str
    seq: int | None
    event_id: int | None
    problem: str  # "edited", "deleted", "inserted", "head"

    def __str__(self):
        where = f"seq {self.seq}" if self.seq is not None else "end of chain"
        ident = f" (event #{self.event_id})" if self.event_id else ""
        return f"{self.chain} {where}{ident}: {self.problem}"


def verify_chains(chains=None, *, batch_size=2000):
    """Recompute every chain (or the given ones) and return the problems found, in chain order.

    - an event whose stored hash does not match its content: *edited*;
    - a gap in the sequence, or a ``prev_hash`` that is not the previous event's hash: *deleted* (or inserted);
    - a chain whose head says it is longer than the events present: events *deleted* from its end.
    """
    problems = []
    heads = dict(AuditChainHead.objects.values_list("chain", "seq"))
    qs = AuditEvent.objects.order_by("chain", "seq")
    if chains is not None:
        qs = qs.filter(chain__in=list(chains))
    current_chain, expected_seq, prev_hash = None, 1, ""
    seen_chains = set()

    def close_chain(chain, last_seq):
        head_seq = heads.get(chain)
        if head_seq is not None and head_seq > last_seq:
            problems.append(AuditProblem(chain, None, None, "deleted"))

    last_seq = 0
    for event in qs.iterator(chunk_size=batch_size):
        if event.chain != current_chain:
            if current_chain is not None:
                close_chain(current_chain, last_seq)
            current_chain, expected_seq, prev_hash = event.chain, 1, ""
            seen_chains.add(event.chain)
        if event.seq != expected_seq or event.prev_hash != prev_hash:
            problems.append(AuditProblem(event.chain, event.seq, event.id, "deleted"))
        if _event_hash(event) != event.hash:
            problems.append(AuditProblem(event.chain, event.seq, event.id, "edited"))
        expected_seq = event.seq + 1
        prev_hash = event.hash
        last_seq = event.seq
    if current_chain is not None:
        close_chain(current_chain, last_seq)
    # Chains whose every event was deleted.
    for chain, head_seq in heads.items():
        if head_seq and chain not in seen_chains and (chains is None or chain in chains):
            problems.append(AuditProblem(chain, None, None, "deleted"))
    return problems


__all__ = ["record_event", "events_for", "verify_chains", "AuditProblem", "SYSTEM", "ANONYMOUS"]

"""Random verification samples of declarations (抽查核实)."""

import math
import random
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from integrity.choices import DeclarationKind, DeclarationStatus, VerificationOutcome
from integrity.models import Declaration, SampleItem, VerificationSample
from integrity.selectors.access import can_review_declarations
from integrity.selectors.settings import settings_for


def sample_size(population, percent, minimum):
    """``ceil(population × percent / 100)``, at least `minimum`, at most the population."""
    if population <= 0:
        return 0
    return min(population, max(int(minimum), math.ceil(population * int(percent) / 100)))


def draw(population_ids, size, seed):
    """The drawn ids: reproducible from the seed and the population alone."""
    return sorted(random.Random(seed).sample(sorted(population_ids), size))


def verification_sample_draw(
    *, park, actor, period_start, period_end, kinds=(), percent=None, minimum=None, note="", seed=None, now=None
):
    """A discipline officer of the park draws a random sample of the declarations filed (submitted at least
    once) between `period_start` and `period_end`, optionally of some kinds only: `percent` of them (the
    park's setting, 10 % by default), at least `minimum` (1). The seed comes from the system's secure random
    source unless given; population, seed and drawn ids are stored and audited so the draw can be redone.

    Refuses anyone else, a period that ends before it starts, and an empty population (``empty_population``).
    Audit: ``verification_sample.drawn``."""
    if not can_review_declarations(actor, park):
        raise PermissionDenied(_("Only a discipline officer of the park draws verification samples."))
    if period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    kinds = sorted(set(kinds or ()))
    if any(kind not in DeclarationKind.values for kind in kinds):
        raise DomainError(_("Unknown kind of declaration."), field="kinds")
    rules = settings_for(park)
    percent = int(percent if percent is not None else rules.sample_percent)
    minimum = int(minimum if minimum is not None else rules.sample_minimum)
    if not 1 <= percent <= 100:
        raise DomainError(_("The share is between 1 and 100 %."), field="percent")
    now = now or timezone.now()
    seed = str(seed) if seed is not None else secrets.token_hex(16)
    with transaction.atomic():
        population = Declaration.objects.filter(
            park=park,
            first_submitted_at__date__gte=period_start,
            first_submitted_at__date__lte=period_end,
        ).exclude(status=DeclarationStatus.DRAFT)
        if kinds:
            population = population.filter(kind__in=kinds)
        population_ids = sorted(population.values_list("pk", flat=True))
        if not population_ids:
            raise DomainError(
                _("No declarations were filed in this period: there is nothing to sample."),
                code="empty_population",
            )
        size = sample_size(len(population_ids), percent, minimum)
        drawn = draw(population_ids, size, seed)
        sample = VerificationSample.objects.create(
            park=park,
            drawn_by=actor,
            drawn_at=now,
            period_start=period_start,
            period_end=period_end,
            kinds=kinds,
            percent=percent,
            minimum=minimum,
            seed=seed,
            population_ids=population_ids,
            population_size=len(population_ids),
            note=(note or "").strip(),
        )
        SampleItem.objects.bulk_create(SampleItem(sample=sample, declaration_id=pk) for pk in drawn)
        record_event(
            action="verification_sample.drawn",
            target=sample,
            actor=actor,
            park=park,
            data={
                "seed": seed,
                "period": [period_start, period_end],
                "kinds": kinds,
                "percent": percent,
                "minimum": minimum,
                "population_size": len(population_ids),
                "population_ids": population_ids,
                "drawn_ids": drawn,
            },
        )
    return sample


def sample_item_verify(*, item, actor, outcome, note="", now=None):
    """A discipline officer of the park records the outcome of verifying one sampled declaration:
    confirmed, or a discrepancy (with findings). Refuses anyone else, the declarant of the item, an item
    already verified (``already_verified``) and a discrepancy without findings.
    Audit: ``sample_item.verified``."""
    if outcome not in (VerificationOutcome.CONFIRMED, VerificationOutcome.DISCREPANCY):
        raise DomainError(_("Choose the outcome."), field="outcome")
    note = (note or "").strip()
    if outcome == VerificationOutcome.DISCREPANCY and not note:
        raise DomainError(_("Describe the discrepancy found."), field="note", code="required")
    now = now or timezone.now()
    with transaction.atomic():
        row = SampleItem.objects.select_for_update().select_related("sample", "declaration").get(pk=item.pk)
        if not can_review_declarations(actor, row.sample.park_id) or row.declaration.declarant_id == actor.pk:
            raise PermissionDenied(_("Only a discipline officer of the park, not the declarant, verifies this."))
        if row.outcome != VerificationOutcome.PENDING:
            raise Conflict(_("This declaration has already been verified."), code="already_verified")
        before = row.outcome
        row.outcome, row.note, row.verified_by, row.verified_at = outcome, note, actor, now
        row.save(update_fields=["outcome", "note", "verified_by", "verified_at"])
        record_event(
            action="sample_item.verified",
            target=row,
            actor=actor,
            park=row.sample.park_id,
            data={"before": {"outcome": before}, "after": {"outcome": outcome}, "declaration": row.declaration_id},
        )
    return row

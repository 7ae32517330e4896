"""State changes of pledges (廉洁承诺): publishing a text, signing it, and the renewal reminders."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from core.roles import EXPERT, has_role
from core.scoping import enterprise_ids_for
from integrity.choices import ENTERPRISE_SIGNER_KINDS, SignerKind
from integrity.models import ConductItem, Pledge, PledgeReminder, PledgeTemplate
from integrity.selectors.access import can_manage_integrity, is_park_official
from integrity.selectors.pledges import latest_pledges, renewal_window_days
from integrity.selectors.settings import settings_for


def pledge_template_publish(*, park, signer_kind, title, text, actor, term_days=365, cited_items=(), now=None):
    """Publish a new version of the park's pledge text for `signer_kind`; the version in force (if any) is
    superseded at the same moment and can no longer be signed.

    May call: the park's administrators and discipline officers, platform administrators. Refuses an empty
    title or text, a term under 30 days, and cited items that are not in the park's current conduct lists.
    Audit: ``pledge_template.published`` on the new version, ``pledge_template.superseded`` on the old."""
    if not can_manage_integrity(actor, park):
        raise PermissionDenied()
    if signer_kind not in SignerKind.values:
        raise DomainError(_("Unknown kind of signer."), field="signer_kind")
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise DomainError(_("A pledge needs a title."), field="title")
    if not text:
        raise DomainError(_("A pledge needs a text."), field="text")
    if term_days is None or int(term_days) < 30:
        raise DomainError(_("A pledge is valid for at least 30 days."), field="term_days")
    item_ids = [getattr(item, "pk", item) for item in cited_items or ()]
    items = list(
        ConductItem.objects.filter(
            pk__in=item_ids, conduct_list__park=park, conduct_list__superseded_at__isnull=True
        ).order_by("conduct_list_id", "order")
    )
    if len(items) != len(set(item_ids)):
        raise DomainError(_("A pledge can cite only items of the park's current conduct lists."), field="cited_items")
    now = now or timezone.now()
    with transaction.atomic():
        previous = list(
            PledgeTemplate.objects.select_for_update().filter(park=park, signer_kind=signer_kind).order_by("-version")
        )
        version = previous[0].version + 1 if previous else 1
        template = PledgeTemplate.objects.create(
            park=park,
            signer_kind=signer_kind,
            version=version,
            title=title,
            text=text,
            term_days=int(term_days),
            published_at=now,
            published_by=actor,
        )
        template.cited_items.set(items)
        for old in previous:
            if old.superseded_at is None:
                old.superseded_at = now
                old.save(update_fields=["superseded_at"])
                record_event(
                    action="pledge_template.superseded",
                    target=old,
                    actor=actor,
                    park=park,
                    data={"before": {"superseded_at": None}, "after": {"superseded_at": now}, "by": template.pk},
                )
        record_event(
            action="pledge_template.published",
            target=template,
            actor=actor,
            park=park,
            data={
                "signer_kind": signer_kind,
                "version": version,
                "term_days": template.term_days,
                "cited_items": [item.pk for item in items],
                "sha256": template.document_sha256(items),
            },
        )
    return template


def pledge_sign(*, template, actor, enterprise=None, reference="", expected_sha256=None, now=None):
    """Sign the version `template` of a pledge: an official for themself (officials' and evaluators'
    pledges), an enterprise user for a verified enterprise they act for (enterprise, supplier and contract
    pledges). Records the version and the SHA-256 of the exact document signed.

    Refuses a superseded or foreign version (``template_superseded``), a document that changed since the
    signer read it (``expected_sha256`` differs), a signer of the wrong kind, and a second signature while a
    valid one of the same version (and the same `reference`: evaluators' pledges and integrity contracts are
    signed per tender) is not yet due for renewal. Audit: ``pledge.signed``."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locking the version serialises signing with publishing a newer one.
        template = PledgeTemplate.objects.select_for_update().select_related("park").get(pk=template.pk)
        if template.superseded_at is not None:
            raise Conflict(
                _("This version of the pledge has been replaced by a newer one; sign the current version."),
                code="template_superseded",
            )
        park = template.park
        if template.signer_kind in ENTERPRISE_SIGNER_KINDS:
            if enterprise is None:
                raise DomainError(_("Choose the enterprise you sign for."), field="enterprise")
            if getattr(enterprise, "pk", enterprise) not in enterprise_ids_for(actor):
                raise PermissionDenied(_("You can sign only for a verified enterprise you belong to."))
            if enterprise.park_id != park.pk:
                raise DomainError(_("This pledge is for enterprises of another park."), field="enterprise")
        else:
            if enterprise is not None:
                raise DomainError(_("This pledge is signed in your own name."), field="enterprise")
            # External experts (评审专家) sign the evaluators' pledge too, within the procurement step that
            # seats them on a committee (`procurement.services.evaluation.evaluator_pledge_sign`).
            expert_evaluator = template.signer_kind == SignerKind.EVALUATOR and has_role(actor, EXPERT)
            if not is_park_official(actor, park) and not expert_evaluator:
                raise PermissionDenied(_("Only officials of the park sign this pledge."))
        cited = list(template.cited_items.order_by("conduct_list_id", "order"))
        digest = template.document_sha256(cited)
        if expected_sha256 and expected_sha256 != digest:
            raise Conflict(
                _("The pledge text changed while you were reading it. Read it again before signing."),
                code="text_changed",
            )
        same_signer = Pledge.objects.filter(park=park, signer_kind=template.signer_kind)
        same_signer = (
            same_signer.filter(enterprise=enterprise) if enterprise is not None else same_signer.filter(signer=actor)
        )
        # Evaluators' pledges and integrity contracts are signed once per tender or contract (`reference`).
        same_signer = same_signer.filter(reference=(reference or "").strip()[:100])
        window = timedelta(days=renewal_window_days(park))
        if same_signer.filter(template=template, expires_at__gt=now + window).exists():
            raise Conflict(
                _("You have already signed this version; you can renew it when it is about to expire."),
                code="already_signed",
            )
        position = getattr(getattr(actor, "staff_profile", None), "position", "") if enterprise is None else ""
        pledge = Pledge.objects.create(
            template=template,
            park=park,
            signer_kind=template.signer_kind,
            signer=actor,
            enterprise=enterprise,
            signer_name=actor.get_full_name()[:150],
            signer_post=position[:200],
            enterprise_name=enterprise.name if enterprise is not None else "",
            reference=(reference or "").strip()[:100],
            template_version=template.version,
            text_sha256=digest,
            signed_at=now,
            expires_at=now + timedelta(days=template.term_days),
        )
        record_event(
            action="pledge.signed",
            target=pledge,
            actor=actor,
            park=park,
            data={
                "template": template.pk,
                "version": template.version,
                "sha256": digest,
                "enterprise": getattr(enterprise, "pk", None),
                "expires_at": pledge.expires_at,
            },
        )
    return pledge


def _pledge_recipients(pledge):
    recipients = [pledge.signer]
    if pledge.enterprise_id:
        from parks.models import EnterpriseMembership

        recipients += [
            m.user
            for m in EnterpriseMembership.objects.filter(
                enterprise_id=pledge.enterprise_id, role=EnterpriseMembership.Role.ADMIN
            ).select_related("user")
        ]
    return recipients


def pledge_remind(*, pledge, threshold_days, skip=(), now=None):
    """Send the renewal reminder of `pledge` for `threshold_days` (0: it has expired) once, and record the
    less urgent thresholds in `skip` as skipped so they never go out afterwards.

    Called by the beat sweep (`pledge_reminders_send`); does nothing when the reminder was already recorded,
    so two sweeps at once send one reminder. Audit: ``pledge.reminder_sent``."""
    now = now or timezone.now()
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update(skip_locked=True).filter(pk=pledge.pk).first()
        if pledge is None or PledgeReminder.objects.filter(pledge=pledge, threshold_days=threshold_days).exists():
            return False
        try:
            with transaction.atomic():
                PledgeReminder.objects.create(pledge=pledge, threshold_days=threshold_days, sent_at=now)
        except IntegrityError:
            return False
        for other in skip:
            PledgeReminder.objects.get_or_create(
                pledge=pledge, threshold_days=other, defaults={"sent_at": now, "skipped": True}
            )
        if threshold_days == 0:
            title = _t("Your integrity pledge has expired: please sign it again")
        else:
            title = _t("Your integrity pledge expires in %(days)d days: please renew it") % {"days": threshold_days}
        notify(
            recipients=_pledge_recipients(pledge),
            kind="pledge.renewal",
            title=title,
            body=_t("“%(title)s”, signed on %(signed)s, valid until %(expires)s.")
            % {
                "title": pledge.template.title,
                "signed": timezone.localtime(pledge.signed_at).date(),
                "expires": timezone.localtime(pledge.expires_at).date(),
            },
            url=reverse("integrity:my-pledges"),
            park=pledge.park,
        )
        record_event(
            action="pledge.reminder_sent",
            target=pledge,
            actor=None,
            park=pledge.park_id,
            data={"threshold_days": threshold_days, "skipped": list(skip)},
        )
    return True


def pledge_reminders_send(*, now=None):
    """The renewal sweep: for each signer's latest pledge that reached a reminder threshold of its park
    (30 and 7 days before expiry and at expiry by default), send the most urgent reminder not yet sent.
    Reads only pledges near or past expiry without a recorded reminder, so its cost follows what is due.
    Returns the number of reminders sent."""
    from parks.models import Park

    now = now or timezone.now()
    sent = 0
    for park in Park.objects.filter(is_active=True):
        thresholds = settings_for(park).pledge_thresholds
        if not thresholds:
            continue
        # A pledge that expired more than 30 days ago (e.g. before the portal ran) is history, not news.
        due = (
            latest_pledges()
            .filter(park=park, expires_at__lte=now + timedelta(days=thresholds[0]))
            .filter(expires_at__gt=now - timedelta(days=30))
            .select_related("template", "signer", "park")
        )
        reminded = PledgeReminder.objects.filter(pledge=OuterRef("pk"), threshold_days=min(thresholds))
        for pledge in due.exclude(Exists(reminded)).order_by("expires_at", "pk"):
            days_left = (pledge.expires_at - now).total_seconds() / 86400
            reached = [t for t in thresholds if days_left <= t]
            if not reached:
                continue
            most_urgent = min(reached)
            already = set(pledge.reminders.values_list("threshold_days", flat=True))
            if most_urgent in already:
                continue
            skip = [t for t in reached if t != most_urgent and t not in already]
            if pledge_remind(pledge=pledge, threshold_days=most_urgent, skip=skip, now=now):
                sent += 1
    return sent

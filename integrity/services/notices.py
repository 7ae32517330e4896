"""State changes of the disciplinary notices (通报): draft, change a draft, publish, withdraw.

The persons a notice names are stored apart from its text, so the public page masks them everywhere
(`integrity.models.notices.mask_names_in`). Names never go into the audit trail's data: events record the
number of persons, the visibility and the statuses.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.notifications import notify
from integrity.choices_risk import NoticeKind, NoticeStatus, NoticeVisibility
from integrity.models import DisciplinaryNotice, NoticePerson
from integrity.selectors.notices import can_write_notices
from integrity.selectors.risks import park_officials

FIELDS = ("number", "kind", "title", "body", "issued_on", "visibility")


def _clean_persons(persons):
    """``[{"name": …, "position": …}, …]`` (or plain names) → the same, stripped, without empty names."""
    cleaned = []
    for person in persons or ():
        if isinstance(person, str):
            person = {"name": person}
        name = (person.get("name") or "").strip()
        position = (person.get("position") or "").strip()
        if not name:
            continue
        if len(name) > 50 or len(position) > 200:
            raise DomainError(_("A name or post is too long."), code="too_long", field="persons")
        cleaned.append({"name": name, "position": position})
    return cleaned


def _validate(values):
    title = (values.get("title") or "").strip()
    body = (values.get("body") or "").strip()
    if not title:
        raise DomainError(_("Give the notice a title."), code="required", field="title")
    if not body:
        raise DomainError(_("Write the notice's text."), code="required", field="body")
    if values.get("kind") not in NoticeKind.values:
        raise DomainError(_("Choose the kind of notice."), code="invalid_kind", field="kind")
    if values.get("visibility") not in NoticeVisibility.values:
        raise DomainError(_("Choose who may read the notice."), code="invalid_visibility", field="visibility")
    if values.get("issued_on") is None:
        raise DomainError(_("Give the date of issue."), code="required", field="issued_on")
    values["title"], values["body"] = title[:200], body
    values["number"] = (values.get("number") or "").strip()[:60]
    return values


def _save_persons(notice, persons):
    notice.persons.all().delete()
    NoticePerson.objects.bulk_create(
        NoticePerson(notice=notice, name=p["name"], position=p["position"], order=n)
        for n, p in enumerate(persons, start=1)
    )


def _summary(notice, persons_count):
    return {
        "status": notice.status,
        "visibility": notice.visibility,
        "kind": notice.kind,
        "issued_on": notice.issued_on,
        "persons": persons_count,
    }


def notice_draft(
    *,
    park,
    actor,
    title,
    body,
    kind=NoticeKind.CRITICISM,
    visibility=NoticeVisibility.INTERNAL,
    issued_on=None,
    number="",
    persons=(),
):
    """Draft a notice of `park`, with the persons it names (``[{"name", "position"}]``).

    The park's discipline officers and platform administrators. Refuses an empty title or text, an unknown
    kind or visibility. Records ``notice.drafted``.
    """
    if not can_write_notices(actor, park):
        raise PermissionDenied(_("Only the park's discipline office issues notices."))
    values = _validate(
        {
            "number": number,
            "kind": kind,
            "title": title,
            "body": body,
            "issued_on": issued_on or timezone.localdate(),
            "visibility": visibility,
        }
    )
    persons = _clean_persons(persons)
    with transaction.atomic():
        notice = DisciplinaryNotice.objects.create(park=park, created_by=actor, status=NoticeStatus.DRAFT, **values)
        _save_persons(notice, persons)
        record_event(
            action="notice.drafted",
            target=notice,
            actor=actor,
            park=park,
            data={"after": _summary(notice, len(persons))},
        )
    return notice


def notice_update(*, notice, actor, persons=None, **changes):
    """Change a draft notice (`FIELDS`, and the persons when `persons` is given). The park's discipline
    officers. Refuses a published or withdrawn notice and unknown fields. Records ``notice.updated`` with
    the names of the fields changed."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        notice = DisciplinaryNotice.objects.select_for_update().get(pk=notice.pk)
        if not can_write_notices(actor, notice.park_id):
            raise PermissionDenied(_("Only the park's discipline office issues notices."))
        if notice.status != NoticeStatus.DRAFT:
            raise Conflict(_("Only a draft notice can be changed."), code="notice_not_draft")
        values = _validate({**{f: getattr(notice, f) for f in FIELDS}, **changes})
        changed = [f for f in FIELDS if getattr(notice, f) != values[f]]
        for field in changed:
            setattr(notice, field, values[field])
        if changed:
            notice.save(update_fields=[*changed, "updated_at"])
        if persons is not None:
            cleaned = _clean_persons(persons)
            if [(p.name, p.position) for p in notice.persons.all()] != [(p["name"], p["position"]) for p in cleaned]:
                _save_persons(notice, cleaned)
                changed.append("persons")
        if changed:
            record_event(
                action="notice.updated",
                target=notice,
                actor=actor,
                park=notice.park_id,
                data={"fields": changed, "after": _summary(notice, notice.persons.count())},
            )
    return notice


def notice_publish(*, notice, actor):
    """Publish a draft notice: a public one appears on the public page (names masked), an internal one to the
    park's officials, who are notified. The park's discipline officers. Refuses a notice that is not a
    draft. Records ``notice.published``."""
    with transaction.atomic():
        notice = DisciplinaryNotice.objects.select_for_update(of=("self",)).select_related("park").get(pk=notice.pk)
        if not can_write_notices(actor, notice.park_id):
            raise PermissionDenied(_("Only the park's discipline office issues notices."))
        if notice.status != NoticeStatus.DRAFT:
            raise Conflict(_("Only a draft notice can be published."), code="notice_not_draft")
        notice.status = NoticeStatus.PUBLISHED
        notice.published_at = timezone.now()
        notice.published_by = actor
        notice.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        record_event(
            action="notice.published",
            target=notice,
            actor=actor,
            park=notice.park_id,
            data={"before": {"status": NoticeStatus.DRAFT}, "after": _summary(notice, notice.persons.count())},
        )
        notify(
            recipients=[u for u in park_officials(notice.park) if u.pk != actor.pk],
            kind="notice.published",
            title=_t("Notice: %(title)s") % {"title": notice.title},
            url=reverse("integrity:notice-detail", kwargs={"pk": notice.pk}),
            park=notice.park,
            email=False,
        )
    return notice


def notice_withdraw(*, notice, actor, reason):
    """Withdraw a published notice (it leaves the public page and the officials' list, stays in the
    discipline office's), with the reason. The park's discipline officers. Refuses a notice that is not
    published and an empty reason. Records ``notice.withdrawn``."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the notice is withdrawn."), code="required", field="reason")
    with transaction.atomic():
        notice = DisciplinaryNotice.objects.select_for_update().get(pk=notice.pk)
        if not can_write_notices(actor, notice.park_id):
            raise PermissionDenied(_("Only the park's discipline office issues notices."))
        if notice.status != NoticeStatus.PUBLISHED:
            raise Conflict(_("Only a published notice can be withdrawn."), code="notice_not_published")
        notice.status = NoticeStatus.WITHDRAWN
        notice.withdrawn_at = timezone.now()
        notice.withdrawal_reason = reason
        notice.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
        record_event(
            action="notice.withdrawn",
            target=notice,
            actor=actor,
            park=notice.park_id,
            data={"before": {"status": NoticeStatus.PUBLISHED}, "after": {"status": notice.status}, "reason": reason},
        )
    return notice

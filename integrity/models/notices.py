"""Disciplinary notices (通报): internal to the park's officials, or public with the persons' names masked.

The names of the persons a notice concerns are stored apart from its text (`NoticePerson`), so that the
public page can mask them wherever they occur — in the list of persons and inside the body — without a
masked copy of the text to keep in step. Rows change only through `integrity.services.notices`.
"""

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices_risk import NoticeKind, NoticeStatus, NoticeVisibility

__all__ = ["DisciplinaryNotice", "NoticePerson"]

# Two-character surnames (复姓) keep both characters when masked: 欧阳修 → 欧阳某.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "钟离",
        "宗政",
        "濮阳",
        "太史",
        "申屠",
        "公羊",
        "澹台",
        "闻人",
        "万俟",
        "赫连",
        "第五",
    ]
)
MASK = "某"


def mask_person_name(name):
    """``张三丰`` → ``张某某``, ``李四`` → ``李某``, ``欧阳修`` → ``欧阳某``: the surname, then 某 for each other
    character. A name in Latin letters keeps its first letter (``Wang Wei`` → ``W某``)."""
    name = (name or "").strip()
    if not name:
        return ""
    if name.isascii():
        return name[0] + MASK
    surname = name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[0]
    return surname + MASK * max(len(name) - len(surname), 1)


def mask_names_in(text, names):
    """`text` with every occurrence of each name replaced by its masked form (longest names first, so
    ``张三丰`` is masked whole before ``张三``)."""
    names = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not names or not text:
        return text or ""
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return pattern.sub(lambda match: mask_person_name(match.group(0)), text)


class DisciplinaryNotice(models.Model):
    """A notice (通报) issued by the park's discipline office: kind, issue date, title and body, the persons it
    concerns, and whether it is internal (officials of the park only) or public (names masked). Drafted by
    `notice_draft`, changed by `notice_update` while a draft, published by `notice_publish`, withdrawn by
    `notice_withdraw`."""

    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE, related_name="notices", verbose_name=_("park"))
    number = models.CharField(_("issue"), max_length=60, blank=True, help_text=_("For example 2026年第1期."))
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.CRITICISM)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=NoticeVisibility.choices, default=NoticeVisibility.INTERNAL
    )
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("disciplinary notice")
        verbose_name_plural = _("disciplinary notices")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["status", "visibility", "published_at"], name="notice_public_list"),
            models.Index(fields=["park", "status"], name="notice_park_status"),
        ]

    def __str__(self):
        return self.title

    def person_names(self):
        return [person.name for person in self.persons.all()]

    @property
    def masked_title(self):
        return mask_names_in(self.title, self.person_names())

    @property
    def masked_body(self):
        return mask_names_in(self.body, self.person_names())


class NoticePerson(models.Model):
    """A person named in a notice, with their unit and post at the time; masked on the public page."""

    notice = models.ForeignKey(
        DisciplinaryNotice, on_delete=models.CASCADE, related_name="persons", verbose_name=_("notice")
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("unit and post"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("person named in a notice")
        verbose_name_plural = _("persons named in notices")
        ordering = ["notice", "order", "id"]

    def __str__(self):
        return self.name

    @property
    def masked_name(self):
        return mask_person_name(self.name)

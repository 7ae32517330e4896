"""Conduct lists (正负清单): what officials and enterprises must not do, must do and may do."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.choices import Audience, ConductKind


class ConductList(models.Model):
    """One published version of a park's conduct list for one audience (e.g. 八个不准、七项规范、七个准许 for
    officials). Publishing a new version (`conduct_list_publish`) marks the previous one superseded and keeps
    it, so a pledge that cited its items still shows what was signed. Items never change after publishing."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.CASCADE, related_name="conduct_lists", verbose_name=_("park")
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("conduct list")
        verbose_name_plural = _("conduct lists")
        ordering = ["park", "audience", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["park", "audience", "version"], name="conductlist_unique_version")
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    @property
    def is_current(self):
        return self.superseded_at is None


class ConductItem(models.Model):
    """One line of a conduct list: a prohibition (不准), a norm (规范) or a permission (准许), in order."""

    conduct_list = models.ForeignKey(
        ConductList, on_delete=models.CASCADE, related_name="items", verbose_name=_("conduct list")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConductKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("conduct item")
        verbose_name_plural = _("conduct items")
        ordering = ["conduct_list", "order"]
        constraints = [models.UniqueConstraint(fields=["conduct_list", "order"], name="conductitem_unique_order")]

    def __str__(self):
        return self.text[:60]

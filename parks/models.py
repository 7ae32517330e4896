"""Parks, their departments and statistics, enterprises, and the people attached to them (DESIGN §5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parks.choices import EnterpriseStatus
from parks.validators import normalize_credit_code, validate_credit_code, validate_park_code


class Park(models.Model):
    """An industrial or high-tech park (科技城, 高新区, 开发区). Every record of the portal belongs to one."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        MUNICIPAL = "municipal", _("Municipal")

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[validate_park_code],
        help_text=_("Short code used in addresses and ticket numbers, e.g. yzw."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    region = models.CharField(_("region"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    industries = models.CharField(
        _("leading industries"), max_length=200, blank=True, help_text=_("Separated by the Chinese comma (、).")
    )
    established = models.DateField(_("established"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ParkStatistic(models.Model):
    """One period's economic figures of a park, in 亿元 (100 million yuan). Year-on-year growth is computed
    against the same period of the previous year (`parks.selectors.park_statistics_with_growth`); where that
    period is not recorded, the growth the source published (`reported_growth`) is shown instead.
    Written by `parks.services.park_statistic_upsert` (audit action ``park_statistic.updated``)."""

    class PeriodKind(models.TextChoices):
        YEAR = "year", _("Year")
        HALF = "half", _("Half year")
        QUARTER = "quarter", _("Quarter")
        MONTH = "month", _("Month (year to date)")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="statistics", verbose_name=_("park"))
    year = models.PositiveSmallIntegerField(_("year"))
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    period_number = models.PositiveSmallIntegerField(
        _("period number"), default=0, help_text=_("0 for a whole year; the half, quarter or month otherwise.")
    )
    revenue = models.DecimalField(
        _("total technology, industry and trade revenue"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    output = models.DecimalField(_("gross output (GDP)"), max_digits=12, decimal_places=2, null=True, blank=True)
    fixed_asset_investment = models.DecimalField(
        _("fixed-asset investment"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rd_spending = models.DecimalField(_("R&D spending"), max_digits=12, decimal_places=2, null=True, blank=True)
    import_export = models.DecimalField(
        _("imports and exports"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    industrial_profit = models.DecimalField(
        _("profit of industry above designated size"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reported_growth = models.JSONField(
        _("published year-on-year growth"),
        default=dict,
        blank=True,
        help_text=_('Growth in percent as the source published it, by figure, e.g. {"revenue": 44}.'),
    )
    enterprise_count = models.PositiveIntegerField(_("registered enterprises"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("park statistic")
        verbose_name_plural = _("park statistics")
        ordering = ["park", "year", "period_kind", "period_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year", "period_kind", "period_number"], name="parkstatistic_unique_period"
            )
        ]

    def __str__(self):
        return f"{self.park} {self.period_label}"

    @property
    def period_label(self):
        """How Chinese statistical reports name the period: 2022年, 2022年上半年, 2022年第3季度, 2022年1-7月."""
        if self.period_kind == self.PeriodKind.HALF:
            return _("%(year)d H%(n)d") % {"year": self.year, "n": self.period_number}
        if self.period_kind == self.PeriodKind.QUARTER:
            return _("%(year)d Q%(n)d") % {"year": self.year, "n": self.period_number}
        if self.period_kind == self.PeriodKind.MONTH:
            if self.period_number == 1:
                return _("%(year)d, month 1") % {"year": self.year}
            return _("%(year)d, months 1–%(month)d") % {"year": self.year, "month": self.period_number}
        return _("%(year)d") % {"year": self.year}


class ParkFigure(models.Model):
    """A published key figure of a park that is not an economic statistic, e.g. 65 construction projects
    under supervision or 82 enterprises visited, with its source. Shown on the park's public profile."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="figures", verbose_name=_("park"))
    label = models.CharField(_("label"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["park", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["park", "label"], name="parkfigure_unique_label_per_park")]

    def __str__(self):
        return f"{self.label} {self.value.normalize():f}{self.unit}"


class Department(models.Model):
    """A unit of the park administration: the dispatch centre (统一受理中心), the discipline office (纪工委)
    or a business department. Its head changes through `parks.services.department_set_head`."""

    class Kind(models.TextChoices):
        DISPATCH = "dispatch", _("Dispatch centre")
        DISCIPLINE = "discipline", _("Discipline office")
        BUSINESS = "business", _("Business department")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="departments", verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUSINESS)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name=_("head"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["park", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="department_unique_name_per_park")]

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    """An enterprise in a park, identified by its 统一社会信用代码; verified by the park before its users can
    act for it. Created by `parks.services.enterprise_register` (self-registration, pending) or
    `enterprise_create` (recorded by the park, verified); its status changes only through `enterprise_verify`
    and `enterprise_reject`."""

    Status = EnterpriseStatus

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["park", "name"]
        indexes = [models.Index(fields=["park", "status"], name="enterprise_park_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EnterpriseStatus.values), name="enterprise_status_valid"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = normalize_credit_code(self.credit_code)
        super().save(*args, **kwargs)


class StaffProfile(models.Model):
    """Where an official or auditor works: the parks they may see, their department and position.
    A city-level discipline office or auditor can be assigned many parks."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("user")
    )
    parks = models.ManyToManyField(Park, related_name="staff", verbose_name=_("parks"))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )
    position = models.CharField(_("position"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)


class EnterpriseMembership(models.Model):
    """A user acting for an enterprise (its staff). Only memberships of verified enterprises count."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Enterprise administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enterprise_memberships",
        verbose_name=_("user"),
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("enterprise")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise membership")
        verbose_name_plural = _("enterprise memberships")
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique_user_enterprise")]

    def __str__(self):
        return f"{self.user} @ {self.enterprise}"

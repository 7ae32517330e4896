import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0003_collective_decisions"),
        ("complaints", "0004_ticket_scope_index"),
        ("parks", "0002_park_profile_enterprise_review_figures"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ServiceCard",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(editable=False, max_length=64, unique=True, verbose_name="token")),
                ("issued_at", models.DateTimeField(verbose_name="issued at")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked at")),
                ("revoke_reason", models.CharField(blank=True, max_length=200, verbose_name="reason for revoking")),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="issued by",
                    ),
                ),
                (
                    "official",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="service_cards",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="official",
                    ),
                ),
                (
                    "park",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="service_cards",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="revoked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "service rating card",
                "verbose_name_plural": "service rating cards",
                "ordering": ["park", "official", "-issued_at"],
            },
        ),
        migrations.CreateModel(
            name="ServiceRating",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(verbose_name="rated at")),
                (
                    "attitude",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="attitude",
                    ),
                ),
                (
                    "efficiency",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="efficiency",
                    ),
                ),
                (
                    "integrity",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                        verbose_name="integrity",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "rater_kind",
                    models.CharField(
                        choices=[("enterprise", "Enterprise"), ("anonymous", "Anonymous visitor")],
                        max_length=20,
                        verbose_name="rated by",
                    ),
                ),
                (
                    "browser_digest",
                    models.CharField(blank=True, editable=False, max_length=64, verbose_name="browser digest"),
                ),
                (
                    "is_low",
                    models.BooleanField(
                        default=False, help_text="Some dimension rated 2 or less.", verbose_name="low rating"
                    ),
                ),
                (
                    "card",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ratings",
                        to="integrity.servicecard",
                        verbose_name="card",
                    ),
                ),
                (
                    "enterprise",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="service_ratings",
                        to="parks.enterprise",
                        verbose_name="enterprise",
                    ),
                ),
                (
                    "official",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="service_ratings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="official",
                    ),
                ),
                (
                    "park",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="service_ratings",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                (
                    "rated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="enterprise user",
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="complaints.ticket",
                        verbose_name="report of an improper demand",
                    ),
                ),
            ],
            options={
                "verbose_name": "service rating",
                "verbose_name_plural": "service ratings",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="servicecard",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revoked_at__isnull", True)),
                fields=("park", "official"),
                name="servicecard_one_valid_per_official_park",
            ),
        ),
        migrations.AddIndex(
            model_name="servicerating",
            index=models.Index(fields=["park", "created_at"], name="servicerating_park_time"),
        ),
        migrations.AddIndex(
            model_name="servicerating",
            index=models.Index(fields=["official", "park", "created_at"], name="servicerating_official_time"),
        ),
        migrations.AddConstraint(
            model_name="servicerating",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("attitude__gte", 1),
                    ("attitude__lte", 5),
                    ("efficiency__gte", 1),
                    ("efficiency__lte", 5),
                    ("integrity__gte", 1),
                    ("integrity__lte", 5),
                ),
                name="servicerating_scores_1_to_5",
            ),
        ),
        migrations.AddConstraint(
            model_name="servicerating",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("rater_kind", "enterprise"), ("enterprise__isnull", False)),
                    models.Q(
                        ("rater_kind", "anonymous"),
                        ("enterprise__isnull", True),
                        models.Q(("browser_digest", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="servicerating_rater_identified",
            ),
        ),
    ]

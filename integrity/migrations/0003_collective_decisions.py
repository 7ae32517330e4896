import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0002_risk_register_and_notices"),
        ("parks", "0002_park_profile_enterprise_review_figures"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CollectiveDecision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("item_number", models.PositiveSmallIntegerField(default=1, verbose_name="agenda item")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("major_decision", "Major decision"),
                            ("appointment", "Important appointment or removal"),
                            ("major_project", "Major project arrangement"),
                            ("large_funds", "Large-sum fund operation"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                (
                    "amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="amount (yuan)"
                    ),
                ),
                (
                    "notified_in_advance",
                    models.BooleanField(
                        default=True,
                        help_text="Unticked: raised at the meeting without notice (临时动议).",
                        verbose_name="on the agenda notified in advance",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[("adopted", "Adopted"), ("rejected", "Rejected"), ("deferred", "Deferred")],
                        max_length=10,
                        verbose_name="outcome",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "park",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="collective_decisions",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
            ],
            options={
                "verbose_name": "collective decision",
                "verbose_name_plural": "collective decisions",
                "ordering": ["-meeting__held_on", "meeting_id", "item_number", "id"],
            },
        ),
        migrations.CreateModel(
            name="DecisionBody",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("party_committee", "Party working committee meeting"),
                            ("director_office", "Management committee director's office meeting"),
                            ("joint", "Joint meeting of party and administration"),
                            ("board", "Board of directors"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "park",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decision_bodies",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
            ],
            options={
                "verbose_name": "decision body",
                "verbose_name_plural": "decision bodies",
                "ordering": ["park", "name"],
            },
        ),
        migrations.CreateModel(
            name="DecisionBodyMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "post",
                    models.CharField(
                        help_text="For example 党工委书记, 管委会副主任.", max_length=100, verbose_name="post"
                    ),
                ),
                ("from_date", models.DateField(verbose_name="member from")),
                ("to_date", models.DateField(blank=True, null=True, verbose_name="member until")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="added at")),
                (
                    "body",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="members",
                        to="integrity.decisionbody",
                        verbose_name="body",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="decision_seats",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "decision body member",
                "verbose_name_plural": "decision body members",
                "ordering": ["body", "from_date", "id"],
            },
        ),
        migrations.CreateModel(
            name="DecisionThreshold",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("major_decision", "Major decision"),
                            ("appointment", "Important appointment or removal"),
                            ("major_project", "Major project arrangement"),
                            ("large_funds", "Large-sum fund operation"),
                        ],
                        help_text="Empty: every kind without a threshold of its own.",
                        max_length=20,
                        verbose_name="kind of item",
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="threshold (yuan)")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="updated at")),
                (
                    "park",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decision_thresholds",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="updated by",
                    ),
                ),
            ],
            options={
                "verbose_name": "decision threshold",
                "verbose_name_plural": "decision thresholds",
                "ordering": ["park", "kind"],
            },
        ),
        migrations.CreateModel(
            name="DecisionVote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "position",
                    models.CharField(
                        choices=[
                            ("for", "For"),
                            ("against", "Against"),
                            ("abstain", "Abstain"),
                            ("recused", "Recused"),
                        ],
                        max_length=10,
                        verbose_name="position",
                    ),
                ),
                (
                    "statement",
                    models.TextField(
                        blank=True,
                        help_text="A dissenting opinion in words, or why the member is recused.",
                        verbose_name="dissent or reason",
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="votes",
                        to="integrity.collectivedecision",
                        verbose_name="decision",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="votes",
                        to="integrity.decisionbodymember",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "decision vote",
                "verbose_name_plural": "decision votes",
                "ordering": ["decision", "member__from_date", "member_id"],
            },
        ),
        migrations.CreateModel(
            name="FundPayment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("payee", models.CharField(max_length=200, verbose_name="payee")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount (yuan)")),
                ("paid_on", models.DateField(verbose_name="paid on")),
                ("purpose", models.CharField(max_length=300, verbose_name="purpose")),
                ("reference", models.CharField(blank=True, max_length=50, verbose_name="voucher number")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="fund_payments",
                        to="integrity.collectivedecision",
                        verbose_name="collective decision",
                    ),
                ),
                (
                    "park",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fund_payments",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
            ],
            options={
                "verbose_name": "fund payment",
                "verbose_name_plural": "fund payments",
                "ordering": ["-paid_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Meeting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "meeting_type",
                    models.CharField(
                        choices=[
                            ("regular", "Regular meeting"),
                            ("special", "Special-topic meeting"),
                            ("extraordinary", "Extraordinary meeting"),
                        ],
                        max_length=20,
                        verbose_name="meeting type",
                    ),
                ),
                ("held_on", models.DateField(verbose_name="held on")),
                (
                    "number",
                    models.CharField(
                        blank=True, help_text="For example 2026年第3次.", max_length=50, verbose_name="number"
                    ),
                ),
                ("location", models.CharField(blank=True, max_length=100, verbose_name="location")),
                (
                    "agenda_notified_on",
                    models.DateField(
                        blank=True,
                        help_text="When the agenda was sent to the members.",
                        null=True,
                        verbose_name="agenda notified on",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded at")),
                (
                    "body",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meetings",
                        to="integrity.decisionbody",
                        verbose_name="body",
                    ),
                ),
                (
                    "chair",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="integrity.decisionbodymember",
                        verbose_name="chaired by",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "park",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="meetings",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
            ],
            options={
                "verbose_name": "meeting",
                "verbose_name_plural": "meetings",
                "ordering": ["-held_on", "-id"],
            },
        ),
        migrations.AddField(
            model_name="collectivedecision",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="integrity.meeting",
                verbose_name="meeting",
            ),
        ),
        migrations.CreateModel(
            name="MeetingAttendance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("present", "Present"), ("absent", "Absent")], max_length=10, verbose_name="attendance"
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="reason")),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="integrity.meeting",
                        verbose_name="meeting",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attendance",
                        to="integrity.decisionbodymember",
                        verbose_name="member",
                    ),
                ),
            ],
            options={
                "verbose_name": "meeting attendance",
                "verbose_name_plural": "meeting attendance",
                "ordering": ["meeting", "member__from_date", "member_id"],
            },
        ),
        migrations.AddConstraint(
            model_name="decisionbody",
            constraint=models.UniqueConstraint(fields=("park", "name"), name="decisionbody_unique_name_per_park"),
        ),
        migrations.AddConstraint(
            model_name="decisionbodymember",
            constraint=models.CheckConstraint(
                condition=models.Q(("to_date__isnull", True), ("to_date__gte", models.F("from_date")), _connector="OR"),
                name="decisionbodymember_period_in_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionthreshold",
            constraint=models.UniqueConstraint(fields=("park", "kind"), name="decisionthreshold_once_per_park_kind"),
        ),
        migrations.AddConstraint(
            model_name="decisionthreshold",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0)), name="decisionthreshold_amount_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="decisionvote",
            constraint=models.UniqueConstraint(fields=("decision", "member"), name="decisionvote_once"),
        ),
        migrations.AddIndex(
            model_name="fundpayment",
            index=models.Index(fields=["park", "paid_on"], name="fundpayment_park_paid_on"),
        ),
        migrations.AddConstraint(
            model_name="fundpayment",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0)), name="fundpayment_amount_positive"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["park", "held_on"], name="meeting_park_held_on"),
        ),
        migrations.AddIndex(
            model_name="collectivedecision",
            index=models.Index(fields=["park", "kind"], name="decision_park_kind"),
        ),
        migrations.AddConstraint(
            model_name="collectivedecision",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__isnull", True), ("amount__gte", 0), _connector="OR"),
                name="collectivedecision_amount_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="meetingattendance",
            constraint=models.UniqueConstraint(fields=("meeting", "member"), name="meetingattendance_once"),
        ),
    ]

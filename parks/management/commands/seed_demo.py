"""Load the demo data: the parks of the source articles with departments, figures, enterprises and one
account per role per park (see parks/demo.py). Idempotent: every row is looked up by its natural key, and
a second run changes nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import roles
from core.errors import DomainError
from parks import demo
from parks.models import Department, Enterprise, Park, ParkFigure, StaffProfile
from parks.services import (
    department_set_head,
    enterprise_create,
    enterprise_register,
    enterprise_verify,
    park_statistic_upsert,
)

# Park administrators and the platform administrator maintain reference data in the Django admin.
ADMIN_SITE_ROLES = {roles.PLATFORM_ADMIN, roles.PARK_ADMIN}


class Command(BaseCommand):
    help = "Create the demo parks, departments, enterprises and accounts (idempotent)."

    def handle(self, *args, **options):
        self.created = 0
        with transaction.atomic():
            admin = self.user(demo.PLATFORM_ADMIN_USERNAME, "平台管理员", roles.PLATFORM_ADMIN, superuser=True)
            for spec in demo.PARKS:
                self.seed_park(spec, admin)
        codes = [spec["code"] for spec in demo.PARKS]
        enterprises = Enterprise.objects.filter(park__code__in=codes).count()
        accounts = get_user_model().objects.filter(username__in=[row[0] for row in demo.demo_accounts()]).count()
        state = "loaded" if self.created else "already present, nothing changed"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data {state}: {len(codes)} parks, {enterprises} enterprises, {accounts} accounts."
            )
        )

    # --- rows --------------------------------------------------------------------------------------------

    def user(self, username, display_name, role, *, superuser=False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "email": f"{username}@demo.example.cn",
                "is_staff": role in ADMIN_SITE_ROLES,
                "is_superuser": superuser,
            },
        )
        if created:
            # Only on creation: a password changed since must survive the next `make run`.
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            self.created += 1
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
        return user

    def seed_park(self, spec, admin):
        park, created = Park.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "level": spec["level"],
                "region": spec["region"],
                "industries": spec["industries"],
                "description": spec["description"],
            },
        )
        self.created += created
        departments = {}
        for name, kind, description in spec["departments"]:
            department, created = Department.objects.update_or_create(
                park=park, name=name, defaults={"kind": kind, "description": description}
            )
            departments[name] = department
            self.created += created
        for order, (label, value, unit, year) in enumerate(spec["figures"], start=1):
            _, created = ParkFigure.objects.update_or_create(
                park=park,
                label=label,
                defaults={"value": value, "unit": unit, "year": year, "order": order, "source": spec["figure_source"]},
            )
            self.created += created
        for stat in spec["statistics"]:
            stat = dict(stat)
            park_statistic_upsert(
                park=park,
                actor=admin,
                year=stat.pop("year"),
                period_kind=stat.pop("period_kind"),
                period_number=stat.pop("period_number"),
                source=stat.pop("source"),
                **stat,
            )

        people = {}
        for role in demo.ROLE_ORDER:
            if role == roles.ENTERPRISE:
                continue  # enterprise accounts come from self-registration, below
            display_name, position, department_name = spec["people"][role]
            user = self.user(demo.username_for(role, park.code), display_name, role)
            self.staff_profile(user, park, departments.get(department_name), position)
            people[role] = user
        for role in (roles.DISPATCHER, roles.HANDLER, roles.DISCIPLINE):
            department = departments[spec["people"][role][2]]
            department_set_head(department=department, head=people[role], actor=admin)
        self.seed_enterprises(spec, park, people[roles.PARK_ADMIN])

    def staff_profile(self, user, park, department, position):
        profile, created = StaffProfile.objects.get_or_create(
            user=user, defaults={"department": department, "position": position}
        )
        self.created += created
        profile.parks.add(park)

    def seed_enterprises(self, spec, park, park_admin):
        """Each enterprise enters the way real ones do: recorded by the park, or self-registered (and, for the
        demo enterprise user's, verified by the park administrator). Existing credit codes are skipped."""
        for name, industry, legal_representative, serial, how in spec["enterprises"]:
            code = demo.demo_credit_code(spec["division"], serial)
            if Enterprise.objects.filter(credit_code=code).exists():
                continue
            self.created += 1
            common = {
                "park": park,
                "name": name,
                "credit_code": code,
                "industry": industry,
                "legal_representative": legal_representative,
            }
            if how == "park":
                enterprise_create(actor=park_admin, contact_name=legal_representative, **common)
            elif how == "member":
                display_name = spec["people"][roles.ENTERPRISE][0]
                enterprise = self.register(common, demo.username_for(roles.ENTERPRISE, park.code), display_name)
                enterprise_verify(enterprise=enterprise, actor=park_admin)
            else:
                display_name, username = spec["applicant"]
                self.register(common, username, display_name)

    def register(self, common, username, display_name):
        try:
            return enterprise_register(
                username=username,
                password=demo.DEMO_PASSWORD,
                email=f"{username}@demo.example.cn",
                phone="13800000000",
                display_name=display_name,
                contact_name=display_name,
                **common,
            )
        except DomainError as error:
            raise CommandError(f"{username}: {error.message}") from error

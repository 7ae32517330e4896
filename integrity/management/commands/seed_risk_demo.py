"""Load the demo risk register, screening campaigns and notices (integrity/demo_risk.py) into the demo parks
created by `manage.py seed_demo` (yzw, lx, qz and their ``<role>_<park code>`` accounts).

Everything goes through the services, acting as the park's demo officials, so the audit trail, the
notifications and the review schedule are the real ones. Idempotent: a risk is looked up by park,
department, post and title, a campaign and a notice by park and title, a park's matrix version by park; a
second run changes nothing.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core import roles
from integrity import demo_risk
from integrity.models import DisciplinaryNotice, IntegrityRisk, RiskMatrixVersion, RiskScreeningCampaign
from integrity.services import notices as notice_services
from integrity.services import risks as services
from integrity.services import screening as screening_services
from parks.models import Department, Park

ROLE_KEYS = {
    "park_admin": roles.PARK_ADMIN,
    "dispatcher": roles.DISPATCHER,
    "handler": roles.HANDLER,
    "discipline": roles.DISCIPLINE,
}
TRANSITIONS = {
    "controlled": services.risk_mark_controlled,
    "close": services.risk_close,
    "accept": services.risk_accept,
}


class Command(BaseCommand):
    help = "Create the demo integrity-risk register, screening campaigns and notices (idempotent; after seed_demo)."

    def handle(self, *args, **options):
        self.today = timezone.localdate()
        self.counts = {"risks": 0, "campaigns": 0, "notices": 0}
        for code in demo_risk.DEPARTMENTS:
            park = Park.objects.filter(code=code).first()
            if park is None:
                raise CommandError(f"Park {code!r} is missing: run `manage.py seed_demo` first.")
            with transaction.atomic():
                self.seed_park(park)
        for spec in demo_risk.CAMPAIGNS:
            with transaction.atomic():
                self.seed_campaign(spec)
        for spec in demo_risk.NOTICES:
            with transaction.atomic():
                self.seed_notice(spec)
        self.stdout.write(
            self.style.SUCCESS(
                "Risk demo: {risks} risks, {campaigns} screening campaigns, {notices} notices created.".format(
                    **self.counts
                )
            )
        )

    # --- people and places -------------------------------------------------------------------------------

    def person(self, role_key, park):
        username = f"{ROLE_KEYS[role_key]}_{park.code}"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Account {username!r} is missing: run `manage.py seed_demo` first.")
        return user

    def department(self, park, key):
        name = demo_risk.DEPARTMENTS[park.code][key]
        try:
            return Department.objects.get(park=park, name=name)
        except Department.DoesNotExist:
            raise CommandError(
                f"{park.code}: department {name!r} is missing: run `manage.py seed_demo` first."
            ) from None

    def day(self, offset):
        return self.today + dt.timedelta(days=offset)

    # --- the register ------------------------------------------------------------------------------------

    def seed_park(self, park):
        discipline = self.person("discipline", park)
        for number, spec in enumerate(demo_risk.RISKS, start=1):
            if park.code == "qz" and number == demo_risk.QZ_MATRIX_AFTER + 1:
                self.seed_matrix(park, discipline)
            self.seed_risk(park, spec, discipline)
        for title, transition, note in demo_risk.DECISIONS.get(park.code, ()):
            risk = IntegrityRisk.objects.get(park=park, title=title)
            if risk.status in ("closed", "accepted"):
                continue
            TRANSITIONS[transition](risk=risk, actor=discipline, note=note)

    def seed_matrix(self, park, discipline):
        if RiskMatrixVersion.objects.filter(park=park).exists():
            return
        services.risk_matrix_publish(actor=discipline, park=park, **demo_risk.QZ_MATRIX)

    def seed_risk(self, park, spec, discipline):
        department = self.department(park, spec["department"])
        if IntegrityRisk.objects.filter(
            park=park, department=department, post=spec["post"], title=spec["title"]
        ).exists():
            return
        owner = self.person(spec["owner"], park)
        registered = self.day(-spec["age"])
        risk = services.risk_create(
            park=park,
            department=department,
            actor=discipline,
            post=spec["post"],
            area=spec["area"],
            title=spec["title"],
            description=spec["description"],
            manifestations=spec["manifestations"],
            inherent_likelihood=spec["inherent"][0],
            inherent_impact=spec["inherent"][1],
            residual_likelihood=spec["residual"][0],
            residual_impact=spec["residual"][1],
            owner=owner,
            registered_on=registered,
        )
        self.counts["risks"] += 1
        for kind, text, owner_key, due_in, done in spec["controls"]:
            control_owner = self.person(owner_key, park)
            control = services.risk_control_add(
                risk=risk,
                actor=discipline,
                kind=kind,
                description=text,
                owner=control_owner,
                due_date=self.day(due_in),
            )
            if done:
                services.risk_control_complete(control=control, actor=control_owner, note="已落实。")
        for days_ago, findings, likelihood, impact in spec["reviews"]:
            services.risk_review_record(
                risk=risk,
                actor=discipline,
                findings=findings,
                residual_likelihood=likelihood,
                residual_impact=impact,
                reviewed_on=self.day(-days_ago),
            )
        if spec.get("decision"):
            TRANSITIONS[spec["decision"]](risk=risk, actor=discipline, note="")

    # --- campaigns ---------------------------------------------------------------------------------------

    def seed_campaign(self, spec):
        park = Park.objects.get(code=spec["park"])
        if RiskScreeningCampaign.objects.filter(park=park, title=spec["title"]).exists():
            return
        discipline = self.person("discipline", park)
        campaign = screening_services.screening_campaign_launch(
            park=park,
            actor=discipline,
            title=spec["title"],
            instructions=spec["instructions"],
            deadline=self.day(spec["deadline"]),
        )
        self.counts["campaigns"] += 1
        for key, (kind, content) in spec["answers"].items():
            department = self.department(park, key)
            response = campaign.responses.get(department=department)
            official = self.official_of(department, park)
            if kind == "nil":
                screening_services.screening_response_submit(response=response, actor=official, nil=True, note=content)
                continue
            for risk_spec in content:
                services.risk_create(
                    park=park,
                    department=department,
                    actor=official,
                    post=risk_spec["post"],
                    area=risk_spec["area"],
                    title=risk_spec["title"],
                    description=risk_spec["description"],
                    manifestations=risk_spec["manifestations"],
                    inherent_likelihood=risk_spec["inherent"][0],
                    inherent_impact=risk_spec["inherent"][1],
                    residual_likelihood=risk_spec["residual"][0],
                    residual_impact=risk_spec["residual"][1],
                    owner=official,
                    screening_response=response,
                )
                self.counts["risks"] += 1
            screening_services.screening_response_submit(response=response, actor=official, note="已完成本部门自查。")

    def official_of(self, department, park):
        """The demo official who answers for a department: its head, else the park's discipline officer."""
        return department.head or self.person("discipline", park)

    # --- notices -----------------------------------------------------------------------------------------

    def seed_notice(self, spec):
        park = Park.objects.get(code=spec["park"])
        if DisciplinaryNotice.objects.filter(park=park, title=spec["title"]).exists():
            return
        discipline = self.person("discipline", park)
        notice = notice_services.notice_draft(
            park=park,
            actor=discipline,
            title=spec["title"],
            body=spec["body"],
            kind=spec["kind"],
            visibility=spec["visibility"],
            issued_on=self.day(-spec["issued"]),
            number=spec["number"],
            persons=[{"name": name, "position": position} for name, position in spec["persons"]],
        )
        if spec["publish"]:
            notice_services.notice_publish(notice=notice, actor=discipline)
        self.counts["notices"] += 1

"""Issue the demo officials' service rating cards (监督提醒卡) and load the demo ratings
(integrity/demo_ratings.py) into the demo parks created by `manage.py seed_demo`.

Everything goes through the services — cards issued by the park's discipline officer, ratings by the park's
enterprise user or anonymous visitors — so the audit trail and the low-rating notifications are the real ones.
Idempotent: missing cards are issued on every run; a park that has ratings gets no more.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core import roles
from integrity import demo_ratings
from integrity.models import ServiceCard, ServiceRating
from integrity.services import ratings as services
from parks.models import Park

DEMO_PARKS = ("yzw", "lx", "qz")
ROLE_KEYS = {
    "park_admin": roles.PARK_ADMIN,
    "dispatcher": roles.DISPATCHER,
    "handler": roles.HANDLER,
    "discipline": roles.DISCIPLINE,
}


class Command(BaseCommand):
    help = "Issue the demo officials' rating cards and load demo ratings (idempotent; after seed_demo)."

    def handle(self, *args, **options):
        now = timezone.now()
        cards = ratings = 0
        for code in DEMO_PARKS:
            park = Park.objects.filter(code=code).first()
            if park is None:
                raise CommandError(f"Park {code!r} is missing: run `manage.py seed_demo` first.")
            discipline = self.person(roles.DISCIPLINE, park)
            with transaction.atomic():
                cards += len(services.service_cards_issue_missing(park=park, actor=discipline, now=now))
                if ServiceRating.objects.filter(park=park).exists():
                    continue
                ratings += self.seed_ratings(park, now)
        self.stdout.write(self.style.SUCCESS(f"Rating demo: {cards} cards issued, {ratings} ratings created."))

    def person(self, role, park):
        username = f"{role}_{park.code}"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Account {username!r} is missing: run `manage.py seed_demo` first.")
        return user

    def seed_ratings(self, park, now):
        enterprise_user = self.person(roles.ENTERPRISE, park)
        created = 0
        # Oldest first, so that each rating's 30-day window sees the earlier ones.
        for rater, role_key, days_ago, attitude, efficiency, integrity, comment in sorted(
            demo_ratings.RATINGS, key=lambda row: -row[2]
        ):
            official = self.person(ROLE_KEYS[role_key], park)
            card = ServiceCard.objects.get(park=park, official=official, revoked_at__isnull=True)
            services.service_rating_submit(
                card=card,
                attitude=attitude,
                efficiency=efficiency,
                integrity=integrity,
                comment=comment,
                actor=enterprise_user if rater == "enterprise" else None,
                browser_id="" if rater == "enterprise" else f"demo-{park.code}-{rater}",
                now=now - dt.timedelta(days=days_ago, hours=created % 7),
            )
            created += 1
        return created

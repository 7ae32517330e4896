"""``manage.py seed_complaints_demo``: the 吐槽区 of the demo parks, as a park in use for a year.

Runs after ``manage.py seed_demo`` (parks, departments, one account per role, enterprises). Per park:

- the default category tree (`complaints_install_default_categories`), each category's default department
  and a few routing rules (`category_save`, `routing_rule_save`);
- a handler account (no password: nobody signs in as them) for each business department that has none, so
  that every department can sign for and answer its tickets;
- a few hundred tickets over the past year, on every channel, driven through the services with explicit
  past moments (``now=``): submitted, routed, accepted, dispatched, returned and re-dispatched, signed,
  extended, supervised, answered, reopened, rated or followed up, rejected, merged — and, near today, still
  open in every status;
- published answer lists (第一批 / 第二批企业诉求解答清单及整改措施).

Demo-only shortcuts, each because the services run "in the past" (see `demo_side_channels`): the Celery
tasks the services queue go nowhere (routing is done here, with the ticket's moment; the notifications the
services created for events of the past year are deleted at the end rather than filling today's bells);
the receipts of seeded anonymous reports, whose codes nobody ever sees, use a fast hash; and each ticket's
``updated_at`` is set to its last event. Everything else is what the services wrote, audit trail included.

Idempotent: a park that already has tickets (or answer lists) is left as it is, so a second run changes
nothing. It finishes in seconds (one transaction).
"""

import random
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from complaints import demo, services
from complaints.choices import Channel, Priority, Status
from complaints.models import AnswerBatch, Category, RoutingRule, Ticket
from complaints.selectors import followup_after_days as services_followup_days
from complaints.services.disclosure import answer_batch_publish
from complaints.services.routing import ticket_route
from core.errors import DomainError
from core.models import Notification
from core.roles import DISCIPLINE, DISPATCHER, ENTERPRISE, HANDLER, PARK_ADMIN
from core.workcalendar import add_working_days
from parks.models import Department, Enterprise, EnterpriseMembership, Park, StaffProfile

FIRST_PARK_TICKETS = 130
OTHER_PARK_TICKETS = 70
REGISTRATION_CHANNELS = (Channel.PHONE, Channel.HOTLINE_12345, Channel.WALK_IN, Channel.MAILBOX, Channel.EMAIL)
CONTACT_NAMES = ("张经理", "李女士", "王先生", "陈总", "刘主管", "黄会计", "周工", "吴女士", "郑先生", "林经理")
OLD_FATES = {
    "closed": 83,
    "rejected": 5,
    "merged": 4,
    "replied": 2,
    "in_progress": 4,
    "assigned": 1,
    "accepted": 1,
}
RECENT_FATES = {
    "submitted": 8,
    "accepted": 4,
    "assigned": 10,
    "in_progress": 25,
    "replied": 15,
    "closed": 32,
    "rejected": 3,
    "merged": 3,
}
# status → (youngest, oldest) age in days at which a ticket's story surely reaches it and stops there
FORCED_FATES = {
    "submitted": (0, 1),
    "accepted": (3, 20),
    "assigned": (3, 20),
    "in_progress": (5, 30),
    "replied": (45, 120),
    "rejected": (10, 200),
    "merged": (30, 300),
}
CATEGORY_WEIGHTS = {
    "policy-subsidy": 14,
    "policy-consult": 8,
    "approval-project": 8,
    "approval-license": 7,
    "finance-loan": 9,
    "talent-policy": 7,
    "talent-housing": 5,
    "land": 4,
    "infra-utilities": 8,
    "infra-roads": 10,
    "environment": 12,
    "other": 4,
}
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
SATISFACTION = (5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1)


@contextmanager
def demo_side_channels():
    """Demo seeding only. The tasks the services queue (routing, already done here; delivery of the
    notifications deleted at the end) go to an in-memory broker that is dropped with this process; and the
    receipts of the seeded anonymous reports — whose codes are thrown away at once, so nobody can ever use
    them — are hashed with a fast hasher instead of the production Argon2 (0.6 s each)."""
    from django.test.utils import override_settings

    from portal.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "memory://localhost//", False
    try:
        # DEBUG off: in debug mode Django logs every query with an extra quoting query on SQLite, which
        # doubles the seeding time for nothing.
        with override_settings(DEBUG=False, PASSWORD_HASHERS=[FAST_HASHER, *settings.PASSWORD_HASHERS]):
            yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous


class Stop(Exception):
    """The next step of a ticket's story would lie in the future: it stays where it is."""


class ParkSeeder:
    def __init__(self, park, *, now, count, rng, out):
        self.park, self.now, self.count, self.rng, self.out = park, now, count, rng, out
        self.tickets = []
        self.texts = {}
        self.last_event = {}

    # --- people and configuration ------------------------------------------------------------------------

    def _staff(self, role):
        return (
            get_user_model()
            .objects.filter(groups__name=role, staff_profile__parks=self.park, is_active=True)
            .order_by("pk")
            .first()
        )

    def load_people(self):
        self.dispatcher = self._staff(DISPATCHER)
        self.discipline = self._staff(DISCIPLINE)
        self.park_admin = self._staff(PARK_ADMIN)
        if not (self.dispatcher and self.discipline and self.park_admin):
            return False
        membership = (
            EnterpriseMembership.objects.filter(
                enterprise__park=self.park,
                enterprise__status=Enterprise.Status.VERIFIED,
                user__groups__name=ENTERPRISE,
                user__is_active=True,
            )
            .select_related("user", "enterprise")
            .order_by("pk")
            .first()
        )
        self.enterprise_user = membership.user if membership else None
        self.enterprises = list(Enterprise.objects.filter(park=self.park, status=Enterprise.Status.VERIFIED))
        departments = Department.objects.filter(park=self.park, is_active=True).order_by("pk")
        self.business = [d for d in departments if d.kind == Department.Kind.BUSINESS]
        return bool(self.business)

    def department_for(self, keywords):
        for keyword in keywords:
            for department in self.business:
                if keyword in department.name:
                    return department
        return None

    def ensure_handlers(self):
        """A handler for every business department (their own staff where the base demo has one)."""
        group = Group.objects.get_or_create(name=HANDLER)[0]
        self.handlers = {}
        for index, department in enumerate(self.business):
            handler = (
                get_user_model()
                .objects.filter(groups__name=HANDLER, staff_profile__department=department, is_active=True)
                .order_by("pk")
                .first()
            )
            if handler is None:
                username = f"staff_{self.park.code}_{index + 1}"
                handler, created = get_user_model().objects.get_or_create(
                    username=username,
                    defaults={
                        "display_name": demo.EXTRA_HANDLER_NAMES[index % len(demo.EXTRA_HANDLER_NAMES)],
                        "email": f"{username}@demo.example.cn",
                    },
                )
                if created:
                    handler.set_unusable_password()
                    handler.save(update_fields=["password"])
                handler.groups.add(group)
                profile, _ = StaffProfile.objects.get_or_create(
                    user=handler, defaults={"department": department, "position": "办事员"}
                )
                profile.parks.add(self.park)
            self.handlers[department.pk] = handler

    def configure(self):
        services.complaints_install_default_categories(park=self.park)
        for category in Category.objects.filter(park=self.park, parent__isnull=True, default_department__isnull=True):
            keywords = demo.DEPARTMENT_KEYWORDS.get(category.code)
            if not keywords:
                continue
            category.default_department = self.department_for(keywords) or self.business[0]
            services.category_save(category=category, actor=self.park_admin)
        for name, keywords, lead_words, co_words, priority in demo.ROUTING_RULES:
            if RoutingRule.objects.filter(park=self.park, name=name).exists():
                continue
            lead = self.department_for(lead_words)
            if lead is None:
                continue
            co = [d for d in (self.department_for((w,)) for w in co_words) if d is not None and d != lead][:1]
            services.routing_rule_save(
                rule=RoutingRule(park=self.park, name=name, keywords=keywords, department=lead, priority=priority),
                actor=self.park_admin,
                co_departments=co,
            )
        self.categories = {c.code: c for c in Category.objects.filter(park=self.park)}

    # --- one ticket's story ------------------------------------------------------------------------------

    def at(self, moment):
        """`moment`, or Stop when it has not come yet."""
        if moment >= self.now - timedelta(minutes=5):
            raise Stop
        return moment

    def hours(self, low, high):
        return timedelta(hours=self.rng.uniform(low, high))

    def _text(self, category_code, created):
        subject, body, reply, measures = self.rng.choice(demo.DEMANDS[category_code])
        values = {"year": created.year - 1, "month": self.rng.randint(1, 12), "road": self.rng.choice(demo.ROADS)}
        return (
            subject.format(**values),
            body.format(**values),
            reply.format(**values),
            measures.format(**values),
        )

    def _filer(self, ordinary=False):
        """(kwargs for ticket_submit, kind) of a random filer: an enterprise user on the web or the app, the
        intake desk registering a call or a visit, an anonymous reporter (QR code or web), or a report
        about an official's conduct."""
        rng = self.rng
        draw = rng.random()
        if ordinary:
            # Duplicates come in through the public channels (registrations are accepted at once).
            draw = rng.uniform(0.06, 0.40) if self.enterprise_user and rng.random() < 0.5 else rng.uniform(0.78, 1)
        if draw < 0.06:
            code = rng.choice(("misconduct-improper-demands", "misconduct-shirking"))
            return {"actor": None, "channel": rng.choice((Channel.WEB, Channel.QR)), "category_code": code}, "anon"
        if draw < 0.40 and self.enterprise_user is not None:
            return {
                "actor": self.enterprise_user,
                "channel": rng.choice((Channel.WEB, Channel.APP, Channel.APP)),
                "hide_identity": rng.random() < 0.1,
                "contact_name": rng.choice(CONTACT_NAMES),
                "contact_phone": f"139{rng.randint(10_000_000, 99_999_999)}",
                "consent_to_publish": rng.random() < 0.75,
            }, "enterprise"
        if draw < 0.78:
            visit = draw >= 0.72
            enterprise = rng.choice(self.enterprises) if self.enterprises and rng.random() < 0.8 else None
            return {
                "actor": self.rng.choice(list(self.handlers.values())) if visit else self.dispatcher,
                "channel": Channel.VISIT if visit else rng.choice(REGISTRATION_CHANNELS),
                "enterprise": enterprise,
                "contact_name": rng.choice(CONTACT_NAMES),
                "contact_phone": f"13{rng.randint(100_000_000, 999_999_999)}",
                "priority": Priority.URGENT if rng.random() < 0.05 else Priority.NORMAL,
                "consent_to_publish": rng.random() < 0.6,
            }, "registration"
        qr = rng.random() < 0.5
        place = rng.choice([self.park.name, *[d.name for d in self.business]]) if qr else ""
        return {
            "actor": None,
            "channel": Channel.QR if qr else Channel.WEB,
            "place": place,
            "consent_to_publish": rng.random() < 0.4,
        }, "anon"

    def _fate(self, created):
        weights = OLD_FATES if (self.now - created).days > 30 else RECENT_FATES
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def seed_ticket(self, created, fate=None):
        rng = self.rng
        fate = fate or self._fate(created)
        original = self._original_for(created) if fate == "merged" else None
        if original is not None:
            # A duplicate: the same matter filed again by someone else, which routing will point out.
            kwargs, kind = self._filer(ordinary=True)
            code, subject, body, reply, measures = self.texts[original.pk]
        else:
            fate = "closed" if fate == "merged" else fate
            # The intake desk's registrations are accepted at once: waiting or refused tickets came in
            # through the public channels.
            kwargs, kind = self._filer(ordinary=fate in ("submitted", "accepted", "rejected"))
            code = (
                kwargs.pop("category_code", None)
                or rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
            )
            subject, body, reply, measures = self._text(code, created)
        submission = services.ticket_submit(
            park=self.park, category=self.categories[code], subject=subject, body=body, now=created, **kwargs
        )
        ticket, receipt = submission.ticket, submission.receipt_code
        self.texts[ticket.pk] = (code, subject, body, reply, measures)
        self.last_event[ticket.pk] = created
        ticket_route(ticket_id=ticket.pk, now=created + timedelta(minutes=2))
        with suppress(Stop):
            self._story(ticket, fate, kind, receipt, reply, measures, created, original)
        self._supervise_if_overdue(ticket)
        self.tickets.append(ticket)

    def _supervise_if_overdue(self, ticket):
        """The discipline office puts most tickets that are overdue today under supervision (督办)."""
        ticket.refresh_from_db()
        if not ticket.is_overdue(self.now) or ticket.supervision_level or self.rng.random() < 0.4:
            return
        due = min(d for d in (ticket.accept_due, ticket.sign_due, ticket.reply_due) if d and d < self.now)
        # After the ticket's last event, so that the trail stays in order.
        moment = max(due + timedelta(days=1), self.last_event[ticket.pk] + timedelta(hours=1))
        if moment >= self.now - timedelta(minutes=30):
            return
        services.ticket_supervise(
            ticket=ticket, actor=self.discipline, note=self.rng.choice(demo.SUPERVISION_NOTES), now=moment
        )
        self._mark(ticket, moment)

    def _mark(self, ticket, moment):
        self.last_event[ticket.pk] = moment
        return moment

    def _story(self, ticket, fate, kind, receipt, reply, measures, created, original=None):
        rng = self.rng
        if fate == "submitted":
            return
        intake = self.discipline if ticket.is_confidential else self.dispatcher
        t = self._mark(
            ticket, self.at(created + rng.choice((self.hours(0.3, 4), self.hours(4, 20), self.hours(30, 60))))
        )
        if fate == "rejected" and ticket.status == Status.SUBMITTED:
            services.ticket_reject(ticket=ticket, actor=intake, reason=rng.choice(demo.REJECT_REASONS), now=t)
            return
        if original is not None and ticket.status == Status.SUBMITTED:
            original.refresh_from_db(fields=["status"])
            if original.status not in (Status.MERGED, Status.REJECTED):
                services.ticket_merge(ticket=ticket, into=original, actor=intake, now=t)
                return
        if ticket.status == Status.SUBMITTED:
            services.ticket_accept(ticket=ticket, actor=intake, apply_suggestion=fate != "accepted", now=t)
        if fate == "accepted":
            return
        ticket.refresh_from_db()
        if ticket.status == Status.ACCEPTED:
            department = ticket.suggested_department or ticket.category.default_department or self.business[0]
            if ticket.is_confidential:
                department = ticket.suggested_department
            if department is None:
                return
            t = self._mark(ticket, self.at(t + timedelta(minutes=10)))
            services.ticket_dispatch(ticket=ticket, actor=intake, department=department, now=t)
            ticket.refresh_from_db()
        if not ticket.is_confidential and rng.random() < 0.06 and len(self.business) > 1:
            t = self._return_and_redispatch(ticket, t)
            ticket.refresh_from_db()
        if fate == "assigned":
            return
        handler = self._handler(ticket)
        t = self._mark(ticket, self.at(t + rng.choice((self.hours(0.5, 6), self.hours(0.5, 6), self.hours(6, 30)))))
        services.ticket_sign(ticket=ticket, actor=handler, now=t)
        ticket.refresh_from_db()
        if rng.random() < 0.08:
            moment = self._mark(ticket, self.at(t + self.hours(20, 30)))
            services.ticket_supervise(
                ticket=ticket, actor=self.discipline, note=rng.choice(demo.SUPERVISION_NOTES), now=moment
            )
        if rng.random() < 0.10:
            self._extension(ticket, handler, intake, t)
            ticket.refresh_from_db()
        if fate == "in_progress":
            return
        t = self._reply(ticket, handler, reply, measures, t)
        if fate == "replied":
            return
        if rng.random() < 0.08:
            reason = rng.choice(demo.REOPEN_REASONS)
            moment = self._mark(ticket, self.at(t + self.hours(4, 30)))
            if kind == "enterprise":
                services.ticket_reject_answer(ticket=ticket, actor=ticket.submitter, reason=reason, now=moment)
            elif kind == "anon" and receipt:
                services.ticket_reject_answer(ticket=ticket, receipt_code=receipt, reason=reason, now=moment)
            else:
                services.ticket_reject_answer(ticket=ticket, actor=intake, reason=reason, now=moment)
            ticket.refresh_from_db()
            t = self._reply(ticket, handler, reply, measures, moment)
        self._close(ticket, kind, receipt, intake, t)

    def _original_for(self, created):
        """A ticket of the last 30 days (not confidential, not itself merged or rejected) to duplicate."""
        for candidate in reversed(self.tickets):
            if candidate.created_at < created - timedelta(days=30):
                return None
            if candidate.is_confidential:
                continue
            candidate.refresh_from_db(fields=["status"])
            if candidate.status not in (Status.MERGED, Status.REJECTED):
                return candidate
        return None

    def _handler(self, ticket):
        if ticket.lead_department.kind == Department.Kind.DISCIPLINE:
            return self.discipline
        return self.handlers[ticket.lead_department_id]

    def _return_and_redispatch(self, ticket, t):
        wrong = ticket.lead_department
        right = self.rng.choice([d for d in self.business if d.pk != wrong.pk])
        moment = self._mark(ticket, self.at(t + self.hours(1, 5)))
        request = services.ticket_return(
            ticket=ticket, actor=self.handlers[wrong.pk], reason=self.rng.choice(demo.RETURN_REASONS), now=moment
        )
        moment = self._mark(ticket, self.at(moment + self.hours(0.5, 3)))
        services.ticket_return_decide(return_request=request, actor=self.dispatcher, redispatch_to=right, now=moment)
        return moment

    def _extension(self, ticket, handler, intake, signed):
        if ticket.reply_due is None:
            return
        moment = self._mark(ticket, self.at(signed + self.hours(20, 40)))
        if moment >= ticket.reply_due:
            return
        wanted = timezone.localdate(ticket.reply_due) + timedelta(days=7)
        request = services.ticket_extension_request(
            ticket=ticket,
            actor=handler,
            reason=self.rng.choice(demo.EXTENSION_REASONS),
            requested_due=wanted,
            now=moment,
        )
        moment = self._mark(ticket, self.at(moment + self.hours(1, 6)))
        approve = self.rng.random() < 0.75
        services.ticket_extension_decide(
            extension=request, actor=intake, approve=approve, reason="" if approve else "请按原时限办结。", now=moment
        )

    def _reply(self, ticket, handler, reply, measures, since):
        ticket.refresh_from_db()
        window = max((ticket.reply_due - since).total_seconds(), 3600)
        share = self.rng.uniform(0.15, 0.9) if self.rng.random() < 0.86 else self.rng.uniform(1.05, 1.6)
        moment = self._mark(ticket, self.at(since + timedelta(seconds=window * share)))
        services.ticket_reply(ticket=ticket, actor=handler, reply=reply, rectification_measures=measures, now=moment)
        return moment

    def _close(self, ticket, kind, receipt, intake, replied):
        rng = self.rng
        satisfaction = rng.choice(SATISFACTION)
        comment = rng.choice(demo.COMMENTS)
        if kind == "enterprise":
            moment = self._mark(ticket, self.at(replied + self.hours(2, 50)))
            services.ticket_confirm(
                ticket=ticket, actor=ticket.submitter, satisfaction=satisfaction, comment=comment, now=moment
            )
        elif kind == "anon" and receipt and rng.random() < 0.25:
            moment = self._mark(ticket, self.at(replied + self.hours(2, 50)))
            services.ticket_confirm(
                ticket=ticket, receipt_code=receipt, satisfaction=satisfaction, comment=comment, now=moment
            )
        else:
            # Anonymous reporters who did not come back are called after the waiting period (回访).
            if kind == "anon":
                moment = add_working_days(replied, services_followup_days() + 1) + self.hours(1, 5)
            else:
                moment = replied + self.hours(3, 30)
            moment = self._mark(ticket, self.at(moment))
            reachable = kind != "anon"
            services.ticket_followup_record(
                ticket=ticket,
                actor=intake,
                reachable=reachable,
                satisfaction=satisfaction if reachable else None,
                comment=comment,
                now=moment,
            )

    # --- the year ------------------------------------------------------------------------------------------

    def seed_tickets(self):
        moments = []
        for _ in range(self.count):
            # Denser towards today: the 吐槽区 became known over the year.
            days = 365 * (self.rng.random() ** 1.25)
            # Office hours in the park's time zone (Asia/Shanghai), not in UTC.
            moment = timezone.localtime(self.now - timedelta(days=days))
            moment = moment.replace(hour=self.rng.randint(8, 17), minute=self.rng.randint(0, 59))
            if moment >= self.now - timedelta(minutes=30):
                moment -= timedelta(days=1)
            moments.append(moment)
        moments.sort()
        forced = self._forced_fates(moments)
        for index, moment in enumerate(moments):
            self.seed_ticket(moment, fate=forced.get(index))
        for pk, moment in self.last_event.items():
            Ticket.objects.filter(pk=pk).update(updated_at=moment)

    def _forced_fates(self, moments):
        """One ticket per status at an age where its story reaches that status, so that every status shows
        up even in a small demo; the other tickets' fates are drawn at random."""
        forced = {}
        for fate, (low, high) in FORCED_FATES.items():
            free = [i for i in range(len(moments)) if i not in forced]
            if not free:
                break
            ages = {i: (self.now - moments[i]).total_seconds() / 86400 for i in free}
            fitting = [i for i in free if low <= ages[i] <= high]
            chosen = fitting[len(fitting) // 2] if fitting else min(free, key=lambda i: abs(ages[i] - low))
            forced[chosen] = fate
        return forced

    def publish_batches(self, plan):
        """`plan`: [(days ago, at most n items)] — one answer list each, from the consented closed tickets."""
        for days_ago, limit in plan:
            moment = self.now - timedelta(days=days_ago)
            chosen = list(
                Ticket.objects.filter(
                    park=self.park,
                    status=Status.CLOSED,
                    consent_to_publish=True,
                    is_confidential=False,
                    closed_at__lt=moment,
                    published_item__isnull=True,
                )
                .exclude(reply="")
                .order_by("-closed_at")[:limit]
            )
            if not chosen:
                continue
            number = AnswerBatch.objects.filter(park=self.park).count() + 1
            answer_batch_publish(
                park=self.park,
                tickets=chosen,
                actor=self.dispatcher,
                introduction=demo.BATCH_INTRODUCTIONS.get(number, ""),
                now=moment,
            )


class Command(BaseCommand):
    help = "Load the demo complaint zone: categories, routing rules, a year of tickets and answer lists."

    def add_arguments(self, parser):
        parser.add_argument("--parks", default="", help="Park codes, comma-separated (default: every active park).")
        parser.add_argument(
            "--tickets",
            type=int,
            default=None,
            help=f"Tickets per park (default {FIRST_PARK_TICKETS} for the first, {OTHER_PARK_TICKETS} for the others).",
        )
        parser.add_argument("--seed", type=int, default=2022, help="Random seed (the same seed gives the same year).")

    def handle(self, *args, **options):
        parks = Park.objects.filter(is_active=True).order_by("pk")
        codes = [c.strip() for c in options["parks"].split(",") if c.strip()]
        if codes:
            parks = parks.filter(code__in=codes)
        parks = list(parks)
        if not parks:
            raise CommandError("No park to seed: run `manage.py seed_demo` first.")
        now = timezone.now()
        summary = []
        with demo_side_channels(), transaction.atomic():
            last_notification = Notification.objects.aggregate(n=Max("pk"))["n"] or 0
            for index, park in enumerate(parks):
                count = options["tickets"] or (FIRST_PARK_TICKETS if index == 0 else OTHER_PARK_TICKETS)
                rng = random.Random(f"{options['seed']}:{park.code}")
                seeder = ParkSeeder(park, now=now, count=count, rng=rng, out=self.stdout)
                if not seeder.load_people():
                    self.stdout.write(
                        f"{park.code}: no dispatcher, discipline officer, park administrator or department; skipped"
                    )
                    continue
                seeder.ensure_handlers()
                seeder.configure()
                if Ticket.objects.filter(park=park).exists():
                    summary.append(f"{park.code}: has tickets already, left as it is")
                    continue
                try:
                    seeder.seed_tickets()
                    if not AnswerBatch.objects.filter(park=park).exists():
                        plan = [(150, 10), (20, 35)] if index == 0 else [(30, 10)]
                        seeder.publish_batches(plan)
                except DomainError as error:
                    raise CommandError(f"{park.code}: {error.message}") from error
                statuses = dict(
                    Ticket.objects.filter(park=park).values_list("status").annotate(n=Count("pk")).order_by()
                )
                summary.append(
                    f"{park.code}: {sum(statuses.values())} tickets ("
                    + ", ".join(f"{status} {statuses.get(status, 0)}" for status in Status.values)
                    + f"), {AnswerBatch.objects.filter(park=park).count()} answer lists"
                )
            # Demo only: the notifications of a year of past events would flood today's bells.
            Notification.objects.filter(pk__gt=last_notification).delete()
        for line in summary:
            self.stdout.write(line)

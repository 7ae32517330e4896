"""Recompute the audit trail's hash chains and report every edited or deleted event (DESIGN §4.1).

Exit status 0 when the trail is intact, 1 when any problem is found (for cron jobs and monitoring).
"""

from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chains
from core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chains; exit with status 1 if an event was edited or deleted."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chain",
            action="append",
            dest="chains",
            metavar="CHAIN",
            help="Check only this chain (e.g. complaints.ticket:42); may be repeated.",
        )
        parser.add_argument("--park", help="Check only the chains with events of this park (id or code).")

    def handle(self, *args, chains=None, park=None, **options):
        if park is not None:
            park_chains = set(
                AuditEvent.objects.filter(park_id=self._park_id(park)).values_list("chain", flat=True).distinct()
            )
            chains = park_chains if chains is None else park_chains & set(chains)
        problems = verify_chains(chains)

        events = AuditEvent.objects.all()
        if chains is not None:
            events = events.filter(chain__in=list(chains))
        event_count = events.count()
        chain_count = events.values("chain").distinct().count()
        scope = f"{event_count} event{'s' * (event_count != 1)} in {chain_count} chain{'s' * (chain_count != 1)}"

        if not problems:
            self.stdout.write(self.style.SUCCESS(f"Audit trail verified: {scope}, no problems found."))
            return
        for problem in problems:
            self.stdout.write(self.style.ERROR(str(problem)))
        noun = "problem" if len(problems) == 1 else "problems"
        self.stdout.write(self.style.ERROR(f"Audit trail NOT intact: {len(problems)} {noun} in {scope}."))
        raise CommandError(f"{len(problems)} audit trail {noun} found", returncode=1)

    def _park_id(self, value):
        from parks.models import Park

        park = Park.objects.filter(code=value).first()
        if park is None and value.isdigit():
            park = Park.objects.filter(pk=int(value)).first()
        if park is None:
            raise CommandError(f"No park with code or id {value!r}.")
        return park.pk

"""``manage.py load_demo``: create the demo organisations, users, catalog and
units that are missing (idempotent; see ``sanbao.demo.loading``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sanbao.demo.catalog import UNIT_COUNT
from sanbao.demo.loading import load


class Command(BaseCommand):
    help = "Load the demo data (idempotent: only what is missing is created)."

    def handle(self, *args, **options):
        result = load()
        created = ", ".join(result.organisations_created) or "none"
        self.stdout.write(f"Demo organisations created: {created}")
        self.stdout.write(f"Demo users created: {', '.join(result.users_created) or 'none'}")
        if result.passwords_reset:
            self.stdout.write(f"Demo passwords put back for: {', '.join(result.passwords_reset)}")
        self.stdout.write(
            f"Categories created: {result.categories_created}, "
            f"product models created: {result.models_created}"
        )
        self.stdout.write(
            f"Units created: {result.units_created} "
            f"(already present: {result.units_present} of {UNIT_COUNT})"
        )
        self.stdout.write(f"Demo claims created: {', '.join(result.claims_created) or 'none'}")
        self.stdout.write(
            f"Demo return batches created: {', '.join(result.batches_created) or 'none'}"
        )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

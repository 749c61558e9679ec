from django.core.management.base import BaseCommand, CommandError

from sanbao.core.retention import purge_expired, purge_kinds


class Command(BaseCommand):
    help = (
        "IV.8: anonymise the records kept longer than the retention period (not those "
        "on legal hold) and delete their uploaded files. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        parser.add_argument(
            "--batch-size", type=int, default=None, help="records a transaction (default: setting)"
        )
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            help=f"only this kind (repeatable): {', '.join(k.name for k in purge_kinds())}",
        )

    def handle(self, *args, dry_run, batch_size, kinds, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            reports = purge_expired(dry_run=dry_run, batch_size=batch_size, kinds=kinds)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for report in reports:
            self.stdout.write(str(report))

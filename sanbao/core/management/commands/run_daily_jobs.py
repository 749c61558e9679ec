from django.core.management.base import BaseCommand, CommandError

from sanbao.core.jobs import DAILY_JOBS, run_daily


class Command(BaseCommand):
    help = (
        "Run the daily jobs (turnaround reminders, due-date refresh, retention purge). "
        "Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", help="only these jobs (default: all)")

    def handle(self, *args, jobs, **options):
        known = {name for name, _ in DAILY_JOBS}
        unknown = sorted(set(jobs) - known)
        if unknown:
            raise CommandError(f"unknown job(s): {', '.join(unknown)}; known: {sorted(known)}")
        for name, result in run_daily(jobs or None).items():
            self.stdout.write(f"{name}: {result}")

"""``manage.py print_demo_logins``: the demo users, their shared password,
where to log in, and a claim to follow on the public status page."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sanbao.demo.claims import status_example
from sanbao.demo.people import DEMO_URL, logins

COLUMNS = ("username", "password", "role", "organisation", "language")


class Command(BaseCommand):
    help = "Print the demo logins (username, password, role, organisation, language)."

    def handle(self, *args, **options):
        demo_logins = logins()
        rows = [
            (
                login.username,
                login.password,
                login.role,
                login.organisation,
                login.language,
            )
            for login in demo_logins
        ]
        widths = [max(len(str(v)) for v in column) for column in zip(COLUMNS, *rows, strict=True)]

        def line(values):
            return "  ".join(str(v).ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        self.stdout.write("")
        self.stdout.write(line(COLUMNS))
        self.stdout.write(line("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
        missing = [login.username for login in demo_logins if not login.present]
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"Not in the database yet: {', '.join(missing)} (run: manage.py load_demo)"
                )
            )
        self.stdout.write(
            f"Open {DEMO_URL} and log in; the Django admin is at {DEMO_URL}/admin/ (user admin)."
        )
        example = status_example()
        if example is not None:
            self.stdout.write(
                f"A consumer follows a claim without logging in at {DEMO_URL}/status/: "
                f"claim number {example.number}, telephone {example.phone} ({example.status})."
            )

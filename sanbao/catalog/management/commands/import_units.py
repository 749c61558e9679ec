"""``manage.py import_units FILE``: register sold units from a CSV or XLSX file.

The command is a thin shell around ``sanbao.catalog.services.unit_import``: it
reads the file, shows progress, prints the report and sets the exit status
(1 when the import was refused — bad rows under ``all_or_nothing`` or a file
that cannot be read — 0 otherwise, including ``valid_only`` runs that skipped
bad rows, whose errors are still printed and reported).
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from sanbao.catalog.services import ImportMode, unit_import
from sanbao.core.errors import DomainError

ERRORS_SHOWN = 50
PHASE_LABELS = {"validate": "validating", "write": "writing"}


class _Progress:
    """Adapts the service's ``(phase, done, total)`` callback to one tqdm bar per phase."""

    def __init__(self, stream, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.phase: str | None = None
        self.bar: tqdm | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(
                total=total or None,
                desc=PHASE_LABELS.get(phase, phase),
                unit=" rows",
                file=self.stream,
                leave=True,
                dynamic_ncols=True,
            )
        if total and self.bar.total != total:
            self.bar.total = total
        self.bar.update(max(0, done - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Register sold units from a CSV or XLSX file. Every row is checked first; with "
        "--mode all_or_nothing (default) nothing is written if any row is bad. Exits 1 "
        "when the import was refused or the file could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or GB18030) or XLSX file of units")
        parser.add_argument(
            "--mode",
            choices=ImportMode.CHOICES,
            default=ImportMode.ALL_OR_NOTHING,
            help="all_or_nothing (default): any bad row writes nothing; "
            "valid_only: write the good rows, report the bad ones",
        )
        parser.add_argument(
            "--report", metavar="CSV", help="write every row error (row, column, code, message)"
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show progress bars")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.stderr.write(f"Cannot read {path}: {exc.strerror or exc}")
            raise SystemExit(1) from None

        progress = _Progress(self.stderr._out, enabled=not options["no_progress"])
        try:
            report = unit_import(
                actor=None,
                data=data,
                filename=path.name,
                mode=options["mode"],
                progress=progress,
            )
        except DomainError as exc:
            progress.close()
            self.stderr.write(f"{path}: {exc.message} [{exc.code}]")
            raise SystemExit(1) from None
        progress.close()

        self._print_summary(report)
        if options["report"]:
            self._write_report(Path(options["report"]), report)
        if report.errors and not report.written:
            self.stderr.write(
                self.style.ERROR(
                    f"Refused: {report.bad_rows} of {report.total_rows} rows are not valid; "
                    "nothing was written."
                )
            )
            raise SystemExit(1)

    def _print_summary(self, report) -> None:
        out = self.stdout
        out.write(f"File:      {report.filename} ({report.mode})")
        out.write(f"Rows:      {report.total_rows}")
        out.write(f"Valid:     {report.valid_rows}")
        out.write(f"Bad:       {report.bad_rows}")
        out.write(f"Created:   {report.created}")
        out.write(f"Unchanged: {report.unchanged}")
        out.write(f"Written:   {'yes' if report.written else 'no'}")
        if not report.errors:
            return
        shown = report.errors[:ERRORS_SHOWN]
        out.write("")
        out.write(f"Errors ({len(report.errors)} in all, first {len(shown)} shown):")
        out.write(f"{'row':>7}  {'column':<20}  message")
        for error in shown:
            out.write(f"{error.row:>7}  {error.column:<20}  {error.message} [{error.code}]")
        if len(report.errors) > len(shown):
            out.write(f"... {len(report.errors) - len(shown)} more; use --report FILE for all.")

    def _write_report(self, target: Path, report) -> None:
        with target.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "column", "code", "message"])
            for error in report.errors:
                writer.writerow([error.row, error.column, error.code, error.message])
        self.stdout.write(f"Report:    {target} ({len(report.errors)} errors)")

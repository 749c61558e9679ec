"""The platform's dashboard (issue 15 item 3): each figure is a table (its headers
and rows, what the XLSX download holds) and the chart drawn from the same rows.

Every figure is one or two GROUP BY queries, whatever the number of rows read
(the page runs a bounded number of queries); lists that could grow with the data
(return units, models, carriers) show their first ``TOP`` rows, largest first.
A platform user sees every record, so the figures count all of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sanbao.accounts.roles import require
from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.catalog.models import ProductModel
from sanbao.claims.models import Claim, InspectionFinding, Verdict
from sanbao.deliveries.models import Declaration, DeclarationOutcome, DeclarationStatus
from sanbao.insights import policy, quality, svg
from sanbao.insights.text import REASONS, serial_range
from sanbao.returns.models import ReceiptAnomaly, ReturnBatch, ReturnedUnit, TestResult

TOP = 15  # rows of a figure whose list grows with the data
WEEKS = 26  # weeks of the turnaround figure (the latest with a batch shipped back)
AGES = (1, 3, 7, 14)  # days: the open anomalies' age bands


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    title: Any
    note: Any
    headers: list[Any]
    rows: list[list[Any]]
    chart: SafeString | None


def rate(part: int, whole: int):
    """A percentage with two decimals; None when there is nothing to divide."""
    return policy.rate(part, whole) if whole else None


# --- Quality signals (item 4) -------------------------------------------------------


def quality_figure(found: quality.Signals | None = None) -> Figure:
    found = found or quality.signals()
    rows, labels = [], []
    latest_first = sorted(found.flags, key=lambda f: (-f.month.toordinal(), found.model(f).code))
    for flag in latest_first:
        model, c = found.model(flag), flag.counts
        labels.append(f"{model.code} {c.month:%Y-%m}")
        rows.append(
            [
                model.code,
                model.name,
                model.category.name,
                f"{c.month:%Y-%m}",
                c.sold,
                c.faulty,
                c.rate,
                flag.history_rate,
                flag.category_rate,
                ", ".join(str(REASONS[r]) for r in flag.reasons),
                serial_range(c.first_faulty, c.last_faulty),
                serial_range(c.first_serial, c.last_serial),
            ]
        )
    title = gettext_lazy("Quality signals")
    chart = (
        svg.bar_chart(
            str(title),
            labels,
            [
                svg.Series(_("Fault rate"), [r[6] for r in rows]),
                svg.Series(_("Its history"), [r[7] for r in rows]),
                svg.Series(_("Rest of its category"), [r[8] for r in rows]),
            ],
            unit="%",
        )
        if rows
        else None
    )
    return Figure(
        key="quality",
        title=title,
        note=gettext_lazy(
            "Models whose fault rate (units found faulty by a claim's judgement or the "
            "workshop's test, per unit sold) in a sale month rose well above their own "
            "history or the other models of their category. The after-sales managers are "
            "told of each once."
        ),
        headers=[
            gettext_lazy("Model"),
            gettext_lazy("Name"),
            gettext_lazy("Category"),
            gettext_lazy("Sale month"),
            gettext_lazy("Units sold"),
            gettext_lazy("Faulty units"),
            gettext_lazy("Fault rate (%)"),
            gettext_lazy("Its history (%)"),
            gettext_lazy("Rest of its category (%)"),
            gettext_lazy("Why flagged"),
            gettext_lazy("Faulty serials"),
            gettext_lazy("Serials sold that month"),
        ],
        rows=rows,
        chart=chart,
    )


TREND_MONTHS = 12  # sale months of the flagged models' trend
TREND_MODELS = len(svg.PALETTE)  # lines on one chart


def quality_trend_figure(found: quality.Signals | None = None) -> Figure:
    """The fault rate of each flagged model by sale month, over the twelve sale months
    up to the latest one flagged: the rise against the model's own history."""
    found = found or quality.signals()
    rows: list[list[Any]] = []
    months: list[dt.date] = []
    codes: list[str] = []
    if found.flags:
        latest = max(f.month for f in found.flags)
        months = [policy.months_before(latest, n) for n in range(TREND_MONTHS - 1, -1, -1)]
        flagged = sorted(found.flags, key=lambda f: (-f.month.toordinal(), found.model(f).code))
        ids = list(dict.fromkeys(f.model_id for f in flagged))[:TREND_MODELS]
        codes = [found.models[pk].code for pk in ids]
        by_model = {pk: {} for pk in ids}
        for row in found.rows:
            if row.model_id in by_model and months[0] <= row.month <= latest:
                by_model[row.model_id][row.month] = row
        for pk in sorted(ids, key=lambda pk: found.models[pk].code):
            for month in months:
                row = by_model[pk].get(month)
                if row is not None:
                    code = found.models[pk].code
                    rows.append([code, f"{month:%Y-%m}", row.sold, row.faulty, row.rate])
    title = gettext_lazy("Fault rate of the flagged models, by sale month")
    chart = None
    if rows:
        rates = {(r[0], r[1]): r[4] for r in rows}
        chart = svg.line_chart(
            str(title),
            [f"{m:%y-%m}" for m in months],
            [
                svg.Series(code, [rates.get((code, f"{m:%Y-%m}")) for m in months])
                for code in sorted(codes)
            ],
            unit="%",
            legend=True,
        )
    return Figure(
        key="quality_trend",
        title=title,
        note=gettext_lazy(
            "Each flagged model's fault rate in the twelve sale months up to the latest "
            "one flagged (months without sales are left out)."
        ),
        headers=[
            gettext_lazy("Model"),
            gettext_lazy("Sale month"),
            gettext_lazy("Units sold"),
            gettext_lazy("Faulty units"),
            gettext_lazy("Fault rate (%)"),
        ],
        rows=rows,
        chart=chart,
    )


# --- Turnaround (IV.5) ---------------------------------------------------------------


def turnaround_figure() -> Figure:
    """Batches shipped back by week (Monday, local time) and how many within IV.5's
    three working days."""
    weeks = list(
        ReturnBatch.objects.filter(shipped_at__isnull=False, working_days_late__isnull=False)
        .annotate(week=TruncWeek("shipped_at"))
        .values("week")
        .annotate(shipped=Count("pk"), on_time=Count("pk", filter=Q(working_days_late=0)))
        .order_by("-week")[:WEEKS]
    )[::-1]
    rows = [
        [_day(w["week"]), w["shipped"], w["on_time"], rate(w["on_time"], w["shipped"])]
        for w in weeks
    ]
    title = gettext_lazy("Turnaround on time, by week")
    chart = (
        svg.line_chart(
            str(title),
            [f"{r[0]:%m-%d}" for r in rows],
            [svg.Series(_("On time"), [r[3] for r in rows])],
            unit="%",
            top=100,
        )
        if rows
        else None
    )
    return Figure(
        key="turnaround",
        title=title,
        note=gettext_lazy(
            "Return batches shipped back each week (from Monday) and the share shipped "
            "within three working days of receipt (IV.5)."
        ),
        headers=[
            gettext_lazy("Week of"),
            gettext_lazy("Batches shipped back"),
            gettext_lazy("On time"),
            gettext_lazy("On time (%)"),
        ],
        rows=rows,
        chart=chart,
    )


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- Receipt: received against declared (IV.1) --------------------------------------------


def receipt_figure() -> Figure:
    orgs = list(
        ReturnBatch.objects.filter(received_units__isnull=False)
        .values("return_org__code", "return_org__name_en", "return_org__name_zh")
        .annotate(
            batches=Count("pk"),
            declared=Sum("declared_units"),
            received=Sum("received_units"),
            differing=Count("pk", filter=~Q(received_units=F("declared_units"))),
        )
        .order_by("-differing", "-batches", "return_org__code")[:TOP]
    )
    rows = [
        [
            o["return_org__code"],
            _name(o["return_org__name_en"], o["return_org__name_zh"]),
            o["batches"],
            o["declared"],
            o["received"],
            o["received"] - o["declared"],
            o["differing"],
        ]
        for o in orgs
    ]
    title = gettext_lazy("Units received against those declared, by return unit")
    chart = (
        svg.bar_chart(
            str(title),
            [r[0] for r in rows],
            [
                svg.Series(_("Declared"), [r[3] for r in rows]),
                svg.Series(_("Received"), [r[4] for r in rows]),
            ],
        )
        if rows
        else None
    )
    return Figure(
        key="receipt",
        title=title,
        note=gettext_lazy(
            "Batches whose receipt is closed: units on the packing list and units counted "
            "at receipt (IV.1), return units with the most batches that differ first."
        ),
        headers=[
            gettext_lazy("Return unit"),
            gettext_lazy("Name"),
            gettext_lazy("Batches received"),
            gettext_lazy("Units declared"),
            gettext_lazy("Units received"),
            gettext_lazy("Difference"),
            gettext_lazy("Batches with a difference"),
        ],
        rows=rows,
        chart=chart,
    )


def _name(en: str, zh: str) -> str:
    return zh if (get_language() or "en").lower().startswith("zh") and zh else en


# --- Results: fault, no fault found, excluded (II.3, III) -----------------------------------


@dataclasses.dataclass
class Results:
    fault: int = 0
    no_fault: int = 0
    excluded: int = 0

    @property
    def judged(self) -> int:
        return self.fault + self.no_fault + self.excluded

    def add(self, other: Results) -> None:
        self.fault += other.fault
        self.no_fault += other.no_fault
        self.excluded += other.excluded


def results_by_model() -> tuple[dict[int | None, Results], dict[int, ProductModel]]:
    """Judged claims and tested returned units by model (three queries): a fault
    confirmed (a claim covered with its failure confirmed), no fault found (a covered
    claim whose failure was not confirmed), or excluded (a claim not covered: a rule
    of I.1, II.2 or III; a unit excluded under a rule of III)."""
    by_model: dict[int | None, Results] = defaultdict(Results)
    for row in (
        ReturnedUnit.objects.exclude(result="")
        .values("model_id")
        .annotate(
            fault=Count("pk", filter=Q(result=TestResult.FAULT_CONFIRMED)),
            no_fault=Count("pk", filter=Q(result=TestResult.NO_FAULT_FOUND)),
            excluded=Count("pk", filter=Q(result=TestResult.EXCLUDED)),
        )
        .order_by()
    ):
        by_model[row["model_id"]].add(Results(row["fault"], row["no_fault"], row["excluded"]))
    covered = Q(verdict=Verdict.COVERED)
    for row in (
        Claim.objects.filter(judged_at__isnull=False)
        .values("model_id")
        .annotate(
            fault=Count("pk", filter=covered & Q(failure_confirmed=True)),
            no_fault=Count("pk", filter=covered & Q(failure_confirmed=False)),
            excluded=Count("pk", filter=Q(verdict=Verdict.NOT_COVERED)),
        )
        .order_by()
    ):
        by_model[row["model_id"]].add(Results(row["fault"], row["no_fault"], row["excluded"]))
    ids = [pk for pk in by_model if pk is not None]
    models = (
        {m.pk: m for m in ProductModel.objects.filter(pk__in=ids).select_related("category")}
        if ids
        else {}
    )
    return dict(by_model), models


RESULT_HEADERS = [
    gettext_lazy("Judged or tested"),
    gettext_lazy("Fault confirmed"),
    gettext_lazy("No fault found"),
    gettext_lazy("Excluded"),
    gettext_lazy("Fault (%)"),
    gettext_lazy("No fault found (%)"),
    gettext_lazy("Excluded (%)"),
]


def _result_cells(r: Results) -> list[Any]:
    n = r.judged
    return [
        n,
        r.fault,
        r.no_fault,
        r.excluded,
        rate(r.fault, n),
        rate(r.no_fault, n),
        rate(r.excluded, n),
    ]


def _results_chart(title: str, labels: list[str], rows: list[list[Any]]) -> SafeString | None:
    if not rows:
        return None
    k = len(rows[0]) - 3
    return svg.bar_chart(
        title,
        labels,
        [
            svg.Series(_("Fault"), [r[k] for r in rows]),
            svg.Series(_("No fault found"), [r[k + 1] for r in rows]),
            svg.Series(_("Excluded"), [r[k + 2] for r in rows]),
        ],
        unit="%",
    )


RESULTS_NOTE = gettext_lazy(
    "Warranty claims judged and returned units tested: a fault confirmed, no fault found "
    "(a claim whose failure was not confirmed), or excluded from the warranty."
)


def results_model_figure(results=None) -> Figure:
    by_model, models = results or results_by_model()
    ranked = sorted(
        by_model.items(),
        key=lambda item: (-item[1].judged, models[item[0]].code if item[0] in models else "~"),
    )[:TOP]
    rows = []
    for pk, r in ranked:
        model = models.get(pk)
        rows.append(
            [
                model.code if model else "—",
                model.name if model else _("Model unknown"),
                model.category.name if model else "—",
                *_result_cells(r),
            ]
        )
    title = gettext_lazy("Fault, no fault found and excluded, by model")
    return Figure(
        key="results_model",
        title=title,
        note=RESULTS_NOTE,
        headers=[
            gettext_lazy("Model"),
            gettext_lazy("Name"),
            gettext_lazy("Category"),
            *RESULT_HEADERS,
        ],
        rows=rows,
        chart=_results_chart(str(title), [r[0] for r in rows], rows),
    )


def results_category_figure(results=None) -> Figure:
    by_model, models = results or results_by_model()
    by_category: dict[str, Results] = defaultdict(Results)
    names: dict[str, str] = {}
    for pk, r in by_model.items():
        model = models.get(pk)
        code = model.category.code if model else "—"
        names[code] = model.category.name if model else _("Model unknown")
        by_category[code].add(r)
    rows = [
        [code, names[code], *_result_cells(r)]
        for code, r in sorted(by_category.items(), key=lambda item: (-item[1].judged, item[0]))
    ]
    title = gettext_lazy("Fault, no fault found and excluded, by category")
    return Figure(
        key="results_category",
        title=title,
        note=RESULTS_NOTE,
        headers=[gettext_lazy("Category"), gettext_lazy("Name"), *RESULT_HEADERS],
        rows=rows,
        chart=_results_chart(str(title), [r[1] for r in rows], rows),
    )


# --- Exclusion reasons (III) ----------------------------------------------------------------


def exclusions_figure() -> Figure:
    """The exclusions found most often: by an inspection of a claim (III.4–III.8,
    III.10, and III.1, III.3 when the registry could not decide) and by the test of
    a returned unit."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        InspectionFinding.objects.filter(found=True)
        .values("rule")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["rule"]][0] += row["n"]
    for row in (
        ReturnedUnit.objects.filter(result=TestResult.EXCLUDED)
        .values("excluded_rule")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["excluded_rule"]][1] += row["n"]
    ranked = sorted(counts.items(), key=lambda item: (-sum(item[1]), _rule_order(item[0])))[:10]
    rows = [
        [rule, str(RULE_TITLES.get(rule, rule)), claims, units, claims + units]
        for rule, (claims, units) in ranked
    ]
    title = gettext_lazy("The most frequent exclusion reasons")
    chart = (
        svg.bar_chart(
            str(title),
            [f"{r[0]} {r[1]}" for r in rows],
            [svg.Series(_("Found"), [r[4] for r in rows])],
        )
        if rows
        else None
    )
    return Figure(
        key="exclusions",
        title=title,
        note=gettext_lazy(
            "Exclusions found at a claim's inspection and at a returned unit's test, by "
            "rule of section III."
        ),
        headers=[
            gettext_lazy("Rule"),
            gettext_lazy("Exclusion"),
            gettext_lazy("Claims"),
            gettext_lazy("Returned units"),
            gettext_lazy("Total"),
        ],
        rows=rows,
        chart=chart,
    )


def _rule_order(rule: str) -> tuple:
    head, _dot, number = rule.partition(".")
    return (head, int(number) if number.isdigit() else 0)


# --- Declarations by carrier and outcome (V) ----------------------------------------------


DECLARATION_COLUMNS = [
    ("waiting", gettext_lazy("With the commissioner")),
    (DeclarationOutcome.REPLACED, gettext_lazy("Replacement sent")),
    (DeclarationOutcome.CREDITED, gettext_lazy("Credited")),
    ("rejected", gettext_lazy("Rejected")),
]


def declarations_figure() -> Figure:
    by_carrier: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Declaration.objects.exclude(status=DeclarationStatus.DRAFT)
        .values("delivery__carrier", "status", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        column = {
            DeclarationStatus.SUBMITTED: "waiting",
            DeclarationStatus.REJECTED: "rejected",
        }.get(row["status"], row["outcome"])
        by_carrier[row["delivery__carrier"].strip()][column] += row["n"]
    ranked = sorted(by_carrier.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:TOP]
    rows = [
        [
            carrier or _("No carrier named"),
            *(n[key] for key, _l in DECLARATION_COLUMNS),
            sum(n.values()),
        ]
        for carrier, n in ranked
    ]
    title = gettext_lazy("Unpacking-damage declarations by carrier and outcome")
    chart = (
        svg.bar_chart(
            str(title),
            [r[0] for r in rows],
            [
                svg.Series(str(label), [r[i + 1] for r in rows])
                for i, (_k, label) in enumerate(DECLARATION_COLUMNS)
            ],
        )
        if rows
        else None
    )
    return Figure(
        key="declarations",
        title=title,
        note=gettext_lazy(
            "Declarations submitted (V.1) by the carrier of the delivery, and what the "
            "commissioner decided (V.2)."
        ),
        headers=[
            gettext_lazy("Carrier"),
            *(label for _k, label in DECLARATION_COLUMNS),
            gettext_lazy("Total"),
        ],
        rows=rows,
        chart=chart,
    )


# --- Open receipt anomalies by age (IV.4) -------------------------------------------------


def anomalies_figure(now: dt.datetime | None = None) -> Figure:
    now = now or timezone.now()
    edges = [now - dt.timedelta(days=d) for d in AGES]
    bands = {"b0": Q(opened_at__gt=edges[0])}
    for i in range(1, len(AGES)):
        bands[f"b{i}"] = Q(opened_at__lte=edges[i - 1], opened_at__gt=edges[i])
    bands[f"b{len(AGES)}"] = Q(opened_at__lte=edges[-1])
    counts = ReceiptAnomaly.objects.filter(resolved_at__isnull=True).aggregate(
        **{k: Count("pk", filter=q) for k, q in bands.items()},
        batches=Count("batch", distinct=True),
    )
    labels = [_("Under %(n)s day") % {"n": AGES[0]}]
    labels += [
        _("%(a)s to %(b)s days") % {"a": AGES[i - 1], "b": AGES[i]} for i in range(1, len(AGES))
    ]
    labels.append(_("%(n)s days or more") % {"n": AGES[-1]})
    rows = [[label, counts[f"b{i}"]] for i, label in enumerate(labels)]
    title = gettext_lazy("Open receipt anomalies by age")
    total = sum(r[1] for r in rows)
    return Figure(
        key="anomalies",
        title=title,
        note=gettext_lazy(
            "Differences found at receipt (IV.4) not yet resolved, by the time since they "
            "were found: %(open)s open in %(batches)s batches."
        )
        % {"open": total, "batches": counts["batches"]},
        headers=[gettext_lazy("Age"), gettext_lazy("Open anomalies")],
        rows=rows,
        chart=svg.bar_chart(
            str(title), labels, [svg.Series(_("Open anomalies"), [r[1] for r in rows])]
        ),
    )


FIGURES: dict[str, Callable[[], Figure]] = {
    "quality": quality_figure,
    "quality_trend": quality_trend_figure,
    "turnaround": turnaround_figure,
    "receipt": receipt_figure,
    "results_model": results_model_figure,
    "results_category": results_category_figure,
    "exclusions": exclusions_figure,
    "declarations": declarations_figure,
    "anomalies": anomalies_figure,
}


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """The figures as counted at ``taken_at``."""

    taken_at: dt.datetime
    figures: list[Figure]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def snapshot(*, actor) -> Snapshot:
    """Every figure of the page, counted at most every
    ``SANBAO_DASHBOARD_CACHE_SECONDS`` (kept in the cache, one copy a language: the
    labels are in it), so the page and each XLSX download show the same numbers."""
    require(actor, "dashboard.view")
    seconds = settings.SANBAO_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return Snapshot(taken_at=timezone.now(), figures=count_figures())
    key = f"insights:dashboard:{get_language()}"
    taken_at = cache.get(f"{key}:taken-at")
    kept = _KEPT.get(key)
    if kept is not None and taken_at == kept.taken_at:
        return kept
    found = cache.get(key) if taken_at is not None else None
    if found is None:
        found = Snapshot(taken_at=timezone.now(), figures=count_figures())
        cache.set(key, found, seconds)
        cache.set(f"{key}:taken-at", found.taken_at, seconds)
    _KEPT[key] = found
    return found


# The snapshot each process last read from the cache, by cache key. A request asks
# the cache only when the snapshot there was taken (a small value); the snapshot
# itself is read (and unpickled) only when another one was taken. Unpickling it on
# every request rebuilt each of its lazy labels' proxy classes: 68 ms of CPU a page
# in the benchmark (issue 15). Every process still shows the cache's snapshot.
_KEPT: dict[str, Snapshot] = {}


def count_figures() -> list[Figure]:
    """Every figure of the page, in its order (the signals and the results each read
    once for two figures)."""
    found = quality.signals()
    results = results_by_model()
    return [
        quality_figure(found),
        quality_trend_figure(found),
        turnaround_figure(),
        receipt_figure(),
        results_model_figure(results),
        results_category_figure(results),
        exclusions_figure(),
        declarations_figure(),
        anomalies_figure(),
    ]

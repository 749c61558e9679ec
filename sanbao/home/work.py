"""What each role's home page opens on: its work, counted by the workflows'
selectors (each scoped to the actor), each count a link to the list that shows
those records (issue 15, item 1).

A ``Count`` is one line of the page: how many, a plain label, the filtered list
it opens, and how urgent it is when it is not zero. The most urgent come first
(overdue, due back today, calls to make); a zero is shown quietly."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import RETURN_UNIT_ROLES, Role, can
from sanbao.claims import selectors as claims
from sanbao.deliveries import selectors as deliveries
from sanbao.deliveries.models import DeclarationStatus
from sanbao.returns import selectors as returns
from sanbao.returns.models import BatchStatus

AFTER_SALES = frozenset({Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER})
COMMISSIONERS = frozenset({Role.COMMERCIAL_COMMISSIONER, Role.CS_COMMISSIONER})


@dataclass(frozen=True)
class Count:
    key: str  # the page's test id: work-<key>
    count: int
    label: str
    url: str
    tone: str = ""  # "danger" or "warning" when not zero; "" for plain work

    @property
    def shown_tone(self) -> str:
        return self.tone if self.count else ""


def _url(name: str, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _batches(**query) -> str:
    return _url("returns:batch_list", **query)


# The batch states after-sales staff work on, in the order they come to them.
STAFF_STATES = [
    ("on-hold", BatchStatus.ON_HOLD, _("On hold with open receipt anomalies")),
    ("in-transit", BatchStatus.SUBMITTED, _("In transit, to receive")),
    ("receiving", BatchStatus.RECEIVING, _("Being received: counting not finished")),
    ("received", BatchStatus.RECEIVED, _("Received, testing not started")),
    ("testing", BatchStatus.TESTING, _("Under test")),
    ("ready", BatchStatus.READY, _("Ready to ship back")),
]


def after_sales_work(user) -> list[Count]:
    """After-sales staff and managers: the return batches in their hands (IV.1–IV.6)."""
    work = returns.returns_work(actor=user, next_due=0, history=False)
    state = work.by_status
    return [
        Count(
            "overdue",
            work.overdue,
            _("Overdue: past their due date"),
            _batches(attention="overdue"),
            "danger",
        ),
        Count(
            "due-today",
            work.due_today,
            _("Due back today"),
            _batches(attention="due_today"),
            "warning",
        ),
        Count(
            "to-contact",
            work.to_contact,
            _("Calls and faxes to make about receipt anomalies"),
            _batches(attention="to_contact"),
            "warning",
        ),
        *(
            Count(key, state[status], label, _batches(status=status))
            for key, status, label in STAFF_STATES
        ),
        Count(
            "to-follow",
            work.units_to_follow,
            _("Delayed units still to follow (IV.6)"),
            _url("returns:to_follow"),
        ),
    ]


def commissioner_work(user) -> list[Count]:
    """A commissioner: the declarations submitted to their department (V.2)."""
    work = deliveries.declarations_work(actor=user)
    url = _url("deliveries:declaration_list", status=DeclarationStatus.SUBMITTED)
    return [
        Count(
            "declarations-waiting",
            work.submitted,
            _("Unpacking-damage declarations waiting for a decision"),
            url,
            "warning",
        ),
    ]


def outlet_work(user) -> list[Count]:
    """An outlet technician: the claims the outlet handles, still to deal with."""
    work = claims.claims_work(actor=user)
    url = "claims:claim_list"
    return [
        Count(
            "to-judge",
            work.to_judge,
            _("Claims to judge"),
            _url(url, status=claims.TO_JUDGE),
            "warning",
        ),
        Count(
            "approved",
            work.approved,
            _("Approved, service not started"),
            _url(url, status="approved"),
        ),
        Count("in-service", work.in_service, _("In service"), _url(url, status="in_service")),
    ]


# A return unit's batches by state, in the order of their life.
BATCH_STATES = [
    BatchStatus.DRAFT,
    BatchStatus.SUBMITTED,
    BatchStatus.RECEIVING,
    BatchStatus.ON_HOLD,
    BatchStatus.RECEIVED,
    BatchStatus.TESTING,
    BatchStatus.READY,
    BatchStatus.DELAYED,
    BatchStatus.SHIPPED,
    BatchStatus.CLOSED,
    BatchStatus.REFUSED,
]


def return_unit_work(user) -> dict:
    """An agent's or enterprise's clerk: its open anomalies and declarations, its
    batches by state with the soonest due back, and its on-time rate (IV.5)."""
    work = returns.returns_work(actor=user)
    declared = deliveries.declarations_work(actor=user)
    declarations = "deliveries:declaration_list"
    # The most urgent first (overdue, due back today), then what the clerk must do:
    # a declaration's evidence within its window (V.1), an anomaly's notice (IV.4).
    counts = [
        Count(
            "overdue",
            work.overdue,
            _("Batches overdue at the after-sales centre"),
            _batches(attention="overdue"),
            "danger",
        ),
        Count(
            "due-today",
            work.due_today,
            _("Batches due back today"),
            _batches(attention="due_today"),
            "warning",
        ),
        Count(
            "declarations-draft",
            declared.draft,
            _("Declarations being prepared: upload the evidence and submit"),
            _url(declarations, status=DeclarationStatus.DRAFT),
            "warning",
        ),
        Count(
            "anomalies",
            work.open_anomalies,
            _("Receipt anomalies on your batches, not yet resolved"),
            _url("returns:anomaly_list"),
            "warning",
        ),
        Count(
            "declarations-waiting",
            declared.submitted,
            _("Declarations waiting for the commissioner's decision"),
            _url(declarations, status=DeclarationStatus.SUBMITTED),
        ),
        Count(
            "to-follow",
            work.units_to_follow,
            _("Delayed units still to follow (IV.6)"),
            _url("returns:to_follow"),
        ),
    ]
    labels = dict(BatchStatus.choices)
    states = [
        Count(f"state-{s}", work.by_status[s], labels[s], _batches(status=s)) for s in BATCH_STATES
    ]
    return {
        "counts": counts,
        "states": states,
        "next_due": work.next_due,
        "today": timezone.localdate(),
        "on_time": work.on_time,
        "judged": work.on_time + work.late,
        "late": work.late,
        "on_time_rate": work.on_time_rate,
        "late_url": _batches(attention="late"),
    }


def work_for(user) -> dict:
    """The home page's work for ``user``'s role: ``counts`` (and for a return unit
    its batches by state, the soonest due and its on-time rate)."""
    if user.role in AFTER_SALES:
        return {"counts": after_sales_work(user)}
    if user.role in COMMISSIONERS and can(user, "declarations.decide"):
        return {"counts": commissioner_work(user)}
    if user.role == Role.OUTLET_TECHNICIAN:
        return {"counts": outlet_work(user)}
    if user.role in RETURN_UNIT_ROLES:
        return return_unit_work(user)
    return {"counts": []}

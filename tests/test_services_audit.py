"""Every service writes its audit event (issue 12, item 4), checked from the source.

A service module is an app's ``services.py`` or a module of its ``services/``
package. Each public function in one either calls ``audit.record`` /
``audit.record_many``, or calls a function that does (another service, or a
private helper of its own module: followed by name, across all service modules,
until nothing more is found), or is on ``READ_ONLY`` below with the reason it
writes no event. A new service that writes without an event fails here, naming it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANBAO = ROOT / "sanbao"
AUDIT_CALLS = {"record", "record_many"}

# "module:function" -> why it writes no audit event of its own.
READ_ONLY: dict[str, str] = {
    # Reads and pure helpers: they write nothing.
    "sanbao/accounts/services.py:hash_token": "a hash of a token's text",
    "sanbao/deliveries/services/declarations.py:missing_evidence": "reads the evidence rows",
    "sanbao/deliveries/services/deliveries.py:when": "formats a time for a message",
    "sanbao/notifications/services.py:attempted": "reads the attempts",
    "sanbao/notifications/services.py:sms_phone": "normalises and checks a number typed",
    "sanbao/returns/services/batches.py:problem_fields": "reads the packing problems",
    "sanbao/returns/services/batches.py:receipt_counts": "reads the receipt's counts",
    "sanbao/returns/services/batches.py:anomaly_notice_text": "the text of a notice",
    "sanbao/returns/services/batches.py:receipt_box_check": "refuses a box number out of range",
    "sanbao/returns/services/turnaround.py:clock_start": "the clock's fields, for a caller",
    "sanbao/returns/services/workshop.py:batch_unit_states": "reads the units' states",
    "sanbao/workdays/services.py:library_year": "reads the holidays package",
    "sanbao/workdays/services.py:calendar": "reads the calendar",
    "sanbao/workdays/services.py:due_date": "counts working days",
    "sanbao/workdays/services.py:on_calendar_changed": "registers a listener, in memory",
    "sanbao/workdays/services.py:clean_year": "checks a year typed",
    # Writes that are not the business's records.
    "sanbao/accounts/services.py:token_authenticate": (
        "an authentication: it only notes the token's last use, at most once a minute"
    ),
    # Writes inside a caller's transaction, whose own event names them.
    "sanbao/catalog/services.py:retained_part_record": (
        "the ledger row of a claim's resolution, named in its event "
        "(retained_part_take_in is the audited form for other callers)"
    ),
    "sanbao/notifications/services.py:message_deliver": (
        "the worker e-mailing a message already audited as message.written; the outcome "
        "is on the message itself (status, sent time, error)"
    ),
    "sanbao/notifications/services.py:sms_deliver": (
        "the worker sending an SMS already audited as sms.written; the outcome and the "
        "provider's answer are on the message itself (status, sent time, error, answer)"
    ),
    "sanbao/returns/services/scans.py:receipt_scan": (
        "one scan of a label: the scan row is itself append-only evidence (who, when, "
        "which label, unique per label) and receipt_close writes the count to the trail; "
        "an event per scan would fill the batch's timeline with hundreds of lines"
    ),
}


def service_modules() -> list[Path]:
    found = set(SANBAO.glob("*/services.py")) | set(SANBAO.glob("*/services/*.py"))
    return sorted(p for p in found if p.name != "__init__.py")


def _called_names(func: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute):
                names.add(node.func.attr)
            elif isinstance(node.func, ast.Name):
                names.add(node.func.id)
    return names


def _calls_audit(func: ast.FunctionDef) -> bool:
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in AUDIT_CALLS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "audit"
        ):
            return True
    return False


def functions() -> dict[str, tuple[str, ast.FunctionDef]]:
    """ "module:function" -> (function name, its node), module-level functions only."""
    found = {}
    for path in service_modules():
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                found[f"{rel}:{node.name}"] = (node.name, node)
    return found


def writing_events() -> set[str]:
    """The functions that write an event, themselves or through another."""
    funcs = functions()
    writers = {key for key, (_name, node) in funcs.items() if _calls_audit(node)}
    while True:
        names = {funcs[key][0] for key in writers}
        more = {
            key
            for key, (_name, node) in funcs.items()
            if key not in writers and _called_names(node) & names
        }
        if not more:
            return writers
        writers |= more


def test_there_are_service_modules_to_check():
    assert len(service_modules()) >= 8
    assert "sanbao/claims/services.py:claim_create" in writing_events()


def test_every_public_service_writes_an_audit_event_or_says_why_not():
    writers = writing_events()
    silent = sorted(
        key
        for key, (name, _node) in functions().items()
        if not name.startswith("_") and key not in writers and key not in READ_ONLY
    )
    assert not silent, (
        "public service functions that write no audit event (call audit.record, or add "
        f"them to READ_ONLY in {Path(__file__).name} with the reason): {silent}"
    )


def test_the_read_only_list_names_only_functions_that_exist_and_write_no_event():
    funcs, writers = functions(), writing_events()
    stale = sorted(key for key in READ_ONLY if key not in funcs or key in writers)
    assert not stale, f"READ_ONLY entries to remove: {stale}"

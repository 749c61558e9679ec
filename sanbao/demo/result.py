"""What loading the demo did, reported by ``load_demo``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoResult:
    organisations_created: list[str] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)
    passwords_reset: list[str] = field(default_factory=list)
    categories_created: int = 0
    models_created: int = 0
    units_created: int = 0
    units_present: int = 0
    claims_created: list[str] = field(default_factory=list)
    claims_skipped: list[str] = field(default_factory=list)  # no fitting unit found
    batches_created: list[str] = field(default_factory=list)

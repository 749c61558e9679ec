"""Writes on return batches, one function per action (SPEC IV).

- ``batches``: the packing list, submission under the packing rules, receipt by
  scanning where the physical count prevails, receipt anomalies (IV.1–IV.4,
  IV.P1, IV.P3–IV.P6);
- ``workshop``: the turnaround clock, testing, dispositions and delays (IV.5,
  IV.6, IV.P2, II.4);
- ``shipments``: good products sent back with their delivery lists (IV.7, IV.6).
"""

from sanbao.returns.services.batches import *  # noqa: F403
from sanbao.returns.services.batches import LineIn, ScanResult  # noqa: F401
from sanbao.returns.services.shipments import *  # noqa: F403
from sanbao.returns.services.workshop import *  # noqa: F403

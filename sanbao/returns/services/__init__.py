"""Writes on return batches, one function per action (SPEC IV).

- ``batches``: the packing list, submission under the packing rules, receipt
  where the physical count prevails, receipt anomalies (IV.1–IV.4, IV.P1,
  IV.P3–IV.P6);
- ``scans``: a labelled unit counted by its label's code (IV.3), in two statements;
- ``workshop``: the turnaround clock, testing, dispositions and delays (IV.5,
  IV.6, IV.P2, II.4);
- ``shipments``: good products sent back with their delivery lists (IV.7, IV.6).
"""

from sanbao.returns.services.batches import *  # noqa: F403
from sanbao.returns.services.batches import LineIn  # noqa: F401
from sanbao.returns.services.scans import *  # noqa: F403
from sanbao.returns.services.shipments import *  # noqa: F403
from sanbao.returns.services.workshop import *  # noqa: F403

"""The tone of each state on the claim pages (see ``sanbao.core.ui``)."""

from __future__ import annotations

from sanbao.claims.models import ClaimStatus as C
from sanbao.claims.models import Verdict
from sanbao.core.ui import Tones

CLAIM = Tones(
    "claim",
    default="dark",
    secondary=[C.SUBMITTED],
    info=[C.UNDER_JUDGEMENT],
    primary=[C.APPROVED],
    danger=[C.REJECTED],
    warning=[C.IN_SERVICE],
    success=[C.RESOLVED],
    dark=[C.CLOSED],
)

# The consumer's status page (no login) speaks more gently: a refusal is grey, a
# claim being handled blue, a finished one green, one just handed in light blue.
PUBLIC_STATUS = Tones(
    default="info",
    testid="status-label",
    secondary=[C.REJECTED],
    success=[C.RESOLVED, C.CLOSED],
    primary=[C.APPROVED, C.IN_SERVICE],
)

# Not yet decided (needs judgement): warning.
VERDICT = Tones(
    default="warning",
    testid="claim-verdict",
    success=[Verdict.COVERED],
    danger=[Verdict.NOT_COVERED],
)

"""The tone of each state on the claim pages (see ``sanbao.core.ui``)."""

from __future__ import annotations

from sanbao.claims.models import ClaimStatus, Verdict

CLAIM_TONES = {
    ClaimStatus.SUBMITTED: "secondary",
    ClaimStatus.UNDER_JUDGEMENT: "info",
    ClaimStatus.APPROVED: "primary",
    ClaimStatus.REJECTED: "danger",
    ClaimStatus.IN_SERVICE: "warning",
    ClaimStatus.RESOLVED: "success",
    ClaimStatus.CLOSED: "dark",
}
CLAIM_DEFAULT = "dark"

# The consumer's status page (no login) speaks more gently: a refusal is grey, a
# claim being handled blue, a finished one green.
PUBLIC_STATUS_TONES = {
    ClaimStatus.REJECTED: "secondary",
    ClaimStatus.RESOLVED: "success",
    ClaimStatus.CLOSED: "success",
    ClaimStatus.APPROVED: "primary",
    ClaimStatus.IN_SERVICE: "primary",
}
PUBLIC_STATUS_DEFAULT = "info"

# Not yet decided (needs judgement): warning.
VERDICT_TONES = {Verdict.COVERED: "success", Verdict.NOT_COVERED: "danger"}
VERDICT_DEFAULT = "warning"

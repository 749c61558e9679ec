"""II.3: the one check of a replacement model, for claims and returned units alike."""

from __future__ import annotations

from sanbao.accounts.roles import can
from sanbao.catalog.models import ProductModel
from sanbao.catalog.policy import ModelSpecs, is_not_lower
from sanbao.core.errors import ErrorCatalog

MAX_DECISION_REASON = 500


def replacement_check(
    original: ProductModel,
    candidate: ProductModel,
    *,
    errors: ErrorCatalog,
    field: str,
    actor=None,
    decision_reason: str = "",
) -> str:
    """II.3: a replacement is the same model or one of the same category whose
    performance specifications are not lower (``policy.is_not_lower``). Refused
    (400) with the calling app's ``<app>.replacement_other_category`` or
    ``<app>.replacement_lower``, naming ``field`` and the specifications short.

    When the original has no specifications recorded, nothing shows a different
    model is not lower: it is refused (``<app>.replacement_unspecified``) unless
    ``actor`` may decide replacements (an after-sales manager) and gives a
    ``decision_reason``. Returns that reason when it was used ("" otherwise), for
    the caller's audit event."""
    verdict = is_not_lower(ModelSpecs.of(original), ModelSpecs.of(candidate))
    if verdict.ok:
        return ""
    params = {"candidate": candidate.code, "original": original.code}
    if verdict.reason == "other_category":
        raise errors.refused(errors.code("replacement_other_category"), field, **params)
    if verdict.reason == "no_specs":
        reason = (decision_reason or "").strip()[:MAX_DECISION_REASON]
        if reason and can(actor, "replacements.decide"):
            return reason
        raise errors.refused(errors.code("replacement_unspecified"), field, **params)
    raise errors.refused(
        errors.code("replacement_lower"),
        field,
        shortfalls=ProductModel.spec_labels(verdict.shortfalls),
        **params,
    )

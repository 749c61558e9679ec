"""II.3: the one check of a replacement model, for claims and returned units alike."""

from __future__ import annotations

from sanbao.catalog.models import ProductModel
from sanbao.catalog.policy import ModelSpecs, is_not_lower
from sanbao.core.errors import ErrorCatalog


def replacement_check(
    original: ProductModel, candidate: ProductModel, *, errors: ErrorCatalog, field: str
) -> None:
    """II.3: a replacement is the same model or one of the same category whose
    performance specifications are not lower (``policy.is_not_lower``). Refused
    (400) with the calling app's ``<app>.replacement_other_category`` or
    ``<app>.replacement_lower``, naming ``field`` and the specifications short."""
    verdict = is_not_lower(ModelSpecs.of(original), ModelSpecs.of(candidate))
    if verdict.ok:
        return
    params = {"candidate": candidate.code, "original": original.code}
    if verdict.reason == "other_category":
        raise errors.refused(errors.code("replacement_other_category"), field, **params)
    raise errors.refused(
        errors.code("replacement_lower"),
        field,
        shortfalls=ProductModel.spec_labels(verdict.shortfalls),
        **params,
    )

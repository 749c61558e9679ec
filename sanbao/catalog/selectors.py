"""Tenant-scoped reads for the catalog and the unit registry."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import Role, require
from sanbao.catalog.models import Category, ProductModel, RetainedPart, Unit
from sanbao.core.cache import cached_count
from sanbao.core.errors import NotFound
from sanbao.core.filters import filter_given
from sanbao.core.sorting import Sorting, SortKey
from sanbao.core.tenancy import get_visible

# The reference lists' orders: a few dozen rows each, sorted in memory.
CATEGORY_SORTS = Sorting(
    SortKey("code", _("Code"), "code", unique=True),
    SortKey("warranty", _("Warranty (months)"), "warranty_months"),
    default="code",
)
MODEL_SORTS = Sorting(
    SortKey("category", _("Category"), "category__code", "code"),
    SortKey("code", _("Code"), "code", unique=True),
    SortKey("capacity", _("Capacity (mAh)"), "capacity_mah"),
    default="category",
)
# The ledger by when each entry was stored, from the index ``retained_part_stored``.
RETAINED_PART_SORTS = Sorting(
    SortKey("stored", _("Stored since"), "taken_in_at"),
    default="-stored",
)


def category_list(*, actor, sort: str | None = None) -> QuerySet[Category]:
    require(actor, "catalog.view")
    categories = Category.objects.visible_to(actor).annotate(model_count=Count("models"))
    return CATEGORY_SORTS.apply(categories, sort)


def category_get(*, actor, code: str) -> Category:
    require(actor, "catalog.view")
    return get_visible(
        Category.objects, actor, error_code="catalog.category_not_found", code__iexact=code
    )


def product_model_list(
    *, actor, category: str | None = None, q: str | None = None, sort: str | None = None
):
    require(actor, "catalog.view")
    qs = filter_given(
        ProductModel.objects.visible_to(actor).select_related("category"), category__code=category
    )
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(code__icontains=q) | Q(name_en__icontains=q) | Q(name_zh__icontains=q))
    return MODEL_SORTS.apply(qs, sort)


def product_model_get(*, actor, code: str) -> ProductModel:
    require(actor, "catalog.view")
    models = ProductModel.objects.select_related("category")
    return get_visible(models, actor, error_code="catalog.model_not_found", code__iexact=code)


# The unit registry's orders (issue 15): a million units, so each has its index:
# the serial's unique one, and ``unit_sold`` (sale_date, id).
UNIT_SORTS = Sorting(
    SortKey("serial", _("Serial number"), "serial", unique=True),
    SortKey("sold", _("Sale date"), "sale_date"),
    default="serial",
)


def unit_list(
    *,
    actor,
    serial: str | None = None,
    model: str | None = None,
    category: str | None = None,
    region: str | None = None,
    channel_org: str | None = None,
    authorised: bool | None = None,
    sold_from=None,
    sold_to=None,
    sort: str | None = None,
) -> QuerySet[Unit]:
    require(actor, "units.view")
    qs = Unit.objects.visible_to(actor).select_related("model", "model__category", "channel_org")
    qs = filter_given(
        qs,
        serial__istartswith=(serial or "").strip(),
        model__code=model,
        model__category__code=category,
        region=region,
        channel_org__code=channel_org,
        authorised_channel=authorised,
        sale_date__gte=sold_from,
        sale_date__lte=sold_to,
    )
    return UNIT_SORTS.apply(qs, sort)


def unit_get(*, actor, serial: str) -> Unit:
    """One unit by its exact serial. Platform users, the selling agent or
    enterprise, and service outlet technicians (who serve walk-in consumers
    holding any unit) can look it up; anyone else gets 404."""
    require(actor, "units.view")
    serial = (serial or "").strip()
    base = Unit.objects.select_related("model", "model__category", "channel_org")
    if actor.role == Role.OUTLET_TECHNICIAN:
        unit = base.filter(serial=serial).first()
        if unit is None:
            raise NotFound(code="catalog.unit_not_found")
        return unit
    return get_visible(base, actor, error_code="catalog.unit_not_found", serial=serial)


def home_figures(*, actor) -> dict:
    """Totals shown on the home page, scoped to what the actor may see: context,
    not work, so counted at most every ``SANBAO_HOME_TOTALS_CACHE_SECONDS`` for
    the same rows (a COUNT over a million units on every home page would be most
    of its time)."""
    from sanbao.accounts.roles import can

    seconds = settings.SANBAO_HOME_TOTALS_CACHE_SECONDS
    figures = {"model_count": cached_count(ProductModel.objects.visible_to(actor), seconds)}
    if can(actor, "units.view"):
        figures["unit_count"] = cached_count(Unit.objects.visible_to(actor), seconds)
    return figures


def unit_find(*, serial: str) -> Unit | None:
    """The registered unit with this exact serial, or None. For services that act
    on a serial a person has read off a unit (claim intake); not scoped to an actor,
    so never show its result to someone who could not see the unit."""
    serial = (serial or "").strip()
    if not serial:
        return None
    return (
        Unit.objects.select_related("model", "model__category", "channel_org")
        .filter(serial=serial)
        .first()
    )


# --- The retained-parts ledger (II.4) ----------------------------------------------


def retained_part_list(
    *,
    actor,
    open_only: bool = False,
    sort: str | None = None,
    model: type[RetainedPart] = RetainedPart,
) -> QuerySet[RetainedPart]:
    """The ledger as ``actor`` may see it, newest first. ``model`` is RetainedPart
    or a proxy of it through which a workflow's pages show a row."""
    require(actor, "retained_parts.view")
    qs = model.objects.visible_to(actor).select_related("held_by", "model")
    if open_only:
        qs = qs.filter(disposal="")
    return RETAINED_PART_SORTS.apply(qs, sort)


def retained_part_get(*, actor, pk: int, model: type[RetainedPart] = RetainedPart) -> RetainedPart:
    require(actor, "retained_parts.view")
    return get_visible(
        model.objects.select_related("held_by", "model"),
        actor,
        # The code the ledger had when it was part of claims: codes are a contract.
        error_code="claims.retained_part_not_found",
        pk=pk,
    )


def retained_part_list_for(*, source) -> QuerySet[RetainedPart]:
    """What was kept of ``source`` (a claim, a returned unit), newest first. No
    actor: the caller shows the source, so it has checked who may see it."""
    return RetainedPart.objects.filter(
        source_type=source._meta.label_lower, source_id=str(source.pk)
    ).select_related("model")


def lot_units(*, actor, lot: str) -> QuerySet[Unit]:
    """The units of the production ``lot``, in serial order, for whoever prints
    warranty cards (``units.print_cards``, the platform's staff); no unit in the
    lot is a 404, as for any record that does not exist."""
    require(actor, "units.print_cards")
    lot = (lot or "").strip()
    units = (
        Unit.objects.visible_to(actor)
        .select_related("model", "model__category")
        .filter(production_lot=lot)
        .order_by("serial")
    )
    if not lot or not units.exists():
        raise NotFound(code="catalog.lot_not_found")
    return units

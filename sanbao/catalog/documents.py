"""The catalog's list pages as workbooks (their "Export as XLSX" links): categories,
product models and the unit registry. Each column is the page table's, under the
same label, in its order (``sanbao.core.lists``)."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from sanbao.catalog import accessories
from sanbao.core.lists import Column, list_export, org_label, platform_only, yes_no


def _repair_limits(category) -> str:
    attempts, days = category.repair_attempts_limit, category.repair_days_limit
    return " ".join(
        [
            ngettext(
                "%(attempts)s repair of the same fault",
                "%(attempts)s repairs of the same fault",
                attempts,
            )
            % {"attempts": attempts},
            gettext("or %(days)s days in repair") % {"days": days},
        ]
    )


CATEGORIES = list_export(
    "catalog.categories_xlsx",
    title=_("Categories"),
    stem="categories",
    columns=[
        Column(_("Code"), lambda c: c.code),
        Column(_("Name"), lambda c: c.name),
        Column(_("Warranty (months)"), lambda c: c.warranty_months),
        Column(_("Return window (days)"), lambda c: c.return_window_days),
        Column(_("Exchange window (days)"), lambda c: c.exchange_window_days),
        Column(_("Repair limits"), _repair_limits),
        Column(_("New warranty on replacement"), lambda c: yes_no(c.new_warranty_on_replacement)),
        Column(
            _("Required accessories"),
            lambda c: pgettext("list separator", ", ").join(
                accessories.labels(c.required_accessories or [])
            ),
        ),
        Column(_("Must be bundled"), lambda c: yes_no(c.must_be_bundled)),
        Column(_("Models"), lambda c: c.model_count),
    ],
)

MODELS = list_export(
    "catalog.models_xlsx",
    title=_("Product models"),
    stem="product-models",
    columns=[
        Column(_("Code"), lambda m: m.code),
        Column(_("Name"), lambda m: m.name),
        Column(_("Category"), lambda m: m.category.name),
        Column(_("Capacity (mAh)"), lambda m: m.capacity_mah),
        Column(_("Rated output (W)"), lambda m: m.rated_output_w),
        Column(_("Ports"), lambda m: m.port_count),
        Column(_("Battery life (h)"), lambda m: m.battery_life_h),
        Column(_("On sale"), lambda m: yes_no(m.is_active)),
    ],
)

UNITS = list_export(
    "catalog.units_xlsx",
    title=_("Unit registry"),
    stem="units",
    columns=[
        Column(_("Serial number"), lambda u: u.serial),
        Column(_("Model"), lambda u: u.model.code),
        Column(_("Category"), lambda u: u.model.category.name),
        Column(_("Sold through"), lambda u: org_label(u.channel_org), shown=platform_only),
        Column(_("Authorised channel"), lambda u: yes_no(u.authorised_channel)),
        Column(_("Sale date"), lambda u: u.sale_date),
        Column(_("Region of sale"), lambda u: u.get_region_display()),
    ],
)

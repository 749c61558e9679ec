from django.contrib import admin

from sanbao.catalog.models import Category, ProductModel, RetainedPart, Unit
from sanbao.core.admin import NoAddNoDeleteAdmin, ReadOnlyAdmin


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_en",
        "name_zh",
        "warranty_months",
        "return_window_days",
        "exchange_window_days",
        "must_be_bundled",
    )
    search_fields = ("code", "name_en", "name_zh")


@admin.register(ProductModel)
class ProductModelAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_en",
        "name_zh",
        "category",
        "capacity_mah",
        "rated_output_w",
        "port_count",
        "battery_life_h",
        "is_active",
    )
    list_filter = ("category", "is_active")
    list_select_related = ("category",)
    search_fields = ("code", "name_en", "name_zh")


@admin.register(Unit)
class UnitAdmin(NoAddNoDeleteAdmin):
    list_display = (
        "serial",
        "model",
        "channel_org",
        "authorised_channel",
        "sale_date",
        "region",
        "warranty_card_no",
        "production_lot",
    )
    list_filter = ("region", "authorised_channel", "model__category")
    list_select_related = ("model", "model__category", "channel_org")
    search_fields = ("serial", "production_lot")
    autocomplete_fields = ("model", "channel_org")
    date_hierarchy = "sale_date"
    show_full_result_count = False  # the registry is large; skip the second COUNT(*)
    # Units enter the registry by import or as a claim's replacement, both audited;
    # the admin corrects a unit (its history records the change), never adds one.


@admin.register(RetainedPart)
class RetainedPartAdmin(ReadOnlyAdmin):
    """Read-only: a part leaves the ledger only by a disposal, which the service
    records with its audit event (II.4)."""

    list_display = (
        "taken_in_at",
        "source_repr",
        "kind",
        "description",
        "serial",
        "held_by",
        "location",
        "disposal",
        "disposed_at",
    )
    list_filter = ("kind", "disposal", "held_by", "source_type")
    list_select_related = ("held_by",)
    search_fields = ("serial", "description", "source_repr", "location")
    date_hierarchy = "taken_in_at"
    readonly_fields = [f.name for f in RetainedPart._meta.fields]

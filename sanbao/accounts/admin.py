from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.forms import time_zone_choices
from sanbao.accounts.models import ApiToken, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh", "kind", "contact_person", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name_en", "name_zh", "contact_person")
    ordering = ("kind", "code")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "is_active")
    list_filter = ("role", "organisation__kind", "is_active", "is_staff", "language")
    list_select_related = ("organisation",)
    search_fields = ("username", "first_name", "last_name", "email", "organisation__code")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Sanbao"), {"fields": ("organisation", "role", "phone", "language", "time_zone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Sanbao"), {"fields": ("organisation", "role", "language", "time_zone")}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The time zone from the list of known zones (the model validates it too).
        if db_field.name == "time_zone":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                choices=time_zone_choices(),
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created and revoked by their owners in the UI, and
    only a hash is stored, so there is nothing useful to edit here."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    exclude = ("key_hash",)
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

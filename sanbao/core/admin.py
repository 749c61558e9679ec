"""Shared pieces of the Django admin, and the audit trail's own admin.

Most rows change only through a service that checks the move and writes its audit
event (CONVENTIONS), which an admin form would bypass, so most admins here only read.
"""

from django.contrib import admin

from sanbao.core.models import AuditEvent, LegalHold


class NoAddNoDeleteAdmin(admin.ModelAdmin):
    """Rows enter and leave through the services only; the admin may correct them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoAddNoDeleteAdmin):
    """The admin only reads these rows."""

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline that lists the rows of its parent and changes none of them."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is append-only: the admin only reads it."""

    list_display = ("at", "actor_label", "action", "target_type", "target_repr")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "action", "target_id", "target_repr")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    """IV.8: holds are set and released on their page (``accounts:legal_hold_list``)."""

    list_display = ("target_type", "target_repr", "set_at", "set_by", "released_at")
    list_filter = ("target_type",)
    search_fields = ("target_repr", "target_id", "reason")

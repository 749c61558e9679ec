"""Contact tasks and their attempts in the Django admin, read-only: an attempt is
recorded through ``attempt_record`` (which closes the task when the organisation was
reached and writes the audit event), never by editing rows."""

from django.contrib import admin

from sanbao.core.admin import ReadOnlyAdmin, ReadOnlyInline
from sanbao.notifications.models import ContactAttempt, ContactTask


class ContactAttemptInline(ReadOnlyInline):
    model = ContactAttempt
    fields = (
        "at",
        "channel",
        "outcome",
        "contact_person",
        "number_or_address",
        "contacted_by",
        "note",
    )
    readonly_fields = fields


@admin.register(ContactTask)
class ContactTaskAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "subject", "recipient", "channel", "status", "done_at")
    list_filter = ("status", "channel", "target_type")
    list_select_related = ("recipient",)
    search_fields = ("subject", "target_repr", "recipient__code", "recipient__name_en")
    date_hierarchy = "created_at"
    inlines = (ContactAttemptInline,)
    readonly_fields = [f.name for f in ContactTask._meta.fields]

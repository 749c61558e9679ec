from django.contrib import admin

from sanbao.workdays.models import CalendarDay, CalendarYear


class _ReadOnly(admin.ModelAdmin):
    """The calendar is changed on its page (/calendar/), where each change is
    audited and the due dates counted on it are recomputed; here it is only read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(_ReadOnly):
    list_display = ("day", "kind", "name", "created_by", "created_at")
    list_filter = ("kind",)
    list_select_related = ("created_by",)
    date_hierarchy = "day"
    search_fields = ("name",)


@admin.register(CalendarYear)
class CalendarYearAdmin(_ReadOnly):
    list_display = ("year", "entered_by", "entered_at", "note")
    list_select_related = ("entered_by",)

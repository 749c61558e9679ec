"""The calendar in the Django admin, read-only: it is changed on its page
(/calendar/), where each change is audited and the due dates counted on it are
recomputed; here it is only read."""

from django.contrib import admin

from sanbao.core.admin import ReadOnlyAdmin
from sanbao.workdays.models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("day", "kind", "name", "created_by", "created_at")
    list_filter = ("kind",)
    list_select_related = ("created_by",)
    date_hierarchy = "day"
    search_fields = ("name",)


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "entered_by", "entered_at", "note")
    list_select_related = ("entered_by",)

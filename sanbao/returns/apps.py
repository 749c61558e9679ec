from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "sanbao.returns"
    label = "returns"
    verbose_name = _("Returns to the factory")

    def ready(self):
        # IV.5: when the administrator changes the calendar (a year's schedule, an
        # override), the due dates of batches not yet sent back are counted again.
        from sanbao.returns.services.turnaround import due_dates_refresh
        from sanbao.workdays import services as workdays

        workdays.on_calendar_changed(due_dates_refresh)

        # The audit trail names this app's records, their events and their pages.
        from sanbao.returns import trail

        trail.register()

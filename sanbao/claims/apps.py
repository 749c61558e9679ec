from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "sanbao.claims"
    label = "claims"
    verbose_name = _("Warranty claims")

    def ready(self):
        # The unit page (catalog) shows the unit's claims through its panel registry.
        from sanbao.catalog.panels import register_unit_panel
        from sanbao.claims.unit_panel import claims_panel

        register_unit_panel(claims_panel)

        # The audit trail names this app's records, their events and their pages.
        from sanbao.claims import trail

        trail.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsumersConfig(AppConfig):
    name = "sanbao.consumers"
    label = "consumers"
    verbose_name = _("Consumers")

    def ready(self):
        # The unit page (catalog) shows the unit's warranty card through its panel
        # registry; checks registers the deployment check of the cards' address.
        from sanbao.catalog.panels import register_unit_panel
        from sanbao.consumers import checks  # noqa: F401
        from sanbao.consumers.unit_panel import card_panel

        register_unit_panel(card_panel)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveriesConfig(AppConfig):
    name = "sanbao.deliveries"
    label = "deliveries"
    verbose_name = _("Deliveries to agents")

    def ready(self):
        # IV.7 → VI: a returns shipment that leaves for a return unit is a delivery
        # that unit receives and inspects. Returns sends the signal and knows
        # nothing of deliveries; deliveries listens.
        from sanbao.deliveries.services.deliveries import delivery_from_shipment
        from sanbao.returns.signals import shipment_dispatched

        shipment_dispatched.connect(
            delivery_from_shipment, dispatch_uid="delivery-from-returns-shipment"
        )

        # The audit trail names this app's records, their events and their pages.
        from sanbao.deliveries import trail

        trail.register()

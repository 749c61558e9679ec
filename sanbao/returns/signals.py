"""What the returns workflow tells the apps above it, without knowing them.

``shipment_dispatched`` is sent, inside the dispatch transaction, when a shipment
(IV.7) leaves for its return unit, with ``shipment`` and ``actor``."""

from django.dispatch import Signal

shipment_dispatched = Signal()

"""The deliveries app's services: deliveries and their arrival (VI), declarations
of unpacking damage and their decision (V)."""

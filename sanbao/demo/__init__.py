"""Demo data for ``make run``, at the very top: it drives every app's services."""

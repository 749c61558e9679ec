"""The titles of the warranty policy's coverage rules: where it applies (I.1), the
documents it asks for (II.2) and the section-III exclusions.

Both workflows name these rules: a claim's verdict lists them, and the return
workshop refuses a unit under one of the exclusions. They live here, below both,
so that neither workflow imports the other."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RULE_TITLES = {
    "I.1": _("Sold in mainland China"),
    "II.2": _("Warranty card and proof of purchase presented together"),
    "III.1": _("Sold through the brand's legal channels"),
    "III.2": _("Valid proof of purchase and warranty card"),
    "III.3": _("Warranty card matches the unit"),
    "III.4": _("Natural consumption, wear or ageing of consumables"),
    "III.5": _("Lightning or other electrical-system damage"),
    "III.6": _("Handling, crushing, dropping, moisture, liquid or foreign matter"),
    "III.7": _("Force majeure: accident, disaster, war"),
    "III.8": _("Modified, dismantled or repaired by a non-designated third party"),
    "III.9": _("Within the warranty period"),
    "III.10": _("Use, maintenance or storage against the instructions"),
}

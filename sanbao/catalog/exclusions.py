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

# The exclusions the unit itself shows (III.4–III.8, III.10). Whoever finds one, at
# a claim's inspection or in the return workshop's test, records what was seen and
# a photo of it; the others are decided from papers and data, not from the unit.
PHOTO_RULES = frozenset({"III.4", "III.5", "III.6", "III.7", "III.8", "III.10"})


def shown_by_the_unit(rule: str) -> bool:
    """Whether the exclusion ``rule`` is proved by a photo of the unit."""
    return rule in PHOTO_RULES

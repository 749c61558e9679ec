"""What a consumer agrees to before Sanbao stores anything personal of theirs
(issue 16 item 5; the Personal Information Protection Law, PIPL: consent that is
informed, specific and given freely, for a stated purpose, kept no longer than it
needs). Shown before a mobile number is sent a code, and before a purchase or a
request for service is recorded; the version agreed to is stored with what it
covers, so a later text does not rewrite what an earlier consumer agreed to."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# Change the version whenever the text below changes in substance.
VERSION = "2026-12-07"

POINTS = (
    _(
        "We use your mobile number to send you one-time codes and messages about "
        "your unit's warranty and your claims, and for nothing else."
    ),
    _(
        "For a claim we keep only what it needs: the fault you describe, its photos "
        "or video, your proof of purchase and warranty card, and the delivery date."
    ),
    _(
        "The after-sales department and the service outlet handling your claim see "
        "it; nobody else does. It is deleted or anonymised when the retention "
        "period of the after-sales policy ends."
    ),
    _(
        "You may ask the after-sales department to show, correct or delete what we "
        "keep of yours; you may withdraw your consent for what is not yet done."
    ),
)


class ConsentField(forms.BooleanField):
    """The box a consumer ticks to agree (required: nothing is stored without it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("I have read the above and agree."))
        kwargs.setdefault(
            "error_messages",
            {"required": _("Please read and agree to how your information is used first.")},
        )
        kwargs.setdefault("widget", forms.CheckboxInput(attrs={"class": "form-check-input"}))
        super().__init__(required=True, **kwargs)

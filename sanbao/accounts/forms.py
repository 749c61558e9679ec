from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “ERP integration”."),
    )


class LegalHoldForm(forms.Form):
    """IV.8: put a record or a whole return unit on hold (the kinds are set by the view)."""

    kind = forms.ChoiceField(label=_("What to hold"), choices=())
    reference = forms.CharField(
        label=_("Number or code"),
        max_length=40,
        help_text=_("The record's number (e.g. R2612-0001), or the return unit's code."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why it must be kept: the dispute, the request, the case number."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)

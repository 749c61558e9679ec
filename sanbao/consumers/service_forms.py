"""The forms a consumer asks for service with (issue 16 item 3). They only parse:
the claim's rules (dates, the remedy open, files' content) are the intake's
(``claims.services.claim_create``), whose refusals name these same fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanbao.claims.models import FaultKind
from sanbao.consumers import consent

CAMERA = {"class": "form-control", "capture": "environment"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one box (Django's documented pattern): a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class LookupForm(forms.Form):
    """The serial and the warranty card number printed on the card."""

    serial = forms.CharField(
        label=_("Serial number"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    card_no = forms.CharField(
        label=_("Warranty card number"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class ServiceForm(forms.Form):
    """A request for service: the fault and its photos or video, the card and the
    proof of purchase, the remedy among those open today, and where the unit goes."""

    consumer_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    fault_kind = forms.ChoiceField(
        label=_("What is wrong"),
        choices=[("", "—"), *FaultKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    fault_description = forms.CharField(
        label=_("Describe the fault"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    fault_files = MultipleFileField(
        label=_("Photos or a short video of the fault"),
        widget=MultipleFileInput(attrs={**CAMERA, "accept": "image/*,video/*"}),
    )
    warranty_card_scan = forms.FileField(
        label=_("Photo of the warranty card"),
        required=False,
        widget=forms.ClearableFileInput(attrs={**CAMERA, "accept": "image/*"}),
    )
    proof_of_purchase_scan = forms.FileField(
        label=_("Photo of the proof of purchase (invoice or receipt)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={**CAMERA, "accept": "image/*"}),
    )
    proof_of_purchase_no = forms.CharField(
        label=_("Number on the proof of purchase"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    proof_of_purchase_date = forms.DateField(
        label=_("Delivery or purchase date"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    remedy_requested = forms.ChoiceField(
        label=_("What you ask for"),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    route = forms.ChoiceField(
        label=_("How the unit reaches service"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    consent = consent.ConsentField()

    def __init__(self, *args, remedies=(), places=(), **kwargs):
        """``remedies``: (code, label) open today; ``places``: (code, label) of the
        ways to service (the outlets and the post)."""
        super().__init__(*args, **kwargs)
        self.fields["remedy_requested"].choices = list(remedies)
        self.fields["remedy_requested"].required = bool(remedies)
        self.fields["route"].choices = list(places)

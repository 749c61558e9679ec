"""The forms a consumer page asks a mobile number and its one-time code with. They
only parse (the number's shape, six digits); sending and checking are the
services' (``otp_send``, ``otp_verify``), whose refusals name the same fields
(``phone``, ``code``) for ``core.forms.apply_domain_error``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sanbao.core.forms import BootstrapForm
from sanbao.core.phones import PHONE_RE, normalise_phone
from sanbao.notifications.errors import MESSAGES
from sanbao.notifications.services import CODE_RE


class PhoneForm(BootstrapForm):
    """A mobile number to send a code to: any spacing, dashes or +86."""

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        error_messages={"required": MESSAGES["notifications.sms_phone_invalid"]},
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "tel", "inputmode": "tel"}
        ),
    )

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if not PHONE_RE.match(phone):
            raise forms.ValidationError(
                MESSAGES["notifications.sms_phone_invalid"], code="sms_phone_invalid"
            )
        return phone


class PhoneCodeForm(PhoneForm):
    """The number and the six-digit code the SMS brought."""

    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        error_messages={"required": MESSAGES["notifications.otp_code_invalid"]},
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not CODE_RE.match(code):
            raise forms.ValidationError(
                MESSAGES["notifications.otp_code_invalid"], code="otp_code_invalid"
            )
        return code

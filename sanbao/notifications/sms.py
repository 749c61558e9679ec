"""SMS: the declared message templates and the backends that send them (issue 16
item 2).

A service never sends an SMS itself: ``services.sms_send`` writes a
:class:`~sanbao.notifications.models.Message` (channel SMS) and the background
worker hands it to the backend named by ``SANBAO_SMS_BACKEND`` once the
transaction commits, as e-mail is (``services.sms_deliver``).

* :class:`ConsoleBackend` (development): prints the SMS, in
  ``SANBAO_SMS_LANGUAGE``, on the worker's standard output.
* :class:`LocmemBackend` (tests): appends it to :data:`outbox`, as
  ``django.core.mail.outbox`` does for e-mail.
* :class:`AliyunBackend`: Alibaba Cloud SMS, ``SendSms`` of dysmsapi (API version
  2017-05-25), a POST of the form-encoded parameters signed with signature method
  HMAC-SHA1, version 1.0 (the RPC style's documented algorithm: the parameters
  sorted, percent-encoded, ``POST&%2F&`` + the encoded query, HMAC-SHA1 keyed with
  the AccessKey secret and ``&``, base64). The provider fills its own approved
  template (``SANBAO_SMS_TEMPLATE_*``) with the same values.

A backend never raises: every outcome, the provider's refusals and a network
failure included, is a :class:`SmsResult` the worker records on the message.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SmsTemplate:
    """One kind of SMS: its text (translatable, ``%(name)s`` for each value), the
    values it needs, and the setting holding the provider's approved template code
    (whose variables must carry the same names)."""

    name: str
    text: Promise
    params: tuple[str, ...]
    setting: str

    def render(self, params: dict[str, Any]) -> str:
        """The text in ``SANBAO_SMS_LANGUAGE`` (zh-hans unless set otherwise)."""
        with translation.override(settings.SANBAO_SMS_LANGUAGE):
            return str(self.text) % params

    @property
    def provider_code(self) -> str:
        return getattr(settings, self.setting, "") or ""


TEMPLATES: dict[str, SmsTemplate] = {
    template.name: template
    for template in (
        SmsTemplate(
            "otp_code",
            _(
                "Your Sanbao verification code is %(code)s, valid for %(minutes)s minutes. "
                "Do not tell it to anyone."
            ),
            ("code", "minutes"),
            "SANBAO_SMS_TEMPLATE_OTP_CODE",
        ),
        SmsTemplate(
            "claim_received",
            _("We have received your warranty claim %(number)s. We will tell you each step."),
            ("number",),
            "SANBAO_SMS_TEMPLATE_CLAIM_RECEIVED",
        ),
        SmsTemplate(
            "claim_judged",
            _("Your warranty claim %(number)s has been decided: %(result)s."),
            ("number", "result"),
            "SANBAO_SMS_TEMPLATE_CLAIM_JUDGED",
        ),
        SmsTemplate(
            "unit_ready",
            _("The unit of your claim %(number)s is ready for collection at %(place)s."),
            ("number", "place"),
            "SANBAO_SMS_TEMPLATE_UNIT_READY",
        ),
        SmsTemplate(
            "unit_sent_back",
            _("The unit of your claim %(number)s has been sent back to you: %(tracking)s."),
            ("number", "tracking"),
            "SANBAO_SMS_TEMPLATE_UNIT_SENT_BACK",
        ),
    )
}


def template(name: str) -> SmsTemplate:
    """The declared template ``name``; a name not declared is a programming error."""
    try:
        return TEMPLATES[name]
    except KeyError:
        raise ValueError(f"no SMS template {name!r}; declared: {sorted(TEMPLATES)}") from None


# --- Values kept unreadable until sent --------------------------------------------------


def _fernet() -> MultiFernet:
    """Keys derived from SECRET_KEY (and its fallbacks, so a rotation does not lose
    an SMS waiting in the queue)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "sanbao.notifications.sms.seal", "key", secret=key, algorithm="sha256"
                    ).digest()
                )
            )
            for key in keys
        ]
    )


def seal(values: dict[str, str]) -> str:
    """``values`` encrypted (Fernet: AES-CBC with an HMAC) for the worker alone."""
    return _fernet().encrypt(json.dumps(values).encode()).decode("ascii")


def unseal(token: str) -> dict[str, str] | None:
    """What :func:`seal` sealed; None when it cannot be read (another secret key)."""
    try:
        return json.loads(_fernet().decrypt(token.encode("ascii")))
    except (InvalidToken, ValueError):
        return None


# --- Backends -------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingSms:
    """What a backend is given: the number as stored (``core.phones``), the template,
    its values and the rendered text, and the message's id as a reference."""

    phone: str
    template: SmsTemplate
    params: dict[str, str]
    text: str
    reference: str = ""


@dataclass
class SmsResult:
    """A backend's outcome: ``ok``, else ``error`` (a line for people) and whether
    trying again later may help (``retry``); ``answer`` is what the provider said."""

    ok: bool
    answer: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    retry: bool = True


class BaseBackend:
    def send(self, sms: OutgoingSms) -> SmsResult:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: the SMS on standard output (the worker's terminal)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, sms: OutgoingSms) -> SmsResult:
        self.stream.write(f"SMS to {sms.phone} [{sms.template.name}]: {sms.text}\n")
        self.stream.flush()
        return SmsResult(ok=True, answer={"backend": "console"})


outbox: list[OutgoingSms] = []


class LocmemBackend(BaseBackend):
    """Tests: every SMS appended to :data:`outbox` (emptied before each test)."""

    def send(self, sms: OutgoingSms) -> SmsResult:
        outbox.append(sms)
        return SmsResult(ok=True, answer={"backend": "locmem", "count": len(outbox)})


# The provider's answers that no retry can change (the number, the template or the
# values are wrong, or the number refuses SMS); anything else is tried again.
ALIYUN_FINAL = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
    "isv.INVALID_JSON_PARAM",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.PARAM_NOT_SUPPORT_URL",
}
ALIYUN_VERSION = "2017-05-25"


def aliyun_encode(value: str) -> str:
    """The RPC style's percent-encoding: UTF-8, only A-Z a-z 0-9 - _ . ~ left as they
    are, a space as %20 (never +), * as %2A, ~ kept."""
    return urllib.parse.quote(str(value), safe="-_.~")


def aliyun_string_to_sign(method: str, params: dict[str, str]) -> str:
    query = "&".join(f"{aliyun_encode(k)}={aliyun_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{aliyun_encode('/')}&{aliyun_encode(query)}"


def aliyun_signature(method: str, params: dict[str, str], secret: str) -> str:
    """Signature method HMAC-SHA1, version 1.0: base64 of HMAC-SHA1 over the string
    to sign, keyed with the AccessKey secret followed by ``&``."""
    digest = hmac.new(
        f"{secret}&".encode(), aliyun_string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


class AliyunBackend(BaseBackend):
    """Alibaba Cloud SMS (dysmsapi ``SendSms``), credentials and endpoint from the
    ``SANBAO_SMS_ALIYUN_*`` settings."""

    method = "POST"

    def __init__(self) -> None:
        self.endpoint = settings.SANBAO_SMS_ALIYUN_ENDPOINT
        self.key_id = settings.SANBAO_SMS_ALIYUN_ACCESS_KEY_ID
        self.secret = settings.SANBAO_SMS_ALIYUN_ACCESS_KEY_SECRET
        self.sign_name = settings.SANBAO_SMS_ALIYUN_SIGN_NAME
        self.region = settings.SANBAO_SMS_ALIYUN_REGION
        self.timeout = settings.SANBAO_SMS_TIMEOUT_SECONDS

    def parameters(self, sms: OutgoingSms, *, nonce: str, timestamp: str) -> dict[str, str]:
        """The request's parameters, without the signature."""
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": sms.phone.removeprefix("+"),
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce,
            "SignatureVersion": "1.0",
            "TemplateCode": sms.template.provider_code,
            "TemplateParam": json.dumps(sms.params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": timestamp,
            "Version": ALIYUN_VERSION,
        }
        if sms.reference:
            params["OutId"] = sms.reference
        return params

    def send(self, sms: OutgoingSms) -> SmsResult:
        missing = [
            name
            for name, value in (
                ("SANBAO_SMS_ALIYUN_ACCESS_KEY_ID", self.key_id),
                ("SANBAO_SMS_ALIYUN_ACCESS_KEY_SECRET", self.secret),
                ("SANBAO_SMS_ALIYUN_SIGN_NAME", self.sign_name),
                (sms.template.setting, sms.template.provider_code),
            )
            if not value
        ]
        if missing:
            return SmsResult(ok=False, error=f"not configured: {', '.join(missing)}")
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = self.parameters(sms, nonce=uuid.uuid4().hex, timestamp=now)
        params["Signature"] = aliyun_signature(self.method, params, self.secret)
        body = "&".join(f"{aliyun_encode(k)}={aliyun_encode(v)}" for k, v in params.items())
        request = urllib.request.Request(
            self.endpoint,
            data=body.encode(),
            method=self.method,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:  # the provider's refusals come as 4xx/5xx
            status, raw = exc.code, exc.read()
        except (OSError, ValueError) as exc:  # refused, timed out, unresolvable
            return SmsResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        return self.result(status, raw)

    @staticmethod
    def result(status: int, raw: bytes) -> SmsResult:
        """The provider's answer read: ``Code`` OK is sent; any other code, or an
        answer that is not its JSON, is a failure naming what was said."""
        try:
            answer = json.loads(raw.decode("utf-8"))
            if not isinstance(answer, dict):
                raise ValueError
        except (UnicodeDecodeError, ValueError):
            text = raw[:300].decode("utf-8", "replace")
            return SmsResult(
                ok=False,
                answer={"http_status": status, "body": text},
                error=f"HTTP {status}: {text}"[:500],
            )
        answer = {"http_status": status, **answer}
        code = str(answer.get("Code", ""))
        if status == 200 and code == "OK":
            return SmsResult(ok=True, answer=answer)
        error = f"{code or f'HTTP {status}'}: {answer.get('Message', '')}"[:500]
        return SmsResult(ok=False, answer=answer, error=error, retry=code not in ALIYUN_FINAL)


def backend() -> BaseBackend:
    """A backend of the class ``SANBAO_SMS_BACKEND`` names."""
    return import_string(settings.SANBAO_SMS_BACKEND)()

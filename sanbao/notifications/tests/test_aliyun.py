"""The Alibaba Cloud SMS adapter (dysmsapi SendSms) against a real HTTP server on
127.0.0.1 standing in for the provider: the request is signed as the RPC
signature (method HMAC-SHA1, version 1.0) is documented, recomputed here from the
documented rules; the provider's answers, refusals included, are recorded on the
message by the worker and never raised."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from sanbao.notifications import services, sms
from sanbao.notifications.models import Message, MessageStatus
from sanbao.testkit.background import run_queued_tasks

pytestmark = pytest.mark.django_db

SECRET = "testSecret-for-the-fake-endpoint"
OK = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"}
BAD_SIGNATURE = {
    "Code": "SignatureDoesNotMatch",
    "Message": "Specified signature is not matched with our calculation.",
    "RequestId": "8906582E",
}
THROTTLED = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1"}
INVALID_NUMBER = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}


def documented_encode(text: str) -> str:
    """The documented rule, byte by byte: A-Z a-z 0-9 - _ . ~ stay, every other
    byte of the UTF-8 text is %XY in upper-case hexadecimal."""
    keep = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
    return "".join(chr(b) if b in keep else f"%{b:02X}" for b in text.encode("utf-8"))


def documented_signature(method: str, params: dict[str, str], secret: str) -> str:
    canonical = "&".join(
        f"{documented_encode(k)}={documented_encode(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{documented_encode('/')}&{documented_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class Provider:
    """The stand-in endpoint: records each request and answers with ``answer``."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answer: tuple[int, bytes] = (200, json.dumps(OK).encode())
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                provider.requests.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type", ""),
                        "body": body,
                        "params": dict(urllib.parse.parse_qsl(body, keep_blank_values=True)),
                    }
                )
                status, payload = provider.answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def answers(self, status: int, payload) -> None:
        self.answer = (
            status,
            payload if isinstance(payload, bytes) else json.dumps(payload).encode(),
        )


@pytest.fixture
def provider():
    fake = Provider()
    fake.thread.start()
    with override_settings(
        SANBAO_SMS_BACKEND="sanbao.notifications.sms.AliyunBackend",
        SANBAO_SMS_ALIYUN_ENDPOINT=fake.url,
        SANBAO_SMS_ALIYUN_ACCESS_KEY_ID="LTAI-test-id",
        SANBAO_SMS_ALIYUN_ACCESS_KEY_SECRET=SECRET,
        SANBAO_SMS_ALIYUN_SIGN_NAME="三包售后",
        SANBAO_SMS_TEMPLATE_CLAIM_RECEIVED="SMS_100000001",
        SANBAO_SMS_TEMPLATE_OTP_CODE="SMS_100000002",
        SANBAO_SMS_ATTEMPTS=3,
    ):
        yield fake
    fake.server.shutdown()
    fake.server.server_close()


def write(phone="13800138000", number="C-2026-000123", key=""):
    return services.sms_send(
        phone=phone, template="claim_received", params={"number": number}, key=key
    )


# --- The documented signature -------------------------------------------------------------


def test_the_signature_of_the_documented_rpc_example():
    """Alibaba Cloud's own example (ECS DescribeRegions, AccessKey secret
    "testsecret"): its string to sign and its signature, as published."""
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert sms.aliyun_string_to_sign("GET", params) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
        "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-"
        "4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46"
        "%253A24Z%26Version%3D2014-05-26"
    )
    assert sms.aliyun_signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_the_signature_of_the_documented_sendsms_example_with_a_chinese_sign_name():
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert sms.aliyun_signature("GET", params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert documented_signature("GET", params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_the_encoding_follows_the_documented_rules():
    assert (
        sms.aliyun_encode("a b*c~d/é") == documented_encode("a b*c~d/é") == "a%20b%2Ac~d%2F%C3%A9"
    )


# --- Against the stand-in endpoint --------------------------------------------------------


def test_the_request_is_a_signed_sendsms_post_the_provider_can_check(provider):
    message = write()
    run_queued_tasks()
    (request,) = provider.requests
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    params = request["params"]
    signature = params.pop("Signature")
    assert signature == documented_signature("POST", params, SECRET)
    assert params["Action"] == "SendSms" and params["Version"] == "2017-05-25"
    assert params["SignatureMethod"] == "HMAC-SHA1" and params["SignatureVersion"] == "1.0"
    assert params["AccessKeyId"] == "LTAI-test-id" and params["SignName"] == "三包售后"
    assert params["PhoneNumbers"] == "13800138000" and params["TemplateCode"] == "SMS_100000001"
    assert json.loads(params["TemplateParam"]) == {"number": "C-2026-000123"}
    assert params["OutId"] == str(message.pk) and params["Format"] == "JSON"
    assert SECRET not in request["body"]
    # A space is %20 and never +, as the signature's encoding has it.
    assert "+" not in request["body"].replace("%2B", "")


def test_a_different_secret_would_not_match(provider):
    write()
    run_queued_tasks()
    params = dict(provider.requests[0]["params"])
    signature = params.pop("Signature")
    assert signature != documented_signature("POST", params, "another secret")


def test_the_nonce_and_timestamp_differ_per_request(provider):
    write(key="a")
    write(key="b")
    run_queued_tasks()
    first, second = (r["params"] for r in provider.requests)
    assert first["SignatureNonce"] != second["SignatureNonce"]
    assert first["Timestamp"].endswith("Z") and len(first["Timestamp"]) == 20


def test_the_provider_accepting_marks_the_message_sent_with_its_answer(provider):
    message = write()
    (ran,) = run_queued_tasks()
    assert ran.return_value == MessageStatus.SENT
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at is not None
    assert message.answer["BizId"] == OK["BizId"] and message.answer["http_status"] == 200
    assert message.error == ""


def test_an_international_number_is_sent_with_its_country_code_without_the_plus(provider):
    write(phone="+852 6123 4567")
    run_queued_tasks()
    assert provider.requests[0]["params"]["PhoneNumbers"] == "85261234567"


@pytest.mark.parametrize(
    ("status", "answer", "code"),
    [
        (400, BAD_SIGNATURE, "SignatureDoesNotMatch"),
        (200, THROTTLED, "isv.BUSINESS_LIMIT_CONTROL"),
    ],
)
def test_a_refusal_a_retry_may_cure_is_recorded_and_tried_again_later(
    provider, status, answer, code
):
    provider.answers(status, answer)
    message = write()
    (ran,) = run_queued_tasks()
    assert ran.status == "SUCCESSFUL" and ran.return_value == "retry"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.error.startswith(code) and message.answer["Code"] == code
    assert message.answer["http_status"] == status
    later = DBTaskResult.objects.get(status="READY")
    assert later.args_kwargs["kwargs"] == {"attempt": 2}
    # Tried up to SANBAO_SMS_ATTEMPTS times in all, then failed.
    for _ in range(2):
        DBTaskResult.objects.filter(status="READY").update(run_after=later.enqueued_at)
        run_queued_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.error.startswith(code)
    assert len(provider.requests) == 3


def test_an_invalid_number_fails_at_once_without_a_retry(provider):
    provider.answers(200, INVALID_NUMBER)
    message = write()
    (ran,) = run_queued_tasks()
    assert ran.status == "SUCCESSFUL" and ran.return_value == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error == "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号"
    assert message.answer["Message"] == "非法手机号"
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_an_answer_that_is_not_json_is_recorded_as_a_failure(provider):
    provider.answers(502, b"<html>Bad gateway</html>")
    message = write()
    run_queued_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING  # tried again later
    assert message.error.startswith("HTTP 502") and message.answer["http_status"] == 502


def test_an_endpoint_that_does_not_answer_is_a_recorded_failure(provider):
    provider.server.shutdown()
    provider.server.server_close()
    message = write()
    (ran,) = run_queued_tasks()
    assert ran.status == "SUCCESSFUL"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert "Connection" in message.error or "refused" in message.error.lower()


def test_missing_credentials_are_a_recorded_failure_naming_the_setting(provider):
    with override_settings(SANBAO_SMS_ALIYUN_ACCESS_KEY_SECRET=""):
        message = write()
        run_queued_tasks()
    message.refresh_from_db()
    assert "SANBAO_SMS_ALIYUN_ACCESS_KEY_SECRET" in message.error
    assert provider.requests == []


def test_a_one_time_code_reaches_the_provider_as_a_template_value(provider):
    row = services.otp_send("13800138000", "consumer_phone", client="192.0.2.1")
    run_queued_tasks()
    params = provider.requests[0]["params"]
    assert params["TemplateCode"] == "SMS_100000002"
    values = json.loads(params["TemplateParam"])
    assert set(values) == {"code", "minutes"} and len(values["code"]) == 6
    assert (
        services.otp_verify("13800138000", "consumer_phone", values["code"], client="192.0.2.1").pk
        == row.pk
    )
    assert Message.objects.get(pk=row.message_id).sealed == ""

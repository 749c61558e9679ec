"""SMS to a claim's consumer at the steps that matter (issue 16 item 4).

The claims services call :func:`notify` inside their transaction, after their
audit event: the SMS is written there (``notifications.services.sms_send``) and
the worker sends it once the transaction commits; a claim rolled back sends
nothing. Each step of a claim is told once (the message's ``key`` names the claim
and the step), and a failure to write the SMS is logged, never the transition's.

The steps told: received (the claim is in), judged (approved, with its remedy,
or not approved), and ready (resolved: the repaired or replacement unit can be
collected where it was handed in). The start of the service is not told (the
approval said what comes next) and neither is closing (an office step after the
consumer has been told the outcome): the claim's page shows both.

Who is told: :func:`wants_sms` (docs/decisions.md, "SMS at a claim's steps").
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sanbao.claims.models import Claim, ClaimantKind, ClaimChannel, Outcome
from sanbao.notifications.services import sms_send

logger = logging.getLogger(__name__)

RECEIVED = "received"
JUDGED = "judged"
READY = "ready"

# Alibaba Cloud refuses a notice template's value longer than 35 characters
# (isv.PARAM_LENGTH_LIMIT, never retried): a long outlet name is cut to fit.
VALUE_LIMIT = 35

APPROVED_RESULT = _("approved, remedy: %(remedy)s")
REJECTED_RESULT = _("not approved (the reasons are on your claim's page)")


def made_by_consumer(claim: Claim) -> bool:
    """Whether the consumer made ``claim`` on the phone pages (issue 16 item 3),
    having agreed there to messages about their claims (``consumers.consent``):
    its channel says so."""
    return claim.channel == ClaimChannel.CONSUMER


def wants_sms(claim: Claim) -> bool:
    """Whether ``claim``'s consumer is told its steps by SMS: a consumer's claim
    with a telephone, not anonymised (IV.8), made by the consumer on the phone
    pages; a claim taken at a counter only where ``SANBAO_SMS_COUNTER_CLAIMS``
    says the counter tells the consumer so (off by default; docs/decisions.md).
    An organisation follows its claims with its account."""
    if claim.claimant_kind != ClaimantKind.CONSUMER or not claim.consumer_phone:
        return False
    if claim.anonymised_at is not None:
        return False
    return made_by_consumer(claim) or settings.SANBAO_SMS_COUNTER_CLAIMS


def _message(claim: Claim, step: str) -> tuple[str, dict] | None:
    """The template and its values for ``step``, in the SMS's language; None when
    the step tells this claim's consumer nothing."""
    if step == RECEIVED:
        return "claim_received", {"number": claim.number}
    if step == JUDGED:
        if claim.remedy:
            result = APPROVED_RESULT % {"remedy": claim.get_remedy_display()}
        else:
            result = REJECTED_RESULT
        return "claim_judged", {"number": claim.number, "result": str(result)}
    if step == READY and claim.outcome in (Outcome.REPAIRED, Outcome.REPLACED):
        # A refund leaves nothing to collect: the unit stays with the brand (II.4).
        if claim.by_post:
            # Posted back, not collected: told with its waybill, and not before one
            # is recorded (never "ready for collection" at a centre they posted to).
            if not claim.return_waybill:
                return None
            tracking = claim.return_waybill[:VALUE_LIMIT]
            return "unit_sent_back", {"number": claim.number, "tracking": tracking}
        place = claim.handling_org.display_name[:VALUE_LIMIT]
        return "unit_ready", {"number": claim.number, "place": place}
    return None


def notify(claim: Claim, step: str) -> None:
    """Write the SMS of ``step`` to ``claim``'s consumer when they are told its
    steps (:func:`wants_sms`); once per claim and step. Called inside the
    service's transaction; whatever goes wrong here is logged and the claim's
    move stands (a savepoint undoes a half-written SMS)."""
    if not wants_sms(claim):
        return
    try:
        with translation.override(settings.SANBAO_SMS_LANGUAGE):
            message = _message(claim, step)
        if message is None:
            return
        template, params = message
        with transaction.atomic():
            sms_send(
                phone=claim.consumer_phone,
                template=template,
                params=params,
                key=f"claim-sms:{claim.number}:{step}",
            )
    except Exception:  # an SMS never fails the claim's step
        logger.exception("SMS for claim %s, step %s, not written", claim.number, step)

"""IV.8 and PIPL: a purchase registration is kept while it can serve a claim (the
unit's warranty) and ``SANBAO_RETENTION_REGISTRATION_DAYS`` after, then loses the
consumer's number and the photo of the proof of purchase; a legal hold keeps it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanbao.accounts.holds import hold_set
from sanbao.claims.tests.factories import days_ago, repaired_in_the_past
from sanbao.consumers import consent
from sanbao.consumers.models import Registration
from sanbao.consumers.registration import card_registration, registration_create
from sanbao.consumers.retention import registration_warranty_end
from sanbao.core.retention import REDACTED, purge_expired
from sanbao.testkit.uploads import jpeg_bytes

PHONE = "13800138000"

pytestmark = pytest.mark.django_db


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def register(unit, delivered: dt.date) -> Registration:
    return registration_create(
        unit=unit,
        phone=PHONE,
        delivered_on=delivered,
        proof_photo=SimpleUploadedFile("r.jpg", jpeg_bytes(), "image/jpeg"),
        consent_version=consent.VERSION,
    )


@pytest.fixture
def registered(unit_of_agent_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return register(unit_of_agent_a, dt.date(2025, 6, 3))


def at(day: dt.date) -> dt.datetime:
    """Noon of ``day``, local time: when the purge runs."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def purge(now, **kwargs):
    return purge_expired(now=now, kinds=["registrations"], **kwargs)[0]


def test_the_warranty_is_counted_from_the_later_delivery_date(registered):
    # Sold 2025-06-01, delivered 2025-06-03: the delivery date counts (I.2).
    months = registered.unit.model.category.warranty_months
    end = registration_warranty_end(registered)
    assert end.day == 3 and (end.year - 2025) * 12 + end.month - 6 == months


@pytest.mark.clause("IV.8")
def test_a_registration_is_kept_the_retention_period_after_the_warranty_then_purged(
    registered, settings, tmp_path, django_capture_on_commit_callbacks
):
    end = registration_warranty_end(registered)
    days = settings.SANBAO_RETENTION_REGISTRATION_DAYS
    photo = registered.proof_photo.name
    # The clock starts the day after the last day covered: the period's last day keeps it.
    kept = purge(at(end + dt.timedelta(days=days + 1)))
    assert kept.anonymised == 0
    assert Registration.objects.get().phone == PHONE
    assert purge(at(end + dt.timedelta(days=days + 2)), dry_run=True).anonymised == 1
    with django_capture_on_commit_callbacks(execute=True):
        report = purge(at(end + dt.timedelta(days=days + 2)))
    assert (report.anonymised, report.files) == (1, 1)
    after = Registration.objects.get()
    assert (after.phone, after.proof_photo.name) == (REDACTED, "")
    assert after.anonymised_at is not None
    assert (after.unit_id, after.delivered_on, after.consent_version) == (
        registered.unit_id,
        registered.delivered_on,
        registered.consent_version,
    )
    assert photo not in files_in(tmp_path)
    # The number no longer opens anything on the card page.
    assert card_registration(after.unit, PHONE).mine is False
    # A second run finds nothing.
    assert purge(at(end + dt.timedelta(days=days + 30))).anonymised == 0


@pytest.mark.clause("IV.8")
def test_days_in_warranty_repair_keep_a_registration_longer(
    unit_of_agent_a, platform_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    delivered = days_ago(300)  # in warranty: the repair is a warranty repair
    registered = register(unit_of_agent_a, delivered)
    before = registration_warranty_end(registered)
    repaired_in_the_past(platform_staff, unit_of_agent_a, delivered_on=delivered, days_in_repair=10)
    end = registration_warranty_end(registered)
    assert end == before + dt.timedelta(days=10)
    days = settings.SANBAO_RETENTION_REGISTRATION_DAYS
    assert purge(at(before + dt.timedelta(days=days + 2))).anonymised == 0
    assert purge(at(end + dt.timedelta(days=days + 2))).anonymised == 1


@pytest.mark.clause("IV.8")
def test_a_registration_on_legal_hold_is_left_alone(registered, platform_manager, settings):
    end = registration_warranty_end(registered)
    days = settings.SANBAO_RETENTION_REGISTRATION_DAYS
    hold_set(
        actor=platform_manager,
        kind="registrations",
        reference=registered.unit.serial,
        reason="Consumer dispute",
    )
    report = purge(at(end + dt.timedelta(days=days + 30)))
    assert (report.anonymised, report.held) == (0, 1)
    assert Registration.objects.get().phone == PHONE


@pytest.mark.clause("IV.8")
def test_a_return_units_hold_keeps_the_registrations_of_the_units_it_sold(
    registered, platform_manager, agent_a, settings
):
    end = registration_warranty_end(registered)
    days = settings.SANBAO_RETENTION_REGISTRATION_DAYS
    hold_set(actor=platform_manager, kind="organisation", reference=agent_a.code, reason="Audit")
    assert purge(at(end + dt.timedelta(days=days + 30))).held == 1

"""Return batches (packing list and lines), receipt scans, and receipt anomalies."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import PLATFORM_ROLES, RETURN_UNIT_ROLES
from sanbao.catalog.models import ProductModel
from sanbao.core.tenancy import TenantQuerySet


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("In transit")
    RECEIVING = "receiving", _("Being received")
    RECEIVED = "received", _("Received, ready for testing")
    ON_HOLD = "on_hold", _("On hold (receipt anomaly)")
    REFUSED = "refused", _("Refused")


class Freight(models.TextChoices):
    PREPAID = "prepaid", _("Freight prepaid by the sender")
    COD = "cod", _("Cash on delivery")


class BatchQuerySet(TenantQuerySet):
    def visible_to(self, actor):
        """Platform users see every batch; an agent or enterprise its own."""
        if not getattr(actor, "is_authenticated", False):
            return self.none()
        if actor.role in PLATFORM_ROLES:
            return self.all()
        if actor.role in RETURN_UNIT_ROLES:
            return self.filter(return_org_id=actor.organisation_id)
        return self.none()


class ReturnBatch(models.Model):
    """A batch of faulty units sent back to the factory, with its packing list (IV.2)."""

    number = models.CharField(_("batch number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    return_org = models.ForeignKey(
        Organisation,
        verbose_name=_("return unit"),
        on_delete=models.PROTECT,
        related_name="return_batches",
    )
    # The packing list (IV.2)
    declared_units = models.PositiveIntegerField(
        _("declared faulty units"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    declared_boxes = models.PositiveIntegerField(
        _("declared boxes"), validators=[MinValueValidator(1), MaxValueValidator(1_000)]
    )
    repair_list_pages = models.PositiveIntegerField(_("pages of the repair list"), default=0)
    packed_on = models.DateField(_("date"))
    contact_person = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact telephone"), max_length=30)
    # Shipping terms (IV.P5, IV.P6)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    waybill_no = models.CharField(_("waybill number"), max_length=60, blank=True)
    home_delivery = models.BooleanField(_("home delivery"), default=True)
    freight = models.CharField(
        _("freight"), max_length=8, choices=Freight.choices, default=Freight.PREPAID
    )
    extra_cost_to_shipper = models.BooleanField(
        _("extra delivery cost charged to the shipper"),
        default=False,
        help_text=_("Set when the batch does not come by home delivery (IV.P6)."),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    # Receipt (IV.1): what physically arrived prevails.
    received_units = models.PositiveIntegerField(_("units received"), null=True, blank=True)
    received_boxes = models.PositiveIntegerField(_("boxes received"), null=True, blank=True)
    receipt_opened_at = models.DateTimeField(_("receipt opened"), null=True, blank=True)
    receipt_closed_at = models.DateTimeField(_("receipt closed"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("return batch")
        verbose_name_plural = _("return batches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["return_org", "status"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values), name="batch_status_valid"
            ),
            # IV.P5: a cash-on-delivery batch never leaves the draft state.
            models.CheckConstraint(
                condition=~Q(freight="cod") | Q(status__in=["draft", "refused"]),
                name="batch_cod_never_submitted",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class BatchLine(models.Model):
    """One line of the packing list / repair list: a model, its fault as written on
    the labels, accessories, bundling and the box it travels in."""

    batch = models.ForeignKey(
        ReturnBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    model = models.ForeignKey(
        ProductModel, verbose_name=_("model"), on_delete=models.PROTECT, related_name="+"
    )
    serial = models.CharField(_("serial number"), max_length=40, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    fault = models.CharField(_("fault (as on the label)"), max_length=120)
    accessories = models.JSONField(_("accessories included"), default=list, blank=True)
    bundled = models.BooleanField(_("bundled with a tie"), default=False)
    box_no = models.PositiveSmallIntegerField(_("box"), validators=[MinValueValidator(1)])
    # Receipt
    counted = models.PositiveIntegerField(_("typed count"), null=True, blank=True)
    accessories_missing = models.JSONField(_("accessories missing"), default=list, blank=True)
    received_quantity = models.PositiveIntegerField(_("received"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch line")
        verbose_name_plural = _("batch lines")
        ordering = ["batch", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line_no"], name="batch_line_unique"),
            models.CheckConstraint(
                condition=Q(serial="") | Q(quantity=1), name="batch_line_serial_is_one_unit"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="batch_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.line_no}"


class ScanKind(models.TextChoices):
    LABEL = "label", _("Labelled unit of the list")
    UNLABELLED = "unlabelled", _("Unit without a label")
    UNLISTED = "unlisted", _("Unit not on the packing list")


class ReceiptScan(models.Model):
    """One unit counted at receipt. A label is counted once, however often and by
    however many scanners it is scanned: (batch, code) is unique."""

    batch = models.ForeignKey(
        ReturnBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="scans"
    )
    code = models.CharField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=ScanKind.choices)
    line = models.ForeignKey(
        BatchLine,
        verbose_name=_("line"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scans",
    )
    box_no = models.PositiveSmallIntegerField(_("box"), null=True, blank=True)
    model = models.ForeignKey(
        ProductModel,
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scanned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scanned_at = models.DateTimeField(_("scanned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt scan")
        verbose_name_plural = _("receipt scans")
        ordering = ["batch", "scanned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "code"], name="receipt_scan_once"),
            models.CheckConstraint(
                condition=~Q(kind="label") | Q(line__isnull=False), name="receipt_label_has_line"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class AnomalyKind(models.TextChoices):
    MISSING_UNITS = "missing_units", _("Units missing")
    EXTRA_UNITS = "extra_units", _("More units than listed")
    UNLISTED_UNITS = "unlisted_units", _("Units not on the packing list")
    UNLABELLED_UNITS = "unlabelled_units", _("Units without a fault label")
    BOXES = "boxes", _("Number of boxes differs")
    ACCESSORIES = "accessories", _("Accessories missing")


class AnomalyQuerySet(TenantQuerySet):
    def visible_to(self, actor):
        return self.filter(batch__in=ReturnBatch.objects.visible_to(actor))


class ReceiptAnomaly(models.Model):
    """IV.4: a difference between the packing list and what arrived, to be notified
    to the return unit by telephone or fax and resolved."""

    batch = models.ForeignKey(
        ReturnBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="anomalies"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AnomalyKind.choices)
    line = models.ForeignKey(
        BatchLine,
        verbose_name=_("line"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    expected = models.IntegerField(_("expected"), default=0)
    found = models.IntegerField(_("found"), default=0)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution_note = models.TextField(_("resolution"), blank=True, max_length=2000)

    objects = AnomalyQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt anomaly")
        verbose_name_plural = _("receipt anomalies")
        ordering = ["batch", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution_note=""),
                name="anomaly_resolution_has_note",
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.kind}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

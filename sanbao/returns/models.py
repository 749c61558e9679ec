"""Return batches (packing list and lines), receipt scans and anomalies, the units
received with their test results and dispositions, delays, and the shipments that
send the good products back with their delivery lists."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.models import Organisation, OrgScopedQuerySet
from sanbao.accounts.roles import RETURN_UNIT_ROLES
from sanbao.catalog.models import ProductModel
from sanbao.core.modelfields import choice_constraint, reference, user_reference
from sanbao.core.tenancy import TenantQuerySet
from sanbao.core.uploads import private_name
from sanbao.returns.policy import LINE_QUANTITY_MAX


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("In transit")
    RECEIVING = "receiving", _("Being received")
    RECEIVED = "received", _("Received, ready for testing")
    ON_HOLD = "on_hold", _("On hold (receipt anomaly)")
    REFUSED = "refused", _("Refused")
    TESTING = "testing", _("Testing")
    READY = "ready", _("Ready to ship")
    DELAYED = "delayed", _("Delayed: units to follow (IV.6)")
    SHIPPED = "shipped", _("Shipped back")
    CLOSED = "closed", _("Closed")


class Freight(models.TextChoices):
    PREPAID = "prepaid", _("Freight prepaid by the sender")
    COD = "cod", _("Cash on delivery")


class ReturnUnitQuerySet(OrgScopedQuerySet):
    """Records of one return unit (``return_org``): batches and shipments."""

    def scope_field(self, role):
        """Platform users see every record; an agent or enterprise its own."""
        return "return_org_id" if role in RETURN_UNIT_ROLES else None


class ReturnBatch(models.Model):
    """A batch of faulty units sent back to the factory, with its packing list (IV.2)."""

    number = models.CharField(_("batch number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    return_org = reference(Organisation, _("return unit"), related_name="return_batches")
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
    # IV.5: the day the parcel arrived, recorded by the clerk who opens the receipt.
    received_on = models.DateField(_("date of receipt"), null=True, blank=True)
    receipt_closed_at = models.DateTimeField(_("receipt closed"), null=True, blank=True)
    received_by = user_reference(_("received by"), optional=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    # The turnaround clock (IV.5): it starts on the day of receipt, or on the day the
    # last receipt anomaly was resolved; the batch is due by the end of the n-th
    # working day after it. Provisional while a year in between has no known schedule.
    clock_started_on = models.DateField(_("turnaround counted from"), null=True, blank=True)
    due_on = models.DateField(_("due back by"), null=True, blank=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    # When the units not delayed went back (IV.5), and how that compares with due_on.
    shipped_at = models.DateTimeField(_("shipped back"), null=True, blank=True)
    working_days_late = models.PositiveIntegerField(_("working days late"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # IV.8: when the purge removed its personal data and files (never again).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    created_by = user_reference(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReturnUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("return batch")
        verbose_name_plural = _("return batches")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["return_org", "status"]),
            models.Index(fields=["status"]),
            models.Index(fields=["status", "due_on"]),
            # The search box finds a batch by the waybill it came under (issue 15).
            models.Index(fields=["waybill_no"]),
            # The batch list, newest first: its page read from the index, not a sort
            # of every batch (issue 15).
            models.Index(fields=["-created_at", "-id"], name="returns_batch_newest_idx"),
            # The batch list by its due date, either way (core.sorting, issue 15).
            models.Index(fields=["due_on", "id"], name="returns_batch_due_idx"),
        ]
        constraints = [
            choice_constraint("status", BatchStatus, "batch_status_valid"),
            # IV.P5: a cash-on-delivery batch never leaves the draft state.
            models.CheckConstraint(
                condition=~Q(freight="cod") | Q(status__in=["draft", "refused"]),
                name="batch_cod_never_submitted",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def on_time(self) -> bool | None:
        """IV.5: shipped within the due date (None until shipped or without one)."""
        if self.working_days_late is None:
            return None
        return self.working_days_late == 0


class BatchLine(models.Model):
    """One line of the packing list / repair list: a model, its fault as written on
    the labels, accessories, bundling and the box it travels in."""

    batch = models.ForeignKey(
        ReturnBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    model = reference(ProductModel, _("model"))
    serial = models.CharField(_("serial number"), max_length=40, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(LINE_QUANTITY_MAX)]
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
    model = reference(ProductModel, _("model"), optional=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    scanned_by = user_reference(_("scanned by"))
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
    resolved_by = user_reference(_("resolved by"), optional=True)
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


class TestResult(models.TextChoices):
    FAULT_CONFIRMED = "fault_confirmed", _("Fault confirmed")
    NO_FAULT_FOUND = "no_fault_found", _("No fault found")
    EXCLUDED = "excluded", _("Excluded from the three guarantees")


class Disposition(models.TextChoices):
    REPAIRED = "repaired", _("Repaired")
    REPLACED = "replaced", _("Replaced")
    RETURNED_AS_IS = "returned_as_is", _("Returned as is")
    CHARGED = "charged", _("Charged")


class DelayReason(models.TextChoices):
    """IV.6: the reasons a good product may go back later than the batch."""

    PRODUCT_SHORTAGE = "product_shortage", _("Shortage of products")
    PARTS_SHORTAGE = "parts_shortage", _("Shortage of parts or accessories")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")


class UnitQuerySet(TenantQuerySet):
    def visible_to(self, actor):
        return self.filter(batch__in=ReturnBatch.objects.visible_to(actor))


def _test_photo_to(instance, filename: str) -> str:
    return private_name("returns/tests", filename)


class ReturnedUnit(models.Model):
    """One unit physically received in a batch (IV.1), tested and dealt with.

    Made when testing starts: one per label counted, per unit without a label or not
    on the list, and per unit counted by hand beyond those scanned. Its test result
    (fault confirmed, no fault found, or excluded under a rule of section III with
    the evidence), its disposition (repaired, replaced, returned as is, or charged,
    IV.P2), a delay (IV.6) and the shipment that takes it back (IV.7)."""

    batch = models.ForeignKey(
        ReturnBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="units"
    )
    seq = models.PositiveIntegerField(_("no."))
    line = reference(BatchLine, _("line"), optional=True, related_name="units")
    scan = models.OneToOneField(
        ReceiptScan,
        verbose_name=_("receipt scan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit",
    )
    code = models.CharField(_("label or receipt code"), max_length=60)
    model = reference(ProductModel, _("model"), optional=True)
    serial_in = models.CharField(_("serial number received"), max_length=40, blank=True)
    # Testing
    result = models.CharField(
        _("test result"), max_length=16, choices=TestResult.choices, blank=True
    )
    excluded_rule = models.CharField(_("exclusion rule"), max_length=8, blank=True)
    evidence = models.TextField(_("test notes and evidence"), max_length=2000, blank=True)
    photo = models.FileField(_("photo"), upload_to=_test_photo_to, blank=True, max_length=200)
    tested_by = user_reference(_("tested by"), optional=True)
    tested_at = models.DateTimeField(_("tested"), null=True, blank=True)
    # Disposition
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, blank=True
    )
    parts_used = models.JSONField(_("parts used"), default=list, blank=True)
    replacement_model = reference(ProductModel, _("replacement model"), optional=True)
    serial_out = models.CharField(_("serial number sent back"), max_length=40, blank=True)
    charge_amount = models.DecimalField(
        _("charge (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    charge_reason = models.CharField(_("reason for the charge"), max_length=300, blank=True)
    disposition_note = models.CharField(_("note"), max_length=300, blank=True)
    disposed_by = user_reference(_("dealt with by"), optional=True)
    disposed_at = models.DateTimeField(_("dealt with"), null=True, blank=True)
    # Delay (IV.6): the good product goes back later, with an order of the return unit.
    delay_reason = models.CharField(
        _("delay"), max_length=20, choices=DelayReason.choices, blank=True
    )
    delay_note = models.CharField(_("delay note"), max_length=300, blank=True)
    delayed_at = models.DateTimeField(_("delayed"), null=True, blank=True)
    # Shipment (IV.7)
    shipment = reference("Shipment", _("shipment"), optional=True, related_name="units")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("returned unit")
        verbose_name_plural = _("returned units")
        ordering = ["batch", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "seq"], name="returned_unit_seq_unique"),
            models.UniqueConstraint(fields=["batch", "code"], name="returned_unit_code_unique"),
            choice_constraint("result", TestResult, "returned_unit_result_valid", blank=True),
            models.CheckConstraint(
                condition=~Q(result="excluded") | ~Q(excluded_rule=""),
                name="returned_unit_exclusion_has_rule",
            ),
            models.CheckConstraint(
                condition=Q(disposition="") | ~Q(result=""),
                name="returned_unit_disposed_after_test",
            ),
            # IV.P2: a charge has an amount and a reason, printed on the delivery list.
            models.CheckConstraint(
                condition=~Q(disposition="charged")
                | (Q(charge_amount__gt=0) & ~Q(charge_reason="")),
                name="returned_unit_charge_has_amount_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(disposition="replaced")
                | (Q(replacement_model__isnull=False) & ~Q(serial_out="")),
                name="returned_unit_replacement_has_model_and_serial",
            ),
            choice_constraint("delay_reason", DelayReason, "returned_unit_delay_valid", blank=True),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_delayed(self) -> bool:
        return bool(self.delay_reason)


class ShipmentStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    SHIPPED = "shipped", _("Shipped")
    CANCELLED = "cancelled", _("Cancelled")


class Shipment(models.Model):
    """IV.7: good products sent back to one return unit, from one or several of its
    batches, with a delivery list. Delayed units released from a backorder travel
    with the return unit's order, whose number the shipment references (IV.6)."""

    number = models.CharField(_("delivery list number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ShipmentStatus.choices,
        default=ShipmentStatus.PREPARED,
    )
    return_org = reference(Organisation, _("return unit"), related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    waybill_no = models.CharField(_("waybill number"), max_length=60, blank=True)
    order_no = models.CharField(
        _("order number"),
        max_length=60,
        blank=True,
        help_text=_("The return unit's order these goods travel with (IV.6)."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = user_reference(_("prepared by"))
    created_at = models.DateTimeField(_("prepared"), auto_now_add=True)
    shipped_by = user_reference(_("shipped by"), optional=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    # IV.8: when the purge removed its personal data (never again).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = ReturnUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["return_org", "status"]),
            # The search box finds a shipment by its waybill (issue 15).
            models.Index(fields=["waybill_no"]),
        ]
        constraints = [
            choice_constraint("status", ShipmentStatus, "shipment_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="shipped") | (Q(shipped_at__isnull=False) & ~Q(waybill_no="")),
                name="shipment_shipped_has_waybill",
            ),
        ]

    def __str__(self) -> str:
        return self.number

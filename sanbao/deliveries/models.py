"""Deliveries to agents and what the agent found on arrival (VI), and the
unpacking-damage declarations made on them (V).

A delivery is a delivery note: its number, carrier and waybill, the boxes with
their expected weights and the products in them, and when it was shipped. On
arrival the agent records when the courier handed it over and, per box, the
tamper-evident labels (VI.1), the outside of the box (VI.2: a damaged box is
opened and inspected) and the courier's annotation on the delivery note (VI.3).
A declaration (V.1) names the damaged products; its evidence (V.2) is photos,
the stamped application form and the delivery note signed by the courier."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.models import Organisation, OrgScopedQuerySet
from sanbao.accounts.roles import RETURN_UNIT_ROLES, Role
from sanbao.catalog.models import ProductModel
from sanbao.core.modelfields import choice_constraint, reference, user_reference
from sanbao.core.tenancy import TenantQuerySet
from sanbao.core.uploads import private_name

QUANTITY_MAX = 100_000
WEIGHT_MAX_G = 1_000_000  # a box of a tonne is a typing error


class DeliveryStatus(models.TextChoices):
    SHIPPED = "shipped", _("On its way")
    ARRIVED = "arrived", _("Arrived and inspected")


class DeliverySource(models.TextChoices):
    PLATFORM = "platform", _("Entered on the platform")
    IMPORT = "import", _("Sent by the shipping system")
    RETURNS = "returns", _("Returns shipment (IV.7)")
    REPLACEMENT = "replacement", _("Replacement for unpacking damage (V.2)")


class AgentQuerySet(OrgScopedQuerySet):
    """Deliveries of one agent (or enterprise receiving a returns shipment)."""

    def scope_field(self, role):
        return "agent_id" if role in RETURN_UNIT_ROLES else None


class Delivery(models.Model):
    number = models.CharField(_("delivery number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SHIPPED
    )
    source = models.CharField(_("source"), max_length=12, choices=DeliverySource.choices)
    agent = reference(Organisation, _("agent"), related_name="deliveries")
    note_no = models.CharField(_("delivery note number"), max_length=60)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    waybill_no = models.CharField(_("waybill number"), max_length=60, blank=True)
    shipped_at = models.DateTimeField(_("shipped"))
    shipment = models.OneToOneField(
        "returns.Shipment",
        verbose_name=_("returns shipment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Arrival (VI): when the courier handed it over, and the courier's annotation
    # on the delivery note (VI.3).
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    received_by = user_reference(_("received by"), optional=True)
    courier_name = models.CharField(_("courier name"), max_length=60, blank=True)
    courier_work_no = models.CharField(_("courier work number"), max_length=30, blank=True)
    courier_phone = models.CharField(_("courier telephone"), max_length=30, blank=True)
    weight_gap = models.BooleanField(_("weight differs from expected"), default=False)
    # IV.8: when the purge removed the courier's personal data (never again).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_by = user_reference(_("created by"), optional=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgentQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-shipped_at", "-id"]
        indexes = [
            models.Index(fields=["agent", "status"]),
            # The search box finds a delivery by its waybill (issue 15).
            models.Index(fields=["waybill_no"]),
        ]
        constraints = [
            choice_constraint("status", DeliveryStatus, "delivery_status_valid"),
            choice_constraint("source", DeliverySource, "delivery_source_valid"),
            models.CheckConstraint(
                condition=~Q(status="arrived") | Q(received_at__isnull=False),
                name="delivery_arrived_has_time",
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(received_at__gte=models.F("shipped_at")),
                name="delivery_received_after_shipped",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class BoxQuerySet(TenantQuerySet):
    def visible_to(self, actor):
        return self.filter(delivery__in=Delivery.objects.visible_to(actor))


class DeliveryBox(models.Model):
    """One box of a delivery, with what was found on arrival (VI.1–VI.3)."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="boxes"
    )
    box_no = models.PositiveSmallIntegerField(_("box"), validators=[MinValueValidator(1)])
    expected_weight_g = models.PositiveIntegerField(
        _("expected weight (g)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(WEIGHT_MAX_G)],
    )
    # VI.1 and VI.2, as the agent found them
    labels_intact = models.BooleanField(_("tamper-evident labels intact"), null=True)
    outside_undamaged = models.BooleanField(_("outside of the box undamaged"), null=True)
    opened_inspected = models.BooleanField(_("opened and inspected"), default=False)
    inside_note = models.CharField(_("what was found inside"), max_length=500, blank=True)
    # VI.3, as the courier annotated the delivery note
    courier_labels_intact = models.BooleanField(_("courier: labels intact"), null=True)
    courier_box_undamaged = models.BooleanField(_("courier: box undamaged"), null=True)
    actual_weight_g = models.PositiveIntegerField(
        _("actual weight (g)"), null=True, blank=True, validators=[MaxValueValidator(WEIGHT_MAX_G)]
    )
    weight_gap = models.BooleanField(_("weight differs from expected"), default=False)

    objects = BoxQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery box")
        verbose_name_plural = _("delivery boxes")
        ordering = ["delivery", "box_no"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "box_no"], name="delivery_box_unique"),
            # VI.2: a box damaged outside is opened and inspected.
            models.CheckConstraint(
                condition=~Q(outside_undamaged=False) | Q(opened_inspected=True),
                name="delivery_damaged_box_opened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}/{self.box_no}"


class DeliveryItem(models.Model):
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="items"
    )
    box = models.ForeignKey(
        DeliveryBox,
        verbose_name=_("box"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
    )
    model = reference(ProductModel, _("model"))
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(QUANTITY_MAX)]
    )

    class Meta:
        verbose_name = _("delivery item")
        verbose_name_plural = _("delivery items")
        ordering = ["delivery", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="delivery_item_positive")
        ]

    def __str__(self) -> str:
        return f"{self.model_id} × {self.quantity}"


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("With the commissioner")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Department(models.TextChoices):
    MARKETING = "marketing", _("Marketing department (commercial commissioner)")
    AFTER_SALES = "after_sales", _("After-sales department (customer-service commissioner)")


# The commissioner role of each department.
COMMISSIONER_OF = {
    Department.MARKETING: Role.COMMERCIAL_COMMISSIONER,
    Department.AFTER_SALES: Role.CS_COMMISSIONER,
}
DEPARTMENT_OF = {role: dept for dept, role in COMMISSIONER_OF.items()}


class DeclarationOutcome(models.TextChoices):
    REPLACED = "replaced", _("Replacement sent")
    CREDITED = "credited", _("Credited")


class DeclarationQuerySet(TenantQuerySet):
    """Agents see their own; a commissioner the declarations sent to their
    department (those routed to them among them); the other platform users all."""

    def visible_to(self, actor):
        if not getattr(actor, "is_authenticated", False):
            return self.none()
        if actor.role in RETURN_UNIT_ROLES:
            return self.filter(delivery__agent_id=actor.organisation_id)
        if actor.role in DEPARTMENT_OF:
            return self.filter(department=DEPARTMENT_OF[actor.role]).exclude(
                status=DeclarationStatus.DRAFT
            )
        if actor.role in (Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR):
            return self.all()
        return self.none()


class Declaration(models.Model):
    """V.1: damage found on unpacking, declared within the window after receipt."""

    number = models.CharField(_("declaration number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.DRAFT,
    )
    delivery = reference(Delivery, _("delivery"), related_name="declarations")
    description = models.TextField(_("what was found"), max_length=4000)
    opened_by = user_reference(_("declared by"))
    opened_at = models.DateTimeField(_("declared"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    department = models.CharField(
        _("department"), max_length=12, choices=Department.choices, blank=True
    )
    commissioner = user_reference(_("commissioner"), optional=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=DeclarationOutcome.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    decided_by = user_reference(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    replacement = models.OneToOneField(
        Delivery,
        verbose_name=_("replacement delivery"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # IV.8: when the purge removed its description and evidence files (never again).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("unpacking-damage declaration")
        verbose_name_plural = _("unpacking-damage declarations")
        ordering = ["-opened_at", "-id"]
        constraints = [
            choice_constraint("status", DeclarationStatus, "declaration_status_valid"),
            choice_constraint("department", Department, "declaration_department_valid", blank=True),
            choice_constraint(
                "outcome", DeclarationOutcome, "declaration_outcome_valid", blank=True
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(department=""),
                name="declaration_submitted_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | ~Q(outcome=""),
                name="declaration_accepted_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="declaration_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class DeclarationLine(models.Model):
    """A damaged product and how many (V.1); on acceptance, how many are replaced
    or credited (V.2)."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("declaration"), on_delete=models.CASCADE, related_name="lines"
    )
    model = reference(ProductModel, _("model"))
    quantity = models.PositiveIntegerField(
        _("damaged"), validators=[MinValueValidator(1), MaxValueValidator(QUANTITY_MAX)]
    )
    settled_quantity = models.PositiveIntegerField(_("replaced or credited"), default=0)

    class Meta:
        verbose_name = _("declaration line")
        verbose_name_plural = _("declaration lines")
        ordering = ["declaration", "id"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "model"], name="declaration_line_once"),
            models.CheckConstraint(
                condition=Q(settled_quantity__lte=models.F("quantity")),
                name="declaration_line_settled_at_most_damaged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_id} × {self.quantity}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo of the damaged parts")
    FORM = "form", _("Stamped application form")
    NOTE = "note", _("Delivery note signed by the courier")


class EvidenceQuerySet(TenantQuerySet):
    def visible_to(self, actor):
        return self.filter(declaration__in=Declaration.objects.visible_to(actor))


def _evidence_to(instance, filename: str) -> str:
    return private_name("deliveries/evidence", filename)


class Evidence(models.Model):
    """V.2: one uploaded file, checked by its content, kept under a random name."""

    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("declaration"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=_evidence_to, max_length=200)
    media_type = models.CharField(_("type"), max_length=40)
    uploaded_by = user_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"))

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["declaration", "kind", "id"]
        constraints = [choice_constraint("kind", EvidenceKind, "evidence_kind_valid")]

    def __str__(self) -> str:
        return f"{self.declaration_id} {self.kind}"


class AgentCommissioner(models.Model):
    """The commissioner an agent's declarations go to (V.2), when routing is by
    assignment (``SANBAO_DECLARATION_ROUTING = "assigned"``)."""

    agent = models.OneToOneField(
        Organisation, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="+"
    )
    commissioner = user_reference(_("commissioner"))

    class Meta:
        verbose_name = _("assigned commissioner")
        verbose_name_plural = _("assigned commissioners")

    def __str__(self) -> str:
        return f"{self.agent_id} → {self.commissioner_id}"

    def clean(self) -> None:
        """The commissioner is one of the two departments' (the admin's form asks)."""
        from django.core.exceptions import ValidationError

        if self.commissioner_id and self.commissioner.role not in DEPARTMENT_OF:
            raise ValidationError(
                {
                    "commissioner": _(
                        "Choose a commercial commissioner (marketing) or a "
                        "customer-service commissioner (after-sales)."
                    )
                }
            )


class CreditNoteQuerySet(TenantQuerySet):
    """A credit note is seen by whoever may see its declaration: the agent it
    belongs to, the commissioners of its department, the other platform staff."""

    def visible_to(self, actor):
        return self.filter(declaration__in=Declaration.objects.visible_to(actor))


class CreditNote(models.Model):
    """V.2: the document of an accepted declaration settled by a credit: the
    products credited to the agent instead of being sent again (its lines)."""

    number = models.CharField(_("credit note number"), max_length=20, unique=True)
    declaration = models.OneToOneField(
        Declaration,
        verbose_name=_("declaration"),
        on_delete=models.PROTECT,
        related_name="credit_note",
    )
    agent = reference(Organisation, _("agent"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = user_reference(_("issued by"))

    objects = CreditNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number


class CreditLine(models.Model):
    """V.2: products credited to the agent instead of being sent again."""

    note = models.ForeignKey(
        CreditNote, verbose_name=_("credit note"), on_delete=models.PROTECT, related_name="lines"
    )
    declaration = models.ForeignKey(
        Declaration, verbose_name=_("declaration"), on_delete=models.PROTECT, related_name="credits"
    )
    agent = reference(Organisation, _("agent"))
    model = reference(ProductModel, _("model"))
    quantity = models.PositiveIntegerField(_("quantity"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit note line")
        verbose_name_plural = _("credit note lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.model_id} × {self.quantity}"

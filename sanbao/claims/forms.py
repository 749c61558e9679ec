"""Forms of the claims pages. They only parse: every rule (required facts, the
phone's shape, the documents, the remedies open, "not lower" replacements) is the
services' and comes back as a DomainError that the view maps onto these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.catalog.exclusions import RULE_TITLES, shown_by_the_unit
from sanbao.catalog.forms import offer_replacement_decision, replacement_decision_field
from sanbao.catalog.models import Disposal, Region
from sanbao.catalog.selectors import RETAINED_PART_SORTS
from sanbao.claims.models import (
    ClaimantKind,
    ClaimChannel,
    ClaimStatus,
    FaultKind,
    Outcome,
    Remedy,
    Verdict,
)
from sanbao.claims.policy import CHECKLIST_RULES, CONFIRMABLE_RULES
from sanbao.claims.reasons import CHECKLIST_QUESTIONS
from sanbao.claims.selectors import CLAIM_SORTS
from sanbao.claims.services import FindingIn
from sanbao.core.forms import (
    BootstrapForm,
    FiltersMixin,
    cleaned_texts,
    code_choices,
    code_field,
    date_filter,
    search_field,
    select_field,
    select_widget,
    text_field,
)

ANY = ("", _("Any"))
RETAINED_PART_ROWS = 3  # rows for parts taken out in a repair; no JavaScript needed to add one

FOUND, NOT_FOUND, NOT_CHECKED = "found", "not_found", ""
FINDING_CHOICES = [
    (FOUND, pgettext_lazy("inspection finding", "Found")),
    (NOT_FOUND, pgettext_lazy("inspection finding", "Not found")),
    (NOT_CHECKED, pgettext_lazy("inspection finding", "Not checked")),
]
FINDING_VALUE = {FOUND: True, NOT_FOUND: False, NOT_CHECKED: None}


class ClaimsForm(BootstrapForm):
    """The base of the claim pages' forms."""


def _scan_field(label, css: str = "form-control") -> forms.FileField:
    """A scanned document (proof of purchase, warranty card): a PDF or a picture."""
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": css, "accept": ".pdf,.jpg,.jpeg,.png"}),
    )


def rule_slug(rule: str) -> str:
    """A form-field-safe name of a rule id: "III.10" -> "III_10"."""
    return rule.replace(".", "_")


class ChecklistRow:
    """One question of the inspection checklist, as the template shows it."""

    def __init__(self, form, rule: str):
        slug = rule_slug(rule)
        self.rule = rule
        self.title = RULE_TITLES[rule]
        self.question = CHECKLIST_QUESTIONS[rule]
        self.choice = form[f"finding_{slug}"]
        self.note = form[f"note_{slug}"]
        self.photo = form[f"photo_{slug}"]
        # Issue 10 item 7: found, an exclusion the unit shows needs a note and a photo.
        self.photo_required = shown_by_the_unit(rule)
        self.photo_stored = rule in getattr(form, "stored_photos", ())


class ChecklistMixin:
    """Adds, for each checklist rule, a choice found / not found / not checked, a
    note and an optional photo (fields ``finding_III_4``, ``note_III_4``, ...)."""

    def add_checklist(self, rules, initial: dict | None = None) -> None:
        self.checklist_rules = tuple(rules)
        initial = initial or {}
        for rule in self.checklist_rules:
            slug = rule_slug(rule)
            found, note = initial.get(rule, (None, ""))
            self.fields[f"finding_{slug}"] = forms.ChoiceField(
                label=CHECKLIST_QUESTIONS[rule],
                choices=FINDING_CHOICES,
                required=False,
                initial={True: FOUND, False: NOT_FOUND}.get(found, NOT_CHECKED),
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{slug}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=500,
                initial=note,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"photo_{slug}"] = forms.ImageField(
                label=_("Photo"),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"class": "form-control form-control-sm", "accept": "image/*"}
                ),
            )

    @property
    def checklist(self) -> list[ChecklistRow]:
        return [ChecklistRow(self, rule) for rule in self.checklist_rules]

    def findings(self, *, answered_only: bool) -> list[FindingIn]:
        """The parsed answers. ``answered_only`` leaves out questions neither
        answered nor annotated (an intake need not store "not checked" rows)."""
        out = []
        for rule in self.checklist_rules:
            slug = rule_slug(rule)
            choice = self.cleaned_data.get(f"finding_{slug}") or NOT_CHECKED
            note = (self.cleaned_data.get(f"note_{slug}") or "").strip()
            photo = self.cleaned_data.get(f"photo_{slug}") or None
            if answered_only and choice == NOT_CHECKED and not note and photo is None:
                continue
            out.append(FindingIn(rule=rule, found=FINDING_VALUE[choice], note=note, photo=photo))
        return out


# --- The claim list ---------------------------------------------------------------------


class ClaimFilterForm(FiltersMixin, ClaimsForm):
    sorting = CLAIM_SORTS
    # "To judge" is a group of states (selectors.STATUS_GROUPS), the home page's link.
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ANY,
            ("to_judge", _("To judge (submitted or under judgement)")),
            *ClaimStatus.choices,
        ],
    )
    verdict = forms.ChoiceField(label=_("Verdict"), required=False, choices=[ANY, *Verdict.choices])
    model = forms.ChoiceField(label=_("Model"), required=False)
    outlet = forms.ChoiceField(label=_("Handled by"), required=False)
    serial = search_field(40, _("Serial starts with"))
    submitted_from = date_filter(_("Submitted from"))
    submitted_to = date_filter(_("Submitted until"))
    # Issue 16 item 3: the claims consumers made online, or those taken in.
    channel = forms.ChoiceField(
        label=_("made by"), required=False, choices=[ANY, *ClaimChannel.choices]
    )

    def __init__(self, *args, models=(), outlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = code_choices(models, ANY)
        if outlets is None:  # only platform users choose among the handling organisations
            del self.fields["outlet"]
        else:
            self.fields["outlet"].choices = code_choices(outlets, ANY, label="display_name")


# --- Intake ---------------------------------------------------------------------------


# The intake form's text fields that ``claim_create`` takes as typed ("" for empty).
INTAKE_TEXTS = (
    "serial",
    "model_code",
    "region",
    "proof_of_purchase_no",
    "warranty_card_no",
    "fault_kind",
    "fault_description",
    "remedy_requested",
)


class ClaimIntakeForm(ChecklistMixin, ClaimsForm):
    """What ``services.claim_create`` takes. Which blocks exist depends on who
    takes the claim in: an agent or enterprise claims for itself (no claimant
    block); a platform user may assign the claim to an outlet; only those who
    judge claims answer the inspection checklist."""

    claimant_kind = forms.ChoiceField(
        label=_("Claimant"),
        choices=ClaimantKind.choices,
        initial=ClaimantKind.CONSUMER,
        required=False,
        widget=forms.RadioSelect,
    )
    consumer_name = text_field(100, _("Customer name"))
    consumer_phone = text_field(
        30,
        _("Customer telephone"),
        help_text=_("The customer follows the claim with its number and this telephone."),
        inputmode="tel",
    )
    claimant_org_code = text_field(32, _("Agent or enterprise"), css="form-control mono")
    handling_org_code = code_field(
        32,
        _("Handled by"),
        help_text=_("The after-sales department or the authorised outlet that judges the claim."),
    )
    serial = text_field(
        40,
        _("Serial number"),
        css="form-control mono",
        help_text=_("As read on the unit. Leave empty when it cannot be read."),
        spellcheck="false",
    )
    model_code = code_field(
        40, _("Model"), help_text=_("Needed when the serial number is not registered.")
    )
    region = select_field(
        _("Region of sale"), [("", _("As registered with the serial number")), *Region.choices]
    )
    # I.2, II.2: the date on the proof of purchase (stored as proof_of_purchase_date);
    # the field keeps its older name, delivered_on, which claim_create also takes.
    delivered_on = forms.DateField(
        label=_("Date on the proof of purchase"),
        required=False,
        help_text=_(
            "The delivery or purchase date it shows. Left empty, the sale date recorded "
            "with the serial number counts."
        ),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    claimed_on = forms.DateField(
        label=_("Claim made on"),
        required=False,
        help_text=_(
            "The day the customer asked, if earlier than today (a paper form or a call). "
            "The 7- and 15-day windows are counted on it."
        ),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    handed_in_on = forms.DateField(
        label=_("Unit handed in on"),
        required=False,
        help_text=_(
            "If later than the claim date. The 30 days a repair may take are counted from it."
        ),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    remedy_requested = forms.ChoiceField(
        label=_("Remedy the customer chooses"),
        required=False,
        choices=[("", _("No choice made")), *Remedy.choices],
        help_text=_(
            "Within 7 days: return, replacement or repair; within 15 days: replacement "
            "or repair. Honoured at judgement."
        ),
        widget=select_widget(),
    )
    proof_of_purchase_no = text_field(
        60,
        _("Proof of purchase number"),
        css="form-control mono",
        help_text=_("Invoice or equivalent receipt."),
    )
    proof_of_purchase_scan = _scan_field(_("Proof of purchase scan"))
    warranty_card_no = text_field(40, _("Warranty card number"), css="form-control mono")
    warranty_card_scan = _scan_field(_("Warranty card scan"))
    fault_kind = select_field(
        _("Kind of fault"), [("", _("Choose the kind of fault…")), *FaultKind.choices]
    )
    fault_description = forms.CharField(
        label=_("Fault description"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3, "maxlength": 2000}),
    )

    def __init__(
        self,
        *args,
        models=(),
        choose_claimant: bool = True,
        claimant_orgs=None,
        handling_orgs=None,
        checklist: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["model_code"].widget = select_widget(
            code_choices(models, ("", _("As registered with the serial number")))
        )
        if not choose_claimant:
            # An agent or enterprise claims for itself, today (I.2).
            for name in (
                "claimant_kind",
                "consumer_name",
                "consumer_phone",
                "claimant_org_code",
                "claimed_on",
                "handed_in_on",
            ):
                del self.fields[name]
        elif claimant_orgs is not None:
            self.fields["claimant_org_code"].widget = select_widget(
                code_choices(
                    claimant_orgs, ("", _("Choose an agent or enterprise…")), label="display_name"
                )
            )
        else:  # who may not list organisations types the code from the claimant's papers
            self.fields["claimant_org_code"].help_text = _("The code of the agent or enterprise.")
        if handling_orgs is None:
            del self.fields["handling_org_code"]
        else:
            self.fields["handling_org_code"].widget = select_widget(
                code_choices(handling_orgs, ("", _("Your own organisation")), label="display_name")
            )
        self.add_checklist(CHECKLIST_RULES if checklist else ())

    @property
    def chooses_claimant(self) -> bool:
        return "claimant_kind" in self.fields

    def service_kwargs(self) -> dict:
        """The keyword arguments of ``services.claim_create`` (without the actor)."""
        data = self.cleaned_data
        kwargs = cleaned_texts(self, *INTAKE_TEXTS)
        kwargs["delivered_on"] = data.get("delivered_on")
        kwargs["claimed_on"] = data.get("claimed_on")
        kwargs["handed_in_on"] = data.get("handed_in_on")
        kwargs["proof_of_purchase_scan"] = data.get("proof_of_purchase_scan") or None
        kwargs["warranty_card_scan"] = data.get("warranty_card_scan") or None
        if self.chooses_claimant:
            kwargs["claimant_kind"] = data.get("claimant_kind") or ClaimantKind.CONSUMER
            kwargs.update(cleaned_texts(self, "consumer_name", "consumer_phone"))
            kwargs["claimant_org_code"] = (data.get("claimant_org_code") or "").strip()
        if "handling_org_code" in self.fields:
            kwargs["handling_org_code"] = (data.get("handling_org_code") or "").strip()
        kwargs["findings"] = self.findings(answered_only=True)
        return kwargs


class SerialHintForm(forms.Form):
    serial = forms.CharField(required=False, max_length=40)


# --- Actions on a claim -----------------------------------------------------------------


class FindingsForm(ChecklistMixin, ClaimsForm):
    """The inspection checklist again, with III.1 and III.3 when the unit is not
    registered (the registry cannot decide them)."""

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        rules = (CONFIRMABLE_RULES if claim.unit_id is None else ()) + CHECKLIST_RULES
        findings = list(claim.findings.all())
        current = {f.rule: (f.found, f.note) for f in findings}
        self.stored_photos = {f.rule for f in findings if f.photo}
        self.add_checklist(rules, current)


class ScansForm(ClaimsForm):
    proof_of_purchase_scan = _scan_field(
        _("Proof of purchase scan"), css="form-control form-control-sm"
    )
    warranty_card_scan = _scan_field(_("Warranty card scan"), css="form-control form-control-sm")


class CardNumberForm(ClaimsForm):
    """III.3: a mistyped warranty card number, corrected before judgement."""

    warranty_card_no = forms.CharField(
        label=_("Warranty card number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm mono", "autocomplete": "off"}
        ),
    )


class JudgeForm(ClaimsForm):
    failure_confirmed = forms.TypedChoiceField(
        label=_("Performance failure confirmed"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    remedy = forms.ChoiceField(
        label=_("Remedy"), required=False, choices=Remedy.choices, widget=forms.RadioSelect
    )
    repair_impossible = forms.BooleanField(
        label=_("Repair is impossible"),
        required=False,
        help_text=_("Within the warranty period this opens replacement (II.3)."),
    )
    replacement_model = code_field(
        40,
        _("Replacement model"),
        help_text=_("The same model or one whose specifications are not lower (II.3)."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Required when the failure is not confirmed."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    replacement_decision = replacement_decision_field()

    def __init__(self, *args, replacement_options=(), may_decide=False, **kwargs):
        super().__init__(*args, **kwargs)
        offer_replacement_decision(self, may_decide)
        self.fields["replacement_model"].widget = _ReplacementSelect(
            attrs={"class": "form-select"},
            choices=code_choices(
                [o.model for o in replacement_options], ("", _("Choose a model…"))
            ),
            refused={o.model.code for o in replacement_options if not o.ok},
        )


class _ReplacementSelect(forms.Select):
    """A select whose models with lower specifications are shown but disabled."""

    def __init__(self, *args, refused=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = set(refused)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.refused and not selected:
            option["attrs"]["disabled"] = True
            option["label"] = f"{label} — {_('specifications lower')}"
        return option


class ResolveForm(ClaimsForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=Outcome.choices, widget=forms.RadioSelect
    )
    replacement_serial = text_field(
        40, _("Serial number of the replacement unit"), css="form-control mono"
    )
    replacement_card_no = text_field(
        40,
        _("Warranty card number of the replacement unit"),
        css="form-control mono",
        help_text=_("Its own card, issued with it: never the old unit's (I.2)."),
    )
    replacement_model = code_field(40, _("Replacement model"))
    replacement_decision = replacement_decision_field()
    retained_location = forms.CharField(
        label=_("Where the retained unit or parts are kept"),
        required=False,
        max_length=100,
        help_text=_("Replaced units and parts are not returned to the user (II.4)."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    return_waybill = text_field(
        40,
        _("Waybill of the unit posted back to the consumer"),
        css="form-control mono",
        help_text=_("The consumer sent the unit by post; their SMS gives this waybill."),
    )

    def __init__(self, *args, models=(), may_decide=False, **kwargs):
        super().__init__(*args, **kwargs)
        offer_replacement_decision(self, may_decide)
        self.fields["replacement_model"].widget = select_widget(
            code_choices(models, ("", _("The model approved at judgement")))
        )
        for i in range(1, RETAINED_PART_ROWS + 1):
            self.fields[f"part_description_{i}"] = text_field(
                200,
                _("Part taken out"),
                css="form-control form-control-sm",
                placeholder=_("Part taken out"),
            )
            self.fields[f"part_serial_{i}"] = text_field(
                40,
                _("Its serial number"),
                css="form-control form-control-sm mono",
                placeholder=_("Serial number"),
            )

    @property
    def part_rows(self) -> list[tuple]:
        return [
            (self[f"part_description_{i}"], self[f"part_serial_{i}"])
            for i in range(1, RETAINED_PART_ROWS + 1)
        ]

    def retained_parts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "description": data.get(f"part_description_{i}") or "",
                "serial": data.get(f"part_serial_{i}") or "",
            }
            for i in range(1, RETAINED_PART_ROWS + 1)
            if (data.get(f"part_description_{i}") or "").strip()
        ]


class DisposeForm(ClaimsForm):
    disposal = select_field(
        _("Disposal"), [("", _("Choose…")), *Disposal.choices], css="form-select form-select-sm"
    )
    note = text_field(300, _("Note"), css="form-control form-control-sm")


class RetainedPartFilterForm(FiltersMixin, forms.Form):
    sorting = RETAINED_PART_SORTS

    open_only = forms.BooleanField(label=_("Only parts not yet disposed of"), required=False)

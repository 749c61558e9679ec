"""The base of the apps' forms, and mapping a domain error onto a Django form, so
the page shows it by the field."""

from django import forms

from sanbao.core.errors import DomainError


class InvalidMarkingBoundField(forms.BoundField):
    """Marks a widget with errors ``is-invalid`` (Bootstrap) besides ``aria-invalid``."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.form.is_bound and self.errors:
            widget = widget or self.field.widget
            base = attrs.get("class") or widget.attrs.get("class", "")
            attrs["class"] = f"{base} is-invalid".strip()
        return attrs


class BootstrapForm(forms.Form):
    """A form whose fields with errors are marked for Bootstrap."""

    bound_field_class = InvalidMarkingBoundField


class FiltersMixin:
    """A list page's filter form: ``filters()`` gives what the selector takes.

    ``sorting`` (a ``core.sorting.Sorting``, given to the form or set on its class)
    adds the "Sort by" select last, its value the selector's ``sort``: on a phone,
    where the table's header row is hidden, it is how the reader sorts. An unknown
    value is an error by the field and the list keeps its default order."""

    sorting = None

    def __init__(self, *args, sorting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sorting is not None:
            self.sorting = sorting
        if self.sorting is not None:
            self.fields["sort"] = self.sorting.field()

    @property
    def sorted_by(self) -> str:
        """The order the list is in: the chosen one if valid, the default otherwise
        (what the table's sortable headers show)."""
        if self.sorting is None:
            return ""
        return self.filters().get("sort") or self.sorting.default

    def filters(self) -> dict:
        """The filters that parsed; a field with an error is left out (and shown)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


def cleaned_texts(form, *names: str) -> dict[str, str]:
    """The text fields ``names`` of a valid form, "" for one left empty: keyword
    arguments of a service, which takes "" for "not given"."""
    return {name: form.cleaned_data.get(name) or "" for name in names}


def apply_domain_error(form, exc: DomainError) -> None:
    """Each field message by its field; a message about a field the form does not
    have (``findings``, ``lines.3``, …) above the form; an error about no field at
    all, its own message above the form."""
    fields = exc.field_messages()
    if not fields:
        form.add_error(None, exc.message)
        return
    for field, messages in fields.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


# --- Fields the apps' forms share -------------------------------------------------------
# Every field is optional: what a service needs, the service says, by the field.


def text_field(
    max_length: int, label, *, css: str = "form-control", help_text="", **attrs
) -> forms.CharField:
    """A one-line text box, not autocompleted; ``attrs`` go on the input."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": css, "autocomplete": "off", **attrs}),
    )


def code_field(max_length: int, label, *, help_text="") -> forms.CharField:
    """A record's code (a model's, an organisation's), typed, or chosen from the
    select the form sets up with what the actor may choose."""
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text)


def search_field(max_length: int, label, *, css: str = "", **attrs) -> forms.CharField:
    """A list filter's text box (a search input, not autocompleted)."""
    classes = {"class": css} if css else {}
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", **classes, **attrs}),
    )


def date_filter(label) -> forms.DateField:
    """A list filter's date (the browser's date picker)."""
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def code_choices(rows, blank: tuple | None = None, *, label: str = "name") -> list:
    """Choices of records by their code, each shown as "code · label" (a model's
    ``name``, an organisation's ``display_name``), after the ``blank`` choice."""
    return [
        *([blank] if blank is not None else []),
        *((row.code, f"{row.code} · {getattr(row, label)}") for row in rows),
    ]


def select_field(label, choices, *, css: str = "form-select") -> forms.ChoiceField:
    """An optional choice from a drop-down list."""
    return forms.ChoiceField(
        label=label, required=False, choices=choices, widget=select_widget(css=css)
    )


def select_widget(choices=(), css: str = "form-select") -> forms.Select:
    return forms.Select(attrs={"class": css}, choices=choices)


class SortForm(FiltersMixin, BootstrapForm):
    """The filter form of a list that has no filter but its order (``sorting=``)."""

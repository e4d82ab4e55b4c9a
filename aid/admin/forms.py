"""Admin forms for ledger records: checked by `aid.rules.check_record`, the code import runs.

A form turns what the researcher typed into the columns of a ledger CSV row, asks
`check_record`, and shows each `Problem` next to the field it names. Nothing here decides
whether a value is valid; it only decides where the answer is shown.
"""

from functools import cached_property

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from aid.admin.lookups import ParentPledgeLookup
from aid.lookups import DatabaseLookup
from aid.models import Status
from aid.rules import Problem, check_record
from ledger.currencies import CURRENCY_CHOICES

# Ledger CSV columns whose form field has another name.
FIELD_OF_COLUMN = {"pledge_ref": "pledge", "source_url": "sources", "source_title": "sources"}
NOT_ON_FORM = ["amount_minor", "amount_scale", "currency", "status", "version", "delivered_minor", "deliveries_count"]
NOT_ON_FORM += ["undisclosed_deliveries"]
CURRENCY_LIST = "iso-4217-codes"


class CurrencyInput(forms.TextInput):
    """A three-letter box that suggests ISO 4217 codes (the page's datalist) but accepts
    anything, so a wrong code reaches the rules and gets their explanation."""

    def __init__(self, attrs=None):
        super().__init__({"size": 4, "maxlength": 3, "autocomplete": "off", "list": CURRENCY_LIST, **(attrs or {})})


def currency_codes() -> list[str]:
    return [code for code, _ in CURRENCY_CHOICES]


def _code(related) -> str:
    return related.code if related is not None else ""


def stale_message(record, current_version: int):
    url = reverse(f"admin:aid_{record._meta.model_name}_change", args=[record.pk])
    return format_html(
        "{} was saved by someone else while you were editing it (it is now at version {}). "
        'Nothing was saved. <a href="{}" target="_blank">Open the current version</a>, '
        "then make your change again.",
        record.ref,
        current_version,
        url,
    )


class RecordForm(forms.ModelForm):
    """Common to pledges, deliveries and valuations, on their own page or inline."""

    kind = ""
    request = None  # set per request by the admin
    reverting = False  # True on the history page's revert form

    amount = forms.CharField(
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 18}),
        help_text="As announced, with '.' for decimals. Leave amount and currency empty when undisclosed.",
    )
    currency = forms.CharField(required=False, max_length=3, widget=CurrencyInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        # The admin gives `fields` from its fieldsets; these stay excluded so that the form's
        # amount, currency, status and version never reach the model except through aid.services.
        exclude = NOT_ON_FORM  # noqa: DJ006

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clean_record = None
        instance = self.instance
        if "sources" in self.fields:
            self.fields["sources"].required = False  # the rules say why a source is needed
        if not instance._state.adding or self.reverting:
            self.initial.setdefault("amount", "" if instance.amount is None else f"{instance.written_amount:f}")
            self.initial.setdefault("currency", instance.currency)
            self.initial.setdefault("version", self.stored_version())
        if self.reverting and "sources" in self.fields:
            self.initial["sources"] = list(self.revert_sources)

    revert_sources = ()

    @cached_property
    def stored(self):
        """The record as the database holds it now (None for a new or deleted one)."""
        if self.instance.pk is None:
            return None
        return type(self.instance).objects.filter(pk=self.instance.pk).only("ref", "version", "status").first()

    def stored_version(self) -> int | None:
        if not self.reverting:
            return self.instance.version
        return self.stored.version if self.stored else None

    def identity(self) -> dict:
        """donor, programme, package and pledge_ref columns."""
        raise NotImplementedError

    def ref(self) -> str:
        return self.cleaned_data.get("ref", "") if "ref" in self.fields else self.instance.ref

    def chosen_sources(self) -> list:
        return list(self.cleaned_data.get("sources") or [])

    def raw_record(self) -> dict:
        data = self.cleaned_data
        sources = sorted(self.chosen_sources(), key=lambda s: s.pk)
        day = data.get("date")
        return {
            "record": self.kind,
            "ref": self.ref(),
            **self.identity(),
            "date": day.isoformat() if day else "",
            "amount": data.get("amount", ""),
            "currency": data.get("currency", ""),
            "amount_qualifier": data.get("amount_qualifier", ""),
            "description": data.get("description", ""),
            "source_url": sources[0].url if sources else "",
            "source_title": sources[0].title if sources else "",
            "confidence": data.get("confidence") or "",
            # A source's kind is edited on the source itself; the record form passes it through.
            "source_kind": sources[0].kind if sources else "",
        }

    def lookup(self):
        return DatabaseLookup()

    def add_problem(self, problem: Problem) -> None:
        field = FIELD_OF_COLUMN.get(problem.column, problem.column)
        if field in self.errors:
            return  # the field's own check already explained it
        if field in self.fields:
            self.add_error(field, problem.reason)
        else:
            self.add_error(None, f"{problem.column} {problem.value!r}: {problem.reason}")

    def clean(self):
        cleaned = super().clean()
        self.check_ref_unchanged()
        clean_record, problems = check_record(self.raw_record(), self.lookup())
        for problem in problems:
            self.add_problem(problem)
        self.clean_record = clean_record
        if self.has_changed() or self.reverting:
            self.check_version()
        return cleaned

    def check_ref_unchanged(self) -> None:
        if "ref" in self.fields and self.instance.pk and self.cleaned_data.get("ref") != self.instance.ref:
            self.add_error("ref", "a ref never changes: it is how sources and imports find the record")

    def check_version(self) -> None:
        stored = self.stored
        if self.reverting and stored is None:
            if type(self.instance).objects.filter(ref=self.instance.ref).exists():
                self.add_error(None, f"{self.instance.ref} exists again: open it instead of restoring this version")
            return
        if self.instance.pk is None:
            return
        if stored is None:
            self.add_error(None, f"{self.instance.ref} was deleted while you were editing it; nothing was saved")
        elif stored.version != self.cleaned_data.get("version"):
            self.add_error(None, stale_message(stored, stored.version))

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.stored is not None else None

    def _save_m2m(self):
        """Sources are written by the admin through aid.services, never by the form itself."""


class StatusMixin(forms.Form):
    """Status is chosen by those who may publish; everyone else saves drafts."""

    status = forms.ChoiceField(choices=Status.choices, required=False, initial=Status.DRAFT)

    def can_publish(self) -> bool:
        return self.request is not None and self.request.user.has_perm(f"aid.publish_{self.kind}")

    def setup_status(self) -> None:
        self.initial.setdefault("status", self.instance.status or Status.DRAFT)
        if not self.can_publish():
            self.fields["status"].disabled = True
            self.fields["status"].help_text = "An editor publishes records after review."

    def status_to_save(self) -> str:
        return self.cleaned_data.get("status") or self.instance.status or Status.DRAFT


class LedgerRecordForm(StatusMixin, RecordForm):
    """A pledge or delivery on its own page."""

    reason = forms.CharField(
        required=False,
        max_length=200,
        label="Reason for the change",
        help_text="Kept in the history. Required when the record is published.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_status()

    def identity(self) -> dict:
        data = self.cleaned_data
        return {
            "donor": _code(data.get("donor")),
            "programme": _code(data.get("programme")),
            "package": _code(data.get("package")),
            "pledge_ref": "",
        }

    def clean(self):
        cleaned = super().clean()
        package, programme = cleaned.get("package"), cleaned.get("programme")
        if package and programme and package.programme_id != programme.pk:
            self.add_error("package", f"{package.code} is a package of {package.programme.code}, not {programme.code}")
        stored = self.stored
        changed = set(self.changed_data) - {"reason"}
        if stored and stored.status == Status.PUBLISHED and changed and not cleaned.get("reason", "").strip():
            self.add_error("reason", "this record is published: say in a few words why it changes")
        return cleaned

    def change_reason(self) -> str:
        return self.cleaned_data.get("reason", "").strip()


class PledgeForm(LedgerRecordForm):
    kind = "pledge"


class DeliveryForm(LedgerRecordForm):
    kind = "delivery"

    def identity(self) -> dict:
        pledge = self.cleaned_data.get("pledge")
        return {**super().identity(), "pledge_ref": pledge.ref if pledge else ""}


class InlineRecordForm(RecordForm):
    """A delivery or valuation on its pledge's page: donor and programme are the pledge's."""

    @property
    def parent(self):
        return self.fields["pledge"].parent_instance

    def lookup(self):
        return ParentPledgeLookup(self.parent)

    def identity(self) -> dict:
        parent = self.parent
        package = self.instance.package if self.instance.pk and self.kind == "delivery" else parent.package
        return {
            "donor": _code(parent.donor if parent.donor_id else None),
            "programme": _code(parent.programme if parent.programme_id else None),
            "package": _code(package) if self.kind == "delivery" else "",
            "pledge_ref": parent.ref,
        }


class DeliveryInlineForm(StatusMixin, InlineRecordForm):
    kind = "delivery"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_status()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status == Status.PUBLISHED and self.has_changed():
            self.add_error(None, f"{self.instance.ref} is published: change it on its own page, with a reason")
        return cleaned


class ValuationInlineForm(InlineRecordForm):
    kind = "valuation"

"""Exchange rates in the admin: the ECB's are read-only; the rest are entered by hand with a source.

A manual rate is for a currency the ECB does not publish (UAH, say) and is written by
`ledger.services.enter_rate`, which refuses a rate without its source.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from ledger.models import ECB_SOURCE, ExchangeRate
from ledger.services import delete_rates, enter_rate


class OriginFilter(admin.SimpleListFilter):
    title = "origin"
    parameter_name = "origin"

    def lookups(self, request, model_admin):
        return [("ecb", "ECB reference rate"), ("manual", "entered by hand")]

    def queryset(self, request, queryset):
        if self.value() == "ecb":
            return queryset.filter(source=ECB_SOURCE)
        if self.value() == "manual":
            return queryset.exclude(source=ECB_SOURCE)
        return queryset


class ManualRateForm(forms.ModelForm):
    source_url = forms.URLField(required=False, max_length=200, assume_scheme="https", label="Source URL")

    class Meta:
        model = ExchangeRate
        fields = ["currency", "day", "rate", "source", "source_url"]
        help_texts = {
            "rate": "Units of the currency for 1 EUR, as published by the source.",
            "source": "Who publishes this rate (e.g. National Bank of Ukraine, official rate).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source" in self.fields:  # the add form: no default source, it must be said
            self.fields["source"].initial = ""

    def clean_source(self):
        source = self.cleaned_data["source"].strip()
        if source == ECB_SOURCE:
            raise ValidationError("ECB rates come from the ECB file (manage.py load_ecb_rates), not by hand")
        return source

    def clean_currency(self):
        currency = self.cleaned_data["currency"]
        if ExchangeRate.objects.filter(currency=currency, source=ECB_SOURCE).exists():
            raise ValidationError(f"the ECB publishes {currency}: its rates come from the ECB, not by hand")
        return currency


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    form = ManualRateForm
    list_display = ["day", "currency", "rate", "source", "entered_by"]
    list_filter = [OriginFilter, ("currency", admin.AllValuesFieldListFilter)]
    date_hierarchy = "day"
    search_fields = ["currency", "source"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # a published rate does not change; a wrong manual one is deleted and re-entered

    def has_delete_permission(self, request, obj=None):
        manual = obj is None or obj.source != ECB_SOURCE
        return manual and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        self._delete(request, queryset)

    def delete_model(self, request, obj):
        self._delete(request, ExchangeRate.objects.filter(pk=obj.pk))

    def _delete(self, request, queryset):
        try:
            delete_rates(queryset)
        except ValidationError as error:
            self.message_user(request, f"not deleted: {'; '.join(error.messages)}", messages.ERROR)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = enter_rate(
            currency=data["currency"],
            day=data["day"],
            rate=data["rate"],
            source=data["source"],
            source_url=data.get("source_url", ""),
            entered_by=request.user.get_username(),
        )
        obj.pk = saved.pk
        obj._state.adding = False

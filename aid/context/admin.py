"""Editors keep donors' indicators and other trackers' figures in the admin (issue 12)."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aid.context import rules, services
from aid.context.models import Indicator, TrackerFigure
from aid.models import Donor


class IndicatorForm(forms.ModelForm):
    """Checked by aid.context.rules, the same rules as `import_indicators`."""

    source_url = forms.URLField(max_length=1000, assume_scheme="https", label="Source URL")

    class Meta:
        model = Indicator
        fields = ["donor", "name", "year", "value", "unit", "source_url", "source_title", "source_kind"]

    def clean(self):
        data = super().clean()
        donor = data.get("donor")
        raw = {
            "donor": donor.code if donor else "", "indicator": data.get("name", ""), "year": str(data.get("year") or ""),
            "value": str(data.get("value") or ""), "unit": data.get("unit", ""), "source_url": data.get("source_url", ""),
            "source_title": data.get("source_title", ""), "source_kind": data.get("source_kind", ""),
        }  # fmt: skip
        clean, problems = rules.check_indicator(raw, set(Donor.objects.values_list("code", flat=True)))
        for problem in problems:
            field = {"indicator": "name"}.get(problem.column, problem.column)
            if field in self.fields and field not in self.errors:
                self.add_error(field, problem.reason)
        self.clean_indicator = clean
        return data


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    form = IndicatorForm
    list_display = ["donor", "name", "year", "value", "unit", "source_title"]
    list_select_related = ["donor"]
    list_filter = ["name", "year"]
    search_fields = ["donor__code", "donor__name_en", "source_title"]
    autocomplete_fields = ["donor"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.save_indicator(form.clean_indicator, pk=obj.pk if change else None)[0].pk


class TrackerFigureForm(forms.ModelForm):
    source_url = forms.URLField(max_length=1000, assume_scheme="https", label="Source URL")

    class Meta:
        model = TrackerFigure
        fields = ["code", "tracker", "definition_en", "definition_nl", "donor", "scope", "as_of", "amount",
                  "currency", "source_url", "source_title"]  # fmt: skip


@admin.register(TrackerFigure)
class TrackerFigureAdmin(SimpleHistoryAdmin):
    form = TrackerFigureForm
    list_display = ["code", "donor", "tracker", "as_of", "amount", "currency"]
    list_select_related = ["donor"]
    list_filter = ["tracker", "as_of"]
    search_fields = ["code", "donor__code", "tracker"]
    autocomplete_fields = ["donor"]

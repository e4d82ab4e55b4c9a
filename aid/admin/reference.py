"""The reference tables records point to: donors, programmes, packages, sources, reference figures.

Their search fields feed the autocompletes of the pledge and delivery pages; a source can be
added from those pages in a pop-up without leaving them.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aid.admin import display
from aid.models import Donor, Package, Programme, ReferenceFigure, Source
from aid.rules import SOURCE_URL_REASON, is_source_url


@admin.register(Donor)
class DonorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_nl", "eu_member", "nato_member", "nato_joined"]
    list_filter = ["eu_member", "nato_member"]
    search_fields = ["code", "name_en", "name_nl"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "start_date"]
    search_fields = ["code", "name_en"]


@admin.register(Package)
class PackageAdmin(SimpleHistoryAdmin):
    list_display = ["code", "programme", "name_en", "date", display.amount]
    list_select_related = ["programme"]
    list_filter = [("programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_en", "name_nl", "programme__code"]
    autocomplete_fields = ["donors", "source"]


class SourceForm(forms.ModelForm):
    url = forms.URLField(max_length=1000, assume_scheme="https", label="URL")

    def clean_url(self):
        # The import's rule: Django's URLField also takes IRIs, which the API's `format: uri` refuses.
        url = self.cleaned_data["url"]
        if not is_source_url(url):
            raise forms.ValidationError(SOURCE_URL_REASON)
        return url

    class Meta:
        model = Source
        fields = ["url", "title", "kind", "publisher", "published_on"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ["title", "url", "kind", "publisher", "published_on"]
    list_filter = ["kind"]
    search_fields = ["url", "title", "publisher"]


@admin.register(ReferenceFigure)
class ReferenceFigureAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", display.amount, "period", "date"]
    list_select_related = ["source"]
    autocomplete_fields = ["programme", "source"]

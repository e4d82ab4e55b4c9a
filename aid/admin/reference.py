"""The reference tables records point to: donors, programmes, packages, sources, reference figures.

Their search fields feed the autocompletes of the pledge and delivery pages; a source can be
added from those pages in a pop-up without leaving them.
"""

from django import forms
from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from aid import identifiers, services
from aid.admin import display
from aid.admin.imports import may_publish
from aid.models import Donor, Package, Programme, ReferenceFigure, Source
from aid.rules import SOURCE_URL_REASON, is_source_url

CODE_KEPT = (
    "The code stays as it is: published records name it, and links and citations use it. "
    "To mend a wrong code, move the records to a new one (an import by ref)."
)
URL_KEPT = "Published records cite this source: only an editor may move it to another URL."


class PublicCode:
    """A code a published record named stays as it is (aid.identifiers says why)."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and identifiers.named_by_a_published_record(obj):
            fields.append("code")
        return fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if "code" in context["adminform"].readonly_fields:
            messages.info(request, CODE_KEPT)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Donor)
class DonorAdmin(PublicCode, SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_nl", "eu_member", "nato_member", "nato_joined"]
    list_filter = ["eu_member", "nato_member"]
    search_fields = ["code", "name_en", "name_nl"]


@admin.register(Programme)
class ProgrammeAdmin(PublicCode, SimpleHistoryAdmin):
    list_display = ["code", "name_en", "start_date"]
    search_fields = ["code", "name_en"]


@admin.register(Package)
class PackageAdmin(PublicCode, SimpleHistoryAdmin):
    list_display = ["code", "programme", "name_en", "date", display.amount]
    list_select_related = ["programme"]
    list_filter = [("programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_en", "name_nl", "programme__code"]
    autocomplete_fields = ["donors", "source"]


class SourceForm(forms.ModelForm):
    url = forms.URLField(max_length=1000, assume_scheme="https", label="URL")
    url_kept = False  # set by SourceAdmin.get_form for the user and source at hand

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.url_kept:
            self.fields["url"].disabled = True  # the posted value is ignored, the stored one kept
            self.fields["url"].help_text = URL_KEPT

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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.url_kept = (
            obj is not None and not may_publish(request.user) and identifiers.cited_by_a_published_record(obj)
        )
        return form

    def save_model(self, request, obj, form, change):
        """A cited source's new URL is a new source its records move to (aid.identifiers)."""
        old = Source.objects.get(pk=obj.pk) if change and "url" in form.changed_data else None
        if old is None or not identifiers.ever_cited(old):
            return super().save_model(request, obj, form, change)
        obj.pk = None
        obj.save()
        reason = f"source moved from {old.url} to {obj.url}"
        moved = services.move_citations(old, obj, user=request.user, reason=reason)
        messages.info(request, f"{moved} records now cite {obj.url}; their history keeps {old.url}.")


@admin.register(ReferenceFigure)
class ReferenceFigureAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", display.amount, "period", "date"]
    list_select_related = ["source"]
    autocomplete_fields = ["programme", "source"]

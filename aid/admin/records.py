"""Pledges and deliveries in the admin: fast lists, checked forms, review, history.

Every write goes through aid.services (via aid.admin.writes): `save_model`, `save_related`,
`delete_model`, `delete_queryset` and the actions are overridden so nothing reaches the
database any other way, and the totals and delivered figures stay exact.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import Textarea
from django.shortcuts import redirect
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from aid.admin import actions, display, filters, forms, imports, restore, writes
from aid.admin.changelist import ValuedChangeList
from aid.admin.warnings import with_duplicate_flag
from aid.models import Delivery, Pledge, Status, Valuation
from aid.services import StaleEdit

AMOUNT_FIELDS = ("amount", "currency", "amount_qualifier")
LIST_FILTERS = [
    "status",
    ("donor", admin.RelatedOnlyFieldListFilter),
    ("programme", admin.RelatedOnlyFieldListFilter),
    ("package", admin.RelatedOnlyFieldListFilter),
    filters.YearFilter,
    "amount_qualifier",
    filters.NoSourceFilter,
    filters.OverDeliveredFilter,
    filters.DuplicateFilter,
]


class InlineRecordAdmin(admin.TabularInline):
    extra = 0
    show_change_link = True
    autocomplete_fields = ["sources"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 30})}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.request = request
        return formset


class DeliveryInline(InlineRecordAdmin):
    model = Delivery
    fk_name = "pledge"
    form = forms.DeliveryInlineForm
    fields = ["ref", "date", *AMOUNT_FIELDS, "description", "confidence", "sources", "status", "version"]
    verbose_name_plural = "deliveries against this pledge (donor, programme and package are the pledge's)"


class ValuationInline(InlineRecordAdmin):
    model = Valuation
    form = forms.ValuationInlineForm
    fields = ["ref", "date", *AMOUNT_FIELDS, "description", "confidence", "sources", "version"]
    verbose_name_plural = "valuations: the same pledge as other sources report it (never added to totals)"


class LedgerRecordAdmin(SimpleHistoryAdmin):
    """What pledges and deliveries share."""

    list_filter = LIST_FILTERS
    search_fields = ["ref", "description", "sources__url", "sources__title"]
    date_hierarchy = "date"
    ordering = ["-date", "ref"]
    list_per_page = 100
    show_full_result_count = False
    actions = [actions.publish, actions.unpublish, actions.delete_records, actions.export_csv]
    change_form_template = "aid/admin/change_form.html"
    object_history_form_template = "aid/admin/history_form.html"
    delete_confirmation_template = "aid/admin/delete_confirmation.html"
    change_list_template = "aid/admin/change_list.html"
    history_list_display = ["status", "version"]

    # Permissions: researchers edit drafts; publishing, unpublishing and deleting is for editors.
    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(f"aid.publish_{self.opts.model_name}")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.status == Status.DRAFT or self.has_publish_permission(request)

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # replaced by delete_records, which asks why
        return found

    # Lists: a fixed number of queries whatever the number of rows.
    def get_queryset(self, request):
        return with_duplicate_flag(super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return ValuedChangeList

    # Forms.
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        reverting_to = getattr(request, "reverting_to", None)
        if reverting_to is not None:
            form.reverting = True
            form.revert_sources = restore.sources_at(reverting_to)
        return form

    def get_fieldsets(self, request, obj=None):
        """No reason to give when adding, nor when only reading."""
        if obj is not None and self.has_change_permission(request, obj):
            return self.fieldsets
        hidden = {"reason", "version"} if obj is not None else {"reason"}
        return [(name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
                for name, options in self.fieldsets]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return ["ref", "updated_at"] if obj is not None else []

    # Writes, all through aid.services.
    def save_model(self, request, obj, form, change):
        result = writes.save_form(request, form, status=form.status_to_save(), reason=self.reason_for(form, change))
        writes.adopt(obj, result.record)

    def reason_for(self, form, change: bool) -> str:
        given = form.change_reason() if hasattr(form, "change_reason") else ""
        if given:
            return given
        if form.reverting:
            return "restored from its history" if form.stored is None else "reverted to an earlier version"
        return "edited in the admin" if change else "entered in the admin"

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        reason = self.reason_for(form, change)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms:
                if inline_form.instance.pk:
                    writes.delete(request, inline_form.instance, reason=reason)
                    formset.deleted_objects.append(inline_form.instance)
            elif inline_form.has_changed():
                status = inline_form.status_to_save() if hasattr(inline_form, "status_to_save") else Status.DRAFT
                result = writes.save_form(request, inline_form, status=status, reason=reason)
                added = inline_form.instance.pk is None
                writes.adopt(inline_form.instance, result.record)
                if added:
                    formset.new_objects.append(inline_form.instance)
                else:
                    formset.changed_objects.append((inline_form.instance, inline_form.changed_data))

    def delete_model(self, request, obj):
        writes.delete(request, obj, reason=request.POST.get("reason", ""))

    def delete_queryset(self, request, queryset):
        for record in queryset:
            writes.delete(request, record, reason=request.POST.get("reason", ""))

    # A concurrent save that slipped past the form's check: refused, never overwritten.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit as stale:
            return self.refuse_stale(request, stale, object_id)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_to = self.model.history.filter(pk=version_id, id=object_id).first()
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleEdit as stale:
            return self.refuse_stale(request, stale, object_id)

    def refuse_stale(self, request, stale: ValidationError, object_id):
        self.message_user(request, " ".join(stale.messages) + " Nothing was saved.", messages.ERROR)
        return redirect(f"admin:aid_{self.opts.model_name}_change", object_id) if object_id else redirect(request.path)

    def get_urls(self):
        name = self.opts.model_name
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name=f"aid_{name}_import"),
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=f"aid_{name}_deleted"),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        return imports.import_view(self, request)

    def deleted_view(self, request):
        return restore.deleted_view(self, request)


@admin.register(Pledge)
class PledgeAdmin(LedgerRecordAdmin):
    form = forms.PledgeForm
    # ref, donor, programme, date, amount with currency, delivered, status and confidence fit 1280 px.
    list_display = [
        "ref", "donor", display.programme, display.day, display.amount_and_eur, display.delivered_share, "status",
        display.confidence, display.warnings,
    ]  # fmt: skip
    list_select_related = ["donor", "programme", "package"]
    autocomplete_fields = ["donor", "programme", "package", "sources"]
    inlines = [DeliveryInline, ValuationInline]
    fieldsets = [
        (None, {"fields": ["ref", ("donor", "programme", "package"), "date"]}),
        ("Amount as announced", {"fields": [AMOUNT_FIELDS]}),
        (None, {"fields": ["description", "confidence", "sources", "status", "reason", "version"]}),
    ]


@admin.register(Delivery)
class DeliveryAdmin(LedgerRecordAdmin):
    form = forms.DeliveryForm
    list_display = [
        "ref", "donor", display.programme, "pledge", display.day, display.amount_and_eur, "status",
        display.confidence, display.warnings,
    ]  # fmt: skip
    list_select_related = ["donor", "programme", "package", "pledge"]
    autocomplete_fields = ["donor", "programme", "package", "pledge", "sources"]
    fieldsets = [
        (None, {"fields": ["ref", "pledge", ("donor", "programme", "package"), "date"]}),
        ("Amount as paid or delivered", {"fields": [AMOUNT_FIELDS]}),
        (None, {"fields": ["description", "confidence", "sources", "status", "reason", "version"]}),
    ]


@admin.register(Valuation)
class ValuationAdmin(SimpleHistoryAdmin):
    """Read here, written on their pledge's page."""

    list_display = ["ref", "pledge", "date", display.amount]
    list_select_related = ["pledge"]
    search_fields = ["ref", "pledge__ref", "description"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

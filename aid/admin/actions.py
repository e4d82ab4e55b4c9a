"""List actions: publish, unpublish, delete (each through aid.services) and export as ledger CSV."""

import functools

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse

from aid import services
from aid.admin import writes
from aid.export import stream_csv, with_valuations
from aid.models import Pledge, Status


def _set_status(modeladmin, request, queryset, status: str, reason: str) -> None:
    changed = sum(services.set_status(record, status, user=request.user, reason=reason) for record in queryset)
    modeladmin.message_user(request, f"{changed} {modeladmin.opts.verbose_name_plural} {status}.", messages.SUCCESS)


@admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
def publish(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Status.PUBLISHED, "published after review")


def _ask_reason(modeladmin, request, queryset, *, action: str, question: str):
    """An intermediate page asking why; returns the reason once given, else the page."""
    reason = request.POST.get("reason", "").strip()
    if "confirm" in request.POST and reason:
        return reason, None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": question,
        "opts": modeladmin.opts,
        "records": queryset,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "asked": "confirm" in request.POST,
    }
    return None, TemplateResponse(request, "aid/admin/confirm_action.html", context)


def asking_why(question: str):
    """An action that first asks why (the reason goes to each record's history)."""

    def decorate(apply):
        @functools.wraps(apply)
        def action(modeladmin, request, queryset):
            reason, page = _ask_reason(modeladmin, request, queryset, action=apply.__name__, question=question)
            return page or apply(modeladmin, request, queryset, reason)

        return action

    return decorate


@admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["publish"])
@asking_why("Why take these records off the public ledger?")
def unpublish(modeladmin, request, queryset, reason: str):
    _set_status(modeladmin, request, queryset, Status.DRAFT, reason)


@admin.action(description="Delete selected %(verbose_name_plural)s", permissions=["delete"])
@asking_why("Why delete these records?")
def delete_records(modeladmin, request, queryset, reason: str):
    deleted = 0
    for record in queryset:
        try:
            writes.delete(request, record, reason=reason)
            deleted += 1
        except ValidationError as refused:
            modeladmin.message_user(request, " ".join(refused.messages), messages.ERROR)
    modeladmin.message_user(request, f"{deleted} {modeladmin.opts.verbose_name_plural} deleted.", messages.SUCCESS)


@admin.action(description="Export selected as ledger CSV")
def export_csv(modeladmin, request, queryset):
    records = modeladmin.model.objects.filter(pk__in=queryset.values("pk")).order_by("pk")
    querysets = with_valuations(records) if modeladmin.model is Pledge else [records]
    lines = stream_csv(querysets, public=False)  # editors see draft pledges' refs
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{modeladmin.opts.model_name}-ledger.csv"'
    return response

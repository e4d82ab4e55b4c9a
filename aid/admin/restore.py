"""Deleted records, found in their history, and restored through the history's revert form.

The revert form is the record's own admin form filled with the values it had when deleted:
saving it goes through aid.rules and aid.services like any other save.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse

SHOWN = 200


def deleted_records(model):
    """The last state of each record deleted and not re-created since, newest first."""
    history = model.history.model
    alive = model.objects.filter(ref=OuterRef("ref"))
    return (
        history.objects.filter(history_type="-")
        .filter(~Exists(alive))
        .select_related("history_user", "donor")
        .order_by("-history_date")[:SHOWN]
    )


def _linked(version) -> list[int]:
    return [link.source_id for link in version.sources.all()]


def sources_at(version) -> list[int]:
    """The sources a historical version linked.

    A record is saved before its sources are linked, and deleted after they are unlinked, so
    its first and last entries hold none: for those, the nearest entry that has some counts.
    """
    for step in ("prev_record", "next_record"):
        nearby = version
        while nearby is not None:
            linked = _linked(nearby)
            if linked:
                return linked
            nearby = getattr(nearby, step)
    return []


def deleted_view(modeladmin, request):
    if not modeladmin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": f"Deleted {modeladmin.opts.verbose_name_plural}",
        "records": deleted_records(modeladmin.model),
        "shown": SHOWN,
    }
    return TemplateResponse(request, "aid/admin/deleted_records.html", context)

"""Bulk import in the admin: upload → preview (a dry run of `import_ledger`) → confirm.

Both steps call `aid.importing.import_ledger`, the code of `manage.py import_ledger`. The
uploaded text waits in the session between the two, under its SHA-256, so the file that is
imported is exactly the file that was previewed.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from aid.importing import ImportReport, import_ledger
from aid.models import Delivery, Pledge, Status
from ledger.money import from_minor

SESSION_KEY = "aid_admin_import"
MAX_UPLOAD = 10 * 1024 * 1024  # larger files: manage.py import_ledger


class UploadForm(forms.Form):
    file = forms.FileField(label="Ledger CSV", help_text="UTF-8, the columns of the ledger CSV (see the README).")
    publish = forms.BooleanField(
        required=False, label="Publish on import", help_text="Otherwise the records arrive as drafts for review."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("larger than 10 MB: import it with manage.py import_ledger")
        return upload


def may_import(user) -> bool:
    return all(user.has_perm(f"aid.add_{kind}") for kind in ("pledge", "delivery", "valuation"))


def may_publish(user) -> bool:
    return user.has_perm("aid.publish_pledge") and user.has_perm("aid.publish_delivery")


def published_refs(report: ImportReport) -> set[str]:
    """Refs the import would change that are published now (a draft import takes them off)."""
    updated = report.refs("updated")
    found = set()
    for model in (Pledge, Delivery):
        found |= set(model.objects.filter(ref__in=updated, status=Status.PUBLISHED).values_list("ref", flat=True))
    return found


def preview_lines(report: ImportReport) -> list[tuple]:
    """Each planned row with its amount as written."""
    lines = []
    for row in report.rows:
        clean = row.clean
        amount = (
            "undisclosed"
            if clean.amount_minor is None
            else f"{clean.currency} {from_minor(clean.amount_minor, clean.currency)}"
        )
        lines.append((row, amount))
    return lines


def _preview(request, modeladmin, data: bytes, status: str):
    report = import_ledger(data, status=status, dry_run=True, user=request.user)
    touched = published_refs(report) if report.ok else set()
    if touched and not may_publish(request.user):
        report.problems = [f"{ref}: published: only an editor may change it" for ref in sorted(touched)]
    digest = hashlib.sha256(data).hexdigest()
    if report.ok:  # decoding succeeded, or the report would say the file is not UTF-8
        request.session[SESSION_KEY] = {"digest": digest, "text": data.decode("utf-8-sig"), "status": status}
    return _render(
        request,
        modeladmin,
        "aid/admin/import_preview.html",
        report=report,
        digest=digest,
        status=status,
        touched=touched,
    )


def _confirm(request, modeladmin):
    stored = request.session.get(SESSION_KEY) or {}
    if not stored or stored.get("digest") != request.POST.get("digest"):
        messages.error(request, "That upload is no longer waiting: upload the file again.")
        return redirect("admin:aid_pledge_import")
    report = import_ledger(stored["text"], status=stored["status"], user=request.user)
    if not report.ok:  # the ledger changed since the preview
        context = {"report": report, "digest": "", "status": stored["status"], "touched": set()}
        return _render(request, modeladmin, "aid/admin/import_preview.html", **context)
    del request.session[SESSION_KEY]
    messages.success(request, f"Imported: {report.summary()}.")
    for warning in report.warnings:
        messages.warning(request, warning)
    return redirect("admin:aid_pledge_changelist")


def _render(request, modeladmin, template: str, **context):
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": "Import ledger CSV",
        **context,
    }
    if "report" in context:
        context["lines"] = preview_lines(context["report"])
    return TemplateResponse(request, template, context)


def import_view(modeladmin, request):
    if not may_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "digest" in request.POST:
        return _confirm(request, modeladmin)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        publish = form.cleaned_data["publish"] and may_publish(request.user)
        status = Status.PUBLISHED if publish else Status.DRAFT
        return _preview(request, modeladmin, form.cleaned_data["file"].read(), status)
    # An AdminForm, so the upload renders with the admin's own fieldset markup and styles.
    adminform = helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {})
    return _render(
        request, modeladmin, "aid/admin/import_form.html", form=form, adminform=adminform,
        may_publish=may_publish(request.user),
    )  # fmt: skip

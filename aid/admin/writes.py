"""How the admin writes: through aid.services, like the import and the API.

A checked form becomes `save_record(...)`; the form's own `save()` never touches the database.
"""

from django.contrib import messages
from django.db import transaction

from aid import services
from aid.admin.warnings import save_warnings


def adopt(form_instance, saved) -> None:
    """Make the admin's object the saved record, so its log entry and redirect name it."""
    for name, value in vars(saved).items():
        if name != "_state":
            setattr(form_instance, name, value)
    form_instance._state.adding = False
    form_instance._state.db = saved._state.db


@transaction.atomic
def save_form(request, form, *, status: str, reason: str) -> services.SaveResult:
    """Save a checked form's record; raises StaleEdit when its version moved meanwhile."""
    result = services.save_record(
        form.clean_record,
        status=status,
        user=request.user,
        reason=reason,
        expected_version=form.expected_version(),
    )
    if "sources" in form.fields:
        services.link_sources(result.record, form.cleaned_data.get("sources") or [], user=request.user, reason=reason)
    for warning in save_warnings(result.record, result.warnings):
        messages.warning(request, f"{result.record.ref}: {warning}")
    return result


def delete(request, record, *, reason: str) -> None:
    services.delete_record(record, user=request.user, reason=reason or "deleted in the admin")

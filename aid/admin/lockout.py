"""The page django-axes shows a locked-out sign-in (AXES_LOCKOUT_CALLABLE), in English or Dutch."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation


def locked_out(request, original_response=None, credentials=None):
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    # The admin has no /nl/ prefix: the browser's language (or the language cookie) decides.
    with translation.override(translation.get_language_from_request(request)):
        return render(request, "aid/admin/locked_out.html", context, status=429)

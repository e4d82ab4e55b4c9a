"""`/releases/` and `/releases/{id}/`: the releases, each with a citation line ready to copy."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from aid.charts.views.base import bad_request, navigation
from aid.releases import citation
from aid.releases.models import Release

SHOWN_REFS = 200  # a changelog's refs on the page; the API has them all


@dataclass
class ShownRelease:
    release: Release
    citation: str
    package_url: str
    page_url: str
    overview_url: str  # the charts as of this release


def _shown(request, release: Release) -> ShownRelease:
    return ShownRelease(
        release, citation.citation(request, release), citation.package_url(request, release),
        citation.page_url(request, release), f"{reverse('charts:overview')}?{urlencode({'release': release.id})}",
    )  # fmt: skip


def _no_parameters(view):
    def wrapper(request, *args, **kwargs):
        if request.GET:
            return bad_request(request, next(iter(request.GET)), _("this page takes no parameters"))
        return view(request, *args, **kwargs)

    return wrapper


@_no_parameters
def releases(request):
    shown = [_shown(request, release) for release in Release.objects.order_by("-created_at")]
    context = {"title": _("Releases"), "releases": shown, **navigation(request)}
    return render(request, "charts/releases.html", context)


@_no_parameters
def release(request, release_id: str):
    found = Release.objects.filter(pk=release_id).first()
    if found is None:
        raise Http404
    log = found.changelog
    context = {
        "title": _("Release %(id)s") % {"id": found.id},
        "shown": _shown(request, found),
        "created": log["created"][:SHOWN_REFS],
        "changed": list(log["changed"].items())[:SHOWN_REFS],
        "removed": log["removed"][:SHOWN_REFS],
        "shown_refs": SHOWN_REFS,
        **navigation(request),
    }
    return render(request, "charts/release.html", context)

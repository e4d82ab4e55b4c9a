"""How a release is cited and where its page and package are."""

from django.urls import reverse
from django.utils import translation

from aid.releases.models import Release


def page_url(request, release: Release) -> str:
    with translation.override("en"):  # one citation whatever the reader's language
        return request.build_absolute_uri(reverse("charts:release", args=[release.id]))


def package_url(request, release: Release) -> str:
    return request.build_absolute_uri(reverse("api:release-package", args=[release.id, release.file_name]))


def citation(request, release: Release) -> str:
    return f"Aid Ledger, release {release.id}, sha256:{release.package_sha256}, {page_url(request, release)}"

from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import extend_schema_view

from aid import asof
from aid.api.serializers.programmes import ProgrammeSerializer
from aid.api.views.base import documented
from aid.api.views.records import MOMENT
from aid.api.views.reference import ReferenceViewSet
from aid.models import Delivery, Package, Pledge, Programme


def public(field: str, moment=None):
    """Used by a published record (published at `moment`, when given), or by no record at all
    (curated reference data). A programme or package that only drafts use would give the drafts away.
    """

    def used(records):
        return Exists(records.filter(**{f"{field}_id": OuterRef("pk")}))

    published = used(asof.published(Pledge, moment)) | used(asof.published(Delivery, moment))
    return published | ~(used(Pledge.objects.all()) | used(Delivery.objects.all()))


def packages(moment=None) -> Prefetch:
    chosen = Package.objects.filter(public("package", moment)).select_related("source").prefetch_related("donors")
    return Prefetch("packages", queryset=chosen.order_by("date", "code"))


@extend_schema_view(list=documented(ProgrammeSerializer(many=True), *MOMENT))
class ProgrammeViewSet(ReferenceViewSet):
    """Programmes (PURL, bilateral aid, …) with their packages; with `as_of`, those the records then used
    (their names and packages' figures as they are now)."""

    serializer_class = ProgrammeSerializer
    csv_name = "programmes"
    csv_columns = [*(name for name in ProgrammeSerializer().fields if name != "packages"), "packages"]

    def get_queryset(self):
        moment = self.moment
        return Programme.objects.filter(public("programme", moment)).prefetch_related(packages(moment)).order_by("code")

    def csv_row(self, data: dict) -> dict:
        return {**data, "packages": ";".join(package["code"] for package in data["packages"])}

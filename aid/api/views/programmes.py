from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import extend_schema_view

from aid.api.serializers.programmes import ProgrammeSerializer
from aid.api.views.base import documented
from aid.api.views.reference import ReferenceViewSet
from aid.models import Delivery, Package, Pledge, Programme, Status


def public(field: str):
    """Used by a published record, or by no record at all (curated reference data).

    A programme or package that only drafts use would give the drafts away.
    """

    def used(model, **only):
        return Exists(model.objects.filter(**{field: OuterRef("pk")}, **only))

    published = used(Pledge, status=Status.PUBLISHED) | used(Delivery, status=Status.PUBLISHED)
    return published | ~(used(Pledge) | used(Delivery))


PACKAGES = Prefetch(
    "packages",
    queryset=Package.objects.filter(public("package"))
    .select_related("source")
    .prefetch_related("donors")
    .order_by("date", "code"),
)


@extend_schema_view(list=documented(ProgrammeSerializer(many=True)))
class ProgrammeViewSet(ReferenceViewSet):
    """Programmes (PURL, bilateral aid, …) with their packages."""

    serializer_class = ProgrammeSerializer
    csv_name = "programmes"
    csv_columns = [*(name for name in ProgrammeSerializer().fields if name != "packages"), "packages"]

    def get_queryset(self):
        return Programme.objects.filter(public("programme")).prefetch_related(PACKAGES).order_by("code")

    def csv_row(self, data: dict) -> dict:
        return {**data, "packages": ";".join(package["code"] for package in data["packages"])}

from rest_framework import serializers

from aid.api.serializers.fields import RecordSerializer
from aid.models import Status


class DeliverySerializer(RecordSerializer):
    pledge_ref = serializers.SerializerMethodField(help_text="the pledge it fulfils, when that pledge is published")

    def get_pledge_ref(self, delivery) -> str | None:
        pledge = delivery.pledge
        return pledge.ref if pledge is not None and pledge.status == Status.PUBLISHED else None

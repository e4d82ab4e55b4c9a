"""Anonymous requests are throttled at `settings.API_ANON_THROTTLE` (read on each request)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return settings.API_ANON_THROTTLE

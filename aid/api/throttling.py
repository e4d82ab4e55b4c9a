"""Anonymous requests are throttled at `settings.API_ANON_THROTTLE` (read on each request).

Counts live in the default cache (Redis with CACHE_URL, so every worker shares them) and are
keyed on aid.clients.client_address, which a client cannot choose through X-Forwarded-For.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from aid.clients import client_address


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return settings.API_ANON_THROTTLE

    def get_ident(self, request) -> str:
        return client_address(request)

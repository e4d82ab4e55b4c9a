"""Which address a request comes from, for the throttle and the login lockout.

Each reverse proxy appends the address it received the request from to X-Forwarded-For, so
with TRUSTED_PROXIES=n the client is the n-th entry from the right; anything further left
was written by the client and may be forged. With 0 proxies only REMOTE_ADDR counts.
"""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies == 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: a proxy is missing; the leftmost is the best there is.
    return forwarded[-min(proxies, len(forwarded))]

"""Downloading the ECB's current reference rates (`load_ecb_rates --fetch`, a daily job)."""

import http.client
import urllib.error
import urllib.request

from django.conf import settings

# The 90-day file is ~40 kB; a hundred times that is no rate file.
MAX_BYTES = 4_000_000
TIMEOUT_SECONDS = 30


class FetchFailed(RuntimeError):
    pass


def fetch(url: str | None = None) -> bytes:
    """The file at `url` (default settings.ECB_RATES_URL); FetchFailed says why it could not be read."""
    url = url or settings.ECB_RATES_URL
    if not url.startswith(("https://", "http://")):
        raise FetchFailed(f"{url}: ECB_RATES_URL must be an http(s) URL")
    request = urllib.request.Request(url, headers={"User-Agent": "aid-ledger load_ecb_rates"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (scheme checked)
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise FetchFailed(f"{url}: the server answered HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchFailed(f"{url}: could not download ({reason})") from None
    if len(data) > MAX_BYTES:
        raise FetchFailed(f"{url}: larger than {MAX_BYTES} bytes: not an ECB rate file")
    return data

"""How many bytes the overview's first load transfers, served as in production: prints it.

    .venv/bin/python bench/page_weight.py [--path /] [--screenshot docs/overview.png]

Collects the static files into a temporary folder with whitenoise's compressed manifest
storage (gzip and, with the Brotli package, brotli: what `collectstatic` does for production),
serves the site on 127.0.0.1 from the configured database (`make run` loads the seed and the
ECB rates), loads the page in Debian's chromium with an empty cache and adds up what crossed
the wire for every request: headers plus the body as sent (compressed when it was).
The browser asks for `gzip, deflate, br, zstd`, as it does for any page.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1_500_000  # bytes: SPEC's "less than 1.5 MB" for the overview's first load
NOT_SERVED_BY_CHARTS = ["admin", "rest_framework", "drf_spectacular_sidecar", "simple_history"]


def production_static(root: Path) -> dict:
    """Settings under which whitenoise serves compressed, hashed files from `root`, as in production."""
    from django.conf import settings

    return {
        "STATIC_ROOT": root,
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
        "WHITENOISE_KEEP_ONLY_HASHED_FILES": True,  # compress each file once (brotli of plotly.js takes ~15 s)
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    }


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=NOT_SERVED_BY_CHARTS)


def whitenoise_server(host: str = "127.0.0.1"):
    """A live server whose static files go through the WhiteNoise middleware, not Django's finders."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(host, start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    return server


def first_load(page, url: str) -> list[tuple[str, int, str]]:
    """(url, bytes transferred, content-encoding) of every request of a page's first load."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(".plot[data-drawn=true]")
    loads = []
    for response in responses:
        sizes = response.request.sizes()
        transferred = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        loads.append((response.url, transferred, response.headers.get("content-encoding", "")))
    return loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/")
    parser.add_argument("--screenshot", help="also save a full-page screenshot here (PNG)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM runs beside Playwright's loop
    import django

    django.setup()
    from django.test.utils import override_settings
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, override_settings(DEBUG=False, **production_static(Path(folder))):
        collect_static()
        server = whitenoise_server()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new"])
                page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="en-GB")
                loads = first_load(page, server.url + args.path)
                if args.screenshot:
                    page.screenshot(path=args.screenshot, full_page=True)
                browser.close()
        finally:
            server.stop()
    for url, size, encoding in loads:
        print(f"{size:>10,} B  {encoding or '-':<5} {url.removeprefix(server.url)}")
    total = sum(size for _url, size, _encoding in loads)
    print(f"{total:>10,} B  total for {args.path} ({len(loads)} requests; budget {BUDGET:,} B)")


if __name__ == "__main__":
    main()

"""load_ecb_rates --fetch: the ECB's XML from ECB_RATES_URL, served here by a local server."""

import threading
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ledger.models import ExchangeRate
from tests.builders import rate

FIXTURE = (Path(__file__).parent / "data" / "eurofxref-hist-90d.xml").read_bytes()
PORT = 18871
UNUSED_PORT = 18872  # nothing listens here
FILES = {
    "/rates.xml": (200, FIXTURE),
    "/broken.xml": (200, FIXTURE[: len(FIXTURE) // 2]),
    "/not-ecb.xml": (200, b"<?xml version='1.0'?><rates><rate/></rates>"),
    "/bad-rate.xml": (200, FIXTURE.replace(b'rate="11.6200"', b'rate="-1"')),
    "/html": (200, b"<html><body>Maintenance</body></html>"),
    "/entities.xml": (200, b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status, body = FILES.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{PORT}"
    httpd.shutdown()
    httpd.server_close()


def fetch(settings, url: str):
    settings.ECB_RATES_URL = url
    call_command("load_ecb_rates", "--fetch")


def held() -> dict:
    return {(r.currency, r.day): r.rate for r in ExchangeRate.objects.all()}


def test_fetch_loads_every_day_of_the_file(server, settings, db):
    fetch(settings, f"{server}/rates.xml")
    assert len(held()) == 12
    assert held()["USD", date(2026, 10, 30)] == Decimal("1.0845")
    assert held()["GBP", date(2026, 10, 28)] == Decimal("0.83290")


def test_a_second_fetch_adds_only_new_days_and_keeps_the_rest(server, settings, db):
    rate("USD", "2026-10-29", "1.0800")  # held already: kept as it is
    fetch(settings, f"{server}/rates.xml")
    assert len(held()) == 12
    assert held()["USD", date(2026, 10, 29)] == Decimal("1.0800")
    fetch(settings, f"{server}/rates.xml")
    assert len(held()) == 12


def test_the_default_url_is_the_ecbs_90_day_history():
    from django.conf import settings

    assert settings.ECB_RATES_URL == "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.xml", r"the server answered HTTP 404"),
        ("/broken.xml", r"not well-formed XML"),
        ("/not-ecb.xml", r"not an ECB reference-rate file"),
        ("/html", r"not an ECB reference-rate file"),
        ("/bad-rate.xml", r"2026-10-28, NOK: rate='-1' is not a rate"),
        ("/entities.xml", r"a document type declaration is not part of an ECB rate file"),
    ],
)
def test_a_bad_answer_is_a_clear_error_that_changes_nothing(server, settings, db, path, message):
    rate("USD", "2026-10-01", "1.05")
    before = held()
    with pytest.raises(CommandError, match=message + r".*no rate was changed"):
        fetch(settings, f"{server}{path}")
    assert held() == before


def test_a_server_that_cannot_be_reached_is_a_clear_error(settings, db):
    with pytest.raises(CommandError, match=r"could not download .*no rate was changed"):
        fetch(settings, f"http://127.0.0.1:{UNUSED_PORT}/rates.xml")
    assert held() == {}


def test_a_url_that_is_not_http_is_refused(settings, db):
    with pytest.raises(CommandError, match="must be an http"):
        fetch(settings, "file:///etc/passwd")


def test_a_fetched_rate_changes_the_figures_that_use_it(server, settings, db):
    from aid.models import Pledge
    from tests.builders import record

    rate("USD", "2026-10-01", "1.25")
    record("pledge", ref="P", amount="1000", date="2026-10-01")
    record("delivery", ref="D", pledge_ref="P", amount="108.45", currency="USD", date="2026-10-30")
    assert Pledge.objects.get(ref="P").delivered == Decimal("86.76")
    fetch(settings, f"{server}/rates.xml")
    assert Pledge.objects.get(ref="P").delivered == Decimal("100.00")
    call_command("rebuild_totals", "--verify")


def test_the_command_reads_an_xml_file_too(tmp_path, db):
    path = tmp_path / "eurofxref-daily.xml"
    path.write_bytes(FIXTURE)
    call_command("load_ecb_rates", str(path))
    assert len(held()) == 12

"""A gunicorn serving the product on 127.0.0.1 for the bench, stopped on leaving."""

import http.client
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# Served as in production (DEBUG off: no query log, no debug pages), on 127.0.0.1 only.
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(40), "ALLOWED_HOSTS": "127.0.0.1,localhost"}


class Gunicorn:
    def __init__(self, port: int, *, workers: int = 1, env: dict | None = None):
        self.port, self.workers, self.env = port, workers, env or {}
        self.base = f"http://127.0.0.1:{port}"
        self.process = None
        self.connection = None  # one keep-alive connection for the timed requests

    def __enter__(self):
        command = [
            str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--timeout", "300", "--log-level", "warning",
            # As `make serve`: threaded workers, which keep a client's connection open between
            # requests (gunicorn's sync worker closes it after each answer).
            "--keep-alive", "5", "--threads", os.environ.get("WEB_THREADS", "4"),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **PRODUCTION, **self.env})
        for _ in range(120):
            try:
                requests.get(f"{self.base}/api/v1/", timeout=60)
                return self
            except requests.RequestException:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer")

    def __exit__(self, *exc):
        if self.connection is not None:
            self.connection.close()
        self.process.terminate()
        self.process.wait(timeout=30)

    def time_get(self, path: str) -> float:
        """Milliseconds for the whole answer; a non-200 stops the bench (a failing workload is no figure).

        Timed through http.client on one kept-alive connection, as a lean client (curl, a browser)
        asks: the `requests` library's own Python (preparing the request, cookies, hooks, urllib3)
        added about 2 ms per request on this machine, a client's cost the server cannot change and
        a third of a small summary's time."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            start = time.perf_counter()
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.HTTPException, ConnectionError):  # the server closed an idle connection
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}: {body[:300]!r}")
            return elapsed

    def time_first_byte(self, path: str) -> float:
        """Milliseconds until the first byte of the answer's body arrives (on a connection of its
        own, closed then: a streamed answer is not read to its end)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            start = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}")
            response.read(1)
            return (time.perf_counter() - start) * 1000
        finally:
            connection.close()

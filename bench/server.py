"""A gunicorn serving the product on 127.0.0.1 for the bench, stopped on leaving."""

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
        self.session = requests.Session()

    def __enter__(self):
        command = [
            str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--timeout", "300", "--log-level", "warning",
            "--keep-alive", "5",  # as `make serve`
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
        self.process.terminate()
        self.process.wait(timeout=30)

    def time_get(self, path: str) -> float:
        """Milliseconds for the whole answer; a non-200 stops the bench (a failing workload is no figure)."""
        start = time.perf_counter()
        response = self.session.get(self.base + path, timeout=600)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
        return elapsed

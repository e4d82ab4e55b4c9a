"""A real gunicorn (3 workers, DEBUG=0) on a port of 19900-19999, bounded in time, always stopped."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(19900, 20000)
START_TIMEOUT = 90
REDIS_URL = os.environ.get("TEST_CACHE_URL", "redis://127.0.0.1:6379/9")


def listening_socket() -> socket.socket:
    """A socket bound to a free port of 19900-19999, handed to gunicorn (`fd://`): two test runs
    in parallel (CI runs PostgreSQL and SQLite at once) can never take the same port, where a
    probed-then-freed port let one run's gunicorn fail to bind while its test talked to the other's."""
    for port in PORTS:
        listener = socket.socket()
        try:
            listener.bind(("127.0.0.1", port))
        except OSError:
            listener.close()
            continue
        listener.listen(128)
        return listener
    raise RuntimeError("no free port in 19900-19999")


def production_env(**overrides: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(DEBUG="0", SECRET_KEY="test-only-" + "x" * 50, ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="ERROR")
    env.update(ANSWER_FILES_DIR="")  # no answer files in the checkout's media/
    env.update(overrides)
    return env


def migrated_sqlite(folder: Path) -> str:
    url = f"sqlite:///{folder / 'served.sqlite3'}"
    manage = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(manage, cwd=ROOT, env=production_env(DATABASE_URL=url), check=True, timeout=300)
    return url


def get(url: str, headers: dict | None = None, timeout: float = 120) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def gunicorn(workers: int = 3, **env: str):
    listener = listening_socket()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers),
        "--bind", f"fd://{listener.fileno()}", "--timeout", "120", "--graceful-timeout", "5", "--preload",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=production_env(**env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        pass_fds=[listener.fileno()],
    )  # fmt: skip
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
            try:  # the socket accepts before gunicorn serves: wait for an answer (a 404, not throttled)
                get(f"{base}/__ready__", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start in time") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()
        listener.close()

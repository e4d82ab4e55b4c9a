"""Settings come from the environment; a bad or unsafe one stops start-up with its name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "PORT")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "0"}, "DEBUG=0 needs SECRET_KEY and ALLOWED_HOSTS"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "DEBUG=0 needs ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"PORT": "eighty"}, "PORT='eighty' is not a whole number"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must be a sqlite:// or postgres:// URL"),
        (
            {"DATABASE_REPLICA_URLS": "sqlite:///r.db"},
            "DATABASE_REPLICA_URLS: 'sqlite:///r.db' is not a postgres:// URL",
        ),
        ({"CACHE_MAX_AGE": "a minute"}, "CACHE_MAX_AGE='a minute' is not a whole number"),
    ],
)
def test_it_refuses_to_start_with_a_bad_setting(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_key_and_hosts():
    result = start(DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="ledger.example.org")
    assert result.returncode == 0, result.stderr

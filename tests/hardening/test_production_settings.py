"""HTTPS=1 turns on HSTS, the SSL redirect and secure cookies; a CSP on every page; check --deploy is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "ledger.example.org",
}


# The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright in this process; a
# deployment never has it, and check --deploy rightly refuses it (async.E001).
NOT_FROM_THE_TEST_RUN = ("DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_FROM_THE_TEST_RUN}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_check_deploy_prints_no_warning_with_https():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout and "System check identified no issues" in result.stdout


def test_without_https_check_deploy_names_what_is_missing():
    result = manage("check", "--deploy", **{**PRODUCTION, "HTTPS": "0"})
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_https_settings_and_the_proxy_header_only_with_a_trusted_proxy():
    script = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    alone = manage("shell", "--no-imports", "-c", script, **PRODUCTION)
    proxied = manage("shell", "--no-imports", "-c", script, TRUSTED_PROXIES="1", **PRODUCTION)
    assert alone.stdout.split() == ["31536000", "True", "True", "True", "True", "None"], alone.stderr
    assert proxied.stdout.strip().endswith("('HTTP_X_FORWARDED_PROTO', 'https')")


@pytest.mark.parametrize("url", ["/", "/nl/", "/donor/NL/", "/api/v1/docs/", "/admin/login/", "/api/v1/pledges/"])
def test_every_page_has_a_self_only_script_policy_and_may_not_be_framed(client, url):
    policy = client.get(url, follow=True)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_only_embeds_may_be_framed(client):
    policy = client.get("/embed/donors/")["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "script-src 'self'" in policy

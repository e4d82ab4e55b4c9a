"""A database that cannot be reached is a 503 with Retry-After, never a 500.

The connection really fails: PostgreSQL is dialled on a port nobody listens on, SQLite opens
a file in a folder that does not exist.
"""

import socket

import pytest
from django.db import connections


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once the socket closes: nothing listens there


@pytest.fixture
def database_down(tmp_path):
    working = connections["default"]
    broken = connections.create_connection("default")
    if working.vendor == "postgresql":
        broken.settings_dict = {**working.settings_dict, "HOST": "127.0.0.1", "PORT": closed_port()}
    else:
        broken.settings_dict = {**working.settings_dict, "NAME": str(tmp_path / "missing" / "db.sqlite3")}
    connections["default"] = broken
    yield
    connections["default"] = working
    broken.close()


@pytest.mark.parametrize("url", ["/api/v1/pledges/", "/api/v1/summary/", "/api/v1/pledges/NL-P1/"])
def test_the_api_answers_503_json_with_retry_after(client, database_down, url):
    response = client.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 503 and "database" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/", "/donor/NL/", "/nl/", "/programme/PURL/"])
def test_pages_answer_a_plain_503_with_retry_after(client, database_down, url):
    response = client.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")


def test_a_signed_in_editor_gets_a_503_too(admin_client, database_down):
    assert admin_client.get("/admin/aid/pledge/").status_code == 503

"""Input no view can use is a 400 or 404, never a 500: JSON under /api/, a plain page elsewhere."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.builders import record

# The ten URLs of issue 9 that answered a 500 on PostgreSQL ("text fields cannot contain NUL"), and more.
NUL_PATHS = [
    "/api/v1/pledges/%00/",
    "/api/v1/deliveries/%00/",
    "/api/v1/donors/%00/",
    "/api/v1/programmes/%00/",
    "/donor/%00/",
    "/nl/donor/%00/",
    "/programme/%00/",
    "/nl/programme/%00/",
    "/embed/need/%00/",
    "/embed/donors/%00/",
    "/data/packages/%00.csv",
    "/data/donor/%00.csv",
    "/api/v1/pledges/NL%00P1/",
    "/api/v1/%00/",
    "/admin/%00/",
    "/static/%00.js",
]


@pytest.fixture
def pledge():
    return record(ref="NL-P1", donor="NL", date="2025-08-04", amount="5")


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_byte_in_the_path_is_a_404(client, pledge, path):
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json()["status"] == 404


@pytest.mark.parametrize(
    "url, param",
    [
        ("/api/v1/pledges/?donor=%00", "donor"),
        ("/api/v1/summary/?currency=EU%00R", "currency"),
        ("/api/v1/deliveries/?ordering=%00", "ordering"),
        ("/api/v1/pledges/?x%00y=1", "x\\x00y"),
    ],
)
def test_a_nul_byte_in_an_api_parameter_is_a_json_400_naming_it(client, pledge, url, param):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["param"] == param


@pytest.mark.parametrize("url", ["/?donor=%00", "/donor/NL/?currency=%00", "/admin/aid/pledge/?q=%00"])
def test_a_nul_byte_in_a_page_parameter_is_a_400(admin_client, pledge, url):
    assert admin_client.get(url).status_code == 400


def test_a_nul_byte_in_the_session_cookie_is_not_a_500(client, pledge):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/admin/").status_code in (302, 400)


@pytest.mark.parametrize("path", ["/api/v1/pledges/%ff%fe/", "/donor/%C0%AF/", "/api/v1/pledges/?donor=%ff"])
def test_undecodable_bytes_are_not_a_server_error(client, pledge, path):
    assert client.get(path).status_code in (400, 404)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/releases/x/a%0Ab%0Dc%C2%85d.zip", "/api/v1/no%0Asuch/", "/api/v1/pledges/NL%0AP1/", "/api/v1/%E2%80%A8"],
)
def test_line_breaks_in_an_api_path_are_a_json_404(client, pledge, path):
    # Found by schemathesis: '.' in a URL pattern stops at a line break, so such a path fell past
    # the API's catch-all to Django's HTML 404.
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 404


def concrete_paths(resolver=None, prefix=""):
    """One URL per route, parameters filled with plain values."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from concrete_paths(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route.replace("<str:code>", "NL").replace("<slug:chart>", "donor").replace(
                "<str:subject>", "NL"
            ).replace("<path:object_id>", "1")


def test_options_answers_on_every_url(admin_client, pledge):
    paths = {path for path in concrete_paths() if "<" not in path and "(?P" not in path and "\\" not in path}
    assert "/api/v1/docs/" in paths and "/donor/NL/" in paths
    failing = {path: admin_client.options(path).status_code for path in paths}
    assert {path: status for path, status in failing.items() if status >= 500} == {}

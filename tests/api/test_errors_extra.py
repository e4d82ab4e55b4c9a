"""Paths under /api/v1/ that name no endpoint still answer in JSON."""


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/pledgez/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "param": None,
        "detail": "no API endpoint at /api/v1/pledgez/: see /api/v1/docs/",
    }


def test_the_api_root_lists_its_endpoints(client):
    body = client.get("/api/v1/").json()
    assert body["summary"] == "http://testserver/api/v1/summary/"
    assert body["pledges"] == "http://testserver/api/v1/pledges/"


def test_a_missing_trailing_slash_is_redirected(client):
    response = client.get("/api/v1/pledges?donor=NL")
    assert (response.status_code, response["Location"]) == (301, "/api/v1/pledges/?donor=NL")

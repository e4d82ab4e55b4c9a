"""HTTP behaviour: conditional GET, throttling, read-only access, CORS, schema and docs."""

import re

from django.contrib.auth.models import User

from tests.builders import record


def test_a_conditional_get_is_answered_304_until_the_ledger_changes(api, ledger):
    first = api.get("/api/v1/summary/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert api.get("/api/v1/summary/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get("/api/v1/summary/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    record(ref="NL-P9", donor="NL", date="2025-08-09", amount="1")
    again = api.get("/api/v1/summary/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_each_url_and_format_has_its_own_etag(api, ledger):
    tags = {
        api.get(url)["ETag"] for url in ("/api/v1/pledges/", "/api/v1/pledges/?donor=NL", "/api/v1/pledges/?format=csv")
    }
    assert len(tags) == 3


def test_a_304_carries_the_validators(api, ledger):
    etag = api.get("/api/v1/pledges/NL-P1/")["ETag"]
    response = api.get("/api/v1/pledges/NL-P1/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["ETag"] == etag and response.content == b""


def test_anonymous_requests_are_throttled_with_retry_after(api, ledger, settings):
    settings.API_ANON_THROTTLE = "2/minute"
    # Three different questions: a repeated one is answered from the shared cache, uncounted.
    assert [api.get(url).status_code for url in ("/api/v1/donors/", "/api/v1/programmes/")] == [200, 200]
    refused = api.get("/api/v1/pledges/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["status"] == 429


def test_an_answer_from_the_shared_cache_is_not_counted_by_the_throttle(api, ledger, settings):
    settings.API_ANON_THROTTLE = "2/minute"
    assert [api.get("/api/v1/donors/").status_code for _ in range(5)] == [200] * 5


def test_anonymous_users_cannot_write(api, ledger):
    assert api.post("/api/v1/pledges/", {"ref": "X"}).status_code == 403
    assert api.put("/api/v1/pledges/NL-P1/", {"ref": "X"}).status_code == 403
    assert api.delete("/api/v1/pledges/NL-P1/").status_code == 403
    assert api.post("/api/v1/summary/").status_code == 403


def test_nobody_writes_through_these_endpoints(api, ledger):
    api.force_authenticate(User.objects.create_superuser("admin", "admin@example.org", "x"))
    assert api.post("/api/v1/pledges/", {"ref": "X"}).status_code == 405
    assert api.delete("/api/v1/pledges/NL-P1/").status_code == 405
    assert api.get("/api/v1/pledges/NL-P1/").status_code == 200


def test_any_origin_may_read(api, ledger):
    response = api.get("/api/v1/donors/", HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_schema_is_openapi_3(api):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    summary = schema["paths"]["/api/v1/summary/"]["get"]
    assert {"group_by", "currency", "rates", "donor", "date_from", "format"} <= {
        p["name"] for p in summary["parameters"]
    }
    assert {"200", "400", "429"} <= set(summary["responses"])


def test_the_docs_use_only_the_sites_own_assets(api):
    page = api.get("/api/v1/docs/").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r'https?://[^\s"\'<>]+', page)
    assert any(url.startswith("/static/drf_spectacular_sidecar/") for url in urls)
    assert [u for u in urls if not u.startswith("/")] == []

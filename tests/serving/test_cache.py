"""Public pages and API reads come from the shared cache until the ledger changes; editors bypass it."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpResponse

from aid.serving import conditional
from tests.builders import record

PAGE = "/donor/NL/"
API = "/api/v1/pledges/?donor=NL"


def cached_keys() -> list:
    """The answers held (the test cache is Django's memory cache; the throttle's counts are left out)."""
    return [key for key in cache._cache if "response:" in key]


@pytest.mark.parametrize("url", [PAGE, API])
def test_a_repeated_read_is_answered_from_the_cache_without_the_view(ledger, client, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(1):  # the ledger version, nothing else
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content


@pytest.mark.parametrize(("url", "ref"), [(PAGE, "NL-NEW-1"), (API, "NL-NEW-1")])
def test_an_edit_is_visible_at_once(ledger, client, url, ref):
    assert ref not in client.get(url).content.decode()
    record(ref=ref, donor="NL", date="2025-08-05", amount="250")
    assert ref in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/", PAGE, "/nl/donor/NL/", API])
def test_a_page_carries_validators_and_answers_304(ledger, client, url):
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_after_an_edit_the_old_etag_gets_the_new_page(ledger, client):
    etag = client.get(PAGE)["ETag"]
    record(ref="NL-NEW-2", donor="NL", date="2025-08-05", amount="250")
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_new_code_is_a_new_answer_though_the_ledger_did_not_change(ledger, client, monkeypatch):
    etag = client.get(PAGE)["ETag"]
    monkeypatch.setattr(conditional, "code_version", lambda: "deployed since")
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_public_answers_may_be_kept_by_proxies_for_the_configured_time(ledger, client, settings):
    settings.CACHE_MAX_AGE, settings.CACHE_STALE_WHILE_REVALIDATE = 30, 120
    control = {part.strip() for part in client.get(PAGE)["Cache-Control"].split(",")}
    assert control == {"public", "max-age=30", "stale-while-revalidate=120"}


def test_each_language_has_its_own_answer_decided_by_the_url(ledger, client):
    english = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl")
    dutch = client.get("/nl" + PAGE)
    assert english["Content-Language"] == "en" and dutch["Content-Language"] == "nl"
    assert english["ETag"] != dutch["ETag"]
    assert "Cookie" in english["Vary"]  # an editor's session gets another answer


def test_an_editor_bypasses_the_cache(ledger, client):
    etag = client.get(PAGE)["ETag"]
    cache.set("response:" + etag.strip('"'), HttpResponse("what the cache holds"))
    assert client.get(PAGE).content == b"what the cache holds"  # a reader is answered from it
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "x"))
    response = client.get(PAGE)
    assert response.status_code == 200 and b"NL-P1" in response.content
    assert "private" in response["Cache-Control"] and not response.has_header("ETag")


@pytest.mark.parametrize("url", ["/donor/NL/?currency=XYZ", "/donor/XX/", "/api/v1/pledges/?currency=XYZ"])
def test_errors_are_not_cached(ledger, client, url):
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert "no-store" in response["Cache-Control"] and cached_keys() == []


def test_a_lost_cache_slows_the_site_but_does_not_break_it(ledger, client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", unavailable)
    monkeypatch.setattr(cache, "set", unavailable)
    assert client.get(PAGE).status_code == 200


def test_with_the_response_cache_off_every_answer_is_computed_and_still_carries_validators(ledger, client, settings):
    settings.RESPONSE_CACHE = False
    held = cached_keys()
    first = client.get(API)
    again = client.get(API)
    assert cached_keys() == held  # nothing stored
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert client.get(API, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

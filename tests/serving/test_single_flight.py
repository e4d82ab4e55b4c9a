"""After a write, one request computes each answer and the others asking for it at once wait for it."""

import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from aid.serving import conditional, single_flight
from aid.serving.cache import PREFIX, SharedCacheMiddleware

ETAG = '"a-new-version"'


@pytest.fixture(autouse=True)
def one_version(monkeypatch):
    """Every request reads the same new ledger version (no database in the readers' threads)."""
    monkeypatch.setattr(conditional, "validators", lambda request: (ETAG, None))
    monkeypatch.setattr(conditional, "ledger_version", lambda request: 7)


class CountedView:
    """A page that takes `seconds` to compute; `fail_first`: the first computation raises."""

    def __init__(self, seconds: float = 0.3, *, stream: bool = False, fail_first: bool = False):
        self.seconds, self.stream, self.fail_first = seconds, stream, fail_first
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.calls += 1
            failing = self.fail_first and self.calls == 1
        time.sleep(self.seconds)
        if failing:
            raise RuntimeError("the computation failed")
        if self.stream:
            return StreamingHttpResponse(iter([b"streamed"]))
        return HttpResponse(b"the page")


def read_at_once(view, readers: int = 6) -> list:
    """`readers` requests for one page, started together; each request's answer or exception."""
    middleware = SharedCacheMiddleware(view)
    answers = [None] * readers

    def read(n):
        request = RequestFactory().get("/donor/NL/")
        request.user = AnonymousUser()
        try:
            answers[n] = middleware(request)
        except Exception as error:  # noqa: BLE001 (the failing computation's own exception)
            answers[n] = error

    threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
        time.sleep(0.01)  # the first takes the lock before the others ask
    for thread in threads:
        thread.join(30)
    return answers


def test_readers_of_a_new_version_get_one_computation():
    view = CountedView()
    answers = read_at_once(view)
    assert view.calls == 1
    assert [answer.status_code for answer in answers] == [200] * 6
    assert {answer.content for answer in answers} == {b"the page"}
    assert cache.get(single_flight.LOCK_PREFIX + PREFIX + ETAG.strip('"')) is None, "the lock is released"


def test_when_the_computation_fails_the_waiting_readers_compute_it():
    view = CountedView(fail_first=True)
    answers = read_at_once(view)
    assert isinstance(answers[0], RuntimeError)
    assert [answer.status_code for answer in answers[1:]] == [200] * 5
    assert view.calls >= 2


def test_an_answer_that_is_not_stored_is_computed_by_each_reader():
    view = CountedView(stream=True)
    answers = read_at_once(view)
    assert view.calls == 6
    assert {b"".join(answer.streaming_content) for answer in answers} == {b"streamed"}


def test_a_lock_left_by_a_dead_worker_is_waited_out(monkeypatch):
    monkeypatch.setattr(single_flight, "WAIT_SECONDS", 0.3)
    cache.add(single_flight.LOCK_PREFIX + PREFIX + ETAG.strip('"'), 1, 60)
    view = CountedView(seconds=0)
    started = time.monotonic()
    (answer,) = read_at_once(view, readers=1)
    assert answer.status_code == 200 and view.calls == 1
    assert time.monotonic() - started >= 0.3


def test_with_the_cache_switched_off_every_reader_computes(settings):
    settings.RESPONSE_CACHE = False
    view = CountedView(seconds=0.1)
    assert all(answer.status_code == 200 for answer in read_at_once(view, readers=3))
    assert view.calls == 3

"""The served application moves what the process keeps out of the garbage
collector's way after its first requests (config/wsgi.py, issue 15)."""

from __future__ import annotations

import gc

import pytest

from config.wsgi import FreezeLongLived, application


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_gunicorn_serves_the_django_application_behind_the_freeze():
    assert isinstance(application, FreezeLongLived)
    assert application.after == {1, 10, 100}


def test_what_is_alive_after_the_first_requests_is_frozen_and_later_garbage_is_not(unfrozen):
    answered = []

    def app(environ, start_response):
        answered.append(environ["n"])
        return [b"ok"]

    served = FreezeLongLived(app, after={1, 3})
    kept = [object() for _ in range(10)]  # what a process keeps: alive at the freeze
    assert served({"n": 1}, None) == [b"ok"]
    first = gc.get_freeze_count()
    assert first >= len(kept)
    served({"n": 2}, None)
    assert gc.get_freeze_count() == first  # not after every request
    served({"n": 3}, None)
    assert gc.get_freeze_count() >= first
    served({"n": 4}, None)
    assert answered == [1, 2, 3, 4]


def test_a_request_that_fails_still_counts(unfrozen):
    def app(environ, start_response):
        raise RuntimeError("boom")

    served = FreezeLongLived(app, after={1})
    with pytest.raises(RuntimeError):
        served({}, None)
    assert served.served == 1 and gc.get_freeze_count() > 0

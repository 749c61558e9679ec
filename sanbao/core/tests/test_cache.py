"""The default cache, where rate limits count (issue 13 item 4): one store shared
by every worker and server and kept over a restart (the database's table by
default), whose ``incr`` loses no count when workers count at once."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import _caches, _expire_info, _locks
from django.db import connection, connections

import config.settings as production

KEY = "sanbao:test-shared-count"


def a_worker():
    """The default cache as another worker process opens it: a new connection
    made from the same settings."""
    return caches.create_connection("default")


def restart_every_worker():
    """What a restart does to anything a process kept in memory."""
    _caches.clear()
    _expire_info.clear()
    _locks.clear()


def stored_expiry():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM sanbao_cache WHERE cache_key = %s",
            [a_worker().make_key(KEY)],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def fresh(db):
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_the_default_cache_is_the_shared_database_cache_unless_told_otherwise():
    backend = production.CACHES["default"]["BACKEND"]
    assert backend == "sanbao.core.cache.DatabaseCache"
    assert settings.CACHES["default"]["BACKEND"] == backend
    assert "locmem" not in backend


def test_two_workers_count_in_one_place(fresh):
    first, second = a_worker(), a_worker()
    first.add(KEY, 0, timeout=3600)
    assert first.incr(KEY) == 1
    assert second.incr(KEY) == 2
    assert first.get(KEY) == 2


def test_a_restart_does_not_reset_a_count(fresh):
    worker = a_worker()
    worker.add(KEY, 0, timeout=3600)
    for _ in range(3):
        worker.incr(KEY)
    restart_every_worker()
    assert a_worker().get(KEY) == 3
    assert a_worker().incr(KEY) == 4


def test_incr_keeps_the_entrys_expiry_and_refuses_a_missing_or_expired_key(fresh):
    worker = a_worker()
    with pytest.raises(ValueError):
        worker.incr("sanbao:test-never-set")
    worker.set("sanbao:test-expired", 5, timeout=-1)
    with pytest.raises(ValueError):
        worker.incr("sanbao:test-expired")
    worker.add(KEY, 0, timeout=3600)
    before = stored_expiry()
    worker.incr(KEY, 5)
    assert worker.get(KEY) == 5
    assert stored_expiry() == before


@pytest.mark.django_db(transaction=True)
def test_workers_counting_at_once_lose_no_count():
    caches["default"].clear()
    caches["default"].add(KEY, 0, timeout=3600)
    threads_n, each = 6, 15
    start = threading.Barrier(threads_n)
    escaped: list[BaseException] = []

    def count():
        try:
            worker = a_worker()
            start.wait(timeout=30)
            for _ in range(each):
                worker.incr(KEY)
        except BaseException as exc:  # asserted below
            escaped.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert escaped == []
    assert caches["default"].get(KEY) == threads_n * each
    caches["default"].clear()


def _database_url(settings_dict) -> str:
    """The URL of the database this test runs on, for another process."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{user}{password}@{settings_dict['HOST']}{port}/{settings_dict['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_another_process_counts_on_the_same_count():
    import os
    import subprocess
    import sys
    from pathlib import Path

    caches["default"].clear()
    caches["default"].add(KEY, 0, timeout=3600)
    assert caches["default"].incr(KEY) == 1
    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": _database_url(connection.settings_dict),
    }
    script = (
        "import django; django.setup(); from django.core.cache import cache; "
        f"print(cache.incr({KEY!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "2"
    assert caches["default"].incr(KEY) == 3
    caches["default"].clear()

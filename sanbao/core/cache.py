"""The default cache: Django's database cache with an atomic ``incr``.

Rate limits count in the default cache (``cache.add`` then ``cache.incr``), so
every worker and server must share it and a restart must not empty it; the
database is shared already, which is why it is the default (docs/decisions.md).
Django's ``DatabaseCache.incr`` reads the value and writes it back in two
statements, so two workers counting at once can both write the same number and
lose one look-up. Here the row is locked first, with an ``UPDATE`` that changes
nothing (a row lock on PostgreSQL, the write lock on SQLite), then read and
written inside that one transaction; its expiry stays as it was.
"""

from __future__ import annotations

import base64
import hashlib
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router, transaction
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        stored_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        q = connection.ops.quote_name
        table, value_col, expires_col, key_col = (
            q(self._table),
            q("value"),
            q("expires"),
            q("cache_key"),
        )
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {expires_col} = {expires_col} WHERE {key_col} = %s",
                [stored_key],
            )
            if cursor.rowcount == 0:
                raise ValueError(f"Key '{key}' not found")
            cursor.execute(
                f"SELECT {value_col}, {expires_col} FROM {table} WHERE {key_col} = %s",
                [stored_key],
            )
            stored, expires = cursor.fetchone()
            expression = models.Expression(output_field=models.DateTimeField())
            converters = connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection)
            for converter in converters:
                expires = converter(expires, expression, connection)
            if expires < timezone.now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(stored).encode()))
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode(
                "latin1"
            )
            cursor.execute(
                f"UPDATE {table} SET {value_col} = %s WHERE {key_col} = %s",
                [encoded, stored_key],
            )
        return new_value


def cached_count(queryset, seconds: int) -> int:
    """``queryset.count()``, kept in the default cache for ``seconds`` (0: counted
    every time). The key is the query's SQL and parameters (and the database it
    runs on), so two users who see the same rows share one count and users who
    see different ones never do. For figures where a count a few minutes old is
    as good as a fresh one (a million registered units) and counting them on
    every page would not be (issue 15)."""
    if seconds <= 0:
        return queryset.count()
    from django.core.cache import cache

    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # the actor sees none of them (``.none()``)
        return 0
    digest = hashlib.sha256(f"{queryset.db}\n{sql}\n{params!r}".encode()).hexdigest()
    key = f"sanbao:count:{digest}"
    found = cache.get(key)
    if found is None:
        found = queryset.count()
        cache.set(key, found, seconds)
    return found


def bounded_count(queryset) -> int:
    """How many rows ``queryset`` has: exactly, with a count that stops past
    ``SANBAO_LIST_EXACT_COUNT`` rows, on every call; a longer one's total from
    :func:`cached_count`, counted again at most every
    ``SANBAO_LIST_COUNT_CACHE_SECONDS`` (docs/decisions.md, issue 15). A list's
    pages and a home page's work counts: every queue a person acts on is short
    and always exact; past ten thousand, a total a minute old is as good."""
    from django.conf import settings

    limit = settings.SANBAO_LIST_EXACT_COUNT
    counted = queryset.order_by()[: limit + 1].count()
    if counted <= limit:
        return counted
    return cached_count(queryset, settings.SANBAO_LIST_COUNT_CACHE_SECONDS)

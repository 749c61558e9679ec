"""The documented switch to a broker (docs/decisions.md): with
``SANBAO_TASKS_BACKEND=django_tasks_rq.RQBackend`` e-mail goes through RQ on Redis,
handed over only once the transaction commits, and an RQ worker sends it. Run in
a separate process on its own SQLite file, as a deployment would start it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("SANBAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

SCRIPT = """
import json
import django
django.setup()
import django_rq
from django.core import mail
from django.db import transaction
from rq import SimpleWorker
from django_tasks_rq import Job
from sanbao.accounts.models import User
from sanbao.notifications import services
from sanbao.notifications.models import Message

queue = django_rq.get_queue("default")
queue.empty()
user = User.objects.create_user("rq-test", email="staff@sanbao.test", password="x" * 20)
with transaction.atomic():
    message = services.message_send(recipient=user, key="rq", subject="Due", body="R-1")
    queued_in_transaction = queue.count
queued_after_commit = queue.count
SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
message.refresh_from_db()
print(json.dumps({
    "in_transaction": queued_in_transaction,
    "after_commit": queued_after_commit,
    "status": message.status,
    "left": queue.count,
}))
"""


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {REDIS}")
def test_with_rq_an_e_mail_is_handed_to_redis_after_the_commit_and_sent_by_its_worker(tmp_path):
    pytest.importorskip("django_tasks_rq")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SANBAO_DEBUG": "1",
        "SANBAO_VAR_DIR": str(tmp_path),
        "SANBAO_MEDIA_ROOT": str(tmp_path / "media"),
        "SANBAO_TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "SANBAO_RQ_URL": REDIS,
        "SANBAO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    env["RQ_TEST_KEY"] = uuid.uuid4().hex
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
    assert migrated.returncode == 0, migrated.stderr
    done = subprocess.run([sys.executable, "-c", SCRIPT], **run)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"in_transaction": 0, "after_commit": 1, "status": "sent", "left": 0}

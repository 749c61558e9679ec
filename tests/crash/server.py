"""The crash test's machinery: a scratch PostgreSQL database, the real server
(gunicorn) in its own process group, and a plain HTTP client.

Nothing here waits a fixed time for something to happen: the server is ready
when its login page answers 200, and a killed server is gone when ``wait``
returns.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = 30


def postgres_url() -> str | None:
    """``DATABASE_URL`` when it names a PostgreSQL server, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"} else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg

    # The server's maintenance database: the one DATABASE_URL names may not exist
    # (pytest-django creates test_<name> beside it, never <name> itself).
    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A fresh, empty database on the server of ``url``, named after that URL's
    database with a random suffix (so neither pytest-django's ``test_<name>``
    databases nor a parallel run can clash with it), dropped afterwards whatever
    happened, even if a server still holds connections to it."""
    base = urlsplit(url).path.lstrip("/") or "sanbao"
    name = f"{base}_crash_{secrets.token_hex(4)}"
    with _admin_connection(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(url, name)
    finally:
        with _admin_connection(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """The production-like settings (``config.settings``, DEBUG off) on ``database_url``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SANBAO_", "DJANGO_", "PYTEST_"))
    }
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        SANBAO_DEBUG="0",
        SANBAO_SECRET_KEY=secrets.token_urlsafe(50),
        SANBAO_ALLOWED_HOSTS="127.0.0.1",
        SANBAO_SECURE_COOKIES="0",
        SANBAO_VAR_DIR=str(var_dir),
        SANBAO_MEDIA_ROOT=str(var_dir / "media"),
        SANBAO_LOG_LEVEL="WARNING",
    )
    return env


def run(env: dict[str, str], *args: str) -> str:
    """Run ``python *args`` in the checkout; its standard output (raises on failure)."""
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def migrate(env: dict[str, str]) -> None:
    run(env, "manage.py", "migrate", "--no-input", "--verbosity=0")
    run(env, "manage.py", "createcachetable")


def seed(env: dict[str, str], *, clients: int, labels: int, serials: int) -> dict:
    out = run(env, "tests/crash/seed.py", str(clients), str(labels), str(serials))
    return json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))


def _port_range() -> range:
    """``SANBAO_CRASH_TEST_PORTS=low-high`` confines the server to those ports (a shared
    machine); otherwise the system picks a free one."""
    spec = os.environ.get("SANBAO_CRASH_TEST_PORTS", "")
    if not spec:
        return range(0, 1)
    low, high = (int(part) for part in spec.split("-"))
    return range(low, high + 1)


def free_port() -> int:
    for port in _port_range():
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise AssertionError("no free port for the server")


class Server:
    """gunicorn serving ``config.wsgi`` with two sync workers, the application
    loaded once before the workers fork (``--preload``), in a process group of its
    own so that one signal reaches the master and every worker."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--preload",
                    "--workers=2",
                    "--worker-class=sync",
                    f"--bind=127.0.0.1:{self.port}",
                    "--no-control-socket",
                    "--timeout=60",
                ],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.log.read_text()[-3000:]}")
            try:
                status, _body, _headers = request(self.port, "GET", "/accounts/login/", timeout=2)
            except OSError:
                time.sleep(0.05)  # polling the port, not waiting for an event
                continue
            if status == 200:
                return
            raise AssertionError(f"the login page answered {status}")
        raise AssertionError(f"the server was not ready in {READY_SECONDS} s")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no cleanup runs."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """A graceful stop (SIGTERM to the group), a kill if it does not end."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Answer:
    status: int
    body: dict
    replayed: bool


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: dict | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 20,
) -> tuple[int, bytes, dict[str, str]]:
    """One HTTP request on a fresh connection; OSError when the server is gone."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json"} if data is not None else {}
        connection.request(method, path, body=data, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    except http.client.HTTPException as exc:  # a half-read answer: the server died
        raise ConnectionError(str(exc)) from exc
    finally:
        connection.close()


def api(port: int, token: str, method: str, path: str, body=None, key: str = "") -> Answer:
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    status, raw, answer_headers = request(port, method, path, body=body, headers=headers)
    try:
        parsed = json.loads(raw) if raw else {}
    except ValueError:
        parsed = {"raw": raw[:500].decode(errors="replace")}
    replayed = any(
        name.lower() == "idempotency-replayed" and value == "true"
        for name, value in answer_headers.items()
    )
    return Answer(status, parsed, replayed)

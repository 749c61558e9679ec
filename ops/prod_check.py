#!/usr/bin/env python3
"""The production check (issue 13 item 8, `make prod-check`): Sanbao as docs/deploy.md
sets it up, on this machine, and a journey through it.

It starts, each its own and on loopback only: a fresh PostgreSQL database on the
server DATABASE_URL names (a random name, dropped at the end), a Redis server (no
persistence) for the cache, an S3 server (moto) with a bucket for the uploads, TWO
gunicorn app servers (two workers each, config.settings_production), ONE
`manage.py db_worker`, and nginx with TLS (a self-signed certificate made now) in
front, its site rendered from ops/nginx/sanbao.conf.template. Then it checks, one
PASS/FAIL line each: HTTPS redirects and HSTS, static files, a session and an API
retry shared by both app servers, per-client limits (status page, login lockout)
through nginx, an upload stored in the bucket, the e-mail worker, and a backup
restored into a new database. Exit status 1 on any FAIL, 2 when it cannot start.
Every process (killed by process group) and database is removed whatever happens.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python ops/prod_check.py

Environment: SANBAO_PRODCHECK_PORTS=FIRST-LAST takes ports from that range (default:
any free port); SANBAO_PRODCHECK_DB_PREFIX names the databases (default
sanbao_prodcheck)."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import getpass
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ops.nginx_conf import render, self_signed_certificate, site_values  # noqa: E402

NGINX = os.environ.get("SANBAO_PRODCHECK_NGINX", "/usr/sbin/nginx")
PYTHON = sys.executable
DEMO_PASSWORD = "sanbao-demo-2026"  # sanbao.demo.people, the demo's logins
STATUS_LIMIT = 4  # SANBAO_STATUS_LOOKUPS_PER_HOUR for the check
LOGIN_FAILURES = 3  # SANBAO_LOGIN_FAILURES_ALLOWED for the check
BUCKET = "sanbao-prodcheck"
RESTORED_BUCKET = "sanbao-prodcheck-restored"


class CannotStart(Exception):
    """Something the check needs is missing: exit 2, no journey."""


class CheckFailed(Exception):
    pass


def expect(condition, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --- Processes, ports, databases, and their clean-up -----------------------------------


class Stack:
    """Everything started, so that clean-up finds it (try/finally and atexit)."""

    def __init__(self, admin_url: str, db_prefix: str, port_range: tuple[int, int] | None):
        self.admin_url = admin_url
        self.db_prefix = db_prefix
        self.port_range = port_range
        self.used_ports: set[int] = set()
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.databases: list[str] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="sanbao-prodcheck-"))
        self.cleaned = False

    # ports
    def free_port(self) -> int:
        candidates = range(*self.port_range) if self.port_range else [0] * 20
        for candidate in candidates:
            if candidate in self.used_ports:
                continue
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", candidate))
                except OSError:
                    continue
                port = sock.getsockname()[1]
            if port not in self.used_ports:
                self.used_ports.add(port)
                return port
        raise CannotStart("no free port")

    # processes
    def start(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its children
        )
        log.close()
        self.processes.append((name, process))
        return process

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = self.tmp / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def wait_for_port(self, name: str, process: subprocess.Popen, port: int, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise CannotStart(f"{name} exited ({process.returncode}):\n{self.log_tail(name)}")
            with socket.socket() as sock:
                sock.settimeout(0.5)
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.1)
        raise CannotStart(
            f"{name} is not listening on {port} after {timeout}s:\n{self.log_tail(name)}"
        )

    # databases
    def admin_connect(self):
        """A connection for CREATE and DROP DATABASE: to the database DATABASE_URL
        names, else (it need not exist) to the server's ``postgres`` database."""
        import psycopg

        try:
            return psycopg.connect(self.admin_url, autocommit=True)
        except psycopg.OperationalError:
            return psycopg.connect(self.url_for("postgres"), autocommit=True)

    def create_database(self, suffix: str = "") -> str:
        name = f"{self.db_prefix}_{secrets.token_hex(4)}{suffix}"
        with self.admin_connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return name

    def url_for(self, database: str) -> str:
        parts = urllib.parse.urlsplit(self.admin_url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + database))

    def cleanup(self) -> None:
        if self.cleaned:
            return
        self.cleaned = True
        # A second Ctrl-C or SIGTERM must not cut the clean-up short.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, process in reversed(self.processes):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # Whatever is left of the group (workers of a master that died).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if self.databases:
            try:
                with self.admin_connect() as conn:
                    for name in self.databases:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as exc:  # report, and go on removing files
                print(f"cleanup: could not drop {self.databases}: {exc}", file=sys.stderr)
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- HTTP clients ----------------------------------------------------------------------


class Browser:
    """One client: through nginx (HTTPS, from ``source`` when given, e.g. 127.0.0.2,
    so nginx sees another address) or straight to one app server, as nginx would
    send it (X-Forwarded-Proto https, X-Real-IP naming this client). The session's
    cookies are Secure, so straight requests carry them by hand."""

    def __init__(self, site: Site, *, source: str | None = None, real_ip: str = "198.51.100.1"):
        import requests
        from requests.adapters import HTTPAdapter

        self.site = site
        self.real_ip = real_ip
        # Two sessions: ``session`` keeps the cookies; ``direct`` talks to an app
        # server and is given them by hand. Neither reads proxies or CA bundles from
        # the environment (requests would let REQUESTS_CA_BUNDLE replace ``verify``).
        self.session, self.direct = requests.Session(), requests.Session()
        for session in (self.session, self.direct):
            session.trust_env = False
            if source:

                class Bound(HTTPAdapter):
                    def init_poolmanager(self, *args, **kwargs):
                        kwargs["source_address"] = (source, 0)
                        super().init_poolmanager(*args, **kwargs)

                session.mount("https://", Bound())
                session.mount("http://", Bound())

    def request(self, method: str, path: str, *, server: str | None = None, headers=None, **kw):
        headers = dict(headers or {})
        headers.setdefault("Referer", self.site.https + path)
        kw.setdefault("timeout", 30)
        kw.setdefault("allow_redirects", False)
        if server is None:
            url = self.site.https + path
            return self.session.request(
                method, url, headers=headers, verify=str(self.site.certificate), **kw
            )
        headers.setdefault("Host", self.site.host)
        headers.setdefault("X-Forwarded-Proto", "https")
        headers.setdefault("X-Real-IP", self.real_ip)
        jar = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        if jar:
            headers["Cookie"] = jar
        url = f"http://127.0.0.1:{self.site.app_ports[server]}{path}"
        response = self.direct.request(method, url, headers=headers, **kw)
        self.direct.cookies.clear()
        for cookie in response.cookies:
            self.session.cookies.set_cookie(cookie)
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def csrf(self) -> str:
        for cookie in self.session.cookies:
            if cookie.name == "csrftoken":
                return cookie.value
        raise CheckFailed("no csrftoken cookie")

    def form(self, path: str, data: dict, *, server=None, **kw):
        """GET the page (for its CSRF cookie) and POST the form to the same server."""
        self.get(path, server=server)
        return self.post(
            path, data={**data, "csrfmiddlewaretoken": self.csrf()}, server=server, **kw
        )

    def log_in(self, username: str, password: str = DEMO_PASSWORD, *, server=None):
        return self.form(
            "/accounts/login/", {"username": username, "password": password}, server=server
        )

    def new_token(self, name: str, *, server=None) -> str:
        response = self.form("/accounts/tokens/", {"name": name}, server=server)
        found = re.search(r'data-testid="new-token">([^<]+)<', response.text)
        expect(response.status_code == 200 and found, f"token page answered {response.status_code}")
        return found.group(1).strip()


class Site:
    def __init__(self, https_port: int, http_port: int, certificate: Path, app_ports: dict):
        self.host = f"127.0.0.1:{https_port}"
        self.https = f"https://{self.host}"
        self.http = f"http://127.0.0.1:{http_port}"
        self.certificate = certificate
        self.app_ports = app_ports


# --- The check -------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.failed: list[str] = []
        self.passed = 0

    def run(self, name: str, function, *args):
        started = time.monotonic()
        try:
            detail = function(*args)
        except Skip as skip:
            print(f"SKIP {name}: {skip}", flush=True)
            return None
        except Exception as exc:  # a failed check is reported, and the others still run
            self.failed.append(name)
            kind = "" if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: "
            print(f"FAIL {name}: {kind}{exc}", flush=True)
            return None
        self.passed += 1
        took = time.monotonic() - started
        print(f"PASS {name}" + (f" ({detail})" if detail else "") + f" [{took:.1f}s]", flush=True)
        return detail


class Skip(Exception):
    pass


def run_ops_script(name: str, folder: Path, env: dict) -> subprocess.CompletedProcess:
    """Run ``ops/<name> <folder>`` (the backup and restore scripts) as an operator
    would; a failure is the check's failure, with the end of what it printed."""
    done = subprocess.run(
        [str(ROOT / "ops" / name), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    expect(done.returncode == 0, f"{name}: {done.stderr[-500:]}")
    return done


def postgres_url(program: str) -> str | None:
    """``DATABASE_URL`` when it names a PostgreSQL server; else None, having told
    why on stderr (the caller exits 2)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    print(
        f"{program} needs DATABASE_URL pointing at PostgreSQL (postgres://user@host/db): "
        "it creates and drops its own scratch database on that server.",
        file=sys.stderr,
    )
    return None


def production_env(stack: Stack, database: str, *, leave_out: tuple[str, ...] = ()) -> dict:
    """The environment of a process run with the production profile on a scratch
    stack (prod-check, the benchmark): the caller's environment without its Sanbao,
    Django (and ``leave_out``) variables, a fresh secret key, the stack's database
    ``database`` and directories under its temporary folder; loopback traffic never
    through a proxy the machine has. Callers add their own settings."""
    tmp = stack.tmp
    prefixes = ("SANBAO_", "DJANGO_", *leave_out)
    base = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    base.pop("DATABASE_URL", None)
    return {
        **base,
        "PYTHONUNBUFFERED": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "SANBAO_DEBUG": "0",
        "SANBAO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": stack.url_for(database),
        "SANBAO_VAR_DIR": str(tmp / "var"),
        "SANBAO_MEDIA_ROOT": str(tmp / "media"),
        "SANBAO_STATIC_ROOT": str(tmp / "static"),
        # What printed warranty cards' QR codes hold (its deploy check refuses a local one).
        "SANBAO_PUBLIC_BASE_URL": "https://sanbao.example",
    }


def scratch_stack(url: str, env_prefix: str, default_db_prefix: str) -> Stack:
    """A ``Stack`` on the PostgreSQL server ``url`` names, its databases named from
    ``<env_prefix>_DB_PREFIX`` and its ports taken from ``<env_prefix>_PORTS``;
    cleaned up at exit, on SIGTERM and on SIGHUP (Ctrl-C raises already). Only
    loopback is ever asked for, so no proxy of the environment is used."""
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    stack = Stack(
        url,
        os.environ.get(f"{env_prefix}_DB_PREFIX", default_db_prefix),
        parse_ports(os.environ.get(f"{env_prefix}_PORTS")),
    )
    atexit.register(stack.cleanup)

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    return stack


def parse_ports(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    first, _, last = value.partition("-")
    return int(first), int(last) + 1


def manage(env: dict, *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise CannotStart(
            f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def shell(env: dict, code: str) -> str:
    """Run Python in Django with ``env`` (manage.py shell -c); its printed output."""
    return manage(env, "shell", "--no-imports", "-c", code).strip()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


class ProdCheck:
    def __init__(self, stack: Stack, *, keep_logs: bool):
        self.stack = stack
        self.keep_logs = keep_logs
        self.report = Report()

    # set-up ---------------------------------------------------------------------
    def set_up(self) -> None:
        stack, tmp = self.stack, self.stack.tmp
        t0 = time.monotonic()
        self.database = stack.create_database()
        ports = {name: stack.free_port() for name in ("redis", "s3", "a", "b", "https", "http")}
        self.ports = ports

        redis = stack.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(ports["redis"]),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp),
            ],
        )
        s3 = stack.start(
            "s3", [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(ports["s3"])]
        )
        certificate, key = self_signed_certificate(tmp)
        stack.wait_for_port("redis", redis, ports["redis"])
        stack.wait_for_port("s3", s3, ports["s3"])

        self.site = Site(
            ports["https"], ports["http"], certificate, {"A": ports["a"], "B": ports["b"]}
        )
        self.s3_env = {
            "AWS_ACCESS_KEY_ID": "prodcheck",
            "AWS_SECRET_ACCESS_KEY": secrets.token_hex(16),
            "SANBAO_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
            "SANBAO_S3_REGION": "us-east-1",
        }
        self.s3 = self.s3_client()
        for bucket in (BUCKET, RESTORED_BUCKET):
            self.s3.create_bucket(Bucket=bucket)

        self.env = {
            **production_env(stack, self.database, leave_out=("AWS_",)),
            **self.s3_env,
            "SANBAO_CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache",
            "SANBAO_CACHE_LOCATION": f"redis://127.0.0.1:{ports['redis']}/1",
            "SANBAO_S3_BUCKET": BUCKET,
            "SANBAO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SANBAO_CSRF_TRUSTED_ORIGINS": self.site.https,
            "SANBAO_TRUSTED_PROXIES": "127.0.0.1",
            "SANBAO_STATUS_LOOKUPS_PER_HOUR": str(STATUS_LIMIT),
            "SANBAO_STATUS_LOOKUPS_PER_CLAIM_PER_HOUR": "1000",
            "SANBAO_LOGIN_FAILURES_ALLOWED": str(LOGIN_FAILURES),
            "SANBAO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "SANBAO_EMAIL_FILE_PATH": str(tmp / "mail"),
            "SANBAO_LOG_LEVEL": "WARNING",
        }
        # The deployment's steps (docs/deploy.md), then the demo's data to walk through.
        manage(self.env, "migrate", "--no-input", "-v0")
        manage(self.env, "createcachetable")
        manage(self.env, "collectstatic", "--no-input", "-v0")
        manage(self.env, "load_demo")

        for name in ("a", "b"):
            stack.start(
                f"app-{name}",
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{ports[name]}",
                    "--workers",
                    "2",
                    "--name",
                    f"sanbao-{name}",
                    "--access-logfile",
                    str(tmp / f"access-{name}.log"),
                    "--access-logformat",
                    '%({x-real-ip}i)s %(s)s "%(r)s"',
                ],
                env=self.env,
            )
        stack.start(
            "worker",
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
            env=self.env,
        )

        nginx_dir = tmp / "nginx"
        nginx_dir.mkdir()
        site = render(
            site_values(
                server_name="127.0.0.1 localhost",
                upstreams=[f"127.0.0.1:{ports['a']}", f"127.0.0.1:{ports['b']}"],
                certificate=str(certificate),
                key=str(key),
                http_listen=f"127.0.0.1:{ports['http']}",
                https_listen=f"127.0.0.1:{ports['https']}",
                https_port=ports["https"],
            )
        )
        (nginx_dir / "sanbao.conf").write_text(site)
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        temp_paths = "".join(
            f"    {kind}_temp_path {nginx_dir / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (nginx_dir / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {nginx_dir / 'nginx.pid'};\n"
            f"error_log {nginx_dir / 'error.log'} warn;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n    access_log {nginx_dir / 'access.log'};\n{temp_paths}"
            f"    include {nginx_dir / 'sanbao.conf'};\n}}\n"
        )
        nginx = [NGINX, "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf")]
        test = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
        if test.returncode != 0:
            raise CannotStart(f"nginx -t failed:\n{test.stderr}")
        proxy = stack.start("nginx", [*nginx, "-g", "daemon off;"])

        for name in ("a", "b"):
            process = dict(stack.processes)[f"app-{name}"]
            stack.wait_for_port(f"app-{name}", process, ports[name], timeout=60)
        stack.wait_for_port("nginx", proxy, ports["https"])
        print(
            f"set-up: database {self.database}, app servers A :{ports['a']} and B :{ports['b']}, "
            f"nginx https :{ports['https']} http :{ports['http']}, redis :{ports['redis']}, "
            f"s3 :{ports['s3']} [{time.monotonic() - t0:.1f}s]",
            flush=True,
        )

    def s3_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_env["SANBAO_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id=self.s3_env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.s3_env["AWS_SECRET_ACCESS_KEY"],
        )

    # the checks -------------------------------------------------------------------
    def checks(self) -> None:
        run = self.report.run
        run(
            "deploy check: manage.py check --deploy is clean (production profile)",
            self.deploy_check,
        )
        run("plain HTTP to nginx is redirected to HTTPS", self.http_redirect)
        run("an app server redirects a request that did not come over HTTPS", self.app_redirect)
        run("HSTS header over nginx", self.hsts)
        run("static files from nginx: gzip and cached for a year", self.static_files)
        self.admin = Browser(self.site, real_ip="198.51.100.10")
        run(
            "a login on app server A is a session on app server B and through nginx",
            self.session_shared,
        )
        run(
            "an API retry (Idempotency-Key) sent to A then B: one answer, one record",
            self.idempotency,
        )
        run("the status page limit is counted across both app servers", self.status_limit_shared)
        run(
            "through nginx each client address has its own status limit "
            "(X-Real-IP sent by a client is ignored)",
            self.status_limit_per_client,
        )
        run(
            "a client that is not a trusted proxy cannot choose its address with X-Real-IP",
            self.untrusted_sender,
        )
        run("a login lockout on A holds on B", self.lockout_shared)
        run(
            "through nginx one address's lockout leaves another address free",
            self.lockout_per_client,
        )
        run("an upload through A is downloaded through B and stored in the S3 bucket", self.upload)
        run("nginx spreads requests over both app servers", self.round_robin)
        run("an e-mail is sent by the worker (django_tasks_db)", self.email)
        run("every server process is still running", self.all_running)
        run(
            "backup, restore into a new database and bucket, same rows and files",
            self.restore_drill,
        )

    def deploy_check(self):
        out = manage(self.env, "check", "--deploy", "--fail-level", "WARNING")
        return out.strip().splitlines()[-1] if out.strip() else None

    def http_redirect(self):
        import requests

        session = requests.Session()
        session.trust_env = False
        response = session.get(
            self.site.http + "/accounts/login/?next=/", allow_redirects=False, timeout=10
        )
        expected = self.site.https + "/accounts/login/?next=/"
        expect(response.status_code == 301, f"status {response.status_code}")
        expect(
            response.headers.get("Location") == expected,
            f"Location {response.headers.get('Location')}",
        )

    def app_redirect(self):
        browser = Browser(self.site)
        response = browser.get(
            "/accounts/login/", server="A", headers={"X-Forwarded-Proto": "http"}
        )
        expect(response.status_code == 301, f"status {response.status_code}")
        expect(
            response.headers["Location"].startswith("https://"), response.headers.get("Location")
        )

    def hsts(self):
        response = Browser(self.site).get("/accounts/login/")
        expect(response.status_code == 200, f"status {response.status_code}")
        hsts = response.headers.get("Strict-Transport-Security", "")
        expect("max-age=31536000" in hsts and "includeSubDomains" in hsts, f"HSTS {hsts!r}")
        return hsts

    def static_files(self):
        page = Browser(self.site).get("/accounts/login/").text
        paths = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
        expect(paths, "the login page names no static file")
        hashed = [p for p in paths if re.search(r"\.[0-9a-f]{12}\.(css|js)$", p)]
        expect(hashed, f"no hashed static file name in {paths}")
        response = Browser(self.site).get(hashed[0], headers={"Accept-Encoding": "gzip"})
        expect(response.status_code == 200, f"{hashed[0]}: {response.status_code}")
        expect(
            response.headers.get("Content-Encoding") == "gzip",
            f"Content-Encoding {response.headers.get('Content-Encoding')}",
        )
        max_age = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
        expect(
            max_age and int(max_age.group(1)) >= 31_536_000,
            f"Cache-Control {response.headers.get('Cache-Control')}",
        )
        return f"{hashed[0]}: {response.headers['Cache-Control']}"

    def session_shared(self):
        response = self.admin.log_in("admin", server="A")
        expect(response.status_code == 302, f"login on A: {response.status_code}")
        for server in ("B", None):
            page = self.admin.get("/accounts/tokens/", server=server)
            expect(
                page.status_code == 200, f"tokens page on {server or 'nginx'}: {page.status_code}"
            )
        self.admin_token = self.admin.new_token("prod-check", server="B")

    def idempotency(self):
        token = {"Authorization": f"Bearer {self.admin_token}"}
        code = f"PC-{secrets.token_hex(3).upper()}"
        body = {"code": code, "kind": "agent", "name_en": "Prod check agent", "name_zh": "检查代理"}
        key = {"Idempotency-Key": secrets.token_urlsafe(16)}
        first = self.admin.post(
            "/api/v1/organisations", server="A", json=body, headers={**token, **key}
        )
        again = self.admin.post(
            "/api/v1/organisations", server="B", json=body, headers={**token, **key}
        )
        expect(first.status_code == 201, f"A: {first.status_code} {first.text[:200]}")
        expect(
            again.status_code == 201 and again.json() == first.json(),
            f"B: {again.status_code} {again.text[:200]}",
        )
        expect(
            again.headers.get("Idempotency-Replayed") == "true", "B's answer is not marked replayed"
        )
        listed = self.admin.get("/api/v1/organisations?page_size=500", headers=token).json()[
            "items"
        ]
        count = sum(1 for org in listed if org["code"] == code)
        expect(count == 1, f"{count} organisations {code}")

    def _look_up(self, browser, *, server=None, headers=None):
        return browser.form(
            "/status/",
            {"number": "C0000-NOSUCH", "phone": "13800000000"},
            server=server,
            headers=headers,
        )

    def status_limit_shared(self):
        browser = Browser(self.site, real_ip="198.51.100.20")
        codes = [
            self._look_up(browser, server="AB"[n % 2]).status_code for n in range(STATUS_LIMIT + 2)
        ]
        expected = [200] * STATUS_LIMIT + [429, 429]
        expect(codes == expected, f"A/B alternating: {codes}, expected {expected}")
        return f"A,B,A,B,...: {codes}"

    def status_limit_per_client(self):
        first = Browser(self.site, source="127.0.0.2")
        codes = []
        for n in range(STATUS_LIMIT + 1):
            spoof = f"192.0.2.{n + 1}"
            response = self._look_up(first, headers={"X-Real-IP": spoof, "X-Forwarded-For": spoof})
            codes.append(response.status_code)
        expect(codes == [200] * STATUS_LIMIT + [429], f"127.0.0.2 (spoofing X-Real-IP): {codes}")
        other = self._look_up(Browser(self.site, source="127.0.0.3")).status_code
        expect(other == 200, f"127.0.0.3 after 127.0.0.2 was limited: {other}")
        return f"127.0.0.2: {codes}, 127.0.0.3: {other}"

    def untrusted_sender(self):
        browser = Browser(self.site, source="127.0.0.4")
        codes = [
            self._look_up(
                browser, server="AB"[n % 2], headers={"X-Real-IP": f"192.0.2.{50 + n}"}
            ).status_code
            for n in range(STATUS_LIMIT + 1)
        ]
        expect(codes == [200] * STATUS_LIMIT + [429], f"from 127.0.0.4 to A/B: {codes}")

    def lockout_shared(self):
        attacker = Browser(self.site, real_ip="198.51.100.30")
        codes = [
            attacker.log_in("enterprise", "wrong", server="AB"[n % 2]).status_code
            for n in range(LOGIN_FAILURES)
        ]
        expect(codes[-1] == 429, f"wrong passwords on A,B,A: {codes}")
        owner = Browser(self.site, real_ip="198.51.100.31")
        response = owner.log_in("enterprise", server="B")
        expect(
            response.status_code == 429,
            f"the right password on B from elsewhere: {response.status_code}",
        )
        return f"A,B,A: {codes}; then B: 429"

    def lockout_per_client(self):
        attacker = Browser(self.site, source="127.0.0.5")
        codes = [attacker.log_in(f"nobody-{n}", "wrong").status_code for n in range(LOGIN_FAILURES)]
        expect(codes[-1] == 429, f"127.0.0.5's wrong logins: {codes}")
        again = attacker.log_in("outlet").status_code
        expect(again == 429, f"127.0.0.5 after its lockout: {again}")
        response = Browser(self.site, source="127.0.0.6").log_in("outlet")
        expect(response.status_code == 302, f"127.0.0.6 logging in: {response.status_code}")

    def upload(self):
        staff = Browser(self.site, real_ip="198.51.100.40")
        expect(staff.log_in("staff").status_code == 302, "staff cannot log in")
        token = {"Authorization": f"Bearer {staff.new_token('prod-check upload')}"}
        claims = staff.get("/api/v1/claims?status=submitted", headers=token).json()["items"]
        expect(claims, "no submitted claim in the demo data")
        self.claim = claims[0]["number"]
        content = png_bytes()
        response = staff.post(
            f"/api/v1/claims/{self.claim}/scans",
            server="A",
            headers=token,
            files={"proof_of_purchase_scan": ("receipt.png", content, "image/png")},
        )
        expect(
            response.status_code == 200,
            f"upload on A: {response.status_code} {response.text[:300]}",
        )
        download = staff.get(f"/claims/{self.claim}/scans/proof-of-purchase/", server="B")
        expect(download.status_code == 200, f"download on B: {download.status_code}")
        expect(download.content == content, "B served other bytes than A stored")
        objects = self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        stored = [
            o["Key"]
            for o in objects
            if self.s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() == content
        ]
        expect(stored, f"no object in the bucket holds the upload ({len(objects)} objects)")
        self.upload_sha = hashlib.sha256(content).hexdigest()
        return f"{self.claim}, s3://{BUCKET}/{stored[0]}"

    def round_robin(self):
        # nginx's requests name the client's 127.0.0.x address; the check's own
        # straight requests name 198.51.100.x.
        counts = {}
        for name in ("a", "b"):
            lines = (self.stack.tmp / f"access-{name}.log").read_text().splitlines()
            counts[name.upper()] = sum(1 for line in lines if line.startswith("127.0.0."))
        expect(all(counts.values()), f"requests from nginx per app server: {counts}")
        return f"from nginx: {counts}"

    def all_running(self):
        dead = {n: p.returncode for n, p in self.stack.processes if p.poll() is not None}
        expect(not dead, f"exited: {dead}")
        return ", ".join(name for name, _process in self.stack.processes)

    def email(self):
        if not (ROOT / "sanbao" / "notifications" / "tasks.py").exists():
            raise Skip(
                "sanbao/notifications/tasks.py does not exist yet: e-mail is not sent by a task"
            )
        before = (
            set(os.listdir(self.env["SANBAO_EMAIL_FILE_PATH"]))
            if Path(self.env["SANBAO_EMAIL_FILE_PATH"]).exists()
            else set()
        )
        marker = secrets.token_hex(8)
        shell(
            self.env,
            (
                "from django.db import transaction\n"
                "from sanbao.accounts.models import User\n"
                "from sanbao.notifications import services\n"
                "with transaction.atomic():\n"
                "    services.message_send(recipient=User.objects.get(username='staff'),\n"
                f"        key='prod-check-{marker}', subject='Prod check {marker}',\n"
                "        body='Sent by the worker.')\n"
            ),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rows = json.loads(
                shell(
                    self.env,
                    (
                        "import json\nfrom django_tasks_db.models import DBTaskResult\n"
                        "print(json.dumps([r.status for r in DBTaskResult.objects.all()]))"
                    ),
                )
            )
            mail = Path(self.env["SANBAO_EMAIL_FILE_PATH"])
            new = [p for p in mail.glob("*") if p.name not in before] if mail.exists() else []
            sent = [p for p in new if marker in p.read_text(errors="replace")]
            if rows and all(r == "SUCCESSFUL" for r in rows) and sent:
                return f"{len(rows)} task rows SUCCESSFUL, mail {sent[0].name}"
            time.sleep(1)
        raise CheckFailed(f"task rows {rows}, mail files with the marker: {len(sent)}")

    def restore_drill(self):
        backups = self.stack.tmp / "backups"
        env = {**self.env, "PYTHON": PYTHON}
        started = time.monotonic()
        made = run_ops_script("backup.sh", backups, env)
        backup = Path(made.stdout.strip().splitlines()[-1])
        backup_seconds = time.monotonic() - started
        dump_size = (backup / "database.dump").stat().st_size
        files = [p for p in (backup / "uploads").rglob("*") if p.is_file()]
        restored_db = self.stack.create_database("_restored")
        restored_env = {
            **env,
            "DATABASE_URL": self.stack.url_for(restored_db),
            "SANBAO_S3_BUCKET": RESTORED_BUCKET,
        }
        started = time.monotonic()
        run_ops_script("restore.sh", backup, restored_env)
        restore_seconds = time.monotonic() - started
        before, after = self.row_counts(self.database), self.row_counts(restored_db)
        differ = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
        expect(not differ, f"row counts differ: {differ}")
        sha = shell(
            restored_env,
            (
                "import hashlib\nfrom sanbao.claims.models import Claim\n"
                f"f = Claim.objects.get(number='{self.claim}').proof_of_purchase_scan\n"
                "print(hashlib.sha256(f.open('rb').read()).hexdigest())"
            ),
        )
        expect(sha.splitlines()[-1] == self.upload_sha, "the restored scan differs from the upload")
        return (
            f"dump {dump_size / 1024:.0f} KiB, {len(files)} upload(s) "
            f"{sum(p.stat().st_size for p in files) / 1024:.1f} KiB, {len(before)} tables "
            f"{sum(before.values())} rows; "
            f"backup {backup_seconds:.1f}s, restore {restore_seconds:.1f}s"
        )

    def row_counts(self, database: str) -> dict[str, int]:
        import psycopg

        with psycopg.connect(self.stack.url_for(database), autocommit=True) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "select tablename from pg_tables where schemaname = 'public' order by tablename"
                )
            ]
            return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="print where the logs are and keep them"
    )
    args = parser.parse_args(argv)

    url = postgres_url("prod-check")
    if url is None:
        return 2
    for program in (NGINX, "redis-server", "openssl", "pg_dump", "pg_restore", "psql"):
        if not shutil.which(program):
            print(f"prod-check needs {program}", file=sys.stderr)
            return 2

    started = time.monotonic()
    stack = scratch_stack(url, "SANBAO_PRODCHECK", "sanbao_prodcheck")
    check = ProdCheck(stack, keep_logs=args.keep_logs)
    try:
        check.set_up()
        check.checks()
    except CannotStart as exc:
        print(f"FAIL set-up: {exc}", flush=True)
        check.report.failed.append("set-up")
    except (KeyboardInterrupt, SystemExit):
        print(
            "prod-check: interrupted; stopping every process and dropping the databases", flush=True
        )
        raise
    finally:
        if args.keep_logs or check.report.failed:
            logs = Path(tempfile.mkdtemp(prefix="sanbao-prodcheck-logs-"))
            for path in stack.tmp.glob("*.log"):
                shutil.copy(path, logs)
            for path in (stack.tmp / "nginx").glob("*.log"):
                shutil.copy(path, logs / f"nginx-{path.name}")
            print(f"logs kept in {logs}")
        stack.cleanup()
    report = check.report
    took = time.monotonic() - started
    if report.failed:
        print(f"prod-check: {len(report.failed)} FAILED, {report.passed} passed [{took:.0f}s]")
        return 1
    print(
        f"prod-check: all {report.passed} checks passed [{took:.0f}s]; "
        "processes stopped, databases dropped"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

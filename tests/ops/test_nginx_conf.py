"""ops/nginx/sanbao.conf.template as ops/nginx_conf.py renders it: every placeholder
filled, a missing or unknown value refused, and the proxy headers the app relies on
(sanbao.core.clients, SECURE_PROXY_SSL_HEADER) overwritten rather than passed on."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ops.nginx_conf import (
    TemplateError,
    main,
    placeholders,
    render,
    self_signed_certificate,
    site_values,
)

ROOT = Path(__file__).resolve().parents[2]


def rendered(**overrides) -> str:
    values = {
        "server_name": "sanbao.example.com",
        "upstreams": ["10.0.0.11:8000", "10.0.0.12:8000"],
        "certificate": "/etc/ssl/sanbao/fullchain.pem",
        "key": "/etc/ssl/sanbao/privkey.pem",
        **overrides,
    }
    return render(site_values(**values))


def test_every_placeholder_is_filled():
    text = rendered()
    assert "{{" not in text and "}}" not in text


def test_each_app_server_is_an_upstream_server_line():
    text = rendered()
    assert re.findall(r"^\s+server (\S+) ", text, re.M) == ["10.0.0.11:8000", "10.0.0.12:8000"]


def test_the_proxy_overwrites_the_client_address_and_scheme_headers():
    text = rendered()
    assert "proxy_set_header X-Real-IP $remote_addr;" in text
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "proxy_set_header X-Forwarded-Proto https;" in text
    assert "$proxy_add_x_forwarded_for" not in text  # that would pass the client's own on


def test_plain_http_redirects_to_https_naming_a_port_other_than_443():
    assert "return 301 https://$host$request_uri;" in rendered()
    text = rendered(https_port=8443, https_listen="8443", http_listen="8080")
    assert "return 301 https://$host:8443$request_uri;" in text
    assert "listen 8443 ssl http2;" in text


def test_a_missing_value_is_refused():
    values = site_values(server_name="x", upstreams=["a:1"], certificate="c", key="k")
    del values["TLS_CERTIFICATE"]
    with pytest.raises(TemplateError, match="TLS_CERTIFICATE"):
        render(values)


def test_a_value_for_no_placeholder_is_refused():
    values = site_values(server_name="x", upstreams=["a:1"], certificate="c", key="k")
    with pytest.raises(TemplateError, match="TYPO"):
        render({**values, "TYPO": "1"})


def test_no_app_server_is_refused():
    with pytest.raises(TemplateError):
        site_values(server_name="x", upstreams=[], certificate="c", key="k")


def test_the_template_names_only_what_site_values_gives():
    values = site_values(server_name="x", upstreams=["a:1"], certificate="c", key="k")
    template = (ROOT / "ops" / "nginx" / "sanbao.conf.template").read_text(encoding="utf-8")
    assert placeholders(template) == set(values)


def test_the_command_line_prints_the_site(capsys):
    main(
        [
            "--server-name",
            "x",
            "--upstream",
            "unix:/run/sanbao/a.sock",
            "--certificate",
            "c",
            "--key",
            "k",
        ]
    )
    assert "server unix:/run/sanbao/a.sock " in capsys.readouterr().out


@pytest.mark.skipif(not Path("/usr/sbin/nginx").exists(), reason="nginx is not installed")
def test_nginx_accepts_the_rendered_site(tmp_path):
    # A throw-away certificate, and nginx -t on a main configuration including the site.
    cert, key = self_signed_certificate(tmp_path, days=1)
    site = tmp_path / "site.conf"
    site.write_text(
        rendered(
            certificate=str(cert),
            key=str(key),
            http_listen="127.0.0.1:18298",
            https_listen="127.0.0.1:18299",
            https_port=18299,
        )
    )
    main_conf = tmp_path / "nginx.conf"
    main_conf.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};\n"
        f"  fastcgi_temp_path {tmp_path}; uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path};\n"
        f"  include {site}; }}\n"
    )
    result = subprocess.run(
        ["/usr/sbin/nginx", "-t", "-p", str(tmp_path), "-c", str(main_conf)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_prod_check_help_works():
    result = subprocess.run(
        [sys.executable, str(ROOT / "ops" / "prod_check.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "DATABASE_URL" in result.stdout


def test_prod_check_refuses_to_run_without_postgresql(monkeypatch):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///x.sqlite3"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "ops" / "prod_check.py")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
@pytest.mark.parametrize("script", ["backup.sh", "restore.sh"])
def test_the_backup_scripts_refuse_to_run_without_a_database(script, tmp_path):
    result = subprocess.run(
        ["bash", str(ROOT / "ops" / script), str(tmp_path)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr

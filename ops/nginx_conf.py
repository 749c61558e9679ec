"""Render ops/nginx/sanbao.conf.template: ``{{ NAME }}`` placeholders, every one
required (a name left unset, or a value given for no placeholder, is an error, so a
typo never leaves a literal ``{{ ... }}`` in a server's configuration).

    python ops/nginx_conf.py --server-name sanbao.example.com \\
        --upstream 10.0.0.11:8000 --upstream 10.0.0.12:8000 \\
        --certificate /etc/ssl/sanbao/fullchain.pem --key /etc/ssl/sanbao/privkey.pem
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "sanbao.conf.template"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Z_]+)\s*\}\}")


class TemplateError(ValueError):
    pass


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render(values: dict[str, str], template: str | None = None) -> str:
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    names = placeholders(text)
    missing = sorted(names - values.keys())
    unknown = sorted(values.keys() - names)
    if missing or unknown:
        raise TemplateError(f"placeholders unset: {missing}; values for no placeholder: {unknown}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def site_values(
    *,
    server_name: str,
    upstreams: list[str],
    certificate: str,
    key: str,
    http_listen: str = "80",
    https_listen: str = "443",
    https_port: int = 443,
    client_max_body_size: str = "60m",
    proxy_read_timeout: str = "120s",
) -> dict[str, str]:
    """The values for one site: each upstream ``host:port`` (or ``unix:/path``) a
    ``server`` line; the redirect names the HTTPS port unless it is 443."""
    if not upstreams:
        raise TemplateError("at least one app server (upstream) is needed")
    return {
        "UPSTREAM_SERVERS": "\n".join(
            f"    server {u} max_fails=3 fail_timeout=10s;" for u in upstreams
        ),
        "HTTP_LISTEN": http_listen,
        "HTTPS_LISTEN": https_listen,
        "HTTPS_PORT_SUFFIX": "" if https_port == 443 else f":{https_port}",
        "SERVER_NAME": server_name,
        "TLS_CERTIFICATE": certificate,
        "TLS_CERTIFICATE_KEY": key,
        "CLIENT_MAX_BODY_SIZE": client_max_body_size,
        "PROXY_READ_TIMEOUT": proxy_read_timeout,
    }


def self_signed_certificate(folder: Path, days: int = 2) -> tuple[Path, Path]:
    """A throw-away certificate and key for 127.0.0.1 in ``folder`` (the production
    check and nginx's own test; a real site uses its CA's, docs/deploy.md)."""
    certificate, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            str(days),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-name", required=True)
    parser.add_argument(
        "--upstream", action="append", required=True, help="host:port or unix:/path"
    )
    parser.add_argument("--certificate", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--client-max-body-size", default="60m")
    args = parser.parse_args(argv)
    sys.stdout.write(
        render(
            site_values(
                server_name=args.server_name,
                upstreams=args.upstream,
                certificate=args.certificate,
                key=args.key,
                client_max_body_size=args.client_max_body_size,
            )
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

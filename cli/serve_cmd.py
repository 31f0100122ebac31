"""`ogi serve`: the web admin for caseworkers and supervisors (uvicorn)."""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import Annotated

import typer
import uvicorn

from cli.output import console
from cli.params import help_text
from config.i18n import _
from config.logging import setup_logging
from config.settings import Settings, get_settings
from models.migrate import current, head
from workflow.bounds import check_count
from workflow.errors import RuleViolation

# loggers whose INFO lines are start-up chatter (starlette_admin's views, uvicorn's "Started …")
SERVE_QUIET = ("starlette_admin", "uvicorn.error")


def is_loopback(host: str) -> bool:
    try:
        return host.lower() == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_real_secret(settings: Settings, host: str) -> None:
    """The development key is public (it is in the source): anyone could sign a session cookie with
    it. It is allowed only for a development server that nobody else can reach."""
    if settings.has_default_secret and not (settings.environment == "development" and is_loopback(host)):
        raise RuleViolation(
            "OGI_SECRET_KEY is the public development value; it may only serve 127.0.0.1 in development, "
            "not {host}: run `ogi secret generate` (writes a real key into .env)",
            host=host,
        )


def require_allowed_hosts(settings: Settings, host: str) -> None:
    """Beyond loopback the app answers only to OGI_ALLOWED_HOSTS; without it every client would get
    400, so say so before starting."""
    if not is_loopback(host) and not settings.allowed_hosts:
        raise RuleViolation(
            "listening on {host} needs OGI_ALLOWED_HOSTS: the host names clients use to reach this server "
            "(e.g. OGI_ALLOWED_HOSTS=ogi.example.gov.cn,192.168.1.20)",
            host=host,
        )


def require_free_port(host: str, port: int) -> None:
    """uvicorn reports an address it cannot take as a log line in its own words, after the admin is
    built; say it first, as one sentence in the reader's language."""
    try:
        with socket.create_server((host.strip("[]"), port)):  # SO_REUSEADDR, as uvicorn binds
            pass
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise RuleViolation(
                "port {port} on {host} is in use by another program (another `ogi serve`?); "
                "choose another --port",
                host=host,
                port=port,
            ) from None
        raise RuleViolation(
            "cannot listen on {host}:{port}: {problem}", host=host, port=port, problem=e
        ) from None


def serve(
    host: Annotated[str, typer.Option("--host", help=help_text("Address to listen on."))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help=help_text("Port to listen on."))] = 8000,
) -> None:
    check_count(port, "--port", low=1, high=65535)
    require_real_secret(get_settings(), host)
    require_allowed_hosts(get_settings(), host)
    if current() != head():
        raise RuleViolation("the database schema is not up to date; run `ogi db upgrade` first")
    require_free_port(host, port)
    from admin.app import create_app  # the web stack loads only for this command

    console.print(
        _(
            "Government information disclosure cases: http://{host}:{port}/  (Ctrl+C to stop)",
            host=host,
            port=port,
        )
    )
    # uvicorn's loggers propagate to the one root handler (log_config=None); the admin's and
    # uvicorn's start-up lines are left out (the line above says where it listens), their
    # warnings and errors and the access lines kept
    setup_logging("INFO", timestamps=True, quiet=SERVE_QUIET)
    uvicorn.run(create_app(), host=host, port=port, log_config=None, server_header=False)

"""`ogi serve`: the web admin for caseworkers and supervisors (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from cli.output import console
from config.settings import Settings, get_settings
from models.migrate import current, head
from workflow.bounds import check_count
from workflow.errors import RuleViolation


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Run the web admin (log in with a user made by `ogi user add … --password-stdin`)."""
    check_count(port, "--port", low=1, high=65535)
    if current() != head():
        raise RuleViolation("the database schema is not up to date; run `ogi db upgrade` first")
    from admin.app import create_app  # the web stack loads only for this command

    s = get_settings()
    if s.secret_key == Settings.model_fields["secret_key"].default and host not in (
        "127.0.0.1",
        "localhost",
        "::1",
    ):
        console.print(
            "[yellow]warning:[/] OGI_SECRET_KEY is the development value; set it before serving others"
        )
    console.print(f"政府信息公开申请办理系统: http://{host}:{port}/  (Ctrl+C to stop)")
    uvicorn.run(create_app(), host=host, port=port, log_level="info", server_header=False)

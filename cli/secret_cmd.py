"""`ogi secret generate`: a real OGI_SECRET_KEY, written into the `.env` file the settings read."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Annotated

import typer

from cli.output import console
from cli.params import help_text
from config.i18n import _
from workflow.errors import RuleViolation

app = typer.Typer(help=help_text("The key that signs web sessions."), no_args_is_help=True)

KEY_LINE = re.compile(r"^\s*(export\s+)?OGI_SECRET_KEY\s*=", re.MULTILINE)
KEY_BYTES = 48  # 384 bits, far beyond guessing; URL-safe text without quoting problems in .env


@app.command(
    "generate",
    help=help_text(
        "Write a new random OGI_SECRET_KEY into .env (readable by its owner only). Replacing "
        "a key ends every open web session."
    ),
)
def generate(
    env_file: Annotated[Path, typer.Option("--env-file", help=help_text("The file to write."))] = Path(
        ".env"
    ),
    force: Annotated[
        bool, typer.Option("--force", help=help_text("Replace a key already in the file."))
    ] = False,
) -> None:
    text = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
    line = f"OGI_SECRET_KEY={secrets.token_urlsafe(KEY_BYTES)}"
    if KEY_LINE.search(text):
        if not force:
            raise RuleViolation(
                "{env_file} already sets OGI_SECRET_KEY; --force replaces it (ends all sessions)",
                env_file=env_file,
            )
        text = "\n".join(line if KEY_LINE.match(old) else old for old in text.splitlines()) + "\n"
    else:
        text += ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    # created readable by the owner only; the key never appears on the screen or in a shell history
    fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(env_file, 0o600)
    console.print(_("wrote a new OGI_SECRET_KEY to {env_file}", env_file=env_file))

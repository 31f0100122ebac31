"""`ogi keys`: the data key that encrypts applicants' identity numbers (DESIGN §12)."""

from __future__ import annotations

import typer

from cli.output import console
from cli.params import help_text
from config.i18n import _
from models.db import session_scope
from workflow.applicants import rotate
from workflow.data_key import generate_key

app = typer.Typer(
    help=help_text("The data key that protects applicants' identity numbers."), no_args_is_help=True
)


@app.command(
    "generate",
    help=help_text(
        "Print a new random data key (for OGI_DATA_KEY; keep it secret, and keep every key "
        "you used until `ogi keys rotate` has re-encrypted what it wrote)."
    ),
)
def generate() -> None:
    typer.echo(generate_key())


@app.command(
    "rotate",
    help=help_text(
        "Re-encrypt every identity number under the current OGI_DATA_KEY (reading older "
        "values with the keys in OGI_DATA_KEY_PREVIOUS), and re-compute their matching "
        "hashes; one transaction."
    ),
)
def rotate_() -> None:
    with session_scope() as s:
        rotated, current = rotate(s)
    console.print(
        _(
            "re-encrypted {rotated} identity numbers under the current key ({current} already were); "
            "the previous keys may now be removed",
            rotated=rotated,
            current=current,
        )
    )

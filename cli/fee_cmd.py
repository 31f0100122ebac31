"""`ogi fee quote`: what an application costs under 国办函〔2020〕109号, tier by tier."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cli.output import console, print_json
from cli.params import AsUser, JsonFlag, codes_help, help_text
from codes.labels import Coded
from config.i18n import _
from models.db import read_session
from workflow.access import actor_for
from workflow.fee_quotes import quote
from workflow.fees import FeeMethod
from workflow.service import get_case

app = typer.Typer(
    help=help_text("Information processing fees (State Council General Office letter [2020] No. 109)."),
    no_args_is_help=True,
)


@app.command(
    "quote",
    help=help_text(
        "The fee of an application: the method, its position in the applicant's month "
        "(count) or its pages, each tier with its units and price, and the amount in yuan."
    ),
)
def quote_(
    case: Annotated[str, typer.Argument(help=help_text("Case ref or id."))],
    method: Annotated[
        str,
        typer.Option("--method", help=codes_help("fee_method")),
    ],
    pages: Annotated[
        int | None, typer.Option("--pages", help=help_text("Pages, for the pages method."))
    ] = None,
    as_user: AsUser = None,
    json_: JsonFlag = False,
) -> None:
    with read_session() as s:
        row = get_case(s, case, actor=actor_for(s, as_user))
        q = quote(s, row, method, pages)
    if json_:
        print_json(q.to_json())
        return
    label = Coded("fee_method", q.method)
    if q.method == FeeMethod.by_count:
        console.print(
            _(
                "{ref}: {method}, application no. {n} of the applicant's month",
                ref=row.ref,
                method=label,
                n=q.count,
            )
        )
    else:
        console.print(_("{ref}: {method}, {n} pages", ref=row.ref, method=label, n=q.pages))
    table = Table(_("tier from"), _("tier to"), _("units in tier"), _("price (yuan)"), _("subtotal (yuan)"))
    for line in q.lines:
        t = line.tier
        table.add_row(
            str(t.first), str(t.last) if t.last else "—", str(line.units), str(t.price), str(line.subtotal)
        )
    console.print(table)
    console.print(_("amount: {amount} yuan", amount=q.amount))

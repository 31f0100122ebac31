"""The `ogi` command line (typer + rich); every command calls workflow/ or reports/."""

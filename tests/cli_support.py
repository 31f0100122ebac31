"""One way for tests to run `ogi`: in-process with typer's CliRunner (an `ogi` process costs about
2 s of start-up), or as the installed script where the process itself is what a test is about.

Both give a `subprocess.CompletedProcess` (returncode, stdout, stderr), so a test reads the same
either way. The error translation lives in the command group (`cli.main.OgiGroup`), so in-process
runs give the same one-line errors and exit codes as the script.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cli.main import app
from config.settings import get_settings
from workflow.calendar import reset_default_calendar

OGI = str(Path(sys.executable).with_name("ogi"))  # the installed script, beside this interpreter


@contextlib.contextmanager
def _fresh_state(cwd: Path | None) -> Iterator[None]:
    """Settings and the calendar are cached per process; a run with another environment must not see
    the previous run's (nor leave its own to the test that follows)."""
    get_settings.cache_clear()
    reset_default_calendar()
    try:
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
            yield
    finally:
        get_settings.cache_clear()
        reset_default_calendar()


def _as_process_env(env: Mapping[str, str] | None) -> dict[str, str | None]:
    """`env` is the environment a process would get: every OGI_ variable it lacks is unset, as in a
    subprocess started with that environment."""
    if env is None:
        return {}
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("OGI_") and k not in env}
    return {**unset, **{k: v for k, v in env.items() if os.environ.get(k) != v}}


def ogi(
    env: Mapping[str, str] | None,
    *args: str,
    ok: bool = True,
    stdin: str | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `ogi ARGS` in this process; with `ok`, a non-zero exit fails the test with its stderr."""
    with _fresh_state(cwd):
        r = CliRunner().invoke(app, list(args), input=stdin, env=_as_process_env(env), catch_exceptions=True)
    stderr = r.stderr
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        # what the script would have printed: an uncaught exception is a traceback on stderr
        assert r.exc_info is not None
        stderr += "".join(traceback.format_exception(*r.exc_info))
    done = subprocess.CompletedProcess(["ogi", *args], r.exit_code, r.stdout, stderr)
    if ok and done.returncode:
        raise AssertionError(f"ogi {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done


def ogi_json(env: Mapping[str, str] | None, *args: str, **kw: Any) -> Any:
    return json.loads(ogi(env, *args, "--json", **kw).stdout)


def ogi_process(
    env: Mapping[str, str], *args: str, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed `ogi` script as a process: only where the process is the point."""
    return subprocess.run(
        [OGI, *args], env=dict(env), cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120
    )


def one_line_error(p: subprocess.CompletedProcess[str], *needles: str) -> None:
    """A refusal: exit code 1 and exactly one line on stderr, no traceback, naming every needle."""
    assert p.returncode == 1, p.stdout
    err = p.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for n in needles:
        assert n in err, err

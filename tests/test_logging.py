"""One logging set-up (config/logging.py) for the CLI, the web server and Celery, and the case's
ref in every record logged about a case."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

from config.logging import setup_logging
from tests.support import D, organ_with_staff, receive, step


@pytest.fixture
def stderr(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """What the one root handler writes, at DEBUG (the state machine's library logs each transition)."""
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    setup_logging(logging.DEBUG)
    yield out
    root.handlers[:] = saved[1]
    root.setLevel(saved[0])


def test_a_record_about_a_case_carries_its_ref(any_db: str, stderr: io.StringIO) -> None:
    organ_with_staff()
    row = receive(D(2026, 3, 2))
    stderr.truncate(0)
    step(row.ref, "answer", on=D(2026, 3, 20), outcome="disclosed")
    lines = [line for line in stderr.getvalue().splitlines() if line.startswith("DEBUG transitions")]
    assert lines and all(f": [{row.ref}] " in line for line in lines), stderr.getvalue()


def test_a_record_about_no_case_reads_as_before(stderr: io.StringIO) -> None:
    logging.getLogger("workflow.sweep").warning("sweep: nothing to do")
    assert stderr.getvalue() == "WARNING workflow.sweep: sweep: nothing to do\n"


_HAS_FILTER = (
    "import logging; from config.logging import CaseRefFilter; "
    "assert any(isinstance(f, CaseRefFilter) for h in logging.getLogger().handlers for f in h.filters), "
    "logging.getLogger().handlers"
)


@pytest.mark.parametrize(
    "start",
    [
        # the CLI: `ogi --help` goes through cli.main.main
        "import sys, cli.main; sys.argv = ['ogi', '--help']\n"
        "try:\n    cli.main.main()\nexcept SystemExit:\n    pass",
        # a Celery worker or beat: the app's own logging set-up, as `celery -A tasks worker` runs it
        "import tasks; tasks.app.log.setup_logging_subsystem(loglevel='INFO')",
        # the web server: `ogi serve` sets up logging, then runs uvicorn without its own log config
        "import cli.serve_cmd as s, inspect; src = inspect.getsource(s.serve)\n"
        "assert 'setup_logging(' in src and 'log_config=None' in src\n"
        "from config.logging import setup_logging; setup_logging('INFO')",
    ],
    ids=["cli", "celery", "web"],
)
def test_the_cli_web_and_worker_configure_logging_through_one_function(start: str) -> None:
    code = f"{start}\n{_HAS_FILTER}"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True)


_TIMED = (
    "import logging\n"
    "[h] = logging.getLogger().handlers\n"
    "assert h.formatter is not None and '%(asctime)s' in h.formatter._fmt, h.formatter._fmt"
)


@pytest.mark.parametrize(
    "start",
    [
        "import tasks; tasks.app.log.setup_logging_subsystem(loglevel='INFO')",
        "import cli.serve_cmd as s, inspect\n"
        "assert 'timestamps=True' in inspect.getsource(s.serve)\n"
        "from config.logging import setup_logging; setup_logging('INFO', timestamps=True)",
    ],
    ids=["celery", "web"],
)
def test_a_worker_and_the_web_server_log_the_time_of_each_line(start: str) -> None:
    subprocess.run([sys.executable, "-c", f"{start}\n{_TIMED}"], check=True, timeout=60, capture_output=True)


def test_an_access_line_never_keeps_the_query_string_a_person_typed() -> None:
    setup_logging()
    (handler,) = logging.getLogger().handlers
    number = "11010519491231002X"
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/cases?q={number}", "1.1", 200), None,
    )  # fmt: skip
    assert all(f.filter(record) for f in handler.filters)
    line = handler.format(record)
    assert "GET /cases?… HTTP/1.1" in line and number not in line

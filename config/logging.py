"""One logging set-up for every process (the CLI, the web server, Celery workers and beat), and
the case a record is about.

`setup_logging` installs one stderr handler on the root logger. Every record gets `%(case)s`:
" [REF]" while code runs inside `about_case(ref)`, else nothing, so a line about no case reads as
it always did ("WARNING workflow.sweep: …") and a line about one names it.
"""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# the case the running code is about; a ContextVar so threads and async tasks each keep their own
CASE_REF: ContextVar[str | None] = ContextVar("ogi_case_ref", default=None)
FORMAT = "%(levelname)s %(name)s:%(case)s %(message)s"
# long-running processes (a worker, beat, the web server) say when; a CLI line is read as it comes
TIMED_FORMAT = "%(asctime)s " + FORMAT


@contextmanager
def about_case(ref: str | None) -> Iterator[None]:
    """Every record logged inside carries the case's ref."""
    token = CASE_REF.set(ref)
    try:
        yield
    finally:
        CASE_REF.reset(token)


class CaseRefFilter(logging.Filter):
    """Adds `record.case`: " [REF]" inside about_case, "" elsewhere (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ref = CASE_REF.get()
        record.case = f" [{ref}]" if ref else ""
        return True


class QueryStringFilter(logging.Filter):
    """Drops the query string from the web server's access lines: a search holds what a person
    typed (a name, an identity number, DESIGN §12), which a log must not keep."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access: (client, method, path with query, HTTP version, status)
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


# `extra=FOR_READER` marks a record whose message is a catalog sentence meant for the person who ran
# the command (the development data key's notice), not an operator's log line
FOR_READER = {"for_reader": True}


class ReaderFormatter(logging.Formatter):
    """The CLI's lines: a record marked FOR_READER as the person at the terminal reads it,
    ``ogi：警告：…`` in the reader's language, not a log line's level and logger; any other record
    as the log line it always was (FORMAT, with its case and traceback)."""

    def __init__(self) -> None:
        super().__init__(FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if not getattr(record, "for_reader", False):
            return super().format(record)
        from config.i18n import _  # the catalog reads the settings; loaded when a line is written

        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            return _("ogi: error: {message}", message=message)
        return _("ogi: warning: {message}", message=message)


def setup_logging(
    level: str | int = "INFO",
    *,
    timestamps: bool = False,
    for_reader: bool = False,
    quiet: tuple[str, ...] = (),
) -> None:
    """The root logger writes to stderr through CaseRefFilter; other handlers are replaced (a
    second call reconfigures, so a test or a re-exec gets the same set-up). `timestamps` prefixes
    each line with its time, for processes whose log is read later; `for_reader` writes a line
    marked FOR_READER as a sentence to the person at the terminal (the CLI: ReaderFormatter).
    The `quiet` loggers say only warnings and errors (a library's start-up chatter)."""
    formatter = {"()": ReaderFormatter} if for_reader else {"format": TIMED_FORMAT if timestamps else FORMAT}
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"case": {"()": CaseRefFilter}, "query": {"()": QueryStringFilter}},
            "formatters": {"plain": formatter},
            "handlers": {
                "stderr": {
                    "class": "logging.StreamHandler",
                    "stream": "ext://sys.stderr",
                    "filters": ["case", "query"],
                    "formatter": "plain",
                }
            },
            "root": {"level": level, "handlers": ["stderr"]},
            "loggers": {name: {"level": "WARNING"} for name in quiet},
        }
    )

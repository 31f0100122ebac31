"""Reading the text files users give the product: one decoder for every importer.

Offices save files from Excel, WPS or Notepad, so a file may be UTF-8 with or without a byte order
mark, GB18030/GBK (a superset of GB2312), or UTF-16 with a byte order mark. The encoding is
decided from the bytes: a BOM names it; otherwise UTF-8 unless a line is not UTF-8, and then
GB18030 if every non-ASCII line read so far was (ASCII is the same in both, so deciding at the
first non-ASCII line needs no second pass over a large file). A file that is none of these is
refused with one line naming the file, the line and the problem.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from workflow.errors import InvalidInput, os_reason

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHUNK = 1 << 16


def iter_lines(stream: IO[bytes], where: str) -> Iterator[str]:
    """The decoded lines of a binary stream (line endings kept); InvalidInput names the line."""
    head = stream.read(4)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            rest = head[len(bom) :]
            if encoding.startswith("utf-16"):
                yield from _wide_lines(stream, rest, encoding, where)
            else:
                yield from _narrow_lines(stream, rest, "utf-8", where)
            return
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        # ASCII text saved as UTF-16 without a mark: every other byte is zero
        yield from _wide_lines(stream, head, "utf-16-be" if head[0] == 0 else "utf-16-le", where)
        return
    yield from _narrow_lines(stream, head, None, where)


def _narrow_lines(stream: IO[bytes], head: bytes, encoding: str | None, where: str) -> Iterator[str]:
    """UTF-8 or GB18030 (`encoding` None: not decided yet), line by line: in both a newline byte
    is always a newline, so a bad byte is found on its own line."""
    lines = _byte_lines(stream, head)
    for n, raw in enumerate(lines, 1):
        if encoding is None and raw.isascii():
            yield raw.decode("ascii")
            continue
        if encoding is None:
            encoding = _guess(raw)
            if encoding is None:
                bad = _first_bad(raw)
                raise InvalidInput(
                    "{where}: line {n}: neither UTF-8 nor GB18030/GBK text ({bad})", where=where, n=n, bad=bad
                )
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError as e:
            raise InvalidInput(
                "{where}: line {n}: not {NAMES} text like the lines before it (byte 0x{raw:02x} at column "
                "{value}); save the file in one encoding",
                where=where,
                n=n,
                NAMES=_NAMES[encoding],
                raw=raw[e.start],
                value=e.start + 1,
            ) from None


_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030/GBK"}


def _guess(raw: bytes) -> str | None:
    for encoding in ("utf-8", "gb18030"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _first_bad(raw: bytes) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"byte 0x{raw[e.start]:02x} at column {e.start + 1}"
    return "undecodable bytes"


def _byte_lines(stream: IO[bytes], head: bytes) -> Iterator[bytes]:
    pending = head
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield line + b"\n"
    if pending:
        yield pending


def _wide_lines(stream: IO[bytes], head: bytes, encoding: str, where: str) -> Iterator[str]:
    """UTF-16: decoded incrementally, split into lines after decoding."""
    decoder = codecs.getincrementaldecoder(encoding)()
    pending, n, data = "", 1, head
    while True:
        final = not data
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as e:
            n += (pending + _prefix(data[: e.start], encoding)).count("\n")
            raise InvalidInput(
                "{where}: line {n}: not valid UTF-16 text ({reason})", where=where, n=n, reason=e.reason
            ) from None
        pending += text
        *complete, pending = pending.split("\n")
        for line in complete:
            n += 1
            yield line + "\n"
        if final:
            break
        data = stream.read(_CHUNK)
    if pending:
        yield pending


def _prefix(data: bytes, encoding: str) -> str:
    return data.decode(encoding, errors="replace")


def decode_text(data: bytes, where: str) -> str:
    """A whole file's text (an upload, a small file); the same rules as iter_lines."""
    import io

    return "".join(iter_lines(io.BytesIO(data), where))


def read_text(path: Path) -> str:
    """A whole text file, decoded; one InvalidInput line when it cannot be read or decoded."""
    try:
        with path.open("rb") as f:
            return "".join(iter_lines(f, str(path)))
    except OSError as e:
        raise InvalidInput("{path}: cannot read the file ({value})", path=path, value=os_reason(e)) from None


def open_binary(path: Path) -> IO[bytes]:
    """A file opened for iter_lines; one InvalidInput line when it cannot be opened."""
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a folder")  # os_reason says it in the reader's language
        return path.open("rb")
    except OSError as e:
        raise InvalidInput("{path}: cannot read the file ({value})", path=path, value=os_reason(e)) from None


def yaml_line(error: Exception) -> tuple[str, str]:
    """A YAML parser's error as (" at line N" or "", the problem): PyYAML's own text spans lines."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return (f" at line {mark.line + 1}" if mark is not None else ""), str(problem)


def yaml_error(where: str, error: Exception) -> str:
    """One line naming the file, the line and the problem."""
    at, problem = yaml_line(error)
    return f"{where}{at}: not valid YAML ({problem})"

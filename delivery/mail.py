"""Sending email: over SMTP from OGI_SMTP_URL, or as .eml files in the outbox folder without one.

`smtp://[user[:password]@]host[:port][?starttls=true]` (port 25) and
`smtps://[user[:password]@]host[:port]` (TLS from the start, port 465). User and password are
percent-decoded, so any character can be given.

Failures are sorted for the relay: a *permanent* one (the server refused this message for good,
a 5xx reply) fails the message at once; anything else is retried with backoff. A *broken* one
(the connection is gone) means the rest of the batch cannot go either.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import socket
import ssl
import tempfile
from dataclasses import dataclass
from email.charset import Charset
from email.header import Header
from email.message import Message
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from config.settings import Settings, get_settings
from workflow import clock
from workflow.errors import InvalidInput

SMTP_TIMEOUT = 30.0  # seconds; a hung server must not hold a relay past its task time limit


class MailError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, broken: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.broken = broken


class Transport(Protocol):
    def send(self, msg: Message) -> None: ...

    def close(self) -> None: ...


class Mailer(Protocol):
    """Opens one transport per relay batch (one SMTP session for many messages)."""

    def connect(self) -> Transport: ...

    def describe(self) -> str: ...


# --- composing -----------------------------------------------------------------------------------
def message_id(key: str, mail_from: str) -> str:
    """The same outbox key always gives the same Message-ID, so a resend is recognisable as one."""
    domain = mail_from.rpartition("@")[2] or "localhost"
    return f"<ogi.{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


# UTF-8 sent as 8bit (no base64/QP body encoding): the Chinese text and the case ref stay
# readable in the stored message
_UTF8_8BIT = Charset("utf-8")
_UTF8_8BIT.body_encoding = 0  # neither QP (1) nor BASE64 (2): the text as it is


def _header(value: str, name: str) -> str | Header:
    """A header's value; non-ASCII text as RFC 2047 encoded words, folded by the generator, which
    knows the header's name: the first word stays on the `Subject:` line and each word holds whole
    characters. (Encoding it here, without the name, began the header with an empty line that mail
    clients show as a leading blank or an empty subject.)"""
    return value if value.isascii() else Header(value, "utf-8", header_name=name)


def compose(
    *, key: str, recipient: str, subject: str, body: str, mail_from: str, case_ref: str | None = None
) -> Message:
    # the compat32 API: a third of the cost of EmailMessage's header registry, which dominated the
    # relay's time per message
    msg = Message()
    msg["MIME-Version"] = "1.0"
    msg.set_payload(body, _UTF8_8BIT)
    msg.set_type("text/plain")
    msg["From"] = mail_from
    msg["To"] = recipient
    msg["Subject"] = _header(subject, "Subject")  # type: ignore[assignment]  # compat32 takes a Header
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = message_id(key, mail_from)
    msg["X-OGI-Outbox-Key"] = key
    if case_ref:
        msg["X-OGI-Case"] = _header(case_ref, "X-OGI-Case")  # type: ignore[assignment]
    return msg


# --- SMTP ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SmtpUrl:
    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    starttls: bool
    user: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> SmtpUrl:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise InvalidInput(
                "OGI_SMTP_URL: scheme must be smtp:// or smtps://, got {scheme!r}", scheme=parts.scheme
            )
        if not parts.hostname:
            raise InvalidInput("OGI_SMTP_URL: no host (e.g. smtp://mail.example.org:25)")
        try:
            port = parts.port
        except ValueError:
            raise InvalidInput("OGI_SMTP_URL: the port is not a number") from None
        query = parse_qs(parts.query)
        return cls(
            host=parts.hostname,
            port=port or (465 if parts.scheme == "smtps" else 25),
            tls=parts.scheme == "smtps",
            starttls=query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes"),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    def describe(self) -> str:
        who = f"{self.user}@" if self.user else ""
        return f"{'smtps' if self.tls else 'smtp'}://{who}{self.host}:{self.port}"


class SmtpMailer:
    def __init__(self, url: str, *, timeout: float = SMTP_TIMEOUT) -> None:
        self.url = SmtpUrl.parse(url)
        self.timeout = timeout

    def describe(self) -> str:
        return self.url.describe()

    def connect(self) -> Transport:
        u = self.url
        try:
            smtp: smtplib.SMTP
            if u.tls:
                smtp = smtplib.SMTP_SSL(
                    u.host, u.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(u.host, u.port, timeout=self.timeout)
                if u.starttls:
                    smtp.starttls(context=ssl.create_default_context())
            # SMTP is a command/reply exchange of small writes: without this, Nagle's algorithm
            # holds writes back waiting for acknowledgements, halving the messages sent per second
            if smtp.sock is not None:
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if u.user:
                smtp.login(u.user, u.password or "")
        except (OSError, smtplib.SMTPException) as e:
            # refused, unreachable, TLS or login failure: not the messages' fault; retry them later
            raise MailError(f"cannot connect to {u.describe()}: {_reason(e)}", broken=True) from None
        return SmtpTransport(smtp)


class SmtpTransport:
    def __init__(self, smtp: smtplib.SMTP) -> None:
        self.smtp = smtp

    def send(self, msg: Message) -> None:
        try:
            refused = self.smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as e:
            codes = [code for code, _ in e.recipients.values()]
            raise MailError(
                f"recipient refused: {_reason(e)}", permanent=all(c >= 500 for c in codes)
            ) from None
        except smtplib.SMTPResponseException as e:
            # 5xx: refused for good; 4xx: try again later (greylisting, mailbox busy, server busy)
            raise MailError(_reason(e), permanent=e.smtp_code >= 500, broken=e.smtp_code == 421) from None
        except (OSError, smtplib.SMTPException) as e:
            raise MailError(f"connection lost: {_reason(e)}", broken=True) from None
        if refused:  # one recipient per message: a partial refusal cannot happen, but never ignore one
            raise MailError(f"recipient refused: {refused}", permanent=True)

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()


def _reason(e: BaseException) -> str:
    if isinstance(e, smtplib.SMTPResponseException):
        err = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        return f"{e.smtp_code} {err}".strip()
    return (str(e) or type(e).__name__).splitlines()[0]


# --- .eml files ------------------------------------------------------------------------------------
class FileMailer:
    """The embedded default: each message becomes `ogi.<hash of its key>.eml` in a folder, the
    local part of its Message-ID, so an operator goes from a Message-ID (in a log line, a mail
    client) to its file, and the `ogi.` prefix sets them apart in a shared folder.

    Named by the message's key, so a resend after a crash rewrites the same file: never two.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return f".eml files in {self.folder}"

    def connect(self) -> Transport:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise MailError(f"cannot create {self.folder}: {_reason(e)}", broken=True) from None
        return self

    def send(self, msg: Message) -> None:
        mid = str(msg["Message-ID"]).strip("<>").split("@")[0]
        target = self.folder / f"{mid}.eml"
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".eml")
            with os.fdopen(fd, "wb") as f:
                f.write(msg.as_bytes())
            os.replace(tmp, target)  # atomic: a reader never sees half a message
        except OSError as e:
            raise MailError(f"cannot write {target}: {_reason(e)}", broken=True) from None

    def close(self) -> None:
        pass


def mailer_from_settings(settings: Settings | None = None) -> Mailer:
    s = settings or get_settings()
    return SmtpMailer(s.smtp_url) if s.smtp_url else FileMailer(Path(s.outbox_dir))

"""Email: OGI_SMTP_URL forms, SMTPS with a login against a real TLS server, the Chinese text."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from delivery.mail import SmtpMailer, SmtpUrl, compose, message_id
from tests.conftest import require_service
from tests.fixtures import free_port
from tests.fixtures.smtp import Recorder
from tests.support import D, organ_with_staff, receive
from tests.workflow.sweep_support import messages, on_day, sweep
from workflow.errors import InvalidInput

# the mails are asserted in Chinese, the language they are written in by default
pytestmark = pytest.mark.usefixtures("chinese")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, False, False, None, None)),
        ("smtp://mail.example.org:2525?starttls=true", ("mail.example.org", 2525, False, True, None, None)),
        ("smtps://mail.example.org", ("mail.example.org", 465, True, False, None, None)),
        # user and password percent-decoded: any character can be given
        (
            "smtps://ogi%40gov.cn:p%40ss%3Aword@mail.gov.cn:994",
            ("mail.gov.cn", 994, True, False, "ogi@gov.cn", "p@ss:word"),
        ),
    ],
)
def test_smtp_urls_give_host_port_tls_and_login(url: str, expected: tuple[Any, ...]) -> None:
    u = SmtpUrl.parse(url)
    assert (u.host, u.port, u.tls, u.starttls, u.user, u.password) == expected
    assert "word" not in u.describe()  # the password never reaches a log line


@pytest.mark.parametrize(
    ("url", "says"),
    [("http://mail.example.org", "smtp:// or smtps://"), ("smtp://", "no host"), ("smtp://h:port", "port")],
)
def test_a_bad_smtp_url_is_one_clear_error(url: str, says: str) -> None:
    with pytest.raises(InvalidInput, match="OGI_SMTP_URL") as e:
        SmtpUrl.parse(url)
    assert says in str(e.value) and "\n" not in str(e.value)


def test_the_message_id_is_derived_from_the_outbox_key_so_a_resend_is_recognisable() -> None:
    a = compose(
        key="case:1:reply_due:2026-03-30:2:u1", recipient="x@y", subject="s", body="b", mail_from="o@gov.cn"
    )
    b = compose(
        key="case:1:reply_due:2026-03-30:2:u1", recipient="x@y", subject="s", body="b", mail_from="o@gov.cn"
    )
    c = compose(
        key="case:1:reply_due:2026-03-30:0:u1", recipient="x@y", subject="s", body="b", mail_from="o@gov.cn"
    )
    assert a["Message-ID"] == b["Message-ID"] != c["Message-ID"]
    assert a["Message-ID"] == message_id("case:1:reply_due:2026-03-30:2:u1", "o@gov.cn")
    assert str(a["Message-ID"]).endswith("@gov.cn>")


@pytest.mark.usefixtures("sqlite_db")
def test_a_reminder_names_case_and_deadline_kind_in_the_subject_and_date_and_what_to_do_in_the_body() -> None:
    organ_with_staff()
    with on_day(D(2026, 3, 2)):
        receive(D(2026, 3, 2), ref="HX-2026-0001", assignee="east-worker")
    with on_day(D(2026, 3, 26)):
        sweep(D(2026, 3, 26))
    [m] = messages("HX-2026-0001")
    assert m.subject == "【政府信息公开】HX-2026-0001 答复期限：2026-03-30（还剩2个工作日）"
    assert "2026-03-30（星期一）" in m.body
    assert "ogi case advance HX-2026-0001 answer" in m.body
    assert "ogi case advance HX-2026-0001 extend" in m.body and "负责人同意" in m.body  # extension decision
    assert "east-worker：" in m.body and "east bureau" in m.body


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    require_service("openssl", shutil.which("openssl") is not None, "openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_smtps_with_a_login_delivers_over_tls(
    tls_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = tls_files
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cr@t")

    handler, port = Recorder(), free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        ssl_context=server_ctx,
        authenticator=authenticate,
        # the whole session is TLS (smtps); aiosmtpd counts only STARTTLS as TLS for this flag
        auth_require_tls=False,
    )
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client verifies the server's certificate
    try:
        mailer = SmtpMailer(f"smtps://ogi%40gov.cn:s3cr%40t@127.0.0.1:{port}")
        transport = mailer.connect()
        transport.send(
            compose(key="k", recipient="li@gov.cn", subject="提醒", body="正文 TLS-1\n", mail_from="o@gov.cn")
        )
        transport.close()
    finally:
        controller.stop()
    assert logins == [(b"ogi@gov.cn", b"s3cr@t")]
    [m] = handler.messages
    assert m["To"] == "li@gov.cn" and "TLS-1" in m.get_payload(decode=True).decode()


LONG_SUBJECT = (
    "【逾期提醒】HONGXING-2026-00001 答复期限已过：请立即答复申请人并由负责人审批延期，"
    "今天是最后一个工作日，否则将构成逾期答复"
)


def test_a_long_chinese_subject_reads_back_whole_in_a_mail_client_and_starts_on_its_line() -> None:
    from email import message_from_bytes, policy

    raw = compose(
        key="k", recipient="li@example.org", subject=LONG_SUBJECT, body="正文", mail_from="ogi@example.org"
    ).as_bytes()
    lines = raw.split(b"\n")
    subject = next(i for i, line in enumerate(lines) if line.startswith(b"Subject:"))
    assert lines[subject].startswith(b"Subject: =?utf-8?b?"), "no empty first line before the words"
    assert all(len(line) <= 78 for line in lines[: lines.index(b"")])  # RFC 5322 line length
    # what a client shows: the modern parser (policy.default) decodes the RFC 2047 words
    shown = message_from_bytes(raw, policy=policy.default)["Subject"]
    assert shown == LONG_SUBJECT


def test_an_eml_file_is_named_for_the_local_part_of_its_message_id(tmp_path: Path) -> None:
    from delivery.mail import FileMailer

    msg = compose(key="case:1:reply_due:2026-10-26:5:u2", recipient="li@example.org", subject=LONG_SUBJECT,
                  body="正文", mail_from="ogi@example.org")  # fmt: skip
    FileMailer(tmp_path).connect().send(msg)
    (written,) = tmp_path.glob("*.eml")
    local = str(msg["Message-ID"]).strip("<>").split("@")[0]
    assert written.name == f"{local}.eml" and written.name.startswith("ogi.")

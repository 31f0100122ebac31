"""The data key that protects applicants' identity numbers (DESIGN §12; 个人信息保护法).

An identity number is stored only encrypted (AES-256-GCM, a random 96-bit nonce per value) beside
a keyed hash of it (HMAC-SHA256) that recognises the same applicant across cases without the
number. Both keys are derived (HKDF-SHA256) from one secret, ``OGI_DATA_KEY``; each stored value
names the key that wrote it, so ``ogi keys rotate`` can re-encrypt what older keys
(``OGI_DATA_KEY_PREVIOUS``) wrote. Without ``OGI_DATA_KEY`` a development installation keeps a
generated key in a file beside its SQLite database (saying so once); production refuses to start.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from config.i18n import _
from config.logging import FOR_READER
from config.settings import DATA_KEY_BYTES, data_key_bytes, get_settings
from workflow.errors import RuleViolation

log = logging.getLogger(__name__)
NONCE_BYTES = 12
# bound into every ciphertext: a value copied into another column or table does not decrypt
_AAD = b"ogi applicant identity number v1"
KEY_FILE_SUFFIX = ".key"


def generate_key() -> str:
    """A new random data key as OGI_DATA_KEY expects it."""
    return base64.urlsafe_b64encode(secrets.token_bytes(DATA_KEY_BYTES)).decode("ascii")


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


@dataclass(frozen=True)
class DataKey:
    secret: bytes

    @cached_property
    def key_id(self) -> str:
        """Names the key in each stored value (not secret: a hash of a derived key)."""
        return hashlib.sha256(_derive(self.secret, b"ogi key id")).hexdigest()[:12]

    @cached_property
    def _aead(self) -> AESGCM:
        return AESGCM(_derive(self.secret, b"ogi identity encryption"))

    @cached_property
    def _mac(self) -> bytes:
        return _derive(self.secret, b"ogi identity matching")

    def encrypt(self, text: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), _AAD)
        return base64.b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, stored: str) -> str:
        raw = base64.b64decode(stored)
        return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _AAD).decode("utf-8")

    def match_hash(self, number: str) -> str:
        return hmac.new(self._mac, number.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keyring:
    """The current key (writes and matches) and the previous ones (read until rotated away)."""

    current: DataKey
    previous: tuple[DataKey, ...] = ()

    def by_id(self, key_id: str) -> DataKey:
        for key in (self.current, *self.previous):
            if key.key_id == key_id:
                return key
        raise RuleViolation(
            "an identity number was encrypted with a key that is not configured (key {key_id}); "
            "set it in OGI_DATA_KEY_PREVIOUS and run `ogi keys rotate`",
            key_id=key_id,
        )

    def decrypt(self, key_id: str, stored: str) -> str:
        try:
            return self.by_id(key_id).decrypt(stored)
        except InvalidTag:
            raise RuleViolation("a stored identity number does not decrypt: it was altered") from None


def keyring() -> Keyring:
    """The configured keys (OGI_DATA_KEY, or development's key file; and OGI_DATA_KEY_PREVIOUS)."""
    s = get_settings()
    return _keyring(s.data_key or _development_key(s.sqlite_path), s.data_key_previous)


@lru_cache(maxsize=8)
def _keyring(current: str, previous: tuple[str, ...]) -> Keyring:
    return Keyring(DataKey(data_key_bytes(current)), tuple(DataKey(data_key_bytes(k)) for k in previous))


def key_file(database: Path) -> Path:
    """Development's key file: beside the SQLite database (ogi.db → ogi.db.key)."""
    return database.with_name(database.name + KEY_FILE_SUFFIX)


def _development_key(database: Path | None) -> str:
    if database is None:
        raise RuleViolation(
            "OGI_DATA_KEY is not set: with PostgreSQL it is required (`ogi keys generate` prints one)"
        )
    path = key_file(database)
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # readable by its owner only
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(generate_key() + "\n")
    log.warning(
        _(
            "OGI_DATA_KEY is not set: generated a data key into {path} (development only; "
            "keep it with the database, or set OGI_DATA_KEY)",
            path=path,
        ),
        extra=FOR_READER,  # the CLI says it once, in the reader's language (config.logging)
    )
    return path.read_text(encoding="ascii").strip()

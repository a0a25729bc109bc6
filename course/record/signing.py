"""An instructor's signing key: an Ed25519 key pair, its two files, and its fingerprint.

`ivstem keys new` writes the pair; `ivstem certificate issue` signs completion records with the
private key; anyone holding the public key checks them with `ivstem certificate --verify FILE
--key PUBLIC_KEY`.

Both files are small JSON documents that carry the name given to the key (who it belongs to,
as the instructor wrote it) beside the key itself, 32 bytes in base64:

    {"format": "ivstem-public-key", "version": 1, "name": "Dr Ada Ruiz, St Elsewhere",
     "algorithm": "ed25519", "public_key": "…", "fingerprint": "SHA256:…"}

The private file also holds the private key and is written readable by its owner only. The
fingerprint is SHA-256 of the raw public key in unpadded base64, as OpenSSH shows its keys;
it is recomputed on reading and a file whose fingerprint does not match is refused.

A signature is over a fixed context line and the record's canonical bytes, so that it cannot be
taken for a signature over anything else this key might ever sign.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.bounded_json import JsonLimitError, loads, read_limited
from course.paths import FILE_MODE

PUBLIC_FORMAT = "ivstem-public-key"
PRIVATE_FORMAT = "ivstem-private-key"
KEY_VERSION = 1
ALGORITHM = "ed25519"

PRIVATE_FILE = "ivstem-signing-key.json"
PUBLIC_FILE = "ivstem-signing-key.pub.json"

#: A key file larger than this is not one of ours.
MAX_KEY_FILE_BYTES = 16 * 1024
MAX_NAME = 200

CONTEXT = b"ivstem signed completion record v1\n"


class KeyFileError(Exception):
    """A key file that cannot be read or written; `str()` says why and what to do."""


def fingerprint(raw_public: bytes) -> str:
    """`SHA256:…`: SHA-256 of the raw public key in unpadded base64, as OpenSSH shows keys."""
    digest = hashlib.sha256(raw_public).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def check_name(name: str) -> str:
    """The name given to a key, trimmed; ValueError unless it is one line of printable text."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("give the key a name: who signs with it (a person, a school)")
    if len(cleaned) > MAX_NAME:
        raise ValueError(f"a key's name is at most {MAX_NAME} characters")
    if not cleaned.isprintable():
        raise ValueError("a key's name must be printable text (no control characters)")
    return cleaned


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key and the name given to it."""

    name: str
    raw: bytes

    @property
    def fingerprint(self) -> str:
        """`SHA256:…`, the key as people compare it."""
        return fingerprint(self.raw)

    @property
    def encoded(self) -> str:
        """The raw key in base64, as records and key files carry it."""
        return base64.b64encode(self.raw).decode("ascii")

    def verifies(self, signature: bytes, message: bytes) -> bool:
        """True when `signature` is this key's signature over `message` (with the context)."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, CONTEXT + message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def document(self) -> dict[str, Any]:
        """The public key file's content."""
        return {"format": PUBLIC_FORMAT, "version": KEY_VERSION, "name": self.name,
                "algorithm": ALGORITHM, "public_key": self.encoded,
                "fingerprint": self.fingerprint}


@dataclass(frozen=True, slots=True)
class PrivateKey:
    """A private key (its 32-byte seed) and the name given to it."""

    name: str
    seed: bytes

    @property
    def public(self) -> PublicKey:
        """The public half, with the same name."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        key = Ed25519PrivateKey.from_private_bytes(self.seed).public_key()
        return PublicKey(self.name, key.public_bytes(Encoding.Raw, PublicFormat.Raw))

    def sign(self, message: bytes) -> bytes:
        """The 64-byte signature over `message` (with the context)."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(CONTEXT + message)

    def document(self) -> dict[str, Any]:
        """The private key file's content."""
        return {"format": PRIVATE_FORMAT, "version": KEY_VERSION, "name": self.name,
                "algorithm": ALGORITHM,
                "private_key": base64.b64encode(self.seed).decode("ascii"),
                "public_key": self.public.encoded, "fingerprint": self.public.fingerprint}


def new_key(name: str) -> PrivateKey:
    """A fresh key pair under `name` (checked with `check_name`)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    seed = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return PrivateKey(check_name(name), seed)


# -- files ----------------------------------------------------------------------------------


def write_key_pair(key: PrivateKey, folder: Path) -> tuple[Path, Path]:
    """Write the private and public key files in `folder`; returns (private, public).

    Never overwrites: a key already there may have signed records, and losing it would leave
    them unverifiable, so an existing file is refused. The private file is created readable
    and writable by its owner only (0600) from its first byte.
    """
    private_path, public_path = folder / PRIVATE_FILE, folder / PUBLIC_FILE
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise KeyFileError(f"{path} already exists; ivstem never overwrites a key. Choose"
                               " another folder with -o, or move the old key away first.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(private_path, _text(key.document()), FILE_MODE)
        try:
            _write_new(public_path, _text(key.public.document()), 0o644)
        except OSError:
            with contextlib.suppress(OSError):
                private_path.unlink()
            raise
    except FileExistsError as exc:
        raise KeyFileError(f"{exc.filename} already exists; ivstem never overwrites a key.") \
            from exc
    except OSError as exc:
        raise KeyFileError(f"Cannot write the key in {folder}: {exc.strerror or exc}.") from exc
    return private_path, public_path


def _text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _write_new(path: Path, text: str, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), mode)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def read_public_key(path: Path) -> PublicKey:
    """The public key in `path` (a private key file gives its public half); KeyFileError if
    it is not a key file."""
    return read_key(path)[0]


def read_key(path: Path) -> tuple[PublicKey, bool]:
    """The public key in a public or private key file, and whether the file is the private one."""
    document = _read(path)
    if document.get("format") == PRIVATE_FORMAT:
        return _private_from(document, path).public, True
    if document.get("format") != PUBLIC_FORMAT:
        raise KeyFileError(f"{path} is not an ivstem public key (`ivstem keys new` makes one).")
    _check_version(document, path)
    name = _name_of(document, path)
    raw = _key_bytes(document.get("public_key"), path, "public_key")
    _check_fingerprint(document, raw, path)
    return PublicKey(name, raw), False


def read_private_key(path: Path) -> PrivateKey:
    """The private key in `path`; KeyFileError if it is not one (a public key, say)."""
    document = _read(path)
    if document.get("format") == PUBLIC_FORMAT:
        raise KeyFileError(f"{path} is a public key; signing needs the private key that"
                           f" `ivstem keys new` wrote beside it ({PRIVATE_FILE}).")
    if document.get("format") != PRIVATE_FORMAT:
        raise KeyFileError(f"{path} is not an ivstem private key (`ivstem keys new` makes one).")
    return _private_from(document, path)


def readable_by_others(path: Path) -> bool:
    """True when the file's mode lets other accounts read it (never on systems without modes)."""
    if os.name != "posix":
        return False
    try:
        return bool(path.stat().st_mode & 0o077)
    except OSError:
        return False


def _private_from(document: dict[str, Any], path: Path) -> PrivateKey:
    _check_version(document, path)
    name = _name_of(document, path)
    key = PrivateKey(name, _key_bytes(document.get("private_key"), path, "private_key"))
    stated = document.get("public_key")
    if stated is not None and _key_bytes(stated, path, "public_key") != key.public.raw:
        raise KeyFileError(f"{path} is damaged: its public key is not the half of its private"
                           " key.")
    return key


def _read(path: Path) -> dict[str, Any]:
    try:
        if path.is_dir():
            raise KeyFileError(f"{path} is a folder, not a key file.")
        with path.open("rb") as stream:
            raw = read_limited(stream, MAX_KEY_FILE_BYTES)
        document = loads(raw.decode("utf-8"))
    except JsonLimitError as exc:
        raise KeyFileError(f"{path} is not an ivstem key file: {exc}.") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise KeyFileError(f"{path} is not an ivstem key file (it is not JSON).") from exc
    except OSError as exc:
        raise KeyFileError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if not isinstance(document, dict):
        raise KeyFileError(f"{path} is not an ivstem key file.")
    return document


def _check_version(document: dict[str, Any], path: Path) -> None:
    version = document.get("version")
    if type(version) is not int or version < 1:
        raise KeyFileError(f"{path} is not an ivstem key file (its version is missing).")
    if version > KEY_VERSION:
        raise KeyFileError(f"{path} was made by a newer ivstem (key file version {version});"
                           " update ivstem to use it.")
    if document.get("algorithm") != ALGORITHM:
        raise KeyFileError(f"{path} holds a key of a kind ivstem does not use (it uses"
                           f" {ALGORITHM}).")


def _name_of(document: dict[str, Any], path: Path) -> str:
    name = document.get("name")
    try:
        if not isinstance(name, str):
            raise ValueError("it has no name")
        return check_name(name)
    except ValueError as exc:
        raise KeyFileError(f"{path} is damaged: {exc}.") from exc


def _key_bytes(value: Any, path: Path, field: str) -> bytes:
    try:
        if not isinstance(value, str):
            raise ValueError
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError, binascii.Error):
        raw = b""
    if len(raw) != 32:
        raise KeyFileError(f"{path} is damaged: its {field} is not a key.")
    return raw


def _check_fingerprint(document: dict[str, Any], raw: bytes, path: Path) -> None:
    stated = document.get("fingerprint")
    if stated is not None and stated != fingerprint(raw):
        raise KeyFileError(f"{path} is damaged: its fingerprint is not that of its key.")

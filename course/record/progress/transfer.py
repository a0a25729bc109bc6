"""Carrying a learner's record to another machine: export to a JSON file and merge it back.

The file is versioned and checksummed:

    {"format": "ivstem-progress", "version": 2, "exported_at": "...", "program": "ivstem 0.1.0",
     "learner": "alice", "records": {"answers": [...], ...}, "checksum": "sha256:..."}

Version 2 added `review_cards` (the spaced-review schedule). Files of version 1 are still read;
they simply bring no cards. The version went up so that an older ivstem meeting a new file says
"exported by a newer ivstem" rather than "not a kind of record ivstem keeps".

The checksum is the SHA-256 of the canonical JSON of everything else (sorted keys, no spaces,
UTF-8), so an edited or truncated file is refused. It detects changes, it does not prove who
made the file: anyone with ivstem can write a valid one.

Import is a merge, never a replacement, and it is idempotent: every answer, quiz attempt and
stretch of time carries a uid, and records already present are skipped, so importing the same
file twice changes nothing. Of two review cards for one question, the one reviewed last wins.
(A record deleted by `progress reset` comes back if an older export that still has it is
imported.)
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course import __version__
from course.paths import FILE_MODE
from course.record.progress.dump import RECORD_KINDS, MergeReport
from course.record.progress.learners import InvalidLearnerNameError, validate_learner_name
from course.record.progress.record import WHERES
from course.record.progress.store import ProgressStore
from course.record.progress.values import (
    MAX_ANSWER_JSON,
    MAX_POSITION_JSON,
    MAX_SECONDS,
    MAX_STATE_JSON,
)

FORMAT = "ivstem-progress"
VERSION = 2
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_UID = 64


class TransferError(Exception):
    """An export or import that cannot be done; `str()` says why and what to do."""


@dataclass(frozen=True, slots=True)
class ProgressFile:
    """A checked export file: whose record it is, and the records, validated and normalised."""

    learner: str
    exported_at: str
    records: dict[str, list[dict[str, Any]]]


# -- export ---------------------------------------------------------------------------------


def export_document(
    store: ProgressStore, learner: str, *, now: datetime | None = None
) -> dict[str, Any]:
    """The export document for a learner (every course), checksum included."""
    name = store.learner_name(learner) or validate_learner_name(learner)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "program": f"ivstem {__version__}",
        "learner": name,
        "records": store.dump(name),
    }
    document["checksum"] = checksum(document)
    return document


def checksum(document: Mapping[str, Any]) -> str:
    """`sha256:<hex>` of the canonical JSON of `document` without its "checksum" key."""
    body = {key: value for key, value in document.items() if key != "checksum"}
    canonical = json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def render(document: Mapping[str, Any]) -> str:
    """The text of an export file."""
    return json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_export(
    document: Mapping[str, Any], destination: Path, *, store_path: Path | None
) -> None:
    """Write an export file atomically, readable by its owner only (it holds the answers).

    A half-written file never replaces a good one: the text goes to a temporary file in the same
    folder first. Refuses to overwrite the progress store itself or a folder.
    """
    if destination.is_dir():
        raise TransferError(f"{destination} is a folder; give a file name, such as progress.json.")
    if store_path is not None and _same_file(destination, store_path):
        raise TransferError(
            f"{destination} is the progress store itself; export to another file,"
            " such as progress.json."
        )
    folder = destination.parent
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=folder)
    except OSError as exc:
        raise TransferError(f"Cannot write {destination}: {_reason(exc)}.") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(render(document))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, destination)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise TransferError(f"Cannot write {destination}: {_reason(exc)}.") from exc


# -- import ---------------------------------------------------------------------------------


def read_progress_file(path: Path) -> ProgressFile:
    """Read and check an export file; raise TransferError with one clear message if it is bad."""
    try:
        if path.is_dir():
            raise TransferError(f"{path} is a folder, not a progress file.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TransferError(f"{path} is too large to be an ivstem progress file.")
        raw = path.read_bytes()
    except OSError as exc:
        raise TransferError(f"Cannot read {path}: {_reason(exc)}.") from exc
    return parse_progress_file(raw, str(path))


def parse_progress_file(raw: bytes, name: str = "the file") -> ProgressFile:
    """Check the bytes of an export file: format, version, checksum, then every record."""
    not_ours = f"{name} is not an ivstem progress file"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TransferError(f"{not_ours} (it is not UTF-8 text).") from exc
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_nan)
    except ValueError as exc:
        raise TransferError(f"{not_ours} (it is not valid JSON: {exc}).") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(f"{not_ours}; such files are made by `ivstem progress export FILE`.")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TransferError(f"{not_ours} (its version is missing or not a whole number).")
    if version > VERSION:
        raise TransferError(
            f"{name} was exported by a newer ivstem (file version {version}; this ivstem reads"
            f" version {VERSION}). Update ivstem to import it."
        )
    stated = document.get("checksum")
    if not isinstance(stated, str) or not hmac.compare_digest(stated, checksum(document)):
        raise TransferError(
            f"{name} has been changed since it was exported (its checksum does not match),"
            " so nothing was imported. Export it again from the machine it came from."
        )
    problem = f"{name} cannot be imported:"
    named = document.get("learner")
    if not isinstance(named, str):
        raise TransferError(f"{problem} it names no learner.")
    try:
        learner = validate_learner_name(named)
    except InvalidLearnerNameError as exc:
        raise TransferError(f"{problem} learner: {exc}.") from exc
    exported_at = document.get("exported_at")
    if not isinstance(exported_at, str):
        raise TransferError(f"{problem} exported_at is missing.")
    records = document.get("records")
    if not isinstance(records, dict):
        raise TransferError(f"{problem} records is missing.")
    unknown = sorted(set(records) - set(RECORD_KINDS))
    if unknown:
        raise TransferError(f"{problem} records.{unknown[0]} is not a kind of record ivstem keeps.")
    checked: dict[str, list[dict[str, Any]]] = {}
    for kind in RECORD_KINDS:
        items = records.get(kind, [])
        if not isinstance(items, list):
            raise TransferError(f"{problem} records.{kind} must be a list.")
        checked[kind] = [
            _check_record(kind, item, f"records.{kind}[{index}]", problem)
            for index, item in enumerate(items)
        ]
    return ProgressFile(learner=learner, exported_at=exported_at, records=checked)


def import_progress(
    store: ProgressStore, progress: ProgressFile, learner: str | None = None
) -> MergeReport:
    """Merge a checked file into `learner`, or into the learner named in the file when None."""
    target = progress.learner if learner is None else validate_learner_name(learner)
    return store.merge(target, progress.records)


# -- record checks --------------------------------------------------------------------------

Check = Callable[[Any], Any]


def _check_record(kind: str, item: object, at: str, problem: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise TransferError(f"{problem} {at} must be an object.")
    fields = _FIELDS[kind]
    missing = [key for key in fields if key not in item]
    if missing:
        raise TransferError(f"{problem} {at} has no {missing[0]!r}.")
    extra = sorted(set(item) - set(fields))
    if extra:
        raise TransferError(f"{problem} {at} has an unknown field {extra[0]!r}.")
    result: dict[str, Any] = {}
    for key, check in fields.items():
        try:
            result[key] = check(item[key])
        except (TypeError, ValueError) as exc:
            raise TransferError(f"{problem} {at}.{key} {exc}.") from exc
    return result


def _id(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 200 or not value.isprintable():
        raise ValueError("must be a non-empty id")
    return value


def _optional_id(value: Any) -> str | None:
    return None if value is None else _id(value)


def _uid(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_UID or not value.isprintable():
        raise ValueError("must be a record id")
    return value


def _where(value: Any) -> str:
    if value not in WHERES:
        raise ValueError(f"must be one of {', '.join(sorted(WHERES))}")
    return str(value)


def _json_text(limit: int) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError("must be JSON text")
        json.loads(value)
        return value

    return check


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("must be a number")
    if value < 0:
        raise ValueError("must not be negative")
    return float(value)


def _score(value: Any) -> float:
    number = _number(value)
    if number > 1:
        raise ValueError("must be from 0 to 1")
    return number


def _seconds(value: Any) -> float:
    number = _number(value)
    if not 0 < number <= MAX_SECONDS:
        raise ValueError(f"must be above 0 and at most {MAX_SECONDS}")
    return number


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number of at least 0")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _position(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or len(json.dumps(value)) > MAX_POSITION_JSON:
        raise ValueError("must be a small object")
    return value


def _card(value: Any) -> str:
    from course.record.progress.scheduling import read_card

    if not isinstance(value, str):
        raise ValueError("must be a review card as JSON text")
    read_card(value)
    return value


def _stamp(value: Any) -> str:
    """A timezone-aware ISO 8601 time, rewritten in the store's one UTC form so order holds."""
    if not isinstance(value, str):
        raise ValueError("must be a time")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("must be a time with a time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_FIELDS: dict[str, dict[str, Check]] = {
    "answers": {
        "uid": _uid, "course": _id, "module": _optional_id, "lesson": _optional_id,
        "question": _id, "where": _where, "answer": _json_text(MAX_ANSWER_JSON),
        "score": _score, "points": _number, "hints_used": _count, "at": _stamp,
    },
    "steps": {"course": _id, "module": _id, "lesson": _id, "step": _count, "at": _stamp},
    "lessons": {"course": _id, "module": _id, "lesson": _id, "at": _stamp},
    "quiz_states": {"course": _id, "module": _id, "state": _json_text(MAX_STATE_JSON),
                    "at": _stamp},
    "quiz_attempts": {
        "uid": _uid, "course": _id, "module": _id, "score": _score, "points": _number,
        "passed": _flag, "state": _json_text(MAX_STATE_JSON), "at": _stamp,
    },
    "modules_passed": {"course": _id, "module": _id, "at": _stamp},
    "positions": {"course": _id, "position": _position, "at": _stamp},
    "time": {"uid": _uid, "course": _id, "module": _id, "seconds": _seconds, "at": _stamp},
    "review_cards": {"course": _id, "question": _id, "module": _optional_id,
                     "lesson": _optional_id, "card": _card, "due": _stamp, "at": _stamp},
}


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _no_nan(constant: str) -> Any:
    raise ValueError(f"{constant} is not a number JSON allows")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)

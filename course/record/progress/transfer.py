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

Reading is bounded: a file over `MAX_FILE_BYTES` (16 MB, far more than years of study make) is
refused after reading no more than that, from a file or from standard input, and JSON nested
deeper than `course.bounded_json.MAX_DEPTH` levels, in the file or in the answers and quiz
states inside it, is refused with a message instead of a RecursionError.

A file with a good checksum can still hold records that cannot be right, since anyone can
recompute the checksum: a time later than the file was exported (or than this machine's clock
allows) or before 2000, points beyond any question's worth. Such records are left out, each
with its reason (`ProgressFile.skipped`), and the rest is imported. What only the course can
tell (a pass without a passing attempt, points above a question's worth) is checked by
`course.record.vetting`.

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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from course import __version__
from course.bounded_json import (
    MAX_DEPTH,
    JsonLimitError,
    describe_size,
    loads,
    read_limited,
)
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
#: The largest export read: ten times what a learner who finished the shipped course with a
#: thousand answers and a hundred quiz attempts exports (1.6 MB).
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_UID = 64
#: No question or quiz is worth more (the points a record says it earned are checked).
MAX_POINTS = 10_000.0
#: The largest whole number a record holds (a step number, hints used): SQLite's own limit is
#: far above, and no course comes near.
MAX_COUNT = 2**31 - 1
#: Nothing ivstem recorded can be older: a time before this is a clock that was wrong.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
#: How far ahead of this machine's clock another machine's may run: time zones set wrong and
#: clocks never synchronised, but not years.
CLOCK_SLACK = timedelta(days=1)
#: The furthest ahead of its last review a card can be due: `scheduling.MAXIMUM_INTERVAL` and a
#: day (not imported from there, which would load the scheduler at every start).
LONGEST_REVIEW = timedelta(days=3650 + 1)


class TransferError(Exception):
    """An export or import that cannot be done; `str()` says why and what to do."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record of a file left out because it cannot be right.

    `record` names it as a person finds it ("a quiz attempt (course c, module m)"); `reason`
    says what is wrong with it.
    """

    record: str
    reason: str

    def __str__(self) -> str:
        return f"{self.record}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ProgressFile:
    """A checked export file: whose record it is, the records that can be right, validated and
    normalised, and the ones left out with their reasons."""

    learner: str
    exported_at: str
    records: dict[str, list[dict[str, Any]]]
    skipped: tuple[Skipped, ...] = field(default=())

    def without(self, skipped: Mapping[str, Mapping[int, str]]) -> ProgressFile:
        """This file less some more records: {kind: {index in `records[kind]`: reason}}."""
        if not any(skipped.values()):
            return self
        records = {kind: [item for index, item in enumerate(items)
                          if index not in skipped.get(kind, {})]
                   for kind, items in self.records.items()}
        more = [Skipped(described(kind, self.records[kind][index]), reason)
                for kind, reasons in skipped.items() for index, reason in sorted(reasons.items())]
        return replace(self, records=records, skipped=(*self.skipped, *more))


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


def read_progress_file(path: Path, *, now: datetime | None = None) -> ProgressFile:
    """Read and check an export file; raise TransferError with one clear message if it is bad.

    At most `MAX_FILE_BYTES` are read, whatever the file's size.
    """
    try:
        if path.is_dir():
            raise TransferError(f"{path} is a folder, not a progress file.")
        with path.open("rb") as stream:
            return read_progress_stream(stream, str(path), now=now)
    except OSError as exc:
        raise TransferError(f"Cannot read {path}: {_reason(exc)}.") from exc


def read_progress_stream(
    stream: IO[bytes], name: str, *, now: datetime | None = None
) -> ProgressFile:
    """Read and check an export from a stream (standard input), reading at most the limit."""
    try:
        raw = read_limited(stream, MAX_FILE_BYTES)
    except JsonLimitError as exc:
        raise TransferError(
            f"{name} is not an ivstem progress file: {exc}, the most an export can be;"
            " nothing was imported."
        ) from exc
    return parse_progress_file(raw, name, now=now)


def parse_progress_file(
    raw: bytes, name: str = "the file", *, now: datetime | None = None
) -> ProgressFile:
    """Check the bytes of an export file: format, version, checksum, then every record.

    Records that are well formed but cannot be right against `now` (the clock) are left out and
    listed in `skipped`; anything malformed refuses the whole file with TransferError.
    """
    not_ours = f"{name} is not an ivstem progress file"
    if len(raw) > MAX_FILE_BYTES:
        raise TransferError(f"{not_ours}: it is larger than {describe_size(MAX_FILE_BYTES)}.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TransferError(f"{not_ours} (it is not UTF-8 text).") from exc
    try:
        document = loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_nan)
    except JsonLimitError as exc:
        raise TransferError(f"{not_ours}: {exc} (an export is four levels deep).") from exc
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
    try:
        exported = datetime.fromisoformat(_stamp(exported_at))
    except ValueError as exc:
        raise TransferError(f"{problem} exported_at {exc}.") from exc
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
    progress = ProgressFile(learner=learner, exported_at=exported_at, records=checked)
    return progress.without(_implausible(checked, exported, now or datetime.now(UTC)))


def import_progress(
    store: ProgressStore, progress: ProgressFile, learner: str | None = None
) -> MergeReport:
    """Merge a checked file into `learner`, or into the learner named in the file when None."""
    target = progress.learner if learner is None else validate_learner_name(learner)
    return store.merge(target, progress.records)


# -- plausibility ---------------------------------------------------------------------------


def _implausible(
    records: Mapping[str, list[dict[str, Any]]], exported: datetime, now: datetime
) -> dict[str, dict[int, str]]:
    """{kind: {index: reason}} for the records that cannot be right, by the clock and limits.

    No record can be later than the file was exported (the stamp is written whole seconds, so
    one second of slack), nor, if the file claims to come from the future, than this machine's
    clock allows.
    """
    latest = now.astimezone(UTC) + CLOCK_SLACK
    after = "later than this machine's clock allows"
    if exported < latest:
        latest, after = exported + timedelta(seconds=1), "later than the file was exported"
    skipped: dict[str, dict[int, str]] = {}
    for kind, items in records.items():
        for index, item in enumerate(items):
            reason = _time_reason(item["at"], latest, after)
            if reason is None and kind == "review_cards":
                reason = _time_reason(
                    item["due"], datetime.fromisoformat(item["at"]) + LONGEST_REVIEW,
                    "more than 10 years after it was last reviewed", "due")
            if reason is None and item.get("points", 0.0) > MAX_POINTS:
                reason = (f"it says it earned {item['points']:g} points; no question or quiz is"
                          f" worth more than {MAX_POINTS:g}")
            if reason is not None:
                skipped.setdefault(kind, {})[index] = reason
    return skipped


def _time_reason(stamp: str, latest: datetime, after: str, name: str = "dated") -> str | None:
    moment = datetime.fromisoformat(stamp)
    if moment > latest:
        return f"{name} {_shown(moment)}, {after}"
    if moment < EARLIEST:
        return f"{name} {_shown(moment)}, before {EARLIEST.year}: a clock that was wrong"
    return None


def _shown(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


_ONE = {
    "answers": "an answer", "steps": "a step reached", "lessons": "a lesson completed",
    "quiz_states": "a quiz in progress", "quiz_attempts": "a quiz attempt",
    "modules_passed": "a module passed", "positions": "a position", "time": "a study session",
    "review_cards": "a review card",
}


def described(kind: str, item: Mapping[str, Any]) -> str:
    """`an answer (course c, module m, question q)`: a record as a person finds it."""
    names = [f"{key} {item[key]}" for key in ("course", "module", "lesson", "question")
             if isinstance(item.get(key), str)]
    return f"{_ONE[kind]} ({', '.join(names)})"


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
        try:
            loads(value)
        except JsonLimitError as exc:
            raise ValueError(f"must be JSON nested at most {MAX_DEPTH} levels deep") from exc
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
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise ValueError(f"must be a whole number from 0 to {MAX_COUNT}")
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
    try:
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    except OverflowError as exc:  # year 1 or 9999, moved across midnight by the time zone
        raise ValueError("must be a time between the years 1 and 9999 in UTC") from exc


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

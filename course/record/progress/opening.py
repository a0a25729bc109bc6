"""Opening the progress store: its file, recovery from damage, the errors, and transactions.

Built for lab machines. Each write is one transaction, committed (`synchronous=FULL`) before the
method returns, so an answer the learner sees feedback for is already on disk. The rollback journal
(`journal_mode=DELETE`) is used rather than WAL because home folders are often network mounts,
where WAL's shared memory does not work. Writes take the lock up front (`BEGIN IMMEDIATE`) and wait
for another process (`busy_timeout`), so two `ivstem` processes for one learner neither lose nor
double anything. A damaged file is moved aside and a fresh store started; a store written by a
newer ivstem is refused untouched; a folder that cannot be written leaves a store in memory.

One store may be used from several threads (the interface calls it from a worker): calls are
serialised by a lock.

`StoreBase` holds the connection, the lock, the clock and the two transactions (`_writing`,
`_reading`); every other part of `ProgressStore` builds on it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from course.paths import (
    ENV_VAR,
    DataDir,
    create_private_file,
    ensure_private_dir,
    resolve_data_dir,
)
from course.record.progress import schema
from course.record.progress.values import format_stamp

Clock = Callable[[], datetime]

#: How long a write waits for another ivstem process before giving up (seconds).
DEFAULT_TIMEOUT = 10.0

#: Stores up to this size have every page checked when opened (about 20,000 answers; a few tens
#: of milliseconds on a local disk). Bigger ones are checked fully only after damage was seen.
FULL_CHECK_MAX_BYTES = 8 * 1024 * 1024


# -- errors -----------------------------------------------------------------------------------


class StoreError(Exception):
    """A problem with the progress store; `str()` is a message fit to show the learner."""


class StoreUnavailableError(StoreError):
    """The data folder or store file cannot be created or written."""


class NewerStoreError(StoreError):
    """The store was written by a newer ivstem; it is left exactly as it was."""


class ForeignStoreError(StoreError):
    """The file is an SQLite database, but not an ivstem progress store; it is left alone."""


class NotSavedError(StoreError):
    """A write did not happen: whatever it was meant to record is not saved."""


class StoreFullError(NotSavedError):
    """The disk (or the store's size limit) is full."""


class StoreBusyError(NotSavedError):
    """Another process held the store locked for longer than the timeout."""


class StoreReadError(StoreError):
    """The store could not be read."""


# -- the connection ---------------------------------------------------------------------------


class StoreBase:
    """The store's connection, lock and clock, how it is opened, and its transactions.

    Open it with `open()`, `in_memory()` or `open_or_memory()`. `notices` holds messages the
    learner must see (a damaged file moved aside, progress not being saved); `persistent` is
    false for an in-memory store.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        path: Path | None,
        *,
        notices: Sequence[str] = (),
        clock: Clock | None = None,
    ) -> None:
        """Wrap an open, migrated connection; use the `open` class methods instead."""
        self._db = db
        self._lock = threading.RLock()
        self._clock: Clock = clock or _utc_now
        self.path = path
        self.notices: list[str] = list(notices)

    # opening and closing ----------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Self:
        """Open (creating if needed) the store in the data folder.

        `data_dir` is the --data-dir option; without it $IVSTEM_DATA_DIR, then the user data
        folder, are used. Raises StoreUnavailableError (folder or file not writable),
        NewerStoreError or ForeignStoreError. A damaged store is moved aside to
        `progress.sqlite3.corrupt-<time>`, a fresh one started, and a notice added.
        """
        where = resolve_data_dir(data_dir)
        _prepare_folder(where)
        path = where.store_path
        notices: list[str] = []
        for _ in range(2):
            try:
                create_private_file(path)
            except OSError as exc:
                raise StoreUnavailableError(_unwritable_message(where.path, exc)) from exc
            if not os.access(path, os.R_OK | os.W_OK):
                raise StoreUnavailableError(
                    _unwritable_message(where.path, PermissionError("the file is read-only"))
                )
            try:
                db = _connect(path, timeout)
            except sqlite3.Error as exc:
                raise StoreUnavailableError(_unwritable_message(where.path, exc)) from exc
            try:
                _prepare(db, path)
            except _Damaged as damage:
                db.close()
                aside = _move_aside(path)
                _damage_marker(path).unlink(missing_ok=True)
                notices.append(
                    f"Your progress file {path} could not be read ({damage}). It was moved aside"
                    f" to {aside.name} and a fresh record was started. Keep that file if you"
                    " want help recovering it."
                )
                continue
            except BaseException:
                db.close()
                raise
            return cls(db, path, notices=notices, clock=clock)
        raise StoreUnavailableError(  # pragma: no cover - a fresh file is never damaged
            f"A fresh progress store in {where.path} could not be started."
        )

    @classmethod
    def in_memory(cls, *, clock: Clock | None = None, notices: Sequence[str] = ()) -> Self:
        """A store that lives only as long as this process: nothing is saved."""
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN IMMEDIATE")
        schema.migrate(db, 0)
        db.execute("COMMIT")
        return cls(db, None, notices=notices, clock=clock)

    @classmethod
    def open_or_memory(
        cls, data_dir: str | os.PathLike[str] | None = None, *, clock: Clock | None = None
    ) -> Self:
        """Open the store, or fall back to memory with a "NOT being saved" notice.

        For the interface: a learner on a machine where the store cannot be written can still
        study, warned that nothing is kept.
        """
        try:
            return cls.open(data_dir, clock=clock)
        except StoreError as exc:
            return cls.in_memory(
                clock=clock,
                notices=[str(exc), "Your progress is NOT being saved in this session."],
            )

    @property
    def persistent(self) -> bool:
        """Whether records outlive this process (false for an in-memory store)."""
        return self.path is not None

    def close(self) -> None:
        """Close the connection; every write was already committed."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        """Use as a context manager that closes the store."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
        self.close()

    # the clock and transactions -----------------------------------------------------------

    def now(self) -> datetime:
        """The store's clock: the moment answers are stamped with and cards scheduled from."""
        return self._clock()

    def _stamp(self) -> str:
        """The clock's present moment, as the store keeps times."""
        return format_stamp(self._clock())

    def _mark_damaged(self, exc: sqlite3.Error) -> None:
        """Leave a note beside the store so that the next opening checks every page of it."""
        if self.path is not None:
            with contextlib.suppress(OSError):
                create_private_file(_damage_marker(self.path))
                _damage_marker(self.path).write_text(f"{self._stamp()} {exc}\n")

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed on leaving; sqlite errors become NotSavedError."""
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(db)
                if _is_damage(exc):
                    self._mark_damaged(exc)
                raise _not_saved(exc, self.path) from exc
            except BaseException:
                _rollback(db)
                raise

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so several queries see the same moment."""
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN")
                yield db
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(db)
                if _is_damage(exc):
                    self._mark_damaged(exc)
                    raise StoreReadError(_DAMAGED_AT_RUNTIME) from exc
                raise StoreReadError(f"Your progress could not be read: {exc}.") from exc
            except BaseException:
                _rollback(db)
                raise


# -- helpers: opening -------------------------------------------------------------------------


class _Damaged(Exception):
    """The store file is not a readable SQLite database (internal: triggers moving it aside)."""


_DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

_DAMAGED_AT_RUNTIME = (
    "Your progress file is damaged, so this could not be done. Restart ivstem: it will move the"
    " damaged file aside and start a fresh record."
)


def _is_damage(exc: sqlite3.Error) -> bool:
    return exc.sqlite_errorcode & 0xFF in _DAMAGE_CODES


def _damage_marker(path: Path) -> Path:
    return path.with_name(path.name + ".damaged")


def _prepare_folder(where: DataDir) -> None:
    try:
        ensure_private_dir(where.path, tighten=where.source == "default")
        # Root and some ACL setups pass os.access yet cannot write: try it for real. SQLite also
        # needs to create its journal beside the store.
        fd, probe = tempfile.mkstemp(prefix=".ivstem-probe-", dir=where.path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise StoreUnavailableError(_unwritable_message(where.path, exc)) from exc


def _unwritable_message(folder: Path, exc: BaseException) -> str:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return (
        f"Progress cannot be saved in {folder}: {reason}. Choose a folder you can write to with"
        f" --data-dir DIR, or set the {ENV_VAR} environment variable."
    )


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    # check_same_thread=False: the interface calls from worker threads; self._lock serialises.
    db = sqlite3.connect(
        path, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return db


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    """Check and migrate a freshly opened store; raise _Damaged if it cannot be read."""
    try:
        # Read first, change nothing, until we know the store is ours and not from the future.
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        application_id = int(db.execute("PRAGMA application_id").fetchone()[0])
        if application_id not in (0, schema.APPLICATION_ID):
            raise ForeignStoreError(
                f"{path} is a database, but not an ivstem progress store; it was left as it is."
                f" Move it away, or choose another folder with --data-dir DIR or {ENV_VAR}."
            )
        _refuse_newer(version, path)
        # Reading the schema finds a damaged header or schema page at once. Checking every page
        # reads the whole file, which on a network home can take seconds for a big store: it is
        # done when that is cheap, or when a damaged page was met while the store was in use.
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        marker = _damage_marker(path)
        if marker.exists() or path.stat().st_size <= FULL_CHECK_MAX_BYTES:
            # quick_check, not integrity_check: every page, without the index cross-checks.
            problems = [row[0] for row in db.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise _Damaged(problems[0])
            marker.unlink(missing_ok=True)
        mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise StoreUnavailableError(f"The progress store {path} could not be prepared.")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        if version < schema.newest_version():
            db.execute("BEGIN IMMEDIATE")
            try:
                # Another ivstem may have migrated while we waited for the lock.
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                _refuse_newer(version, path)
                if version < schema.newest_version():
                    schema.migrate(db, version)
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
    except sqlite3.Error as exc:
        if _is_damage(exc):
            raise _Damaged(str(exc)) from exc
        raise _opening_error(exc, path) from exc


def _refuse_newer(version: int, path: Path) -> None:
    if version > schema.newest_version():
        raise NewerStoreError(
            f"Your progress in {path} was saved by a newer version of ivstem (store version"
            f" {version}; this ivstem reads up to {schema.newest_version()}). It was not changed."
            " Update ivstem to continue, or use --data-dir DIR to keep a separate record"
            " with this version."
        )


def _opening_error(exc: sqlite3.Error, path: Path) -> StoreError:
    code = exc.sqlite_errorcode & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError(
            f"The progress store {path} is locked by another program. Close other ivstem"
            " windows and try again."
        )
    if code == sqlite3.SQLITE_FULL:
        return StoreFullError(f"The disk holding {path} is full; free some space and try again.")
    return StoreUnavailableError(_unwritable_message(path.parent, exc))


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    os.replace(path, aside)
    # A leftover journal belongs to the damaged file: never let SQLite replay it into the new one.
    journal = path.with_name(path.name + "-journal")
    if journal.exists():
        os.replace(journal, aside.with_name(aside.name + "-journal"))
    return aside


# -- helpers: writing -------------------------------------------------------------------------


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")


def _not_saved(exc: sqlite3.Error, path: Path | None) -> NotSavedError:
    code = exc.sqlite_errorcode & 0xFF
    where = f" in {path.parent}" if path is not None else ""
    if code in _DAMAGE_CODES:
        return NotSavedError(f"Not saved. {_DAMAGED_AT_RUNTIME}")
    if code == sqlite3.SQLITE_FULL:
        return StoreFullError(f"Not saved: the disk{where} is full. Free some space and try again.")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError(
            "Not saved: the progress store is locked by another program (another ivstem window?)."
            " Try again."
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return NotSavedError(
            f"Not saved: the progress store{where} cannot be written. Choose a folder you can"
            f" write to with --data-dir DIR or {ENV_VAR}."
        )
    return NotSavedError(f"Not saved: {exc}.")


def _utc_now() -> datetime:
    return datetime.now(UTC)

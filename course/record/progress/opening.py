"""Opening the progress store: its file, recovery from damage, the errors, and transactions.

Built for lab machines. Each write is one transaction, committed (`synchronous=FULL`) before the
method returns, so an answer the learner sees feedback for is already on disk. The rollback journal
(`journal_mode=DELETE`) is used rather than WAL because home folders are often network mounts,
where WAL's shared memory does not work. Writes take the lock up front (`BEGIN IMMEDIATE`) and wait
for another process (`busy_timeout`), so two `ivstem` processes for one learner neither lose nor
double anything; a wait of more than a moment is told (`on_wait`), never silent. A damaged file
is moved aside and a fresh store started; a store written by a newer ivstem, or a database of
another program, is refused untouched; a folder that cannot be written leaves a store in memory
for studying, and is read as it is for commands that only read (`open_for_reading`).

One store may be used from several threads (the interface calls it from a worker): calls are
serialised by a lock.

`StoreBase` holds the connection, the lock, the clock and the two transactions (`_writing`,
`_reading`); every other part of `ProgressStore` builds on it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
import threading
import time
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

#: How long a wait for another process's lock goes untold (seconds): other ivstem windows hold
#: the file for milliseconds; longer than this, the learner is told what is happening.
NOTICE_AFTER = 1.0

#: How long a session's start waits for a store another process holds locked (seconds), before
#: it gives up and says so, rather than show none of the learner's progress.
START_WAIT = 60.0

#: Told to `on_wait`; the front end says it where the learner looks.
Waiting = Callable[[str], None]

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
        timeout: float = DEFAULT_TIMEOUT,
        on_wait: Waiting | None = None,
    ) -> None:
        """Wrap an open, migrated connection; use the `open` class methods instead."""
        self._db = db
        self._lock = threading.RLock()
        self._clock: Clock = clock or _utc_now
        self.path = path
        self.notices: list[str] = list(notices)
        self.timeout = timeout
        #: Called (from the thread that waits) when another process has held the file longer
        #: than NOTICE_AFTER: the front end tells the learner that ivstem is waiting.
        self.on_wait = on_wait
        # The last transaction gave up on a lock still held: the next waits only a moment, so
        # that a learner is not kept waiting the whole timeout at every step while it lasts.
        self._blocked = False

    # opening and closing ----------------------------------------------------------------

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        timeout: float | None = None,
        wait: float | None = None,
        on_wait: Waiting | None = None,
    ) -> Self:
        """Open (creating if needed) the store in the data folder.

        `data_dir` is the --data-dir option; without it $IVSTEM_DATA_DIR, then the user data
        folder, are used. Raises StoreUnavailableError (folder or file not writable, or not a
        file), NewerStoreError, ForeignStoreError, or StoreBusyError when another process keeps
        the file locked for `wait` seconds (default: `timeout`), telling `on_wait` once it has
        waited a moment. A damaged store is moved aside to `progress.sqlite3.corrupt-<time>`,
        a fresh one started, and a notice added; so is an empty file taken as new, and said.
        `timeout` is how long each later read or write waits for a lock (DEFAULT_TIMEOUT).
        """
        timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        where = resolve_data_dir(data_dir)
        path = where.store_path
        _refuse_odd_file(path)
        _prepare_folder(where)
        notices: list[str] = []
        waited = _Waited(path, timeout if wait is None else wait, on_wait)
        for _ in range(2):
            try:
                empty = path.is_file() and path.stat().st_size == 0
                create_private_file(path)
            except OSError as exc:
                raise StoreUnavailableError(_unwritable_message(where.path, exc)) from exc
            if not os.access(path, os.R_OK | os.W_OK):
                raise StoreUnavailableError(
                    _unwritable_message(where.path, PermissionError("the file is read-only"))
                )
            try:
                db = _connect_waiting(path, timeout, waited)
            except _Damaged as damage:
                aside = _move_aside(path)
                _damage_marker(path).unlink(missing_ok=True)
                notices.append(
                    f"Your progress file {path} could not be read ({damage}). It was moved aside"
                    f" to {aside.name} and a fresh record was started. Keep that file if you"
                    " want help recovering it."
                )
                continue
            if empty:
                # What a start of ivstem interrupted before its first write leaves; but a file
                # emptied by something else would lose a record, so it is said, not hidden.
                notices.append(
                    f"Your progress file {path} was empty (0 bytes), as a start of ivstem"
                    " that was interrupted leaves it, so a new record was started in it."
                )
            return cls(db, path, notices=notices, clock=clock, timeout=timeout,
                       on_wait=on_wait)
        raise StoreUnavailableError(  # pragma: no cover - a fresh file is never damaged
            f"A fresh progress store in {where.path} could not be started."
        )

    @classmethod
    def open_for_reading(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Self:
        """Open the store to read it, also where it cannot be written.

        For commands that only show or export progress: the store is opened as `open` does
        when it can be written. In a folder that cannot be written (a read-only share, a
        locked-down lab machine), the file is read as it is, changing nothing: a store of an
        older ivstem is brought up to date in a copy in memory, and a missing one reads as
        empty. A write to such a store is refused with NotSavedError.
        """
        try:
            return cls.open(data_dir, clock=clock, timeout=timeout)
        except StoreUnavailableError as unwritable:
            path = resolve_data_dir(data_dir).store_path
            _refuse_odd_file(path)
            if not path.exists():
                store = cls.in_memory(clock=clock)
                store._db.execute("PRAGMA query_only = ON")
                return store
            try:
                db = _connect_read_only(path, timeout)
            except sqlite3.Error as exc:
                if _is_busy(exc):
                    raise StoreBusyError(_busy_message(path, timeout, "read")) from exc
                raise StoreReadError(
                    f"Your progress file {path} could not be read ({exc}). {unwritable}"
                ) from exc
            return cls(db, path, clock=clock, timeout=timeout)

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
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        wait: float | None = None,
        on_wait: Waiting | None = None,
    ) -> Self:
        """Open the store, or fall back to memory with a "NOT being saved" notice.

        For the interface: a learner on a machine where the store cannot be written can still
        study, warned that nothing is kept. A store locked by another process is waited for
        (`wait`, `on_wait`: see `open`) and then StoreBusyError raised, never a fall back to
        memory: the learner's progress is there, only held, and a session that showed none of
        it and kept nothing would mislead.
        """
        try:
            return cls.open(data_dir, clock=clock, wait=wait, on_wait=on_wait)
        except StoreBusyError:
            raise
        except StoreError as exc:
            unsaved = [str(exc), "Your progress is NOT being saved in this session."]
            if isinstance(exc, StoreUnavailableError):
                # A folder that cannot be written may still hold the learner's record: show it.
                path = resolve_data_dir(data_dir).store_path
                with contextlib.suppress(StoreError, sqlite3.Error, OSError):
                    if path.is_file():
                        db = _connect_read_only(path, DEFAULT_TIMEOUT, copy=True)
                        return cls(db, None, clock=clock, notices=[
                            str(exc), "Your progress so far is shown, but what you do in this"
                            " session is NOT being saved."])
            return cls.in_memory(clock=clock, notices=unsaved)

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
                self._waiting(db, "BEGIN IMMEDIATE")
                yield db
                # COMMIT waits for other processes' readers; if it fails the transaction stays
                # open, so trying it again is safe.
                self._waiting(db, "COMMIT")
            except sqlite3.Error as exc:
                _rollback(db)
                if _is_damage(exc):
                    self._mark_damaged(exc)
                raise _not_saved(exc, self.path, self.timeout) from exc
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
                # The read lock is taken here, where a wait for it can be told, rather than by
                # whichever query comes first.
                self._waiting(db, _TAKE_READ_LOCK)
                yield db
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(db)
                if _is_damage(exc):
                    self._mark_damaged(exc)
                    raise StoreReadError(_DAMAGED_AT_RUNTIME) from exc
                if _is_busy(exc):
                    raise StoreReadError(_busy_message(self.path, self.timeout, "read")) from exc
                raise StoreReadError(f"Your progress could not be read: {exc}.") from exc
            except BaseException:
                _rollback(db)
                raise

    def _waiting(self, db: sqlite3.Connection, sql: str) -> None:
        """Run `sql`, which takes a lock: when another process holds the file for more than a
        moment, tell `on_wait` and go on waiting, up to the timeout."""
        quiet = min(NOTICE_AFTER, self.timeout)
        try:
            db.execute(sql)
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            if self._blocked or self.timeout <= quiet or self.path is None:
                raise
        else:
            self._blocked = False
            return
        if self.on_wait is not None:
            self.on_wait(waiting_message(self.path))
        _busy_timeout(db, self.timeout - quiet)
        try:
            db.execute(sql)
        except sqlite3.OperationalError as exc:
            self._blocked = _is_busy(exc)
            raise
        finally:
            _busy_timeout(db, quiet)
        self._blocked = False


# -- helpers: opening -------------------------------------------------------------------------

#: A query that takes the read lock and reads next to nothing.
_TAKE_READ_LOCK = "SELECT 1 FROM sqlite_master LIMIT 1"


def waiting_message(path: Path) -> str:
    """What the learner is told while ivstem waits for another process's lock."""
    return (f"Waiting for another ivstem window (or another program) that is using your"
            f" progress file {path}…")


def _busy_message(path: Path | None, timeout: float, what: str) -> str:
    where = f"your progress file {path}" if path is not None else "your progress file"
    held = (f"another ivstem window (or another program) kept {where} locked for {timeout:g}"
            " seconds. Close it if it is not needed")
    if what == "write":
        return f"Not saved: {held}; what you do once the file is free is saved as usual."
    return f"Your progress could not be read: {held}, and try again."


class _Waited:
    """A wait at opening: how long it may last, and whether the learner was told of it."""

    def __init__(self, path: Path, wait: float, on_wait: Waiting | None) -> None:
        self.path = path
        self.deadline = time.monotonic() + wait
        self.wait = wait
        self.on_wait = on_wait
        self.told = False

    def again(self) -> bool:
        """Tell the learner (once) and say whether there is time to try again."""
        if time.monotonic() >= self.deadline:
            return False
        if not self.told and self.on_wait is not None:
            self.on_wait(waiting_message(self.path))
            self.told = True
        return True


def _connect_waiting(path: Path, timeout: float, waited: _Waited) -> sqlite3.Connection:
    """Connect and prepare the store, trying again while another process holds it locked."""
    while True:
        try:
            db = _connect(path, min(NOTICE_AFTER, timeout, waited.wait))
        except sqlite3.Error as exc:
            raise StoreUnavailableError(_unwritable_message(path.parent, exc)) from exc
        try:
            _prepare(db, path)
        except StoreBusyError:
            db.close()
            if not waited.again():  # told once; SQLite itself waited up to a moment
                raise StoreBusyError(
                    f"Your progress file {path} stayed locked by another program (another"
                    f" ivstem window?) for {waited.wait:g} seconds, so ivstem did not start: it"
                    " would have shown none of your progress and kept nothing. Close the other"
                    " window and start again, or use --data-dir DIR for a separate record."
                ) from None
            time.sleep(0.05)  # in case the lock was reported at once rather than waited for
            continue
        except BaseException:
            db.close()
            raise
        _busy_timeout(db, min(NOTICE_AFTER, timeout))
        return db


def _connect_read_only(
    path: Path, timeout: float, *, copy: bool = False
) -> sqlite3.Connection:
    """Open an existing store without writing to it or beside it; one written by an older
    ivstem is copied into memory and brought up to date there. The connection refuses
    writes, unless `copy`: then it is always a copy in memory, which may be written."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout,
                         isolation_level=None, check_same_thread=False)
    try:
        version = _check_ours(db, path)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if copy or version < schema.newest_version():
            memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            db.backup(memory)
            db.close()
            db = memory
            db.execute("BEGIN IMMEDIATE")
            schema.migrate(db, version)
            db.execute("COMMIT")
        db.execute("PRAGMA foreign_keys = ON")
        if not copy:
            db.execute("PRAGMA query_only = ON")
    except BaseException:
        db.close()
        raise
    return db


def _refuse_odd_file(path: Path) -> None:
    """Refuse a folder, a named pipe or a device where the store file should be, saying what
    it is (SQLite would only say it is "unable to open database file", or wait on a pipe)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreUnavailableError(_unwritable_message(path.parent, exc)) from exc
    if stat.S_ISREG(mode):
        return
    kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode)
            else "not a regular file")
    raise StoreUnavailableError(
        f"{path} is {kind}, where ivstem keeps its progress file. Move it away, or choose"
        f" another folder with --data-dir DIR or the {ENV_VAR} environment variable."
    )


def _is_busy(exc: sqlite3.Error) -> bool:
    return exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _busy_timeout(db: sqlite3.Connection, seconds: float) -> None:
    # PRAGMA takes no parameters; this is a number we computed.
    db.execute(f"PRAGMA busy_timeout = {max(int(seconds * 1000), 0)}")


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
        version = _check_ours(db, path)
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


def _check_ours(db: sqlite3.Connection, path: Path) -> int:
    """The store's version, once it is known to be an ivstem store this ivstem can read.

    Ours carries ivstem's application id from its first write. A database without one is taken
    only when it is empty (a file just created); anything else is another program's, and is
    refused before a byte of it changes. Only then is a high version a newer ivstem's.
    """
    # One read transaction: another ivstem creating the store at this moment is seen either
    # before it began or after it finished, never half-way (an id of 0 with tables in it).
    db.execute("BEGIN")
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        application_id = int(db.execute("PRAGMA application_id").fetchone()[0])
        tables = int(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    finally:
        _rollback(db)
    if application_id != schema.APPLICATION_ID:
        empty = application_id == 0 and version == 0 and tables == 0
        if not empty:
            raise ForeignStoreError(
                f"{path} is a database of another program, not an ivstem progress store; it"
                " was left as it is. Move it away, or choose another folder for ivstem's"
                f" progress with --data-dir DIR or the {ENV_VAR} environment variable."
            )
    _refuse_newer(version, path)
    return version


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


def _not_saved(
    exc: sqlite3.Error, path: Path | None, timeout: float = DEFAULT_TIMEOUT
) -> NotSavedError:
    code = exc.sqlite_errorcode & 0xFF
    where = f" in {path.parent}" if path is not None else ""
    if code in _DAMAGE_CODES:
        return NotSavedError(f"Not saved. {_DAMAGED_AT_RUNTIME}")
    if code == sqlite3.SQLITE_FULL:
        return StoreFullError(f"Not saved: the disk{where} is full. Free some space and try again.")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError(_busy_message(path, timeout, "write"))
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return NotSavedError(
            f"Not saved: the progress store{where} cannot be written. Choose a folder you can"
            f" write to with --data-dir DIR or {ENV_VAR}."
        )
    return NotSavedError(f"Not saved: {exc}.")


def _utc_now() -> datetime:
    return datetime.now(UTC)

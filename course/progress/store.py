"""The learner's record: every answer, step, lesson, quiz, position and minute, in SQLite.

Built for lab machines. Each write is one transaction, committed (`synchronous=FULL`) before the
method returns, so an answer the learner sees feedback for is already on disk. The rollback journal
(`journal_mode=DELETE`) is used rather than WAL because home folders are often network mounts,
where WAL's shared memory does not work. Writes take the lock up front (`BEGIN IMMEDIATE`) and wait
for another process (`busy_timeout`), so two `ivstem` processes for one learner neither lose nor
double anything. A damaged file is moved aside and a fresh store started; a store written by a
newer ivstem is refused untouched.

The store knows ids and numbers only, never the course model: the caller maps ids to titles, and
records whose ids a course no longer has are kept and left out of what it shows.

One store may be used from several threads (the interface calls it from a worker): calls are
serialised by a lock.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Self, cast, get_args

from course.paths import (
    ENV_VAR,
    DataDir,
    create_private_file,
    ensure_private_dir,
    resolve_data_dir,
)
from course.progress import schema

if TYPE_CHECKING:
    from fsrs import Rating

Where = Literal["check", "quiz", "review"]
"""Where an answer was given: a practice check in a lesson, a module quiz, or a review session."""

WHERES: frozenset[str] = frozenset(get_args(Where))

Clock = Callable[[], datetime]

#: How long a write waits for another ivstem process before giving up (seconds).
DEFAULT_TIMEOUT = 10.0

MAX_LEARNER_NAME = 64
MAX_ANSWER_JSON = 64 * 1024
MAX_STATE_JSON = 1024 * 1024
MAX_POSITION_JSON = 4 * 1024
MAX_SECONDS = 24 * 60 * 60
PREFERENCE_MAX_CHARS = 200

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


class LearnerNotFoundError(StoreError):
    """No learner profile has that name."""


class LearnerExistsError(StoreError):
    """A learner profile with that name already exists."""


class InvalidLearnerNameError(ValueError):
    """A learner name that is empty, too long, or has characters that cannot be shown."""


# -- learner names ----------------------------------------------------------------------------


def validate_learner_name(name: str) -> str:
    """Return `name` without surrounding spaces, or raise InvalidLearnerNameError saying why.

    Names are shown in tables and prompts, so they must be printable (no control characters that
    could drive the terminal) and short.
    """
    if not isinstance(name, str):
        raise InvalidLearnerNameError("a learner name must be text")
    cleaned = name.strip()
    if not cleaned:
        raise InvalidLearnerNameError("a learner name cannot be empty")
    if len(cleaned) > MAX_LEARNER_NAME:
        raise InvalidLearnerNameError(
            f"a learner name can have at most {MAX_LEARNER_NAME} characters"
            f" ({len(cleaned)} given)"
        )
    if not cleaned.isprintable():
        raise InvalidLearnerNameError(
            f"the learner name {cleaned!r} has characters that cannot be shown"
            " (tabs, new lines or control characters)"
        )
    return cleaned


def default_learner_name() -> str:
    """The profile used without --learner: the OS user name, or "learner" if it is unknown."""
    import getpass  # only without --learner: it brings in termios and pwd

    try:
        return validate_learner_name(getpass.getuser())
    except (OSError, KeyError, ImportError, InvalidLearnerNameError):
        # getuser() fails in containers and under some lab login systems with no passwd entry.
        return "learner"


# -- records ----------------------------------------------------------------------------------
# Named tuples, not frozen dataclasses: as immutable, and cheaper both to make (due cards come
# by the thousand) and to define (each dataclass costs about a millisecond at import, on every
# start of the app).


class Answer(NamedTuple):
    """One answer as recorded.

    `score` is the share of credit earned, from 0 to 1; `points` the points it earned.
    """

    id: int
    uid: str
    course_id: str
    module_id: str | None
    lesson_id: str | None
    question_id: str
    where: Where
    answer_json: str
    score: float
    points: float
    hints_used: int
    answered_at: datetime


class QuizAttempt(NamedTuple):
    """A finished module quiz: its score (0 to 1), points earned, and the final session state."""

    id: int
    uid: str
    course_id: str
    module_id: str
    score: float
    points: float
    passed: bool
    state_json: str
    finished_at: datetime


class ModuleSummary(NamedTuple):
    """What the dashboard shows for one module, by ids; the caller adds titles and totals."""

    module_id: str
    lessons_completed: frozenset[str]
    best_quiz_score: float | None
    quiz_attempts: int
    quiz_in_progress: bool
    passed: bool
    last_studied: datetime | None
    seconds_spent: float


class DueCard(NamedTuple):
    """A question's place in the review queue: when it is due."""

    question_id: str
    due_at: datetime


class ReviewCard(NamedTuple):
    """A question's review card: the scheduler's state (FSRS JSON) and when it is next due."""

    question_id: str
    module_id: str | None
    lesson_id: str | None
    card_json: str
    due_at: datetime
    updated_at: datetime


class MergeReport(NamedTuple):
    """How many records an import added or updated, by kind; all zero when nothing was new."""

    learner: str
    counts: Mapping[str, int]

    @property
    def changed(self) -> int:
        """The number of records added or updated in all."""
        return sum(self.counts.values())


RECORD_KINDS = (
    "answers",
    "steps",
    "lessons",
    "quiz_states",
    "quiz_attempts",
    "modules_passed",
    "positions",
    "time",
    "review_cards",
)
"""The kinds of record in a learner's dump, in the order exports list them."""


# -- the store --------------------------------------------------------------------------------


class ProgressStore:
    """The learner's record, in one SQLite file (or in memory when that cannot be written).

    Open it with `ProgressStore.open()`, `ProgressStore.in_memory()` or `open_or_memory()`.
    `notices` holds messages the learner must see (a damaged file moved aside, progress not being
    saved); `persistent` is false for an in-memory store.
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

    # learners ---------------------------------------------------------------------------

    def learners(self) -> list[str]:
        """The names of every learner profile, in alphabetical order."""
        with self._reading() as db:
            rows = db.execute("SELECT name FROM learner ORDER BY name COLLATE NOCASE").fetchall()
        return [name for (name,) in rows]

    def has_learner(self, name: str) -> bool:
        """Whether a profile called `name` exists (names ignore ASCII case)."""
        name = validate_learner_name(name)
        with self._reading() as db:
            return _learner_id(db, name) is not None

    def add_learner(self, name: str) -> str:
        """Create a profile; raise LearnerExistsError if the name is taken. Returns the name."""
        name = validate_learner_name(name)
        with self._writing() as db:
            existing = db.execute("SELECT name FROM learner WHERE name = ?", (name,)).fetchone()
            if existing is not None:
                raise LearnerExistsError(f"A learner named {existing[0]!r} already exists.")
            db.execute(
                "INSERT INTO learner (name, created_at) VALUES (?, ?)", (name, self._stamp())
            )
        return name

    def rename_learner(self, old: str, new: str) -> str:
        """Rename a profile, keeping all its records; returns the new name.

        Changing only the case of a name is allowed; taking another profile's name is not.
        """
        old, new = validate_learner_name(old), validate_learner_name(new)
        with self._writing() as db:
            learner_id = _learner_id(db, old)
            if learner_id is None:
                raise LearnerNotFoundError(f"There is no learner named {old!r};"
                                           " `ivstem learners` lists them.")
            clash = db.execute("SELECT id, name FROM learner WHERE name = ?", (new,)).fetchone()
            if clash is not None and clash[0] != learner_id:
                raise LearnerExistsError(f"A learner named {clash[1]!r} already exists.")
            db.execute("UPDATE learner SET name = ? WHERE id = ?", (new, learner_id))
        return new

    def remove_learner(self, name: str) -> None:
        """Delete a profile and every record it has."""
        name = validate_learner_name(name)
        with self._writing() as db:
            cursor = db.execute("DELETE FROM learner WHERE name = ?", (name,))
            if cursor.rowcount == 0:
                raise LearnerNotFoundError(f"There is no learner named {name!r};"
                                           " `ivstem learners` lists them.")

    # preferences ------------------------------------------------------------------------

    def preferences(self, learner: str) -> dict[str, str]:
        """The learner's preferences by name (empty for a learner with none, or no profile)."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            rows = db.execute(
                "SELECT p.name, p.value FROM preference p JOIN learner l ON l.id = p.learner_id"
                " WHERE l.name = ?",
                (learner,),
            ).fetchall()
        return {str(name): str(value) for name, value in rows}

    def set_preferences(self, learner: str, values: Mapping[str, str]) -> None:
        """Keep some of the learner's preferences (such as `theme`), replacing old values, in
        one transaction."""
        learner = validate_learner_name(learner)
        for name, value in values.items():
            _require_ids(name=name)
            if not isinstance(value, str) or len(value) > PREFERENCE_MAX_CHARS:
                raise ValueError(f"the preference {name!r} must be text of at most"
                                 f" {PREFERENCE_MAX_CHARS} characters")
        with self._writing() as db:
            now = self._stamp()
            learner_id = _ensure_learner(db, learner, now)
            db.executemany(
                "INSERT INTO preference (learner_id, name, value, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (learner_id, name)"
                " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [(learner_id, name, value, now) for name, value in values.items()],
            )

    # answers ----------------------------------------------------------------------------

    def record_answer(
        self,
        learner: str,
        course_id: str,
        question_id: str,
        where: Where,
        answer_json: str,
        score: float,
        points: float,
        hints_used: int,
        module_id: str | None = None,
        lesson_id: str | None = None,
        schedule: bool = True,
    ) -> int:
        """Record one answer, committed to disk before returning; returns its row id.

        `score` is the share of credit (0 to 1), `points` the points earned. Show the learner
        feedback only after this returns: if it raises NotSavedError (disk full, store locked),
        the answer is not saved and the learner should be told so.

        With `schedule` (the default), the question's review card is updated in the same
        transaction, rated from `score` and `hints_used` (see `course.progress.scheduling`), so
        an answer and its scheduling are kept together or not at all. Pass False for the later
        tries of a practice check: only the first try counts for review (see `course.review`).
        """
        learner = validate_learner_name(learner)
        _require_ids(course_id=course_id, question_id=question_id)
        _require_optional_ids(module_id=module_id, lesson_id=lesson_id)
        if where not in WHERES:
            raise ValueError(f"where must be one of {sorted(WHERES)}, not {where!r}")
        _require_json(answer_json, "answer_json", MAX_ANSWER_JSON)
        _require_score(score)
        _require_number(points, "points")
        _require_count(hints_used, "hints_used")
        with self._writing() as db:
            learner_id = _ensure_learner(db, learner, self._stamp())
            moment = self._clock()
            stamp = _format_stamp(moment)
            cursor = db.execute(
                "INSERT INTO answer (uid, learner_id, course_id, module_id, lesson_id,"
                " question_id, context, answer_json, score, points, hints_used, answered_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _new_uid(), learner_id, course_id, module_id, lesson_id, question_id, where,
                    answer_json, float(score), float(points), hints_used, stamp,
                ),
            )
            if schedule:
                # FSRS, loaded with the first answer, not at start
                from course.progress import scheduling

                _schedule_card(db, learner_id, course_id, question_id, module_id, lesson_id,
                               scheduling.rating_for(float(score), hints_used > 0), moment, stamp)
            row_id = cursor.lastrowid
        assert row_id is not None
        return row_id

    def answers(
        self,
        learner: str,
        course_id: str,
        *,
        question_id: str | None = None,
        module_id: str | None = None,
        where: Where | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Answer]:
        """The learner's answers in a course, oldest first unless `newest_first`, filtered."""
        learner = validate_learner_name(learner)
        sql = [
            "SELECT a.id, a.uid, a.course_id, a.module_id, a.lesson_id, a.question_id, a.context,"
            " a.answer_json, a.score, a.points, a.hints_used, a.answered_at"
            " FROM answer a JOIN learner l ON l.id = a.learner_id"
            " WHERE l.name = ? AND a.course_id = ?"
        ]
        params: list[object] = [learner, course_id]
        for column, value in (("question_id", question_id), ("module_id", module_id),
                              ("context", where)):
            if value is not None:
                sql.append(f" AND a.{column} = ?")
                params.append(value)
        order = "DESC" if newest_first else "ASC"
        sql.append(f" ORDER BY a.answered_at {order}, a.id {order}")
        if limit is not None:
            sql.append(" LIMIT ?")
            params.append(int(limit))
        with self._reading() as db:
            rows = db.execute("".join(sql), params).fetchall()
        return [
            Answer(
                id=row[0], uid=row[1], course_id=row[2], module_id=row[3], lesson_id=row[4],
                question_id=row[5], where=cast(Where, row[6]), answer_json=row[7],
                score=row[8], points=row[9], hints_used=row[10],
                answered_at=_parse_stamp(row[11]),
            )
            for row in rows
        ]

    # spaced review ----------------------------------------------------------------------

    def now(self) -> datetime:
        """The store's clock: the moment answers are stamped with and cards scheduled from."""
        return self._clock()

    def due_cards(
        self,
        learner: str,
        course_id: str,
        due_by: datetime | None = None,
        *,
        after: datetime | None = None,
    ) -> list[DueCard]:
        """The learner's review cards in a course, soonest due first.

        With `due_by`, those due at or before it; with `after`, those due after it. One range
        seek on the (learner, course, due) index, which also holds the question id (the
        table's key), so the table itself is not read: `review_card` gives one card whole.
        """
        learner = validate_learner_name(learner)
        sql = ("SELECT question_id, due_at FROM review_card"
               " WHERE learner_id = ? AND course_id = ?")
        with self._reading() as db:
            learner_id = _learner_id(db, learner)
            if learner_id is None:
                return []
            params: list[object] = [learner_id, course_id]
            if due_by is not None:
                sql += " AND due_at <= ?"
                params.append(_format_stamp(due_by))
            if after is not None:
                sql += " AND due_at > ?"
                params.append(_format_stamp(after))
            rows = db.execute(sql + " ORDER BY due_at", params).fetchall()
        # Cards fall due at the start of a day, so thousands of them share a few stamps.
        moments: dict[str, datetime] = {}
        return [DueCard(question, moments.get(due) or moments.setdefault(due, _parse_stamp(due)))
                for question, due in rows]

    def review_card(self, learner: str, course_id: str, question_id: str) -> ReviewCard | None:
        """One question's review card, with its FSRS state as JSON; None if never answered."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            row = db.execute(
                "SELECT r.question_id, r.module_id, r.lesson_id, r.card_json, r.due_at,"
                " r.updated_at FROM review_card r JOIN learner l ON l.id = r.learner_id"
                " WHERE l.name = ? AND r.course_id = ? AND r.question_id = ?",
                (learner, course_id, question_id),
            ).fetchone()
        if row is None:
            return None
        return ReviewCard(question_id=row[0], module_id=row[1], lesson_id=row[2],
                          card_json=row[3], due_at=_parse_stamp(row[4]),
                          updated_at=_parse_stamp(row[5]))

    def question_tallies(self, learner: str, course_id: str) -> dict[str, tuple[int, int]]:
        """Per question id: (answers given, answers fully right), over every answer recorded."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = _learner_id(db, learner)
            if learner_id is None:
                return {}
            from course.progress import scheduling

            rows = db.execute(
                "SELECT question_id, COUNT(*), SUM(score >= ?) FROM answer"
                " WHERE learner_id = ? AND course_id = ? GROUP BY question_id",
                (scheduling.RIGHT_AT, learner_id, course_id),
            ).fetchall()
        return {question: (count, int(right or 0)) for question, count, right in rows}

    def activity(self, learner: str, course_id: str) -> list[tuple[datetime, int]]:
        """The minutes (UTC) in which the learner did anything in a course, oldest first, each
        with the number of answers given in it (0 for reading or time only).

        The caller turns them into local days: a streak, or answers per day.
        """
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = _learner_id(db, learner)
            if learner_id is None:
                return []
            key = (learner_id, course_id)
            minutes: dict[str, int] = {}
            for minute, count in db.execute(
                "SELECT substr(answered_at, 1, 16), COUNT(*) FROM answer"
                " WHERE learner_id = ? AND course_id = ? GROUP BY 1", key
            ):
                minutes[minute] = count
            for table, column in (("step_reached", "reached_at"), ("lesson_done", "completed_at"),
                                  ("study_time", "recorded_at")):
                for (minute,) in db.execute(
                    f"SELECT DISTINCT substr({column}, 1, 16) FROM {table}"
                    " WHERE learner_id = ? AND course_id = ?", key
                ):
                    minutes.setdefault(minute, 0)
        return [(datetime.fromisoformat(minute + ":00+00:00"), count)
                for minute, count in sorted(minutes.items())]

    # steps and lessons ------------------------------------------------------------------

    def reach_step(
        self, learner: str, course_id: str, module_id: str, lesson_id: str, step_index: int
    ) -> None:
        """Note that the learner has seen a step (the first time is kept)."""
        learner = validate_learner_name(learner)
        _require_ids(course_id=course_id, module_id=module_id, lesson_id=lesson_id)
        _require_count(step_index, "step_index")
        with self._writing() as db:
            now = self._stamp()
            learner_id = _ensure_learner(db, learner, now)
            db.execute(
                "INSERT OR IGNORE INTO step_reached"
                " (learner_id, course_id, module_id, lesson_id, step, reached_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (learner_id, course_id, module_id, lesson_id, step_index, now),
            )

    def steps_reached(
        self, learner: str, course_id: str, module_id: str, lesson_id: str
    ) -> frozenset[int]:
        """The step indexes the learner has seen in a lesson."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            rows = db.execute(
                "SELECT s.step FROM step_reached s JOIN learner l ON l.id = s.learner_id"
                " WHERE l.name = ? AND s.course_id = ? AND s.module_id = ? AND s.lesson_id = ?",
                (learner, course_id, module_id, lesson_id),
            ).fetchall()
        return frozenset(step for (step,) in rows)

    def complete_lesson(self, learner: str, course_id: str, module_id: str, lesson_id: str) -> None:
        """Mark a lesson completed (the first completion time is kept)."""
        learner = validate_learner_name(learner)
        _require_ids(course_id=course_id, module_id=module_id, lesson_id=lesson_id)
        with self._writing() as db:
            now = self._stamp()
            learner_id = _ensure_learner(db, learner, now)
            db.execute(
                "INSERT OR IGNORE INTO lesson_done"
                " (learner_id, course_id, module_id, lesson_id, completed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (learner_id, course_id, module_id, lesson_id, now),
            )

    def completed_lessons(
        self, learner: str, course_id: str, module_id: str | None = None
    ) -> frozenset[tuple[str, str]]:
        """The (module id, lesson id) pairs the learner has completed, in one module or all."""
        learner = validate_learner_name(learner)
        sql = (
            "SELECT d.module_id, d.lesson_id FROM lesson_done d"
            " JOIN learner l ON l.id = d.learner_id WHERE l.name = ? AND d.course_id = ?"
        )
        params: list[object] = [learner, course_id]
        if module_id is not None:
            sql += " AND d.module_id = ?"
            params.append(module_id)
        with self._reading() as db:
            rows = db.execute(sql, params).fetchall()
        return frozenset((module, lesson) for module, lesson in rows)

    def lesson_modules(self, learner: str, course_id: str, lesson_id: str) -> frozenset[str]:
        """The modules in which the learner has records of a lesson with this id."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = _learner_id(db, learner)
            if learner_id is None:
                return frozenset()
            rows = db.execute(
                "SELECT module_id FROM step_reached WHERE learner_id = ? AND course_id = ?"
                " AND lesson_id = ?"
                " UNION SELECT module_id FROM lesson_done WHERE learner_id = ? AND course_id = ?"
                " AND lesson_id = ?"
                " UNION SELECT module_id FROM answer WHERE learner_id = ? AND course_id = ?"
                " AND lesson_id = ? AND module_id IS NOT NULL",
                (learner_id, course_id, lesson_id) * 3,
            ).fetchall()
        return frozenset(module for (module,) in rows)

    # quizzes ----------------------------------------------------------------------------

    def save_quiz_state(
        self, learner: str, course_id: str, module_id: str, state_json: str
    ) -> None:
        """Keep the state of the module quiz in progress (replacing the previous one)."""
        learner = validate_learner_name(learner)
        _require_ids(course_id=course_id, module_id=module_id)
        _require_json(state_json, "state_json", MAX_STATE_JSON)
        with self._writing() as db:
            now = self._stamp()
            learner_id = _ensure_learner(db, learner, now)
            db.execute(
                "INSERT INTO quiz_state (learner_id, course_id, module_id, state_json, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (learner_id, course_id, module_id)"
                " DO UPDATE SET state_json = excluded.state_json,"
                " updated_at = excluded.updated_at",
                (learner_id, course_id, module_id, state_json, now),
            )

    def load_quiz_state(self, learner: str, course_id: str, module_id: str) -> str | None:
        """The state of the module quiz in progress, or None when none is."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            row = db.execute(
                "SELECT q.state_json FROM quiz_state q JOIN learner l ON l.id = q.learner_id"
                " WHERE l.name = ? AND q.course_id = ? AND q.module_id = ?",
                (learner, course_id, module_id),
            ).fetchone()
        return None if row is None else str(row[0])

    def finish_quiz(
        self,
        learner: str,
        course_id: str,
        module_id: str,
        score: float,
        points: float,
        passed: bool,
        state_json: str,
    ) -> int:
        """Record a finished quiz; returns the attempt's row id.

        In the same transaction the quiz in progress is cleared and, if `passed`, the module is
        marked passed: a crash cannot leave a finished quiz still "in progress".
        """
        learner = validate_learner_name(learner)
        _require_ids(course_id=course_id, module_id=module_id)
        _require_score(score)
        _require_number(points, "points")
        if not isinstance(passed, bool):
            raise TypeError("passed must be True or False")
        _require_json(state_json, "state_json", MAX_STATE_JSON)
        with self._writing() as db:
            now = self._stamp()
            learner_id = _ensure_learner(db, learner, now)
            cursor = db.execute(
                "INSERT INTO quiz_attempt (uid, learner_id, course_id, module_id, score, points,"
                " passed, state_json, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_new_uid(), learner_id, course_id, module_id, float(score), float(points),
                 int(passed), state_json, now),
            )
            db.execute(
                "DELETE FROM quiz_state WHERE learner_id = ? AND course_id = ? AND module_id = ?",
                (learner_id, course_id, module_id),
            )
            if passed:
                db.execute(
                    "INSERT OR IGNORE INTO module_passed"
                    " (learner_id, course_id, module_id, passed_at) VALUES (?, ?, ?, ?)",
                    (learner_id, course_id, module_id, now),
                )
            row_id = cursor.lastrowid
        assert row_id is not None
        return row_id

    def quiz_attempts(self, learner: str, course_id: str, module_id: str) -> list[QuizAttempt]:
        """The learner's finished attempts at a module quiz, oldest first."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            rows = db.execute(
                "SELECT q.id, q.uid, q.course_id, q.module_id, q.score, q.points, q.passed,"
                " q.state_json, q.finished_at"
                " FROM quiz_attempt q JOIN learner l ON l.id = q.learner_id"
                " WHERE l.name = ? AND q.course_id = ? AND q.module_id = ?"
                " ORDER BY q.finished_at, q.id",
                (learner, course_id, module_id),
            ).fetchall()
        return [_attempt(row) for row in rows]

    def best_quiz(self, learner: str, course_id: str, module_id: str) -> QuizAttempt | None:
        """The highest-scoring finished attempt (the earliest of equals), or None."""
        attempts = self.quiz_attempts(learner, course_id, module_id)
        if not attempts:
            return None
        return max(attempts, key=lambda attempt: (attempt.score, -attempt.id))

    def mark_module_passed(self, learner: str, course_id: str, module_id: str) -> None:
        """Mark a module passed without a quiz (the caller decides what passing means)."""
        learner = validate_learner_name(learner)
        _require_ids(course_id=course_id, module_id=module_id)
        with self._writing() as db:
            now = self._stamp()
            learner_id = _ensure_learner(db, learner, now)
            db.execute(
                "INSERT OR IGNORE INTO module_passed (learner_id, course_id, module_id, passed_at)"
                " VALUES (?, ?, ?, ?)",
                (learner_id, course_id, module_id, now),
            )

    def module_passed(self, learner: str, course_id: str, module_id: str) -> bool:
        """Whether the learner has passed a module."""
        return module_id in self.passed_modules(learner, course_id)

    def passed_modules(self, learner: str, course_id: str) -> frozenset[str]:
        """The ids of every module the learner has passed in a course."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            rows = db.execute(
                "SELECT p.module_id FROM module_passed p JOIN learner l ON l.id = p.learner_id"
                " WHERE l.name = ? AND p.course_id = ?",
                (learner, course_id),
            ).fetchall()
        return frozenset(module for (module,) in rows)

    def pass_dates(self, learner: str, course_id: str) -> dict[str, datetime]:
        """When the learner passed each module of a course they have passed, by module id."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            rows = db.execute(
                "SELECT p.module_id, p.passed_at FROM module_passed p"
                " JOIN learner l ON l.id = p.learner_id WHERE l.name = ? AND p.course_id = ?",
                (learner, course_id),
            ).fetchall()
        return {module: _parse_stamp(stamp) for module, stamp in rows}

    # position and time ------------------------------------------------------------------

    def set_position(self, learner: str, course_id: str, position: Mapping[str, Any]) -> None:
        """Remember where the learner is, for "continue where you left off".

        `position` is a small JSON-able dict such as
        {"module": ..., "lesson": ..., "step": ..., "quiz_question": ...}.
        """
        learner = validate_learner_name(learner)
        _require_ids(course_id=course_id)
        text = _position_json(position)
        with self._writing() as db:
            now = self._stamp()
            learner_id = _ensure_learner(db, learner, now)
            db.execute(
                "INSERT INTO position (learner_id, course_id, position_json, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (learner_id, course_id)"
                " DO UPDATE SET position_json = excluded.position_json,"
                " updated_at = excluded.updated_at",
                (learner_id, course_id, text, now),
            )

    def position(self, learner: str, course_id: str) -> dict[str, Any] | None:
        """The last position set, or None. It may name things the course no longer has."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            row = db.execute(
                "SELECT p.position_json FROM position p JOIN learner l ON l.id = p.learner_id"
                " WHERE l.name = ? AND p.course_id = ?",
                (learner, course_id),
            ).fetchone()
        if row is None:
            return None
        value = json.loads(row[0])
        return value if isinstance(value, dict) else None

    def add_time(self, learner: str, course_id: str, module_id: str, seconds: float) -> None:
        """Add a stretch of study time (at most a day) to a module."""
        learner = validate_learner_name(learner)
        _require_ids(course_id=course_id, module_id=module_id)
        _require_number(seconds, "seconds")
        if not 0 < seconds <= MAX_SECONDS:
            raise ValueError(f"seconds must be above 0 and at most {MAX_SECONDS}, not {seconds}")
        with self._writing() as db:
            now = self._stamp()
            learner_id = _ensure_learner(db, learner, now)
            db.execute(
                "INSERT INTO study_time (uid, learner_id, course_id, module_id, seconds,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (_new_uid(), learner_id, course_id, module_id, float(seconds), now),
            )

    # the dashboard ----------------------------------------------------------------------

    def summary(self, learner: str, course_id: str) -> dict[str, ModuleSummary]:
        """Per-module figures for every module the learner has any record of, by module id.

        Every query reads a small table or seeks an index, so this stays fast however many
        answers are stored (no scan of the answer table).
        """
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = _learner_id(db, learner)
            if learner_id is None:
                return {}
            key = (learner_id, course_id)
            lessons: dict[str, set[str]] = {}
            latest: dict[str, str] = {}

            def seen(module: str | None, stamp: str | None) -> None:
                if module is not None and stamp is not None and stamp > latest.get(module, ""):
                    latest[module] = stamp

            for module, lesson, stamp in db.execute(
                "SELECT module_id, lesson_id, completed_at FROM lesson_done"
                " WHERE learner_id = ? AND course_id = ?", key
            ):
                lessons.setdefault(module, set()).add(lesson)
                seen(module, stamp)
            quiz: dict[str, tuple[float, int]] = {}
            for module, best, count, stamp in db.execute(
                "SELECT module_id, MAX(score), COUNT(*), MAX(finished_at) FROM quiz_attempt"
                " WHERE learner_id = ? AND course_id = ? GROUP BY module_id", key
            ):
                quiz[module] = (best, count)
                seen(module, stamp)
            passed = set()
            for module, stamp in db.execute(
                "SELECT module_id, passed_at FROM module_passed"
                " WHERE learner_id = ? AND course_id = ?", key
            ):
                passed.add(module)
                seen(module, stamp)
            in_progress = set()
            for module, stamp in db.execute(
                "SELECT module_id, updated_at FROM quiz_state"
                " WHERE learner_id = ? AND course_id = ?", key
            ):
                in_progress.add(module)
                seen(module, stamp)
            for module, stamp in db.execute(
                "SELECT module_id, MAX(reached_at) FROM step_reached"
                " WHERE learner_id = ? AND course_id = ? GROUP BY module_id", key
            ):
                seen(module, stamp)
            seconds: dict[str, float] = {}
            for module, total, stamp in db.execute(
                "SELECT module_id, SUM(seconds), MAX(recorded_at) FROM study_time"
                " WHERE learner_id = ? AND course_id = ? GROUP BY module_id", key
            ):
                seconds[module] = total
                seen(module, stamp)
            for module, stamp in db.execute(_LAST_ANSWER_PER_MODULE, key):
                seen(module, stamp)
        modules = set(latest) | set(lessons) | set(quiz) | passed | in_progress | set(seconds)
        return {
            module: ModuleSummary(
                module_id=module,
                lessons_completed=frozenset(lessons.get(module, ())),
                best_quiz_score=quiz[module][0] if module in quiz else None,
                quiz_attempts=quiz[module][1] if module in quiz else 0,
                quiz_in_progress=module in in_progress,
                passed=module in passed,
                last_studied=_parse_stamp(latest[module]) if module in latest else None,
                seconds_spent=seconds.get(module, 0.0),
            )
            for module in sorted(modules)
        }

    def course_ids(self, learner: str) -> list[str]:
        """The ids of the courses the learner has any answer, lesson or position in."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = _learner_id(db, learner)
            if learner_id is None:
                return []
            rows = db.execute(
                " UNION ".join(
                    f"SELECT course_id FROM {table} WHERE learner_id = ?"
                    for table in _LEARNER_TABLES
                ),
                (learner_id,) * len(_LEARNER_TABLES),
            ).fetchall()
        return sorted(course for (course,) in rows)

    # resetting --------------------------------------------------------------------------

    def reset_lesson(self, learner: str, course_id: str, module_id: str, lesson_id: str) -> int:
        """Forget a lesson: steps, completion, practice answers and their review cards.

        Returns rows removed.
        """
        return self._delete(
            learner,
            [
                ("step_reached", "course_id = ? AND module_id = ? AND lesson_id = ?",
                 (course_id, module_id, lesson_id)),
                ("lesson_done", "course_id = ? AND module_id = ? AND lesson_id = ?",
                 (course_id, module_id, lesson_id)),
                ("answer", "course_id = ? AND module_id = ? AND lesson_id = ?",
                 (course_id, module_id, lesson_id)),
                ("review_card", "course_id = ? AND module_id = ? AND lesson_id = ?",
                 (course_id, module_id, lesson_id)),
            ],
        )

    def reset_module(self, learner: str, course_id: str, module_id: str) -> int:
        """Forget a module: lessons, answers, quizzes, pass, time and review cards.

        Returns rows removed.
        """
        where = "course_id = ? AND module_id = ?"
        params = (course_id, module_id)
        return self._delete(
            learner,
            [(table, where, params) for table in _LEARNER_TABLES if table != "position"],
        )

    def reset_course(self, learner: str, course_id: str) -> int:
        """Forget everything the learner did in a course. Returns rows removed."""
        return self._delete(
            learner, [(table, "course_id = ?", (course_id,)) for table in _LEARNER_TABLES]
        )

    # export and import (the file format lives in course.progress.transfer) ----------

    def dump(self, learner: str) -> dict[str, list[dict[str, Any]]]:
        """Every record of a learner, in every course, as plain data for an export file."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = _learner_id(db, learner)
            if learner_id is None:
                raise LearnerNotFoundError(f"There is no learner named {learner!r};"
                                           " `ivstem learners` lists them.")
            return {kind: _dump_kind(db, kind, learner_id) for kind in RECORD_KINDS}

    def learner_name(self, name: str) -> str | None:
        """The stored spelling of a learner's name (names ignore ASCII case), or None."""
        name = validate_learner_name(name)
        with self._reading() as db:
            row = db.execute("SELECT name FROM learner WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def merge(
        self, learner: str, records: Mapping[str, Sequence[Mapping[str, Any]]]
    ) -> MergeReport:
        """Merge validated records (as `dump` gives them) into a learner, in one transaction.

        Answers, quiz attempts and time entries are added unless their uid is already there;
        steps, lessons and passes are added, keeping the earlier time; a quiz in progress and the
        position are taken when newer. A quiz in progress that an attempt (here or imported)
        finished after is dropped. Merging the same records twice changes nothing.
        """
        learner = validate_learner_name(learner)
        with self._writing() as db:
            learner_id = _ensure_learner(db, learner, self._stamp())
            counts = _merge(db, learner_id, records)
            name = db.execute("SELECT name FROM learner WHERE id = ?", (learner_id,)).fetchone()
        return MergeReport(learner=str(name[0]), counts=counts)

    # internals --------------------------------------------------------------------------

    def _stamp(self) -> str:
        return _format_stamp(self._clock())

    def _delete(self, learner: str, targets: Sequence[tuple[str, str, tuple[str, ...]]]) -> int:
        learner = validate_learner_name(learner)
        removed = 0
        with self._writing() as db:
            learner_id = _learner_id(db, learner)
            if learner_id is None:
                return 0
            for table, condition, params in targets:
                cursor = db.execute(
                    f"DELETE FROM {table} WHERE learner_id = ? AND {condition}",
                    (learner_id, *params),
                )
                removed += cursor.rowcount
        return removed

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


def _learner_id(db: sqlite3.Connection, name: str) -> int | None:
    row = db.execute("SELECT id FROM learner WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


def _ensure_learner(db: sqlite3.Connection, name: str, now: str) -> int:
    db.execute("INSERT OR IGNORE INTO learner (name, created_at) VALUES (?, ?)", (name, now))
    learner_id = _learner_id(db, name)
    assert learner_id is not None
    return learner_id


def _new_uid() -> str:
    import uuid  # imported with the first answer: start-up does not need it

    return str(uuid.uuid4())


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _format_stamp(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds: one fixed width, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _require_ids(**ids: object) -> None:
    for name, value in ids.items():
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty string, not {value!r}")


def _require_optional_ids(**ids: object) -> None:
    _require_ids(**{name: value for name, value in ids.items() if value is not None})


def _require_json(text: object, name: str, limit: int) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be JSON text, not {type(text).__name__}")
    if len(text) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    try:
        json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{name} is not valid JSON: {exc}") from exc


def _require_number(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of at least 0, not {value!r}")


def _require_score(value: object) -> None:
    _require_number(value, "score")
    assert isinstance(value, int | float)
    if value > 1:
        raise ValueError(f"score is the share of credit, from 0 to 1, not {value!r}")


def _require_count(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of at least 0, not {value!r}")


def _position_json(position: Mapping[str, Any]) -> str:
    if not isinstance(position, Mapping) or not all(isinstance(k, str) for k in position):
        raise TypeError("position must be a dict with string keys")
    try:
        text = json.dumps(dict(position), ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"position must be plain JSON data: {exc}") from exc
    if len(text) > MAX_POSITION_JSON:
        raise ValueError(f"position is longer than {MAX_POSITION_JSON} characters as JSON")
    return text


def _attempt(row: Sequence[Any]) -> QuizAttempt:
    return QuizAttempt(
        id=row[0], uid=row[1], course_id=row[2], module_id=row[3], score=row[4], points=row[5],
        passed=bool(row[6]), state_json=row[7], finished_at=_parse_stamp(row[8]),
    )


#: Tables holding a learner's records of a course (everything but `learner` itself and the
#: learner's preferences, which belong to no course).
_LEARNER_TABLES = (
    "answer",
    "step_reached",
    "lesson_done",
    "quiz_state",
    "quiz_attempt",
    "module_passed",
    "position",
    "study_time",
    "review_card",
)

# The newest answer of each module, found without reading every answer: walk the distinct
# module ids through the index (one seek each), then seek the newest answer of each.
_LAST_ANSWER_PER_MODULE = """
WITH RECURSIVE module(id) AS (
    SELECT MIN(module_id) FROM answer WHERE learner_id = ?1 AND course_id = ?2
    UNION ALL
    SELECT (SELECT MIN(module_id) FROM answer
            WHERE learner_id = ?1 AND course_id = ?2 AND module_id > module.id)
    FROM module WHERE module.id IS NOT NULL
)
SELECT id, (SELECT MAX(answered_at) FROM answer
            WHERE learner_id = ?1 AND course_id = ?2 AND module_id = module.id)
FROM module WHERE id IS NOT NULL
"""


# -- helpers: dump and merge --------------------------------------------------------------------

# kind -> (table, [(export key, column)], order by). Keys are the export file's field names.
_DUMP_COLUMNS: dict[str, tuple[str, tuple[tuple[str, str], ...], str]] = {
    "answers": (
        "answer",
        (("uid", "uid"), ("course", "course_id"), ("module", "module_id"),
         ("lesson", "lesson_id"), ("question", "question_id"), ("where", "context"),
         ("answer", "answer_json"), ("score", "score"), ("points", "points"),
         ("hints_used", "hints_used"), ("at", "answered_at")),
        "answered_at, uid",
    ),
    "steps": (
        "step_reached",
        (("course", "course_id"), ("module", "module_id"), ("lesson", "lesson_id"),
         ("step", "step"), ("at", "reached_at")),
        "course_id, module_id, lesson_id, step",
    ),
    "lessons": (
        "lesson_done",
        (("course", "course_id"), ("module", "module_id"), ("lesson", "lesson_id"),
         ("at", "completed_at")),
        "course_id, module_id, lesson_id",
    ),
    "quiz_states": (
        "quiz_state",
        (("course", "course_id"), ("module", "module_id"), ("state", "state_json"),
         ("at", "updated_at")),
        "course_id, module_id",
    ),
    "quiz_attempts": (
        "quiz_attempt",
        (("uid", "uid"), ("course", "course_id"), ("module", "module_id"), ("score", "score"),
         ("points", "points"), ("passed", "passed"), ("state", "state_json"),
         ("at", "finished_at")),
        "finished_at, uid",
    ),
    "modules_passed": (
        "module_passed",
        (("course", "course_id"), ("module", "module_id"), ("at", "passed_at")),
        "course_id, module_id",
    ),
    "positions": (
        "position",
        (("course", "course_id"), ("position", "position_json"), ("at", "updated_at")),
        "course_id",
    ),
    "time": (
        "study_time",
        (("uid", "uid"), ("course", "course_id"), ("module", "module_id"),
         ("seconds", "seconds"), ("at", "recorded_at")),
        "recorded_at, uid",
    ),
    "review_cards": (
        "review_card",
        (("course", "course_id"), ("question", "question_id"), ("module", "module_id"),
         ("lesson", "lesson_id"), ("card", "card_json"), ("due", "due_at"), ("at", "updated_at")),
        "course_id, question_id",
    ),
}


def _dump_kind(db: sqlite3.Connection, kind: str, learner_id: int) -> list[dict[str, Any]]:
    table, columns, order = _DUMP_COLUMNS[kind]
    names = ", ".join(column for _, column in columns)
    rows = db.execute(
        f"SELECT {names} FROM {table} WHERE learner_id = ? ORDER BY {order}", (learner_id,)
    )
    records = []
    for row in rows:
        record = {key: value for (key, _), value in zip(columns, row, strict=True)}
        if kind == "quiz_attempts":
            record["passed"] = bool(record["passed"])
        elif kind == "positions":
            record["position"] = json.loads(record["position"])
        records.append(record)
    return records


def _merge(
    db: sqlite3.Connection, learner_id: int, records: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, int]:
    counts = dict.fromkeys(RECORD_KINDS, 0)

    def run(kind: str, sql: str, params: Sequence[object]) -> None:
        counts[kind] += db.execute(sql, params).rowcount

    for r in records.get("answers", ()):
        run("answers",
            "INSERT OR IGNORE INTO answer (uid, learner_id, course_id, module_id, lesson_id,"
            " question_id, context, answer_json, score, points, hints_used, answered_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r["uid"], learner_id, r["course"], r["module"], r["lesson"], r["question"],
             r["where"], r["answer"], r["score"], r["points"], r["hints_used"], r["at"]))
    for r in records.get("steps", ()):
        run("steps",
            "INSERT INTO step_reached (learner_id, course_id, module_id, lesson_id, step,"
            " reached_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (learner_id, course_id, module_id, lesson_id, step)"
            " DO UPDATE SET reached_at = excluded.reached_at"
            " WHERE excluded.reached_at < step_reached.reached_at",
            (learner_id, r["course"], r["module"], r["lesson"], r["step"], r["at"]))
    for r in records.get("lessons", ()):
        run("lessons",
            "INSERT INTO lesson_done (learner_id, course_id, module_id, lesson_id, completed_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (learner_id, course_id, module_id, lesson_id)"
            " DO UPDATE SET completed_at = excluded.completed_at"
            " WHERE excluded.completed_at < lesson_done.completed_at",
            (learner_id, r["course"], r["module"], r["lesson"], r["at"]))
    for r in records.get("quiz_attempts", ()):
        run("quiz_attempts",
            "INSERT OR IGNORE INTO quiz_attempt (uid, learner_id, course_id, module_id, score,"
            " points, passed, state_json, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r["uid"], learner_id, r["course"], r["module"], r["score"], r["points"],
             int(r["passed"]), r["state"], r["at"]))
    for r in records.get("modules_passed", ()):
        run("modules_passed",
            "INSERT INTO module_passed (learner_id, course_id, module_id, passed_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (learner_id, course_id, module_id)"
            " DO UPDATE SET passed_at = excluded.passed_at"
            " WHERE excluded.passed_at < module_passed.passed_at",
            (learner_id, r["course"], r["module"], r["at"]))
    for r in records.get("quiz_states", ()):
        # A quiz in progress that some attempt finished after is stale (finished elsewhere).
        finished = db.execute(
            "SELECT 1 FROM quiz_attempt WHERE learner_id = ? AND course_id = ? AND module_id = ?"
            " AND finished_at >= ?",
            (learner_id, r["course"], r["module"], r["at"]),
        ).fetchone()
        if finished is None:
            run("quiz_states",
                "INSERT INTO quiz_state (learner_id, course_id, module_id, state_json,"
                " updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (learner_id, course_id, module_id)"
                " DO UPDATE SET state_json = excluded.state_json,"
                " updated_at = excluded.updated_at"
                " WHERE excluded.updated_at > quiz_state.updated_at",
                (learner_id, r["course"], r["module"], r["state"], r["at"]))
    counts["quiz_states"] += db.execute(
        "DELETE FROM quiz_state WHERE learner_id = ? AND EXISTS (SELECT 1 FROM quiz_attempt a"
        " WHERE a.learner_id = quiz_state.learner_id AND a.course_id = quiz_state.course_id"
        " AND a.module_id = quiz_state.module_id AND a.finished_at >= quiz_state.updated_at)",
        (learner_id,),
    ).rowcount
    for r in records.get("positions", ()):
        run("positions",
            "INSERT INTO position (learner_id, course_id, position_json, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (learner_id, course_id)"
            " DO UPDATE SET position_json = excluded.position_json,"
            " updated_at = excluded.updated_at WHERE excluded.updated_at > position.updated_at",
            (learner_id, r["course"], _position_json(r["position"]), r["at"]))
    for r in records.get("time", ()):
        run("time",
            "INSERT OR IGNORE INTO study_time (uid, learner_id, course_id, module_id, seconds,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            (r["uid"], learner_id, r["course"], r["module"], r["seconds"], r["at"]))
    for r in records.get("review_cards", ()):
        # The card reviewed last holds every review before it (on either machine) or is the
        # later of two histories: the newer card wins.
        run("review_cards",
            "INSERT INTO review_card (learner_id, course_id, question_id, module_id, lesson_id,"
            " card_json, due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (learner_id, course_id, question_id)"
            " DO UPDATE SET module_id = excluded.module_id, lesson_id = excluded.lesson_id,"
            " card_json = excluded.card_json, due_at = excluded.due_at,"
            " updated_at = excluded.updated_at WHERE excluded.updated_at > review_card.updated_at",
            (learner_id, r["course"], r["question"], r["module"], r["lesson"], r["card"],
             r["due"], r["at"]))
    return counts


def _schedule_card(
    db: sqlite3.Connection,
    learner_id: int,
    course_id: str,
    question_id: str,
    module_id: str | None,
    lesson_id: str | None,
    rating: Rating,
    moment: datetime,
    stamp: str,
) -> None:
    """Review the question's card with `rating` at `moment` (inside the caller's transaction)."""
    from course.progress import scheduling

    row = db.execute(
        "SELECT card_json FROM review_card WHERE learner_id = ? AND course_id = ?"
        " AND question_id = ?",
        (learner_id, course_id, question_id),
    ).fetchone()
    update = scheduling.schedule(
        None if row is None else str(row[0]), rating, moment, question_id
    )
    db.execute(
        "INSERT INTO review_card (learner_id, course_id, question_id, module_id, lesson_id,"
        " card_json, due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (learner_id, course_id, question_id) DO UPDATE SET"
        " module_id = COALESCE(excluded.module_id, review_card.module_id),"
        " lesson_id = COALESCE(excluded.lesson_id, review_card.lesson_id),"
        " card_json = excluded.card_json, due_at = excluded.due_at,"
        " updated_at = excluded.updated_at",
        (learner_id, course_id, question_id, module_id, lesson_id, update.card_json,
         _format_stamp(update.due_at), stamp),
    )

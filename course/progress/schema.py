"""The progress store's tables and their forward migrations.

The schema version lives in SQLite's `user_version` header field. Each migration moves the store
from version N-1 to N inside the caller's write transaction, so a store is always at exactly one
version, even if the process is killed half-way. A store whose version is above `SCHEMA_VERSION`
was written by a newer ivstem: it is refused, never touched.

Every row belongs to one learner (`learner_id`, deleted with the learner) and one course
(`course_id`). Module, lesson and question ids are the stable ids of the authoring format, kept as
text and never checked against a course: when a course drops a question, its answers stay in the
store and are simply not shown.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

#: "IVST": marks a database as an ivstem progress store, so a stranger's file is not migrated.
APPLICATION_ID = 0x49565354

Migration = Callable[[sqlite3.Connection], None]


def _create_v1(db: sqlite3.Connection) -> None:
    """Version 1: the first schema."""
    for statement in _V1:
        db.execute(statement)


_V1 = (
    """CREATE TABLE learner (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
    )""",
    # One row per answer ever given. `uid` identifies it across machines, so an import can skip
    # answers it already holds; `id` is only the local row number. Unique per learner, not
    # globally, so one file can be imported into two profiles.
    """CREATE TABLE answer (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL,
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        module_id TEXT,
        lesson_id TEXT,
        question_id TEXT NOT NULL,
        context TEXT NOT NULL CHECK (context IN ('check', 'quiz', 'review')),
        answer_json TEXT NOT NULL,
        score REAL NOT NULL,
        points REAL NOT NULL,
        hints_used INTEGER NOT NULL,
        answered_at TEXT NOT NULL,
        UNIQUE (learner_id, uid)
    )""",
    # The dashboard asks "when was this module last studied": (module_id, answered_at) lets that
    # be an index seek per module instead of a scan of every answer.
    "CREATE INDEX answer_by_module ON answer (learner_id, course_id, module_id, answered_at)",
    "CREATE INDEX answer_by_question ON answer (learner_id, course_id, question_id, answered_at)",
    """CREATE TABLE step_reached (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        module_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        reached_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, course_id, module_id, lesson_id, step)
    ) WITHOUT ROWID""",
    """CREATE TABLE lesson_done (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        module_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        completed_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, course_id, module_id, lesson_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE quiz_state (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        module_id TEXT NOT NULL,
        state_json TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, course_id, module_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE quiz_attempt (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL,
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        module_id TEXT NOT NULL,
        score REAL NOT NULL,
        points REAL NOT NULL,
        passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
        state_json TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        UNIQUE (learner_id, uid)
    )""",
    "CREATE INDEX quiz_attempt_by_module ON quiz_attempt (learner_id, course_id, module_id)",
    """CREATE TABLE module_passed (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        module_id TEXT NOT NULL,
        passed_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, course_id, module_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE position (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        position_json TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, course_id)
    ) WITHOUT ROWID""",
    # Time is kept as separate entries rather than a running total so that merging two machines'
    # records adds each session once, however often the same file is imported.
    """CREATE TABLE study_time (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL,
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        module_id TEXT NOT NULL,
        seconds REAL NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (learner_id, uid)
    )""",
    "CREATE INDEX study_time_by_module ON study_time (learner_id, course_id, module_id)",
)

#: MIGRATIONS[n] moves a store from version n-1 to n. Append; never edit a released entry.
MIGRATIONS: dict[int, Migration] = {
    1: _create_v1,
}

SCHEMA_VERSION = max(MIGRATIONS)
"""The version this program writes (tests may add migrations: use `newest_version()`)."""


def newest_version() -> int:
    """The highest schema version this program can migrate a store to."""
    return max(MIGRATIONS)


def migrate(db: sqlite3.Connection, current: int, target: int | None = None) -> int:
    """Apply the migrations after `current` up to `target` (default: the newest); return it.

    The caller holds a write transaction, so either every step and the new version land, or none.
    """
    goal = newest_version() if target is None else target
    for version in range(current + 1, goal + 1):
        MIGRATIONS[version](db)
    # PRAGMA does not take parameters; both values are integers we computed.
    db.execute(f"PRAGMA user_version = {int(goal)}")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return goal

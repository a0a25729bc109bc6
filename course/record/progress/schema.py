"""The progress store's tables and their forward migrations.

The schema version lives in SQLite's `user_version` header field. Each migration moves the store
from version N-1 to N inside the caller's write transaction, so a store is always at exactly one
version, even if the process is killed half-way. A store whose version is above `SCHEMA_VERSION`
was written by a newer ivstem: it is refused, never touched.

Every row belongs to one learner (`learner_id`, deleted with the learner) and, but for the
learner's preferences, one course (`course_id`). Module, lesson and question ids are the stable
ids of the authoring format, kept as text and never checked against a course: when a course
drops a question, its answers stay in the store and are simply not shown.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

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


def _add_review_cards_v2(db: sqlite3.Connection) -> None:
    """Version 2: spaced-review cards, one per learner, course and question.

    The cards are built from the answers already recorded, so a learner who upgrades finds the
    questions they missed due for review, as if the scheduler had always been there. Quiz and
    review answers all count; of a practice check's tries only the first counts (see
    `course.record.review`). Version 1 did not record which try an answer was, so a check answered
    within `RETRY_WINDOW_MINUTES` of an earlier answer to the same question is taken as a retry.
    """
    for statement in _V2:
        db.execute(statement)
    from datetime import datetime, timedelta

    from course.record.progress import scheduling

    window = timedelta(minutes=RETRY_WINDOW_MINUTES)
    rows = db.execute(
        "SELECT learner_id, course_id, question_id, module_id, lesson_id, context, score,"
        " hints_used, answered_at FROM answer"
        " ORDER BY learner_id, course_id, question_id, answered_at, id"
    )
    # (learner, course, question) -> [card_json, due_at, module_id, lesson_id, updated_at]
    cards: dict[tuple[int, str, str], list[Any]] = {}
    last_seen: dict[tuple[int, str, str], datetime] = {}
    for learner_id, course_id, question_id, module_id, lesson_id, context, score, hints, at in rows:
        key = (learner_id, course_id, question_id)
        moment = datetime.fromisoformat(at)
        previous = last_seen.get(key)
        last_seen[key] = moment
        if context == "check" and previous is not None and moment - previous <= window:
            continue
        card = cards.get(key)
        update = scheduling.schedule(card[0] if card else None,
                                     scheduling.rating_for(score, hints > 0), moment, question_id)
        cards[key] = [
            update.card_json,
            update.due_at.isoformat(timespec="microseconds"),
            module_id or (card[2] if card else None),
            lesson_id or (card[3] if card else None),
            at,
        ]
    db.executemany(
        "INSERT INTO review_card (learner_id, course_id, question_id, card_json, due_at,"
        " module_id, lesson_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*key, *values) for key, values in cards.items()],
    )


#: In version-1 records, an answer to a check this soon after another is taken as a retry.
RETRY_WINDOW_MINUTES = 30

_V2 = (
    # The scheduler's state of one question for one learner (`card_json`, FSRS's own form) and
    # when it is next due. Module and lesson say where the question was last answered, so
    # resetting a lesson or module forgets its cards too.
    """CREATE TABLE review_card (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        module_id TEXT,
        lesson_id TEXT,
        card_json TEXT NOT NULL,
        due_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, course_id, question_id)
    ) WITHOUT ROWID""",
    # "What is due now" is a range seek on this index, however many cards there are.
    "CREATE INDEX review_card_by_due ON review_card (learner_id, course_id, due_at)",
)

def _add_preferences_v3(db: sqlite3.Connection) -> None:
    """Version 3: each learner's preferences (the theme, high contrast), kept across starts."""
    for statement in _V3:
        db.execute(statement)


_V3 = (
    # Named settings of the interface, one value each, as text. Not course records: they are
    # not exported, and resetting progress leaves them.
    """CREATE TABLE preference (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (learner_id, name)
    ) WITHOUT ROWID""",
)


def _add_tallies_v4(db: sqlite3.Connection) -> None:
    """Version 4: running tallies of activity and of answers per question, for the dashboard.

    The dashboard's figures were sums over every answer, so it slowed as the record grew; the
    tallies make them a read of a few rows. Triggers keep them, in the transaction of every
    write to the tables they count, whichever code path writes (an answer, an import, a reset,
    a learner removed), so they cannot drift from the records. They are filled here from the
    records already kept.

    `activity_tally` counts per UTC quarter of an hour, not per day: a study day is a local day
    (see `course.record.progress.days`), and the local time zone is known only when the figures
    are read. Every time zone in use since 1979 is a whole number of quarter hours from UTC, so
    a quarter never straddles two study days. `records` counts the steps reached, lessons
    completed and study time in the quarter (activity that is not an answer); a quarter with
    neither answers nor records has no row. In `question_tally`, an answer is right when its
    share of credit is at least `RIGHT_AT` (`quizzes.grading`), written into the triggers: a
    change to that threshold needs a migration that refills the tallies.
    """
    for statement in _V4:
        db.execute(statement)
    for table, stamp, column in _ACTIVITY_SOURCES:
        db.execute(
            f"INSERT INTO activity_tally (learner_id, course_id, quarter, {column})"
            f" SELECT learner_id, course_id, {_quarter(stamp)}, COUNT(*) FROM {table}"
            # WHERE true: an upsert's SELECT needs a WHERE to be parsed as one
            " WHERE true GROUP BY 1, 2, 3 ON CONFLICT (learner_id, course_id, quarter)"
            f" DO UPDATE SET {column} = {column} + excluded.{column}"
        )
    db.execute(
        "INSERT INTO question_tally (learner_id, course_id, question_id, answers, right_answers)"
        f" SELECT learner_id, course_id, question_id, COUNT(*), SUM(score >= {_RIGHT_AT})"
        " FROM answer GROUP BY 1, 2, 3"
    )
    for table, stamp, column in _ACTIVITY_SOURCES:
        db.execute(_tally_trigger(table, "INSERT", _count_activity("NEW", stamp, column, +1)
                                  + _count_question(table, "NEW", +1)))
        db.execute(_tally_trigger(table, "DELETE", _count_activity("OLD", stamp, column, -1)
                                  + _count_question(table, "OLD", -1)))
        # No code changes an answer, and imports move a step's or a lesson's time only
        # earlier; counted anyway, so that no write can leave a tally wrong.
        db.execute(_tally_trigger(table, "UPDATE", _count_activity("OLD", stamp, column, -1)
                                  + _count_question(table, "OLD", -1)
                                  + _count_activity("NEW", stamp, column, +1)
                                  + _count_question(table, "NEW", +1)))


#: `quizzes.grading.RIGHT_AT` as version 4 wrote it into the tallies (a test checks they agree).
_RIGHT_AT = "0.999999999"

#: (table, its time column, the tally column it counts in)
_ACTIVITY_SOURCES = (
    ("answer", "answered_at", "answers"),
    ("step_reached", "reached_at", "records"),
    ("lesson_done", "completed_at", "records"),
    ("study_time", "recorded_at", "records"),
)

_V4 = (
    # Per learner, course and UTC quarter of an hour (`2026-03-01T09:45`): the answers given
    # and the other records made in it. Read a study day at a time, by range.
    """CREATE TABLE activity_tally (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        quarter TEXT NOT NULL,
        answers INTEGER NOT NULL DEFAULT 0,
        records INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (learner_id, course_id, quarter)
    ) WITHOUT ROWID""",
    # Per learner, course and question: the answers given and those fully right.
    """CREATE TABLE question_tally (
        learner_id INTEGER NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
        course_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        answers INTEGER NOT NULL,
        right_answers INTEGER NOT NULL,
        PRIMARY KEY (learner_id, course_id, question_id)
    ) WITHOUT ROWID""",
)


def _quarter(stamp: str) -> str:
    """SQL for the UTC quarter hour a stored time falls in: `2026-03-01T09:45`."""
    return (f"substr({stamp}, 1, 14)"
            f" || printf('%02d', CAST(substr({stamp}, 15, 2) AS INTEGER) / 15 * 15)")


def _tally_trigger(table: str, event: str, body: str) -> str:
    return (f"CREATE TRIGGER tally_{table}_{event.lower()} AFTER {event} ON {table}"
            f" BEGIN {body} END")


def _count_activity(row: str, stamp: str, column: str, step: int) -> str:
    """Trigger statements adding `step` (1 or -1) to the quarter of `row` (NEW or OLD)."""
    quarter = _quarter(f"{row}.{stamp}")
    if step > 0:
        return (f"INSERT INTO activity_tally (learner_id, course_id, quarter, {column})"
                f" VALUES ({row}.learner_id, {row}.course_id, {quarter}, 1)"
                " ON CONFLICT (learner_id, course_id, quarter)"
                f" DO UPDATE SET {column} = {column} + 1;")
    key = (f"learner_id = {row}.learner_id AND course_id = {row}.course_id"
           f" AND quarter = {quarter}")
    return (f"UPDATE activity_tally SET {column} = {column} - 1 WHERE {key};"
            f" DELETE FROM activity_tally WHERE {key} AND answers = 0 AND records = 0;")


def _count_question(table: str, row: str, step: int) -> str:
    """Trigger statements adding `step` (1 or -1) to the question of `row`, if an answer."""
    if table != "answer":
        return ""
    right = f"({row}.score >= {_RIGHT_AT})"
    if step > 0:
        return ("INSERT INTO question_tally (learner_id, course_id, question_id, answers,"
                f" right_answers) VALUES ({row}.learner_id, {row}.course_id, {row}.question_id,"
                f" 1, {right}) ON CONFLICT (learner_id, course_id, question_id)"
                " DO UPDATE SET answers = answers + 1,"
                " right_answers = right_answers + excluded.right_answers;")
    key = (f"learner_id = {row}.learner_id AND course_id = {row}.course_id"
           f" AND question_id = {row}.question_id")
    return (f"UPDATE question_tally SET answers = answers - 1,"
            f" right_answers = right_answers - {right} WHERE {key};"
            f" DELETE FROM question_tally WHERE {key} AND answers = 0;")


#: MIGRATIONS[n] moves a store from version n-1 to n. Append; never edit a released entry.
MIGRATIONS: dict[int, Migration] = {
    1: _create_v1,
    2: _add_review_cards_v2,
    3: _add_preferences_v3,
    4: _add_tallies_v4,
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

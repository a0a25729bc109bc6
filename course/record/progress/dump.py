"""Every record of a learner as plain data, and such records merged back: the store's side of
moving a learner's record to another machine.

`dump` gives every record of a learner, keyed by the export file's field names; `merge` adds
records to a learner in one transaction, by rules that make merging the same records twice
change nothing. `course.record.progress.transfer` writes, reads and checks the export file itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from course.record.progress.learners import (
    LearnerNotFoundError,
    ensure_learner,
    find_learner,
    validate_learner_name,
)
from course.record.progress.opening import StoreBase
from course.record.progress.values import position_json


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


class DumpAndMerge(StoreBase):
    """A learner's records taken out of the store, and put in."""

    def dump(self, learner: str) -> dict[str, list[dict[str, Any]]]:
        """Every record of a learner, in every course, as plain data for an export file."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = find_learner(db, learner)
            if learner_id is None:
                raise LearnerNotFoundError(f"There is no learner named {learner!r};"
                                           " `ivstem learners` lists them.")
            return {kind: _dump_kind(db, kind, learner_id) for kind in RECORD_KINDS}

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
            learner_id = ensure_learner(db, learner, self._stamp())
            counts = _merge(db, learner_id, records)
            name = db.execute("SELECT name FROM learner WHERE id = ?", (learner_id,)).fetchone()
        return MergeReport(learner=str(name[0]), counts=counts)


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
            (learner_id, r["course"], position_json(r["position"]), r["at"]))
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


"""The learner's record of a course: answers, steps, lessons, quizzes, position, time, resets.

Each write is one transaction (see `course.record.progress.opening`), so what belongs together
is kept together or not at all: an answer and its review card, a finished quiz, its pass and
the end of the quiz in progress.

The store knows ids and numbers only, never the course model: the caller maps ids to titles, and
records whose ids a course no longer has are kept and left out of what it shows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, NamedTuple, Protocol, cast, get_args

from course.record.progress.cards import schedule_card
from course.record.progress.learners import ensure_learner, find_learner, validate_learner_name
from course.record.progress.opening import StoreBase
from course.record.progress.outbox import queue_statement, stored_name
from course.record.progress.values import (
    MAX_ANSWER_JSON,
    MAX_SECONDS,
    MAX_STATE_JSON,
    format_stamp,
    new_uid,
    parse_stamp,
    position_json,
    require_count,
    require_ids,
    require_json,
    require_number,
    require_optional_ids,
    require_share,
)

Where = Literal["check", "quiz", "review"]
"""Where an answer was given: a practice check in a lesson, a module quiz, or a review session."""

WHERES: frozenset[str] = frozenset(get_args(Where))


# -- records ----------------------------------------------------------------------------------
# Named tuples, not frozen dataclasses: as immutable, and cheaper both to make and to define
# (each dataclass costs about a millisecond at import, on every start of the app).


class Answer(NamedTuple):
    """One answer as recorded.

    `score` is the share of credit earned, from 0 to 1 (given to `record_answer` as `share`);
    `points` the points it earned.
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
    """A finished module quiz: its score, points earned, and the final session state.

    `score` is the share of credit earned, from 0 to 1 (given to `finish_quiz` as `share`).
    """

    id: int
    uid: str
    course_id: str
    module_id: str
    score: float
    points: float
    passed: bool
    state_json: str
    finished_at: datetime


class StatementMaker(Protocol):
    """Makes the xAPI statement of an act as it is recorded (see `course.record.xapi`).

    Given to the methods that record an act, it has the statement queued in the outbox in the
    same transaction (see `course.record.progress.outbox`). `learner` is the name as the
    profile spells it.
    """

    def answered(self, learner: str, answer: Answer) -> dict[str, Any]:
        """The statement of an answer."""
        ...

    def completed(self, learner: str, module_id: str, lesson_id: str,
                  at: datetime) -> dict[str, Any]:
        """The statement of a lesson completed at `at`."""
        ...

    def finished(self, learner: str, attempt: QuizAttempt) -> dict[str, Any]:
        """The statement of a finished quiz."""
        ...


class LearnerRecord(StoreBase):
    """What the learner did in a course, written and read back by ids."""

    # answers ----------------------------------------------------------------------------

    def record_answer(
        self,
        learner: str,
        course_id: str,
        question_id: str,
        where: Where,
        answer_json: str,
        share: float,
        points: float,
        hints_used: int,
        module_id: str | None = None,
        lesson_id: str | None = None,
        schedule: bool = True,
        *,
        quiz_state: str | None = None,
        xapi: StatementMaker | None = None,
    ) -> int:
        """Record one answer, committed to disk before returning; returns its row id.

        `share` is the share of credit (0 to 1), `points` the points earned. Show the learner
        feedback only after this returns: if it raises NotSavedError (disk full, store locked),
        the answer is not saved and the learner should be told so.

        With `schedule` (the default), the question's review card is updated in the same
        transaction, rated from `share` and `hints_used` (see
        `course.record.progress.scheduling`), so an answer and its scheduling are kept together
        or not at all. Pass False for the later tries of a practice check: only the first try
        counts for review (see `course.record.review`).

        With `quiz_state`, the state of the module quiz in progress is kept too (as
        `save_quiz_state` keeps it), in the same transaction, so a quiz resumed after a crash
        holds exactly the answers that were saved; `module_id` is then required.

        With `xapi`, the answer's statement is queued in the outbox, in the same transaction.
        """
        learner = validate_learner_name(learner)
        require_ids(course_id=course_id, question_id=question_id)
        require_optional_ids(module_id=module_id, lesson_id=lesson_id)
        if where not in WHERES:
            raise ValueError(f"where must be one of {sorted(WHERES)}, not {where!r}")
        require_json(answer_json, "answer_json", MAX_ANSWER_JSON)
        require_share(share)
        require_number(points, "points")
        require_count(hints_used, "hints_used")
        if quiz_state is not None:
            if module_id is None:
                raise ValueError("module_id is required to keep the quiz in progress")
            require_json(quiz_state, "quiz_state", MAX_STATE_JSON)
        with self._writing() as db:
            learner_id = ensure_learner(db, learner, self._stamp())
            moment = self._clock()
            stamp = format_stamp(moment)
            uid = new_uid()
            cursor = db.execute(
                "INSERT INTO answer (uid, learner_id, course_id, module_id, lesson_id,"
                " question_id, context, answer_json, score, points, hints_used, answered_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uid, learner_id, course_id, module_id, lesson_id, question_id, where,
                    answer_json, float(share), float(points), hints_used, stamp,
                ),
            )
            if schedule:
                schedule_card(db, learner_id, course_id, question_id, module_id, lesson_id,
                              float(share), hints_used > 0, moment, stamp)
            if quiz_state is not None:
                assert module_id is not None
                _keep_quiz_state(db, learner_id, course_id, module_id, quiz_state, stamp)
            row_id = cursor.lastrowid
            assert row_id is not None
            if xapi is not None:
                # Read back as kept: the statement says exactly what the record holds.
                kept = Answer(row_id, uid, course_id, module_id, lesson_id, question_id, where,
                              answer_json, float(share), float(points), hints_used,
                              parse_stamp(stamp))
                queue_statement(db, learner_id, xapi.answered(stored_name(db, learner_id), kept),
                                stamp)
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
                answered_at=parse_stamp(row[11]),
            )
            for row in rows
        ]

    # steps and lessons ------------------------------------------------------------------

    def reach_step(
        self,
        learner: str,
        course_id: str,
        module_id: str,
        lesson_id: str,
        step_index: int,
        *,
        position: Mapping[str, Any] | None = None,
    ) -> None:
        """Note that the learner has seen a step (the first time is kept).

        With `position`, the place to continue from is kept too (as `set_position` keeps it),
        in the same transaction.
        """
        learner = validate_learner_name(learner)
        require_ids(course_id=course_id, module_id=module_id, lesson_id=lesson_id)
        require_count(step_index, "step_index")
        text = None if position is None else position_json(position)
        with self._writing() as db:
            now = self._stamp()
            learner_id = ensure_learner(db, learner, now)
            db.execute(
                "INSERT OR IGNORE INTO step_reached"
                " (learner_id, course_id, module_id, lesson_id, step, reached_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (learner_id, course_id, module_id, lesson_id, step_index, now),
            )
            if text is not None:
                _keep_position(db, learner_id, course_id, text, now)

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

    def complete_lesson(
        self,
        learner: str,
        course_id: str,
        module_id: str,
        lesson_id: str,
        *,
        passes_module: bool = False,
        xapi: StatementMaker | None = None,
    ) -> None:
        """Mark a lesson completed (the first completion time is kept).

        With `passes_module`, the module is marked passed too (as `mark_module_passed` marks
        it), in the same transaction: the caller decides that this lesson passes it. With
        `xapi`, a first completion's statement is queued in the outbox, in the same transaction.
        """
        learner = validate_learner_name(learner)
        require_ids(course_id=course_id, module_id=module_id, lesson_id=lesson_id)
        with self._writing() as db:
            now = self._stamp()
            learner_id = ensure_learner(db, learner, now)
            cursor = db.execute(
                "INSERT OR IGNORE INTO lesson_done"
                " (learner_id, course_id, module_id, lesson_id, completed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (learner_id, course_id, module_id, lesson_id, now),
            )
            if xapi is not None and cursor.rowcount == 1:
                statement = xapi.completed(stored_name(db, learner_id), module_id, lesson_id,
                                           parse_stamp(now))
                queue_statement(db, learner_id, statement, now)
            if passes_module:
                _mark_passed(db, learner_id, course_id, module_id, now)

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

    def lesson_completions(
        self, learner: str, course_id: str
    ) -> list[tuple[str, str, datetime]]:
        """(module id, lesson id, when) of every lesson the learner completed, oldest first."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            rows = db.execute(
                "SELECT d.module_id, d.lesson_id, d.completed_at FROM lesson_done d"
                " JOIN learner l ON l.id = d.learner_id WHERE l.name = ? AND d.course_id = ?"
                " ORDER BY d.completed_at, d.module_id, d.lesson_id",
                (learner, course_id),
            ).fetchall()
        return [(module, lesson, parse_stamp(at)) for module, lesson, at in rows]

    def lesson_modules(self, learner: str, course_id: str, lesson_id: str) -> frozenset[str]:
        """The modules in which the learner has records of a lesson with this id."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = find_learner(db, learner)
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
        require_ids(course_id=course_id, module_id=module_id)
        require_json(state_json, "state_json", MAX_STATE_JSON)
        with self._writing() as db:
            now = self._stamp()
            learner_id = ensure_learner(db, learner, now)
            _keep_quiz_state(db, learner_id, course_id, module_id, state_json, now)

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
        share: float,
        points: float,
        passed: bool,
        state_json: str,
        *,
        position: Mapping[str, Any] | None = None,
        xapi: StatementMaker | None = None,
    ) -> int:
        """Record a finished quiz; returns the attempt's row id.

        `share` is the share of the quiz's credit earned (0 to 1), `points` the points earned.

        In the same transaction the quiz in progress is cleared and, if `passed`, the module is
        marked passed: a crash cannot leave a finished quiz still "in progress". With
        `position`, the place to continue from is kept too. With `xapi`, the attempt's
        statement is queued in the outbox.


        One sitting is one attempt: when `state_json` names its sitting (its `attempt`
        number) and that sitting was already finished (in another window open on the same
        quiz), nothing is added and the attempt already recorded is returned.
        """
        learner = validate_learner_name(learner)
        require_ids(course_id=course_id, module_id=module_id)
        require_share(share)
        require_number(points, "points")
        if not isinstance(passed, bool):
            raise TypeError("passed must be True or False")
        require_json(state_json, "state_json", MAX_STATE_JSON)
        text = None if position is None else position_json(position)
        with self._writing() as db:
            now = self._stamp()
            learner_id = ensure_learner(db, learner, now)
            sitting = _sitting(db, state_json)
            finished = _finished_sitting(db, learner_id, course_id, module_id, sitting)
            if finished is not None:
                _clear_quiz_state(db, learner_id, course_id, module_id, sitting)
                return finished
            uid = new_uid()
            cursor = db.execute(
                "INSERT INTO quiz_attempt (uid, learner_id, course_id, module_id, score, points,"
                " passed, state_json, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (uid, learner_id, course_id, module_id, float(share), float(points),
                 int(passed), state_json, now),
            )
            _clear_quiz_state(db, learner_id, course_id, module_id, sitting)
            if passed:
                _mark_passed(db, learner_id, course_id, module_id, now)
            if text is not None:
                _keep_position(db, learner_id, course_id, text, now)
            row_id = cursor.lastrowid
            assert row_id is not None
            if xapi is not None:
                attempt = QuizAttempt(row_id, uid, course_id, module_id, float(share),
                                      float(points), passed, state_json, parse_stamp(now))
                queue_statement(db, learner_id,
                                xapi.finished(stored_name(db, learner_id), attempt), now)
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
        require_ids(course_id=course_id, module_id=module_id)
        with self._writing() as db:
            now = self._stamp()
            learner_id = ensure_learner(db, learner, now)
            _mark_passed(db, learner_id, course_id, module_id, now)

    def module_passed(self, learner: str, course_id: str, module_id: str) -> bool:
        """Whether the learner has passed a module."""
        return module_id in self.passed_modules(learner, course_id)

    def passed_modules(self, learner: str, course_id: str) -> frozenset[str]:
        """The ids of every module the learner has passed in a course."""
        return frozenset(self.pass_dates(learner, course_id))

    def pass_dates(self, learner: str, course_id: str) -> dict[str, datetime]:
        """When the learner passed each module of a course they have passed, by module id."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            rows = db.execute(
                "SELECT p.module_id, p.passed_at FROM module_passed p"
                " JOIN learner l ON l.id = p.learner_id WHERE l.name = ? AND p.course_id = ?",
                (learner, course_id),
            ).fetchall()
        return {module: parse_stamp(stamp) for module, stamp in rows}

    # position and time ------------------------------------------------------------------

    def set_position(self, learner: str, course_id: str, position: Mapping[str, Any]) -> None:
        """Remember where the learner is, for "continue where you left off".

        `position` is a small JSON-able dict such as
        {"module": ..., "lesson": ..., "step": ..., "quiz_question": ...}.
        """
        learner = validate_learner_name(learner)
        require_ids(course_id=course_id)
        text = position_json(position)
        with self._writing() as db:
            now = self._stamp()
            learner_id = ensure_learner(db, learner, now)
            _keep_position(db, learner_id, course_id, text, now)

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
        require_ids(course_id=course_id, module_id=module_id)
        require_number(seconds, "seconds")
        if not 0 < seconds <= MAX_SECONDS:
            raise ValueError(f"seconds must be above 0 and at most {MAX_SECONDS}, not {seconds}")
        with self._writing() as db:
            now = self._stamp()
            learner_id = ensure_learner(db, learner, now)
            db.execute(
                "INSERT INTO study_time (uid, learner_id, course_id, module_id, seconds,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (new_uid(), learner_id, course_id, module_id, float(seconds), now),
            )

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
            [(table, where, params) for table in LEARNER_TABLES if table != "position"],
        )

    def reset_course(self, learner: str, course_id: str) -> int:
        """Forget everything the learner did in a course. Returns rows removed."""
        return self._delete(
            learner, [(table, "course_id = ?", (course_id,)) for table in LEARNER_TABLES]
        )

    def _delete(self, learner: str, targets: Sequence[tuple[str, str, tuple[str, ...]]]) -> int:
        learner = validate_learner_name(learner)
        removed = 0
        with self._writing() as db:
            learner_id = find_learner(db, learner)
            if learner_id is None:
                return 0
            for table, condition, params in targets:
                cursor = db.execute(
                    f"DELETE FROM {table} WHERE learner_id = ? AND {condition}",
                    (learner_id, *params),
                )
                removed += cursor.rowcount
        return removed


# -- helpers ------------------------------------------------------------------------------------
# Writes shared by the methods that make them alone and those that make them with another,
# inside the caller's transaction.


def _keep_quiz_state(
    db: sqlite3.Connection, learner_id: int, course_id: str, module_id: str, state_json: str,
    now: str,
) -> None:
    """Keep the state of the module quiz in progress, replacing the previous one; unless its
    sitting is already finished (another window finished it), which must not come back as a
    quiz in progress."""
    sitting = _sitting(db, state_json)
    if _finished_sitting(db, learner_id, course_id, module_id, sitting) is not None:
        return
    db.execute(
        "INSERT INTO quiz_state (learner_id, course_id, module_id, state_json, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (learner_id, course_id, module_id)"
        " DO UPDATE SET state_json = excluded.state_json,"
        " updated_at = excluded.updated_at",
        (learner_id, course_id, module_id, state_json, now),
    )


#: A row's sitting, read only from valid JSON: an odd record (imported) must not stop a quiz
#: from being finished.
_SITTING_OF_ROW = ("(CASE WHEN json_valid(state_json) THEN json_extract(state_json, '$.attempt')"
                   " END)")


def _sitting(db: sqlite3.Connection, state_json: str) -> int | None:
    """The sitting a quiz state belongs to: its `attempt` number, or None when it has none.

    A sitting is drawn from its number (`quizzes.session`), so two windows that opened the
    quiz at the same point hold the same sitting, and finishing it in either is one attempt.
    """
    value = db.execute("SELECT json_extract(?, '$.attempt')", (state_json,)).fetchone()[0]
    return value if isinstance(value, int) else None


def _finished_sitting(
    db: sqlite3.Connection, learner_id: int, course_id: str, module_id: str,
    sitting: int | None,
) -> int | None:
    """The row id of the attempt that finished `sitting`, or None (also for no sitting)."""
    if sitting is None:
        return None
    row = db.execute(
        "SELECT id FROM quiz_attempt WHERE learner_id = ? AND course_id = ? AND module_id = ?"
        f" AND {_SITTING_OF_ROW} = ? ORDER BY id LIMIT 1",
        (learner_id, course_id, module_id, sitting),
    ).fetchone()
    return None if row is None else int(row[0])


def _clear_quiz_state(
    db: sqlite3.Connection, learner_id: int, course_id: str, module_id: str,
    sitting: int | None,
) -> None:
    """Clear the quiz in progress of a sitting just finished; a later sitting another window
    has started since is left alone."""
    db.execute(
        "DELETE FROM quiz_state WHERE learner_id = ? AND course_id = ? AND module_id = ?"
        f" AND (? IS NULL OR {_SITTING_OF_ROW} IS NULL OR {_SITTING_OF_ROW} = ?)",
        (learner_id, course_id, module_id, sitting, sitting),
    )


def _mark_passed(
    db: sqlite3.Connection, learner_id: int, course_id: str, module_id: str, now: str
) -> None:
    """Mark a module passed (the first time is kept)."""
    db.execute(
        "INSERT OR IGNORE INTO module_passed (learner_id, course_id, module_id, passed_at)"
        " VALUES (?, ?, ?, ?)",
        (learner_id, course_id, module_id, now),
    )


def _keep_position(
    db: sqlite3.Connection, learner_id: int, course_id: str, position_text: str, now: str
) -> None:
    """Keep the place to continue from (as JSON), replacing the previous one."""
    db.execute(
        "INSERT INTO position (learner_id, course_id, position_json, updated_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (learner_id, course_id)"
        " DO UPDATE SET position_json = excluded.position_json,"
        " updated_at = excluded.updated_at",
        (learner_id, course_id, position_text, now),
    )


def _attempt(row: Sequence[Any]) -> QuizAttempt:
    return QuizAttempt(
        id=row[0], uid=row[1], course_id=row[2], module_id=row[3], score=row[4], points=row[5],
        passed=bool(row[6]), state_json=row[7], finished_at=parse_stamp(row[8]),
    )


#: Tables holding a learner's records of a course (everything but `learner` itself and the
#: learner's preferences, which belong to no course).
LEARNER_TABLES = (
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


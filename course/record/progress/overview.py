"""What a learner's record adds up to: figures per module, activity, tallies, and courses.

Reads only, by ids, for the dashboard, the map, the reports and the certificate: the caller adds
titles and totals from the course.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from course.record.progress.days import day_start
from course.record.progress.learners import find_learner, validate_learner_name
from course.record.progress.opening import StoreBase
from course.record.progress.record import LEARNER_TABLES
from course.record.progress.values import parse_stamp


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


class RecordOverview(StoreBase):
    """Summaries of a learner's record, each read in one transaction."""

    def summary(self, learner: str, course_id: str) -> dict[str, ModuleSummary]:
        """Per-module figures for every module the learner has any record of, by module id.

        Every query reads a small table or seeks an index, so this stays fast however many
        answers are stored (no scan of the answer table).
        """
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = find_learner(db, learner)
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
                last_studied=parse_stamp(latest[module]) if module in latest else None,
                seconds_spent=seconds.get(module, 0.0),
            )
            for module in sorted(modules)
        }

    def course_ids(self, learner: str) -> list[str]:
        """The ids of the courses the learner has any answer, lesson or position in."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = find_learner(db, learner)
            if learner_id is None:
                return []
            rows = db.execute(
                " UNION ".join(
                    f"SELECT course_id FROM {table} WHERE learner_id = ?"
                    for table in LEARNER_TABLES
                ),
                (learner_id,) * len(LEARNER_TABLES),
            ).fetchall()
        return sorted(course for (course,) in rows)

    def question_tallies(self, learner: str, course_id: str) -> dict[str, tuple[int, int]]:
        """Per question id: (answers given, answers fully right), over every answer recorded.

        Read from the running tallies (see `schema._add_tallies_v4`): one row per question.
        """
        learner = validate_learner_name(learner)
        with self._reading() as db:
            learner_id = find_learner(db, learner)
            if learner_id is None:
                return {}
            rows = db.execute(
                "SELECT question_id, answers, right_answers FROM question_tally"
                " WHERE learner_id = ? AND course_id = ?",
                (learner_id, course_id),
            ).fetchall()
        return {question: (count, right) for question, count, right in rows}

    def answers_per_day(
        self, learner: str, course_id: str, days: Sequence[date]
    ) -> dict[date, int]:
        """Of `days` (study days, see `course.record.progress.days`), those on which the learner
        did anything in a course, each with the number of answers given on it (0 for reading
        or time only).

        A range of the running tallies per day (at most 96 rows, one per quarter of an hour),
        however many answers there are: the cost grows with the days asked about, not the
        record.
        """
        rows = self._per_day(learner, course_id, days, "SELECT SUM(answers)")
        return {date.fromordinal(ordinal): answers for ordinal, answers in rows
                if answers is not None}

    def days_studied(self, learner: str, course_id: str, days: Sequence[date]) -> set[date]:
        """Of `days` (study days), those on which the learner did anything in a course: one
        seek of the running tallies per day."""
        rows = self._per_day(learner, course_id, days, "SELECT 1")
        return {date.fromordinal(ordinal) for ordinal, found in rows if found is not None}

    def _per_day(
        self, learner: str, course_id: str, days: Sequence[date], figure: str
    ) -> list[tuple[int, Any]]:
        """(ordinal, `figure` over the day's tallies) for each of `days`; `figure` is NULL for
        a day with no tallies."""
        learner = validate_learner_name(learner)
        if not days:
            return []
        starts: dict[date, str] = {}  # the days asked for are mostly consecutive

        def start(day: date) -> str:
            text = starts.get(day)
            if text is None:
                text = starts[day] = _quarter_text(day_start(day))
            return text

        bounds: list[object] = []
        for day in days:
            bounds += [day.toordinal(), start(day), start(day + timedelta(days=1))]
        with self._reading() as db:
            learner_id = find_learner(db, learner)
            if learner_id is None:
                return []
            return db.execute(
                f"WITH span(ordinal, first, after) AS (VALUES {_triples(len(days))})"
                f" SELECT ordinal, ({figure} FROM activity_tally"
                " WHERE learner_id = ? AND course_id = ? AND quarter >= span.first"
                " AND quarter < span.after LIMIT 1) FROM span",
                (*bounds, learner_id, course_id),
            ).fetchall()


def _quarter_text(moment: datetime) -> str:
    """A UTC moment as the tallies key it, to the minute (`2026-03-01T09:45`)."""
    return moment.astimezone(UTC).isoformat(timespec="minutes")[:16]


def _triples(count: int) -> str:
    return ", ".join(["(?, ?, ?)"] * count)


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


"""Checking an imported progress file against the course: what only the course can tell.

`course.record.progress.transfer` checks a file's form, its checksum, the clock and the limits.
The checksum shows that a file was not changed by accident, not that it is true: anyone can
edit a file and compute the checksum again. So before records of the course are merged, they
are held against the course itself, and those that cannot be right are left out with a reason:

- an answer to a question of the course that earned more points than the question is worth;
- a quiz attempt at a module quiz that earned more points than the whole quiz is worth, or
  that says it passed with a score below the pass mark;
- a module passed that the course does not have; one with a quiz but no passed attempt (in
  the file, or already in the learner's record here); one without a quiz whose lessons were
  not all completed.

Records of other courses, of questions or modules the course no longer has (an earlier
edition's), are kept: nothing here can say they are wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course.material.model import Course, Module
from course.record.progress import ProgressStore
from course.record.progress.transfer import ProgressFile
from course.record.review import questions_of
from quizzes.session import PASS_EPSILON

#: Slack for points added up in floating point.
_POINTS_SLACK = 1e-6


def vet(
    progress: ProgressFile, course: Course, store: ProgressStore, learner: str
) -> ProgressFile:
    """The file less the records of `course` that cannot be right (each in `skipped`).

    `learner` is the profile the file goes to: a pass is supported by an attempt already in
    that learner's record here as well as by one in the file.
    """
    records = progress.records
    skipped: dict[str, dict[int, str]] = {}
    points = {question_id: asked.question.points
              for question_id, asked in questions_of(course).items()}
    for index, item in enumerate(records.get("answers", [])):
        worth = points.get(item["question"]) if item["course"] == course.id else None
        if worth is not None and item["points"] > worth + _POINTS_SLACK:
            skipped.setdefault("answers", {})[index] = (
                f"it earned {item['points']:g} points; the question is worth {worth:g}")
    passed_attempts: set[str] = set()
    for index, item in enumerate(records.get("quiz_attempts", [])):
        module = course.module(item["module"]) if item["course"] == course.id else None
        reason = None if module is None else _attempt_reason(course, module, item)
        if reason is not None:
            skipped.setdefault("quiz_attempts", {})[index] = reason
        elif item["course"] == course.id and item["passed"]:
            passed_attempts.add(item["module"])
    done = {(item["module"], item["lesson"]) for item in records.get("lessons", [])
            if item["course"] == course.id}
    for index, item in enumerate(records.get("modules_passed", [])):
        if item["course"] != course.id:
            continue
        reason = _pass_reason(course, item["module"], passed_attempts, done, store, learner)
        if reason is not None:
            skipped.setdefault("modules_passed", {})[index] = reason
    return progress.without(skipped)


def _attempt_reason(course: Course, module: Module, item: Mapping[str, Any]) -> str | None:
    if module.quiz is None:
        return f"module {module.id} has no quiz"
    worth = sum(question.points for question in module.quiz.questions)
    if item["points"] > worth + _POINTS_SLACK:
        return f"it earned {item['points']:g} points; the whole quiz is worth {worth:g}"
    mark = course.pass_mark(module)
    if item["passed"] and item["score"] < mark - PASS_EPSILON:
        return (f"it says it passed with {item['score']:.0%}, below the pass mark of"
                f" {mark:.0%}")
    return None


def _pass_reason(
    course: Course,
    module_id: str,
    passed_attempts: set[str],
    done: set[tuple[str, str]],
    store: ProgressStore,
    learner: str,
) -> str | None:
    module = course.module(module_id)
    if module is None:
        return f"the course {course.id} has no module {module_id}"
    if module.quiz is not None:
        if module_id in passed_attempts or any(
                attempt.passed for attempt in store.quiz_attempts(learner, course.id, module_id)):
            return None
        return "no attempt at its quiz passed, in the file or here"
    done = done | store.completed_lessons(learner, course.id, module_id)
    left = [lesson.id for lesson in module.lessons if (module_id, lesson.id) not in done]
    if left:
        return f"its lessons were not all completed ({', '.join(left)} not)"
    return None

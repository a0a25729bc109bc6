"""The study rules of `course.record.study`: when a module's quiz opens, and what follows a lesson.

The shipped course is used, open-gated, as a learner who skips about would meet it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.model import Course
from course.paths import shipped_course_dir
from course.record.progress import ProgressStore
from course.record.study import Place, Standing, after_lesson, continue_place, standings
from tests.open_course import open_copy

LEARNER = "ana"


def loaded(folder: Path) -> Course:
    result = load_course(folder)
    assert result.course is not None, result.problems
    return result.course


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    return loaded(open_copy(tmp_path_factory.mktemp("study")))


def standing_of(course: Course, store: ProgressStore, module_id: str) -> Standing:
    found = standings(course, store.summary(LEARNER, course.id),
                      store.passed_modules(LEARNER, course.id))
    return next(s for s in found if s.module.id == module_id)


def test_finishing_only_the_last_lesson_leads_to_the_first_lesson_left_not_the_quiz(
        course: Course) -> None:
    module = course.modules[1]
    last = module.lessons[-1]
    store = ProgressStore.in_memory()
    store.complete_lesson(LEARNER, course.id, module.id, last.id)
    standing = standing_of(course, store, module.id)
    assert not standing.quiz_open
    assert [x.id for x in standing.lessons_left] == [x.id for x in module.lessons[:-1]]
    assert after_lesson(standing, last.id) == Place(module.id, module.lessons[0].id, 0)


def test_a_lesson_skipped_ahead_of_is_taken_up_after_the_one_finished(course: Course) -> None:
    module = course.modules[1]
    first, second, third = module.lessons[:3]
    store = ProgressStore.in_memory()
    for lesson in (first, third):
        store.complete_lesson(LEARNER, course.id, module.id, lesson.id)
    standing = standing_of(course, store, module.id)
    assert after_lesson(standing, first.id) == Place(module.id, second.id, 0)
    assert after_lesson(standing, third.id) == Place(module.id, module.lessons[3].id, 0)


def test_the_quiz_opens_only_when_every_lesson_of_its_module_is_done(course: Course) -> None:
    module = course.modules[1]
    store = ProgressStore.in_memory()
    for lesson in module.lessons[:-1]:
        store.complete_lesson(LEARNER, course.id, module.id, lesson.id)
    standing = standing_of(course, store, module.id)
    assert not standing.quiz_open
    assert standing.quiz_opens_when == (
        "The quiz opens once every lesson of this module is done: finish the lesson"
        f" “{module.lessons[-1].title}” first.")
    store.complete_lesson(LEARNER, course.id, module.id, module.lessons[-1].id)
    standing = standing_of(course, store, module.id)
    assert standing.quiz_open and standing.quiz_opens_when == ""
    assert after_lesson(standing, module.lessons[-1].id) == Place(module.id, quiz=True)


def test_with_no_lesson_read_the_quiz_says_how_many_lessons_are_left(course: Course) -> None:
    module = course.modules[1]
    standing = standing_of(course, ProgressStore.in_memory(), module.id)
    assert standing.quiz_opens_when == (
        "The quiz opens once every lesson of this module is done: finish the"
        f" {len(module.lessons)} lessons left first, starting with “{module.lessons[0].title}”.")


def test_a_locked_modules_quiz_says_what_opens_the_module() -> None:
    course = loaded(shipped_course_dir())  # sequentially gated
    standing = standing_of(course, ProgressStore.in_memory(), course.modules[1].id)
    assert not standing.quiz_open
    assert standing.quiz_opens_when == standing.opens_when != ""


def test_a_course_may_let_its_quizzes_be_taken_before_any_lesson(tmp_path: Path) -> None:
    course = loaded(open_copy(tmp_path, quiz_after_lessons=False))
    assert course.settings.quiz_after_lessons is False
    module = course.modules[1]
    store = ProgressStore.in_memory()
    standing = standing_of(course, store, module.id)
    assert standing.quiz_open and standing.quiz_opens_when == ""
    # Lessons still come first when a lesson ends: the quiz is there to take, not forced.
    store.complete_lesson(LEARNER, course.id, module.id, module.lessons[-1].id)
    standing = standing_of(course, store, module.id)
    assert after_lesson(standing, module.lessons[-1].id) == Place(
        module.id, module.lessons[0].id, 0)


def test_an_attempt_under_way_can_be_finished_though_lessons_are_left(course: Course) -> None:
    module = course.modules[1]
    store = ProgressStore.in_memory()
    store.save_quiz_state(LEARNER, course.id, module.id, "{}")
    assert standing_of(course, store, module.id).quiz_open


def test_continue_does_not_lead_to_a_quiz_that_is_not_open(course: Course) -> None:
    module = course.modules[1]
    store = ProgressStore.in_memory()
    position = Place(module.id, quiz=True).to_position()
    found = standings(course, store.summary(LEARNER, course.id), frozenset())
    assert continue_place(course, position, found) == Place(
        course.modules[0].id, course.modules[0].lessons[0].id, 0)


def test_an_instructor_preview_opens_every_quiz(course: Course) -> None:
    found = standings(course, {}, frozenset(), open_all=True)
    assert all(s.quiz_open for s in found if s.module.quiz is not None)


def test_rereading_a_finished_module_goes_on_lesson_by_lesson_then_to_the_quiz(
        course: Course) -> None:
    module = course.modules[1]
    store = ProgressStore.in_memory()
    for lesson in module.lessons:
        store.complete_lesson(LEARNER, course.id, module.id, lesson.id)
    standing = standing_of(course, store, module.id)
    assert after_lesson(standing, module.lessons[0].id) == Place(
        module.id, module.lessons[1].id, 0)
    assert after_lesson(standing, module.lessons[-1].id) == Place(module.id, quiz=True)


def test_quiz_after_lessons_that_is_not_true_or_false_is_reported_at_its_line(
        tmp_path: Path) -> None:
    folder = open_copy(tmp_path)
    manifest = folder / "course.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "settings:\n", "settings:\n  quiz_after_lessons: sometimes\n"), encoding="utf-8")
    result = load_course(folder)
    assert result.course is None
    [problem] = result.problems
    assert problem.path.name == "course.yaml"
    assert "quiz_after_lessons" in problem.format() and "settings:" in manifest.read_text(
        encoding="utf-8").splitlines()[problem.line - 2]

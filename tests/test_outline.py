"""A course's outline answers what the course map and the study rules ask, as the course does."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.model import Course
from course.material.outline import Outline, outline_of
from course.paths import shipped_course_dir
from course.record.progress import ProgressStore
from course.record.study import continue_place, standings

VALID = Path(__file__).parent / "data" / "courses" / "valid"


def loaded(folder: Path) -> Course:
    course = load_course(folder).course
    assert course is not None
    return course


@pytest.mark.parametrize("folder", [VALID, shipped_course_dir()], ids=["test", "shipped"])
def test_an_outline_shows_each_module_as_the_course_does(folder: Path) -> None:
    course = loaded(folder)
    outline = Outline.from_plain(outline_of(course))
    assert outline is not None and outline.id == course.id
    assert len(outline.modules) == len(course.modules)
    for shown, module in zip(outline.modules, course.modules, strict=True):
        assert (shown.id, shown.title, shown.summary, shown.objectives, shown.reviewed,
                shown.estimated_minutes, shown.jurisdiction) == (
            module.id, module.title, module.summary, module.objectives, module.reviewed,
            module.estimated_minutes, module.jurisdiction)
        assert [(x.id, x.title, len(x.steps)) for x in shown.lessons] == [
            (x.id, x.title, len(x.steps)) for x in module.lessons]
        assert (shown.quiz is None) == (module.quiz is None)
        assert outline.pass_mark(shown) == course.pass_mark(module)
        assert outline.prerequisites(shown) == course.prerequisites(module)
        assert outline.quiz_after_lessons(shown) == course.quiz_after_lessons(module)


@pytest.mark.parametrize("progress", ["none", "a lesson", "first passed", "a saved step",
                                      "every lesson of the first", "a saved quiz"])
def test_the_study_rules_read_an_outline_as_they_read_the_course(progress: str) -> None:
    course = loaded(VALID)
    outline = Outline.from_plain(outline_of(course))
    assert outline is not None
    store = ProgressStore.in_memory()
    first = course.modules[0]
    if progress == "a lesson":
        store.complete_lesson("ana", course.id, first.id, first.lessons[0].id)
    elif progress == "first passed":
        store.mark_module_passed("ana", course.id, first.id)
    elif progress == "a saved step":
        store.set_position("ana", course.id, {"module": first.id,
                                              "lesson": first.lessons[0].id, "step": 1})
    elif progress == "every lesson of the first":
        for lesson in first.lessons:
            store.complete_lesson("ana", course.id, first.id, lesson.id)
    elif progress == "a saved quiz":
        store.set_position("ana", course.id, {"module": first.id, "quiz": True})
    summary = store.summary("ana", course.id)
    passed = store.passed_modules("ana", course.id)
    position = store.position("ana", course.id)

    def seen(shape: Course | Outline) -> list[tuple[object, ...]]:
        found = standings(shape, summary, passed)
        return [(s.module.id, s.state, s.lessons_done, s.share_done, s.opens_when,
                 [m.id for m in s.waiting_for], s.quiz_open, s.quiz_opens_when)
                for s in found] + [
            (continue_place(shape, position, found),)]

    assert seen(outline) == seen(course)


@pytest.mark.parametrize("damage", [
    lambda o: None,
    lambda o: o[:1],
    lambda o: (7, o[1]),
    lambda o: (o[0], (o[1][0][:10],)),  # a module without its prerequisites
    lambda o: (o[0], ((*o[1][0][:7], ((1, "x", 2),), *o[1][0][8:]),)),  # a lesson's id
    lambda o: (o[0], ((*o[1][0][:7], (("a", "x", -1),), *o[1][0][8:]),)),  # its steps
    lambda o: (o[0], ((*o[1][0][:9], 1.5, *o[1][0][10:]),)),  # a pass mark over 1
    lambda o: (o[0], ((*o[1][0][:3], ("fine", 3), *o[1][0][4:]),)),  # an objective
    lambda o: (o[0], ((*o[1][0][:11], "yes"),)),  # whether the quiz waits for the lessons
])
def test_an_outline_of_the_wrong_shape_is_not_read(damage: object) -> None:
    plain = outline_of(loaded(VALID))
    assert Outline.from_plain(plain) is not None
    assert callable(damage)
    assert Outline.from_plain(damage(plain)) is None

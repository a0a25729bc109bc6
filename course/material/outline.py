"""The shape of a course in plain values: enough to draw the course map, with no content model.

A returning learner's first screen is the course map. Loading the content model and reading the
course from its snapshot take several milliseconds, so a snapshot's first part also keeps this
outline: each module's title, summary, dates, objectives, lessons (with their number of steps),
whether it has a quiz, its pass mark, whether the quiz waits for the lessons, and the modules
it waits for. The map is drawn from it; the
course itself loads just after, before anything is opened.

An outline agrees with `course.record.study`'s rules as the course does: its prerequisites and pass
marks are the course's own, worked out when the snapshot was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from course.material.model import Course


class OutlineLesson:
    """A lesson: its id, its title and how many steps it has."""

    __slots__ = ("id", "steps", "title")
    id: str
    title: str
    steps: range

    def __init__(self, id: str, title: str, steps: int) -> None:
        self.id = id
        self.title = title
        self.steps = range(steps)  # only its length is read: where a saved step still fits


class OutlineModule:
    """A module as the course map shows it."""

    __slots__ = ("estimated_minutes", "id", "jurisdiction", "lessons", "objectives",
                 "pass_mark", "prerequisites", "quiz", "quiz_after_lessons", "reviewed",
                 "summary", "title")
    id: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    estimated_minutes: int | None
    reviewed: str | None
    jurisdiction: tuple[str, ...]
    lessons: tuple[OutlineLesson, ...]
    quiz: Literal[True] | None
    pass_mark: float
    prerequisites: tuple[str, ...]
    quiz_after_lessons: bool

    def __init__(self, plain: tuple[Any, ...]) -> None:
        (self.id, self.title, self.summary, self.objectives, self.estimated_minutes,
         self.reviewed, self.jurisdiction, lessons, has_quiz, self.pass_mark,
         self.prerequisites, self.quiz_after_lessons) = plain
        self.lessons = tuple(OutlineLesson(*lesson) for lesson in lessons)
        self.quiz = True if has_quiz else None  # the map and the rules ask only if there is one


class Outline:
    """A course as the course map shows it, with what `course.record.study` asks of a course."""

    __slots__ = ("id", "modules")
    id: str
    modules: tuple[OutlineModule, ...]

    def __init__(self, id: str, modules: tuple[OutlineModule, ...]) -> None:
        self.id = id
        self.modules = modules

    def module(self, module_id: str) -> OutlineModule | None:
        """The module with this id, if any."""
        return next((m for m in self.modules if m.id == module_id), None)

    def prerequisites(self, module: OutlineModule) -> tuple[str, ...]:
        """Ids of the modules that must be passed before `module` opens."""
        return module.prerequisites

    def pass_mark(self, module: OutlineModule) -> float:
        """The pass mark of a module's quiz."""
        return module.pass_mark

    def quiz_after_lessons(self, module: OutlineModule) -> bool:
        """True when the module's quiz opens only once every lesson of it is done."""
        return module.quiz_after_lessons

    @classmethod
    def from_plain(cls, value: object) -> Outline | None:
        """The outline that `outline_of` gave, as read back; None if it is not of that shape,
        or has no module (a damaged file: the course is then checked as if there were no
        snapshot)."""
        if not (isinstance(value, tuple) and len(value) == 2 and _is_text(value[0])
                and isinstance(value[1], tuple) and value[1]
                and all(_is_module(m) for m in value[1])):
            return None
        return cls(value[0], tuple(OutlineModule(m) for m in value[1]))


def outline_of(course: Course) -> tuple[Any, ...]:
    """The outline of a checked course, in plain values (strings, numbers, tuples)."""
    return (course.id, tuple(
        (m.id, m.title, m.summary, tuple(m.objectives), m.estimated_minutes, m.reviewed,
         tuple(m.jurisdiction),
         tuple((lesson.id, lesson.title, len(lesson.steps)) for lesson in m.lessons),
         m.quiz is not None, float(course.pass_mark(m)), tuple(course.prerequisites(m)),
         course.quiz_after_lessons(m))
        for m in course.modules))


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_texts(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(v, str) for v in value)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_module(value: object) -> bool:
    if not (isinstance(value, tuple) and len(value) == 12):
        return False
    (id_, title, summary, objectives, minutes, reviewed, jurisdiction, lessons, has_quiz,
     pass_mark, prerequisites, quiz_after_lessons) = value
    return (all(_is_text(v) for v in (id_, title, summary))
            and _is_texts(objectives) and _is_texts(jurisdiction) and _is_texts(prerequisites)
            and (minutes is None or _is_count(minutes))
            and (reviewed is None or _is_text(reviewed))
            and isinstance(has_quiz, bool) and isinstance(quiz_after_lessons, bool)
            and isinstance(pass_mark, float) and 0 < pass_mark <= 1
            and isinstance(lessons, tuple) and all(
                isinstance(lesson, tuple) and len(lesson) == 3 and _is_text(lesson[0])
                and _is_text(lesson[1]) and _is_count(lesson[2]) for lesson in lessons))

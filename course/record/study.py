"""Where a learner stands in a course: module states, gating, when a quiz opens, and where to
continue.

Pure functions of the course and the learner's record, shared by every interface (the app, the
plain mode, the dashboard), so that all of them agree on what is open and what is done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from course.material.model import Course, Lesson, Module
    from course.record.progress import ModuleSummary


class ModuleState(StrEnum):
    """The state of a module for one learner."""

    LOCKED = "locked"
    OPEN = "open"
    IN_PROGRESS = "in progress"
    PASSED = "passed"


class Standing(NamedTuple):
    """One module as the learner stands in it."""

    module: Module
    state: ModuleState
    lessons_done: frozenset[str]
    best_score: float | None  # share of quiz points, 0 to 1
    attempts: int
    quiz_in_progress: bool
    waiting_for: tuple[Module, ...]  # modules to pass before this one opens
    quiz_waits: bool = True  # the quiz opens only once every lesson of the module is done

    @property
    def share_done(self) -> float:
        """Lessons completed, and the quiz when passed, as a share of all there is to do."""
        has_quiz = self.module.quiz is not None
        total = len(self.module.lessons) + (1 if has_quiz else 0)
        done = len(self.lessons_done & {lesson.id for lesson in self.module.lessons})
        if has_quiz and self.state is ModuleState.PASSED:
            done += 1
        return done / total if total else 1.0

    @property
    def opens_when(self) -> str:
        """What opens a locked module, in words; empty when it is not locked."""
        if not self.waiting_for:
            return ""
        titles = [f"“{m.title}”" for m in self.waiting_for]
        joined = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
        return f"Opens when you pass {joined}."

    @property
    def lessons_left(self) -> tuple[Lesson, ...]:
        """The module's lessons not completed yet, in order."""
        return tuple(x for x in self.module.lessons if x.id not in self.lessons_done)

    @property
    def quiz_open(self) -> bool:
        """True when the module's quiz may be taken now.

        It needs the module to be open and, unless the course lets its quizzes be taken at any
        time (`quiz_after_lessons: false`), every lesson of the module completed. An attempt
        already under way can always be finished: its answers are saved and must not be
        stranded (the course may have gained a lesson since it began).
        """
        if self.module.quiz is None or self.state is ModuleState.LOCKED:
            return False
        return not self.quiz_waits or not self.lessons_left or self.quiz_in_progress

    @property
    def quiz_opens_when(self) -> str:
        """Why the quiz is closed and what opens it, in words; empty when it is open."""
        if self.module.quiz is None or self.quiz_open:
            return ""
        if self.state is ModuleState.LOCKED:
            return self.opens_when
        left = self.lessons_left
        first = left[0].title
        if len(left) == 1:
            todo = f"finish the lesson “{first}” first."
        else:
            todo = f"finish the {len(left)} lessons left first, starting with “{first}”."
        return f"The quiz opens once every lesson of this module is done: {todo}"


class Place(NamedTuple):
    """A place to continue from: a lesson step, or a question of a module quiz."""

    module_id: str
    lesson_id: str | None = None
    step: int = 0
    quiz: bool = False

    def to_position(self) -> dict[str, Any]:
        """The JSON-able form the progress store keeps."""
        if self.quiz:
            return {"module": self.module_id, "quiz": True}
        return {"module": self.module_id, "lesson": self.lesson_id, "step": self.step}


def standings(
    course: Course, summary: Mapping[str, ModuleSummary], passed: frozenset[str],
    *, open_all: bool = False,
) -> list[Standing]:
    """Every module of the course, in order, with its state for this learner.

    `open_all` ignores gating, for an instructor previewing a course.
    """
    by_id = {m.id: m for m in course.modules}
    result = []
    for module in course.modules:
        record = summary.get(module.id)
        waiting = () if open_all else tuple(
            by_id[r] for r in course.prerequisites(module) if r in by_id and r not in passed)
        quiz_waits = not open_all and course.quiz_after_lessons(module)
        done = record.lessons_completed if record else frozenset()
        if module.id in passed:
            state = ModuleState.PASSED
        elif waiting:
            state = ModuleState.LOCKED
        elif record and (done or record.quiz_in_progress or record.quiz_attempts
                         or record.seconds_spent):
            state = ModuleState.IN_PROGRESS
        else:
            state = ModuleState.OPEN
        result.append(Standing(
            module=module,
            state=state,
            lessons_done=done,
            best_score=record.best_quiz_score if record else None,
            attempts=record.quiz_attempts if record else 0,
            quiz_in_progress=record.quiz_in_progress if record else False,
            waiting_for=waiting,
            quiz_waits=quiz_waits,
        ))
    return result


def module_complete(module: Module, lessons_done: frozenset[str]) -> bool:
    """True when a module without a quiz has every lesson done: then it counts as passed."""
    return module.quiz is None and {lesson.id for lesson in module.lessons} <= lessons_done


def after_lesson(standing: Standing, lesson_id: str) -> Place | None:
    """Where finishing a lesson leads, given the standing read after it was recorded as done.

    While lessons of the module are left, the next of them after this one (or, when none is
    after it, the first one left): a learner who skipped ahead is sent back to what they missed,
    not on to the quiz. When every lesson is done, the lesson after this one for a learner
    reading the module again, and after the last, the quiz if it is open. None when nothing in
    the module follows (back to the map).
    """
    module = standing.module
    ids = [lesson.id for lesson in module.lessons]
    index = ids.index(lesson_id) if lesson_id in ids else -1
    # The lesson just finished counts as done even if saving it failed: it was read.
    left = [x for x in standing.lessons_left if x.id != lesson_id]
    if left:
        later = [x for x in left if ids.index(x.id) > index]
        return Place(module.id, (later or left)[0].id, 0)
    if 0 <= index < len(ids) - 1:
        return Place(module.id, ids[index + 1], 0)
    if standing.quiz_open:
        return Place(module.id, quiz=True)
    return None


def after_lesson_note(standing: Standing, lesson_id: str, place: Place | None) -> str:
    """What to tell a learner about where `after_lesson` leads, or nothing when it is simply
    the next lesson: that the quiz is next, or that an earlier lesson was left unfinished."""
    if place is None:
        return ""
    if place.quiz:
        return "Every lesson of this module is done: the quiz is next."
    ids = [lesson.id for lesson in standing.module.lessons]
    if lesson_id in ids and place.lesson_id in ids and ids.index(place.lesson_id) < ids.index(
            lesson_id):
        title = standing.module.lessons[ids.index(place.lesson_id)].title
        return f"Next, a lesson of this module you have not finished: “{title}”."
    return ""


def continue_place(
    course: Course, position: Mapping[str, Any] | None, standing: Sequence[Standing]
) -> Place | None:
    """Where "continue" leads: the saved position if it still fits the course and is open,
    else the first unfinished part of the first module that is not passed; None when all done.
    """
    states = {s.module.id: s for s in standing}
    place = _saved_place(course, position)
    if place is not None:
        entry = states[place.module_id]
        # A passed quiz with no attempt under way is finished business: continuing there
        # would start a new attempt, so carry on with what is left instead.
        finished_quiz = (place.quiz and entry.state is ModuleState.PASSED
                         and not entry.quiz_in_progress)
        closed_quiz = place.quiz and not entry.quiz_open
        if entry.state is not ModuleState.LOCKED and not finished_quiz and not closed_quiz:
            return place
    for entry in standing:
        if entry.state in (ModuleState.OPEN, ModuleState.IN_PROGRESS):
            for lesson in entry.module.lessons:
                if lesson.id not in entry.lessons_done:
                    return Place(entry.module.id, lesson.id, 0)
            if entry.quiz_open:
                return Place(entry.module.id, quiz=True)
    return None


def _saved_place(course: Course, position: Mapping[str, Any] | None) -> Place | None:
    """The saved position, if it still names something in the course (it may have changed)."""
    if not position:
        return None
    module = course.module(str(position.get("module")))
    if module is None:
        return None
    if position.get("quiz") is True:
        return Place(module.id, quiz=True) if module.quiz is not None else None
    lesson = next((x for x in module.lessons if x.id == position.get("lesson")), None)
    if lesson is None:
        return None
    step = position.get("step")
    step = step if isinstance(step, int) and 0 <= step < len(lesson.steps) else 0
    return Place(module.id, lesson.id, step)


# --- Time studied ----------------------------------------------------------------------------

#: The most one stretch between two actions counts for: five minutes.
IDLE_CAP = 300.0


class StudyClock:
    """Counts a learner's study time from the moments they act, the same in every interface.

    The rule: the time from one action (a step shown or left, an answer given, a question moved
    on from) to the next counts towards the module studied, each stretch up to `IDLE_CAP`.
    Reading a long step for seven minutes then counts five, not none; a learner who leaves the
    course open over lunch gets five minutes, not an hour. Stretches that are not study (the
    course map, before a lesson or quiz opens) are left out by `restart`.
    """

    def __init__(self, now: Callable[[], float], cap: float = IDLE_CAP) -> None:
        self.now = now
        self.cap = cap
        self.last = now()

    def tick(self) -> float:
        """The seconds to count since the last action (at most the cap); this is the last now."""
        moment = self.now()
        elapsed, self.last = moment - self.last, moment
        return min(max(elapsed, 0.0), self.cap)

    def restart(self) -> None:
        """Count from now: what came before was not study of a module."""
        self.last = self.now()


def quiz_intro(questions: int, pass_mark: float, *, attempt: int, attempts_allowed: int) -> str:
    """What a learner is told before question 1 of a module quiz, in every interface.

    `attempt` is this attempt's number (1 for the first); `attempts_allowed` is the course's
    `quiz_attempts` setting, 0 for unlimited.
    """
    count = f"{questions} question{'' if questions == 1 else 's'}"
    mark = f"{round(pass_mark * 100)}%"
    if attempts_allowed:
        left = f"{max(attempts_allowed - attempt + 1, 0)} of {attempts_allowed} (this one included)"
    else:
        left = "unlimited"
    return (f"{count}; the pass mark is {mark}. Attempts left: {left}."
            " Each answer is saved as you give it.")

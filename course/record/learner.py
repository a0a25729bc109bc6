"""One learner studying one course: every rule of studying, with no interface.

The app's screens and the plain mode ask and show; a `Learner` decides and keeps. It knows where
to continue, when a quiz may be opened or taken again, what an answer changes in the record and
how much time counts as study. Both front ends call the same methods, so they cannot disagree.

Writing. Every method that changes the record commits before it returns, in one transaction
for everything that one act of the learner changes (an answer and the quiz it belongs to, a
lesson and the module it completes, a step and the place to continue from). A write that fails
raises `course.record.progress.StoreError`, whose message is fit to show; what the learner did
is then still true in memory (the answer graded, the hint shown), so the session can go on.
Writes are ordinary calls: the app runs them off its event loop, the plain mode in line.

Learning records. With `lrs` (a lab's Learning Record Store, see `course.record.lrs`), each
answer, completed lesson and finished quiz has its xAPI statement queued in the same
transaction, and the sender is woken to post it.

Grading is the question engine's (`quizzes`): a front end grades an answer (which may be
refused as badly formed, for the learner to fix) and hands the `Result` here whole.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from course.material.model import Course, Lesson, Module
from course.record import edition, review
from course.record.profile import Profile
from course.record.progress import ProgressStore, Where
from course.record.study import (
    ModuleState,
    Place,
    Standing,
    StudyClock,
    after_lesson,
    after_lesson_note,
    continue_place,
    module_complete,
    standings,
)
from course.words import sentence
from quizzes.answers import Answer
from quizzes.grading import Result
from quizzes.practice import PracticeCheck
from quizzes.presentation import Presentation
from quizzes.session import Outcome, QuizSession, SessionError, attempt_allowed

if TYPE_CHECKING:
    from course.record.lrs.link import LrsLink
    from course.record.xapi import Statements

#: Told when a quiz attempt saved earlier cannot be read back (a newer or damaged record).
UNREADABLE_QUIZ = "The saved quiz could not be read, so a new attempt starts."


class OpenedQuiz(NamedTuple):
    """A module quiz as the learner finds it on opening it.

    `session` is the attempt under way (resumed) or a new one drawn but not yet kept (kept by
    `Learner.start_quiz` once the learner starts it); None when every attempt the course allows
    is used. `changes` say how the course changed since a resumed attempt began; `unreadable`
    that an attempt was saved but could not be read back, so a new one is offered instead.
    """

    session: QuizSession | None
    resumed: bool
    attempts_used: int
    changes: tuple[str, ...] = ()
    unreadable: bool = False

    @property
    def no_attempts_left(self) -> str:
        """Why the quiz cannot be taken, in words; empty when it can."""
        if self.session is not None:
            return ""
        return (f"You have used all {self.attempts_used} attempts this course allows at this"
                " quiz. Your best result stands.")


class LessonDone(NamedTuple):
    """Where finishing a lesson leads, and what to tell the learner about it."""

    next_place: Place | None  # None: nothing in the module follows; back to the map
    complete: str  # `Lesson complete: …`
    note: str  # where the learner goes next, when that might surprise them; or nothing
    module_passed: bool  # the lesson completed a module that has no quiz

    @property
    def notice(self) -> str:
        """The whole notice on one line: `✓ Lesson complete: …. Next, …`."""
        return f"✓ {self.complete} {self.note}".strip()


class Learner(Profile):
    """A learner's study of a course, kept in a progress store.

    `open_all` opens every module whatever the gating, for an instructor's preview. `clock`
    counts the time studied (an interface that outlives one course, as the app reloading a
    previewed course does, passes its own to keep counting across). `lrs` links the record to
    the lab's Learning Record Store.
    """

    def __init__(
        self,
        course: Course,
        store: ProgressStore,
        name: str,
        *,
        open_all: bool = False,
        clock: StudyClock | None = None,
        lrs: LrsLink | None = None,
    ) -> None:
        super().__init__(store, name)
        self.course = course
        self.open_all = open_all
        self.clock = clock or StudyClock(time.monotonic)
        self.lrs = lrs

    # --- where the learner stands --------------------------------------------------------

    def standings(self) -> list[Standing]:
        """Every module of the course, in order, with its state, read fresh from the record."""
        course_id = self.course.id
        summary = self.store.summary(self.name, course_id)
        passed = self.store.passed_modules(self.name, course_id)
        return standings(self.course, summary, passed, open_all=self.open_all)

    def standing(self, module: Module) -> Standing:
        """One module's standing."""
        return next(s for s in self.standings() if s.module.id == module.id)

    def continue_place(self, standing: list[Standing] | None = None) -> Place | None:
        """Where "continue where you left off" leads; None when everything is done.

        Pass `standing` when it has just been read, to save reading it again.
        """
        position = self.store.position(self.name, self.course.id)
        return continue_place(self.course, position,
                              self.standings() if standing is None else standing)

    def has_started(self) -> bool:
        """True once the learner has been anywhere in the course (a place is kept)."""
        return self.store.position(self.name, self.course.id) is not None

    def go_to(self, place: Place) -> None:
        """Keep `place` as where to continue from (a lesson step, or a module quiz)."""
        self.store.set_position(self.name, self.course.id, place.to_position())

    def go_on(self, place: Place | None) -> None:
        """Keep where the learner goes after a lesson: `place`, or when nothing in the module
        follows it, the next unfinished part of the course (continuing from the finished
        lesson's last step would only reopen it)."""
        onward = place or continue_place(self.course, None, self.standings())
        if onward is not None:
            self.go_to(onward)

    # --- lessons ---------------------------------------------------------------------------

    def reach_step(self, module: Module, lesson: Lesson, step: int) -> None:
        """The learner has the step in front of them: keep it, and continue from there."""
        self.store.reach_step(self.name, self.course.id, module.id, lesson.id, step,
                              position=Place(module.id, lesson.id, step).to_position())

    def complete_lesson(self, module: Module, lesson: Lesson) -> None:
        """The learner has read the lesson to its end.

        A module without a quiz is passed with its last lesson, in the same transaction.
        """
        done = {lesson_id for _, lesson_id in
                self.store.completed_lessons(self.name, self.course.id, module.id)}
        self.store.complete_lesson(
            self.name, self.course.id, module.id, lesson.id,
            passes_module=module_complete(module, frozenset(done | {lesson.id})),
            xapi=self._xapi())
        self._queued()

    def after_lesson(self, module: Module, lesson: Lesson) -> LessonDone:
        """Where finishing `lesson` leads (see `course.record.study.after_lesson`), read after
        `complete_lesson`; the lesson counts as done even if keeping it failed."""
        standing = self.standing(module)
        place = after_lesson(standing, lesson.id)
        return LessonDone(place, sentence(f"Lesson complete: {lesson.title}"),
                          after_lesson_note(standing, lesson.id, place),
                          module.quiz is None and standing.state is ModuleState.PASSED)

    def record_check(self, module: Module, lesson: Lesson, check: PracticeCheck,
                     answer: Answer) -> None:
        """Keep the try just graded by `check.attempt(answer)`.

        Only the first try of a check schedules the question for review: later tries come
        seconds after the feedback and measure copying, not memory (see `course.record.review`).
        """
        result = check.tries[-1]
        self._record(check.question.id, "check", answer, result, module.id, lesson.id,
                     schedule=len(check.tries) == 1)

    # --- module quizzes --------------------------------------------------------------------

    def attempts_used(self, module: Module) -> int:
        """How many attempts at the module's quiz the learner has finished."""
        return len(self.store.quiz_attempts(self.name, self.course.id, module.id))

    def can_take_quiz_again(self, module: Module) -> bool:
        """True when the course's `quiz_attempts` allows another attempt."""
        return attempt_allowed(self.attempts_used(module), self.course.settings.quiz_attempts)

    def open_quiz(self, module: Module) -> OpenedQuiz:
        """The attempt under way, resumed; else a new one if the course allows another.

        Nothing is written: a new attempt is kept by `start_quiz` once the learner starts it.
        """
        quiz = module.quiz
        assert quiz is not None, f"module {module.id!r} has no quiz"
        unreadable = False
        state = self.store.load_quiz_state(self.name, self.course.id, module.id)
        if state is not None:
            try:
                resumed = QuizSession.from_json(state, quiz.questions)
            except (ValueError, KeyError, SessionError):
                unreadable = True
            else:
                changes = tuple(change.message for change in resumed.changes)
                return OpenedQuiz(resumed.session, True, self.attempts_used(module), changes)
        used = self.attempts_used(module)
        if not attempt_allowed(used, self.course.settings.quiz_attempts):
            return OpenedQuiz(None, False, used, unreadable=unreadable)
        session = QuizSession.start(
            quiz.questions, quiz_id=f"{self.course.id}/{module.id}", learner=self.name,
            pass_mark=self.course.pass_mark(module), draw=quiz.draw, shuffle=quiz.shuffle,
            attempt=used + 1)
        return OpenedQuiz(session, False, used, unreadable=unreadable)

    def start_quiz(self, module: Module, session: QuizSession) -> None:
        """Keep a new attempt: from now on it waits for the learner if they leave."""
        self.store.save_quiz_state(self.name, self.course.id, module.id, session.to_json())

    def use_quiz_hint(self, module: Module, session: QuizSession, question_id: str) -> None:
        """The learner has seen a quiz question's hint: it counts when the answer is graded,
        and is kept at once, so that leaving and coming back does not hide it."""
        session.use_hint(question_id)
        self.store.save_quiz_state(self.name, self.course.id, module.id, session.to_json())

    def record_quiz_answer(self, module: Module, session: QuizSession, answer: Answer,
                           result: Result, question_id: str) -> None:
        """Keep the answer just graded by `session.answer(...)` and the attempt it moves on,
        in one transaction."""
        self._record(question_id, "quiz", answer, result, module.id, None,
                     quiz_state=session.to_json())

    def finish_quiz(self, module: Module, session: QuizSession) -> Outcome:
        """Record the finished attempt; the module is passed with it when the mark is met.

        A pass also moves the place to continue from on to what is left of the course, in the
        same transaction: continuing must not reopen a quiz that is done with.
        """
        outcome = session.outcome()
        onward = None
        if outcome.passed:
            passed = self.store.passed_modules(self.name, self.course.id) | {module.id}
            summary = self.store.summary(self.name, self.course.id)
            onward = continue_place(self.course, None, standings(
                self.course, summary, passed, open_all=self.open_all))
        self.store.finish_quiz(self.name, self.course.id, module.id, outcome.fraction,
                               outcome.score, outcome.passed, session.to_json(),
                               position=None if onward is None else onward.to_position(),
                               xapi=self._xapi())
        self._queued()
        return outcome

    def opened_by(self, module: Module) -> list[Module]:
        """The modules that passing `module` has opened: it was the last one they waited for."""
        passed = self.store.passed_modules(self.name, self.course.id)
        course = self.course
        return [m for m in course.modules if module.id in course.prerequisites(m)
                and all(r in passed for r in course.prerequisites(m))]

    # --- spaced review ---------------------------------------------------------------------

    def now(self) -> datetime:
        """The record's clock: what review dates are reckoned from."""
        return self.store.now()

    def due_for_review(self, now: datetime | None = None) -> list[review.ReviewItem]:
        """The questions due for review now, longest overdue first."""
        return review.due_items(self.course, self.store, self.name, now)

    def review_presentation(self, item: review.ReviewItem, now: datetime) -> Presentation:
        """How a review question is shown today."""
        return review.review_presentation(item.question, self.name, now)

    def record_review(self, item: review.ReviewItem, answer: Answer, result: Result) -> None:
        """Keep a review answer, and with it the question's next review date."""
        lesson = item.asked.lesson
        self._record(item.question.id, "review", answer, result, item.asked.module.id,
                     lesson.id if lesson is not None else None)

    def next_review(self, question_id: str) -> datetime | None:
        """When a question is next due for review; None when it has never been answered."""
        card = self.store.review_card(self.name, self.course.id, question_id)
        return None if card is None else card.due_at

    def due_count(self, now: datetime | None = None) -> int:
        """How many of the course's questions are due for review now."""
        return review.due_count(self.course, self.store, self.name, now)

    def next_due(self, now: datetime | None = None) -> datetime | None:
        """When the next question falls due after now; None when none will."""
        return review.next_due(self.course, self.store, self.name, now)

    def review_summary(self, asked: int, right: int) -> list[str]:
        """How a review went and what is due next, as sentences, in every interface."""
        lines = []
        if asked:
            lines.append(f"Reviewed {review.plural(asked, 'question')}: {right} right.")
        now = self.now()
        due, upcoming = self.due_count(now), self.next_due(now)
        if due:
            lines.append(f"Still {review.count_text(due).lower()}.")
        elif upcoming is not None:
            lines.append(f"Nothing is due for review now; the next question is due"
                         f" {review.when_text(upcoming, now)}.")
        else:
            lines.append("Nothing is due for review yet. Questions you answer in quizzes and"
                         " practice checks come back here when you are about to forget them.")
        return lines

    # --- time studied ----------------------------------------------------------------------

    def start_studying(self) -> None:
        """Count time from now: a lesson, quiz or review has just opened (what came before,
        such as the course map, was not study of a module)."""
        self.clock.restart()

    def count_time(self, module_id: str) -> None:
        """Add the time since the learner last acted to a module (see `StudyClock`)."""
        elapsed = self.clock.tick()
        if elapsed > 0:
            self.store.add_time(self.name, self.course.id, module_id, elapsed)

    # --- news of the course ---------------------------------------------------------------

    def edition_news(self) -> str | None:
        """What changed in the course since this learner last studied it, told once."""
        return edition.news(self.course, self.store, self.name)

    def edition_told(self) -> None:
        """Keep that the learner has been told of this edition's changes."""
        edition.note_seen(self.course, self.store, self.name)

    # --- the one way an answer is kept ---------------------------------------------------

    def _record(self, question_id: str, where: Where, answer: Answer, result: Result,
                module_id: str, lesson_id: str | None, *, schedule: bool = True,
                quiz_state: str | None = None) -> None:
        self.store.record_answer(
            self.name, self.course.id, question_id, where, answer.to_json(),
            share=result.score / result.points if result.points else 0.0,
            points=result.score, hints_used=int(result.hint_used), module_id=module_id,
            lesson_id=lesson_id, schedule=schedule, quiz_state=quiz_state, xapi=self._xapi())
        self._queued()

    def _xapi(self) -> Statements | None:
        return None if self.lrs is None else self.lrs.statements(self.course)

    def _queued(self) -> None:
        if self.lrs is not None:
            self.lrs.queued()

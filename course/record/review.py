"""Spaced review, as the learner meets it: which questions are due, and how they are shown.

One card per question and learner. Every graded answer updates it, in the same transaction that
records the answer (`ProgressStore.record_answer`), so an answer and its scheduling never
disagree after a crash. What counts:

- every answer in a module quiz and in a review;
- in a practice check, the first try only. A check may be tried until right; the second and
  later tries come seconds after the feedback, so they measure copying, not memory. The first
  try is the honest measure (the one `quizzes.practice` keeps, too).

How a result is rated, and how far off that puts the question (whole study days, each starting
at 04:00 local time), is `course.record.progress.scheduling` (FSRS). This module knows the course:
it finds which of its questions are due (`due_items`, `due_count`, `next_due`), shows one
afresh each study day (`review_presentation`), and says it in words (`when_text`, `count_text`).
Cards of questions a course no longer has are kept in the store and left out here.

Nothing here imports Textual; the interfaces call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from course.record.progress.days import study_day

if TYPE_CHECKING:
    from course.material.model import Course, Lesson, Module
    from course.record.progress import ProgressStore
    from quizzes.presentation import Presentation
    from quizzes.questions import Question


# -- what the course asks again -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Asked:
    """Where a question lives in a course: a lesson's practice check, or a module quiz."""

    question: Question
    module: Module
    lesson: Lesson | None  # None for a quiz question
    step: int = 0  # the check's step in its lesson

    @property
    def where(self) -> str:
        """`Module › Lesson` or `Module › Module quiz`, for a line above the question."""
        place = self.lesson.title if self.lesson is not None else "Module quiz"
        return f"{self.module.title} › {place}"


class ReviewItem(NamedTuple):
    """A question due for review, with where it lives and since when it has been due.

    A named tuple, not a frozen dataclass: thousands are made at once, and a frozen
    dataclass's __init__ costs several times more.
    """

    asked: Asked
    due_at: datetime

    @property
    def question(self) -> Question:
        """The question."""
        return self.asked.question


def questions_of(course: Course) -> dict[str, Asked]:
    """Every question of a course (practice checks and quiz questions), by id."""
    from course.material.model import CheckStep

    found: dict[str, Asked] = {}
    for module in course.modules:
        for lesson in module.lessons:
            for index, step in enumerate(lesson.steps):
                if isinstance(step, CheckStep):
                    found.setdefault(step.check.id, Asked(step.check, module, lesson, index))
        if module.quiz is not None:
            for question in module.quiz.questions:
                found.setdefault(question.id, Asked(question, module, None))
    return found


def due_items(
    course: Course,
    store: ProgressStore,
    learner: str,
    now: datetime | None = None,
    *,
    limit: int | None = None,
    known: dict[str, Asked] | None = None,
) -> list[ReviewItem]:
    """The questions due for review now, longest overdue first (then in course order).

    Cards of questions the course no longer has are kept in the store and left out here.
    """
    moment = store.now() if now is None else now
    asked = questions_of(course) if known is None else known
    order = {question_id: index for index, question_id in enumerate(asked)}
    # Plain tuples sort without a key function: due first, then the course's order.
    ranked = sorted((card.due_at, order[card.question_id], card.question_id)
                    for card in store.due_cards(learner, course.id, moment)
                    if card.question_id in order)
    if limit is not None:
        ranked = ranked[:limit]
    return [ReviewItem(asked[question_id], due_at) for due_at, _, question_id in ranked]


def due_count(course: Course, store: ProgressStore, learner: str,
              now: datetime | None = None, *, known: dict[str, Asked] | None = None) -> int:
    """How many of the course's questions are due for review now."""
    moment = store.now() if now is None else now
    asked = questions_of(course) if known is None else known
    return sum(1 for card in store.due_cards(learner, course.id, moment)
               if card.question_id in asked)


def next_due(
    course: Course, store: ProgressStore, learner: str, now: datetime | None = None, *,
    known: dict[str, Asked] | None = None,
) -> datetime | None:
    """When the next card of the course falls due after `now`, or None when there is none."""
    moment = store.now() if now is None else now
    asked = questions_of(course) if known is None else known
    return next((card.due_at for card in store.due_cards(learner, course.id, after=moment)
                 if card.question_id in asked), None)


def review_presentation(question: Question, learner: str, moment: datetime) -> Presentation:
    """How a question is shown in a review: shuffled afresh each study day.

    The study day's ordinal goes into the seed (as the "attempt"), so the options are not in
    the order the learner saw in the quiz, which would let them answer by position.
    """
    from quizzes.presentation import present

    return present(question, learner, attempt=study_day(moment).toordinal())


def when_text(moment: datetime, now: datetime) -> str:
    """A due moment in words for the learner: `today`, `tomorrow`, or `on Monday 3 March`."""
    days = (study_day(moment) - study_day(now)).days
    if days <= 0:
        return "now"
    if days == 1:
        return "tomorrow"
    local = moment.astimezone()
    return f"on {local:%A} {local.day} {local:%B}" + (
        f" {local.year}" if local.year != now.astimezone().year else "")


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 question`, `3 questions`."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def count_text(due: int) -> str:
    """`1 question due for review` / `3 questions due for review` / `No questions due...`."""
    if due == 0:
        return "No questions due for review"
    return f"{plural(due, 'question')} due for review"

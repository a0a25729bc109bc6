"""Spaced review: when each question should be asked again, by FSRS (the scheduler Anki uses).

One card per question and learner. Every graded answer updates it, in the same transaction that
records the answer (`ProgressStore.record_answer`), so an answer and its scheduling never
disagree after a crash. What counts:

- every answer in a module quiz and in a review;
- in a practice check, the first try only. A check may be tried until right; the second and
  later tries come seconds after the feedback, so they measure copying, not memory. The first
  try is the honest measure (the one `quizzes.practice` keeps, too).

The rating comes from the result, never from the learner's own judgement:

| result                                   | rating |
| ---------------------------------------- | ------ |
| wrong (no credit)                        | Again  |
| partly right, or right after the hint    | Hard   |
| right                                    | Good   |

Easy is never given: a right answer cannot tell "easy" from "knew it".

Days, not minutes. FSRS's learning steps bring a missed card back after minutes, which suits a
deck drilled in one sitting, not a course. This scheduler has no learning or relearning steps,
so every interval is a whole number of days (a miss: one day; a first right answer: two), and
fuzzing is off, so the same answers always give the same dates. A card then becomes due at the
start of its study day, which begins at 04:00 local time (as in Anki, so that studying past
midnight still counts as the same evening): a question missed today is due tomorrow morning,
however late today it was missed, and a right answer always puts it further off than a miss.

Nothing here imports Textual; the store calls `rating_for` and `schedule`, the interfaces call
`due_items`, `next_due` and `review_presentation`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from fsrs import Card, Rating, Scheduler

if TYPE_CHECKING:
    from course.model import Course, Lesson, Module
    from course.progress.store import ProgressStore
    from quizzes.presentation import Presentation
    from quizzes.questions import Question

#: A study day starts at this local hour: an answer at 01:00 belongs to the evening before.
DAY_STARTS_AT = 4

#: Longest a card can be put off, in days (FSRS's default is a century).
MAXIMUM_INTERVAL = 3650

#: The largest card JSON the store and an import accept (a card is about 200 characters).
MAX_CARD_JSON = 4096

#: Share of credit at or above which an answer counts as right (floating-point slack).
RIGHT_AT = 1 - 1e-9

SCHEDULER = Scheduler(
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=MAXIMUM_INTERVAL,
    enable_fuzzing=False,
)
"""The one scheduler: default FSRS-6 weights, 90 % desired retention, whole days only."""


# -- rating ------------------------------------------------------------------------------------


def rating_for(score: float, hinted: bool) -> Rating:
    """The rating of an answer from its share of credit (0 to 1) and whether the hint was seen.

    Wrong: Again. Partly right, or right with the hint: Hard. Right: Good.
    """
    if score <= 0:
        return Rating.Again
    if score < RIGHT_AT or hinted:
        return Rating.Hard
    return Rating.Good


def rating_for_result(result: Any) -> Rating:
    """The rating of a graded `quizzes.grading.Result` (score, points and hint_used)."""
    share = result.score / result.points if result.points else 0.0
    return rating_for(share, bool(result.hint_used))


# -- study days ----------------------------------------------------------------------------------


def study_day(moment: datetime) -> date:
    """The learner's study day of a moment: its local date, with the day starting at 04:00."""
    local = moment.astimezone()
    return (local - timedelta(hours=DAY_STARTS_AT)).date()


def day_start(day: date) -> datetime:
    """When a study day begins (04:00 local time), in UTC."""
    return datetime.combine(day, time(DAY_STARTS_AT)).astimezone().astimezone(UTC)


# -- cards ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardUpdate:
    """A card after one answer: its FSRS state as JSON, and when it is next due (UTC)."""

    card_json: str
    due_at: datetime
    interval_days: int


def read_card(card_json: str) -> Card:
    """A card from the JSON the store keeps; ValueError if it is not one."""
    if not isinstance(card_json, str) or len(card_json) > MAX_CARD_JSON:
        raise ValueError("a card must be JSON text of at most 4096 characters")
    try:
        data = json.loads(card_json)
        if not isinstance(data, dict):
            raise TypeError("not an object")
        card = Card.from_dict(data)  # type: ignore[arg-type]
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"not a review card: {exc}") from exc
    if card.due.tzinfo is None or (card.last_review is not None
                                   and card.last_review.tzinfo is None):
        raise ValueError("not a review card: its times have no time zone")
    return card


def new_card(question_id: str, moment: datetime) -> Card:
    """A card never reviewed: due now. Its id is derived from the question (FSRS wants one)."""
    number = int.from_bytes(hashlib.sha256(question_id.encode()).digest()[:6], "big")
    return Card(card_id=number, due=moment.astimezone(UTC))


def schedule(
    card_json: str | None, rating: Rating, moment: datetime, question_id: str = ""
) -> CardUpdate:
    """Review a card (a new one when `card_json` is None or unreadable) with `rating` at `moment`.

    The FSRS interval, a whole number of days, is counted in study days from the day of the
    answer, and the card is due from the start of that day.
    """
    now = moment.astimezone(UTC)
    card: Card | None = None
    if card_json is not None:
        try:
            card = read_card(card_json)
        except ValueError:
            card = None  # a damaged card starts again; the answers are all still there
    if card is None:
        card = new_card(question_id, now)
    if card.last_review is not None and card.last_review > now:
        # A clock set back (or a card merged from a machine ahead in time): review it as of now.
        card.last_review = now
    reviewed, _ = SCHEDULER.review_card(card, rating, now)
    interval = max(1, round((reviewed.due - now) / timedelta(days=1)))
    due_at = day_start(study_day(now) + timedelta(days=interval))
    return CardUpdate(json.dumps(reviewed.to_dict(), sort_keys=True), due_at, interval)


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
    from course.model import CheckStep

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
              now: datetime | None = None) -> int:
    """How many of the course's questions are due for review now."""
    moment = store.now() if now is None else now
    asked = questions_of(course)
    return sum(1 for card in store.due_cards(learner, course.id, moment)
               if card.question_id in asked)


def next_due(
    course: Course, store: ProgressStore, learner: str, now: datetime | None = None
) -> datetime | None:
    """When the next card of the course falls due after `now`, or None when there is none."""
    moment = store.now() if now is None else now
    asked = questions_of(course)
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

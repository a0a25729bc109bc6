"""When a question should be asked again: FSRS (the scheduler Anki uses), in whole study days.

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

Pure computation on card JSON and moments, no SQL: the progress store keeps the cards and
calls `rating_for` and `schedule` with each answer, and an import checks cards with `read_card`.
Study days themselves are `course.record.progress.days`. This module brings in FSRS, so the
store imports it only with the first answer, not at start.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler

from course.bounded_json import loads
from course.record.progress.days import day_start, study_day
from quizzes.grading import RIGHT_AT

#: Longest a card can be put off, in days (FSRS's default is a century).
MAXIMUM_INTERVAL = 3650

#: The largest card JSON the store and an import accept (a card is about 200 characters).
MAX_CARD_JSON = 4096

SCHEDULER = Scheduler(
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=MAXIMUM_INTERVAL,
    enable_fuzzing=False,
)
"""The one scheduler: default FSRS-6 weights, 90 % desired retention, whole days only."""


# -- rating ------------------------------------------------------------------------------------


def rating_for(share: float, hinted: bool) -> Rating:
    """The rating of an answer from its share of credit (0 to 1) and whether the hint was seen.

    Wrong: Again. Partly right, or right with the hint: Hard. Right: Good.
    """
    if share <= 0:
        return Rating.Again
    if share < RIGHT_AT or hinted:
        return Rating.Hard
    return Rating.Good


def rating_for_result(result: Any) -> Rating:
    """The rating of a graded `quizzes.grading.Result` (score, points and hint_used)."""
    share = result.score / result.points if result.points else 0.0
    return rating_for(share, bool(result.hint_used))


# -- study days ----------------------------------------------------------------------------------


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
        data = loads(card_json)
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

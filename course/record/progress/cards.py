"""Review cards in the store: the queue of questions due, one card whole, and a card updated.

One card per learner, course and question holds the FSRS state and when the question is next
due. `schedule_card` updates it inside the transaction that records the answer, so an answer
and its scheduling are kept together or not at all; `course.record.progress.scheduling` computes the
new card, and is imported only then, with the first answer.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import NamedTuple

from course.record.progress.learners import find_learner, validate_learner_name
from course.record.progress.opening import StoreBase
from course.record.progress.values import format_stamp, parse_stamp

# Named tuples, not frozen dataclasses: due cards come by the thousand, and a named tuple is
# several times cheaper to make.


class DueCard(NamedTuple):
    """A question's place in the review queue: when it is due."""

    question_id: str
    due_at: datetime


class ReviewCard(NamedTuple):
    """A question's review card: the scheduler's state (FSRS JSON) and when it is next due."""

    question_id: str
    module_id: str | None
    lesson_id: str | None
    card_json: str
    due_at: datetime
    updated_at: datetime



class ReviewCards(StoreBase):
    """The learner's review cards: which are due, and one card whole."""

    def due_cards(
        self,
        learner: str,
        course_id: str,
        due_by: datetime | None = None,
        *,
        after: datetime | None = None,
    ) -> list[DueCard]:
        """The learner's review cards in a course, soonest due first.

        With `due_by`, those due at or before it; with `after`, those due after it. One range
        seek on the (learner, course, due) index, which also holds the question id (the
        table's key), so the table itself is not read: `review_card` gives one card whole.
        """
        learner = validate_learner_name(learner)
        sql = ("SELECT question_id, due_at FROM review_card"
               " WHERE learner_id = ? AND course_id = ?")
        with self._reading() as db:
            learner_id = find_learner(db, learner)
            if learner_id is None:
                return []
            params: list[object] = [learner_id, course_id]
            if due_by is not None:
                sql += " AND due_at <= ?"
                params.append(format_stamp(due_by))
            if after is not None:
                sql += " AND due_at > ?"
                params.append(format_stamp(after))
            rows = db.execute(sql + " ORDER BY due_at", params).fetchall()
        # Cards fall due at the start of a day, so thousands of them share a few stamps.
        moments: dict[str, datetime] = {}
        return [DueCard(question, moments.get(due) or moments.setdefault(due, parse_stamp(due)))
                for question, due in rows]

    def review_card(self, learner: str, course_id: str, question_id: str) -> ReviewCard | None:
        """One question's review card, with its FSRS state as JSON; None if never answered."""
        learner = validate_learner_name(learner)
        with self._reading() as db:
            row = db.execute(
                "SELECT r.question_id, r.module_id, r.lesson_id, r.card_json, r.due_at,"
                " r.updated_at FROM review_card r JOIN learner l ON l.id = r.learner_id"
                " WHERE l.name = ? AND r.course_id = ? AND r.question_id = ?",
                (learner, course_id, question_id),
            ).fetchone()
        if row is None:
            return None
        return ReviewCard(question_id=row[0], module_id=row[1], lesson_id=row[2],
                          card_json=row[3], due_at=parse_stamp(row[4]),
                          updated_at=parse_stamp(row[5]))


def schedule_card(
    db: sqlite3.Connection,
    learner_id: int,
    course_id: str,
    question_id: str,
    module_id: str | None,
    lesson_id: str | None,
    share: float,
    hinted: bool,
    moment: datetime,
    stamp: str,
) -> None:
    """Review the question's card with an answer given at `moment`, inside its transaction.

    The answer earned `share` of the credit (0 to 1), `hinted` if the hint was seen; `stamp` is
    the answer's time as kept, which the card keeps as the time it was last updated.
    """
    from course.record.progress import (
        scheduling,  # FSRS, loaded with the first answer, not at start
    )

    row = db.execute(
        "SELECT card_json FROM review_card WHERE learner_id = ? AND course_id = ?"
        " AND question_id = ?",
        (learner_id, course_id, question_id),
    ).fetchone()
    update = scheduling.schedule(None if row is None else str(row[0]),
                                 scheduling.rating_for(share, hinted), moment, question_id)
    db.execute(
        "INSERT INTO review_card (learner_id, course_id, question_id, module_id, lesson_id,"
        " card_json, due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (learner_id, course_id, question_id) DO UPDATE SET"
        " module_id = COALESCE(excluded.module_id, review_card.module_id),"
        " lesson_id = COALESCE(excluded.lesson_id, review_card.lesson_id),"
        " card_json = excluded.card_json, due_at = excluded.due_at,"
        " updated_at = excluded.updated_at",
        (learner_id, course_id, question_id, module_id, lesson_id, update.card_json,
         format_stamp(update.due_at), stamp),
    )


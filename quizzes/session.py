"""Quiz sessions: draw questions, fix their order, record answers and hints, total, pass or fail.

A session holds question ids, how each question is shown, the answers given and their results.
It is handed its questions (it never loads files) and turns into JSON and back, so a quiz left
halfway resumes with the same questions, order and answers.

When a session is rebuilt from JSON against a pool that has changed since (the course was
updated), the rebuild never fails for that reason; it adapts and says what it did:

- a recorded question that is no longer in the pool is replaced by the next unused question of
  the same seeded draw, at the same place in the quiz; any answer to the removed question is
  dropped (it cannot count towards a question that no longer exists). When the pool has no
  unused question left, the entry is removed and the quiz is one question shorter;
- an unanswered question whose options or items changed is shown afresh (a new presentation);
  an answered one keeps the answer and result recorded, which were given to what the learner saw.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from quizzes.answers import Answer, answer_from_data
from quizzes.grading import Result, grade
from quizzes.presentation import Presentation, present, seed_bytes, seeded_order
from quizzes.questions import Question

PASS_EPSILON = 1e-9
"""Slack when comparing score / total with the pass mark, so 0.1 + 0.7 of 1 passes at 0.8."""

SESSION_FORMAT = 1
"""Version of the JSON a session is saved as."""


class SessionError(ValueError):
    """A session used in a way it does not allow, or saved data that cannot be read."""


def attempt_allowed(attempts_used: int, quiz_attempts: int) -> bool:
    """Whether the learner may start another attempt at a quiz.

    `quiz_attempts` is the course setting: 0 means unlimited. The caller counts the attempts.
    """
    if attempts_used < 0 or quiz_attempts < 0:
        raise ValueError("attempt counts cannot be negative")
    return quiz_attempts == 0 or attempts_used < quiz_attempts


def passes(score: float, total: float, pass_mark: float) -> bool:
    """True when score / total reaches the pass mark (a fraction in (0, 1])."""
    if total <= 0:
        return False
    return score / total >= pass_mark - PASS_EPSILON


def _check_pass_mark(pass_mark: float) -> None:
    if not 0 < pass_mark <= 1:
        raise ValueError(f"pass_mark must be a fraction above 0 and at most 1, not {pass_mark}")


@dataclass
class Entry:
    """One question of a session: how it is shown, and what happened to it."""

    question_id: str
    presentation: Presentation
    answer: Answer | None = None
    result: Result | None = None
    hint_used: bool = False

    @property
    def answered(self) -> bool:
        """True once an answer has been graded and recorded."""
        return self.result is not None

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this entry."""
        return {
            "question": self.question_id,
            "presentation": self.presentation.to_data(),
            "answer": None if self.answer is None else self.answer.to_data(),
            "result": None if self.result is None else self.result.to_data(),
            "hint_used": self.hint_used,
        }

    @classmethod
    def from_data(cls, data: Any) -> Entry:
        """Rebuild from `to_data()` output; ValueError or KeyError if it is not such data."""
        answer, result = data.get("answer"), data.get("result")
        question_id = data["question"]
        if not isinstance(question_id, str):
            raise ValueError("`question` must be a string")
        return cls(
            question_id=question_id,
            presentation=Presentation.from_data(data.get("presentation", {})),
            answer=None if answer is None else answer_from_data(answer),
            result=None if result is None else Result.from_data(result),
            hint_used=bool(data.get("hint_used", False)),
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where a quiz stands: points earned out of points asked, and pass or fail."""

    score: float
    total: float
    pass_mark: float
    passed: bool
    answered: int
    asked: int
    hints_used: int

    @property
    def finished(self) -> bool:
        """True when every question has been answered."""
        return self.answered == self.asked

    @property
    def fraction(self) -> float:
        """score / total, 0 for an empty quiz."""
        return self.score / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class PoolChange:
    """What a rebuild did about a question that changed in the course since the session began."""

    question_id: str
    replaced_by: str | None
    message: str


class Resumed(NamedTuple):
    """A rebuilt session and the changes made because the pool changed (empty if none)."""

    session: QuizSession
    changes: tuple[PoolChange, ...]


class QuizSession:
    """One attempt at a module quiz, from the draw to the pass-or-fail outcome."""

    def __init__(
        self,
        *,
        quiz_id: str,
        learner: str,
        attempt: int,
        pass_mark: float,
        entries: Sequence[Entry],
        questions: Mapping[str, Question],
    ) -> None:
        _check_pass_mark(pass_mark)
        missing = [e.question_id for e in entries if e.question_id not in questions]
        if missing:
            raise SessionError(f"no question given for {', '.join(missing)}")
        self.quiz_id = quiz_id
        self.learner = learner
        self.attempt = attempt
        self.pass_mark = float(pass_mark)
        self._entries = {e.question_id: e for e in entries}
        if len(self._entries) != len(entries):
            raise SessionError("a question appears twice in the session")
        self._questions = {e.question_id: questions[e.question_id] for e in entries}

    @classmethod
    def start(
        cls,
        pool: Sequence[Question],
        *,
        quiz_id: str,
        learner: str,
        pass_mark: float,
        draw: int | None = None,
        shuffle: bool = True,
        attempt: int = 1,
    ) -> QuizSession:
        """Begin an attempt: draw `draw` questions (all when None) and decide how each is shown.

        The draw and the question order are seeded by learner, quiz and attempt, so the same
        attempt always gets the same questions; with `shuffle=False` the drawn questions keep
        the pool's order.
        """
        by_id = _pool_by_id(pool)
        count = len(pool) if draw is None else draw
        if not 1 <= count <= len(pool):
            raise ValueError(f"cannot draw {count} questions from a pool of {len(pool)}")
        drawn = _ranked(by_id, quiz_id, learner, attempt)[:count]
        if not shuffle:
            chosen = set(drawn)
            drawn = tuple(q.id for q in pool if q.id in chosen)
        entries = [Entry(qid, present(by_id[qid], learner, attempt=attempt)) for qid in drawn]
        return cls(
            quiz_id=quiz_id,
            learner=learner,
            attempt=attempt,
            pass_mark=pass_mark,
            entries=entries,
            questions=by_id,
        )

    # --- Asking ---------------------------------------------------------------------------

    @property
    def question_ids(self) -> tuple[str, ...]:
        """The ids of the questions asked, in the order they are asked."""
        return tuple(self._entries)

    @property
    def questions(self) -> tuple[Question, ...]:
        """The questions asked, in order."""
        return tuple(self._questions.values())

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every question's record, in order."""
        return tuple(self._entries.values())

    def question(self, question_id: str) -> Question:
        """The question with this id; SessionError if it is not in this session."""
        return self._questions[self._known(question_id)]

    def entry(self, question_id: str) -> Entry:
        """The record of the question with this id."""
        return self._entries[self._known(question_id)]

    def presentation(self, question_id: str) -> Presentation:
        """How the question with this id is shown."""
        return self.entry(question_id).presentation

    @property
    def current(self) -> Question | None:
        """The first question not answered yet, or None when the quiz is finished."""
        for entry in self._entries.values():
            if not entry.answered:
                return self._questions[entry.question_id]
        return None

    @property
    def finished(self) -> bool:
        """True when every question has been answered."""
        return all(entry.answered for entry in self._entries.values())

    def use_hint(self, question_id: str) -> str | None:
        """Show the hint of a question: record that it was used and return its text.

        Returns None (and records nothing) when the question has no hint. A hint looked at
        after answering is not recorded: it cannot have helped.
        """
        hint = self.question(question_id).hint
        entry = self._entries[question_id]
        if hint is not None and not entry.answered:
            entry.hint_used = True
        return hint

    def answer(self, question_id: str, answer: Answer) -> Result:
        """Grade an answer and record it with its result.

        Raises AnswerError (nothing recorded, the learner may try again) for an answer of the
        wrong shape, and SessionError for a question already answered: in a graded quiz the
        first answer counts.
        """
        entry = self.entry(question_id)
        if entry.answered:
            raise SessionError(f"question {question_id!r} has already been answered")
        result = grade(self._questions[question_id], answer, hint_used=entry.hint_used)
        entry.answer = answer
        entry.result = result
        return result

    def _known(self, question_id: str) -> str:
        if question_id not in self._entries:
            raise SessionError(f"question {question_id!r} is not in this quiz")
        return question_id

    # --- Totals -----------------------------------------------------------------------------

    @property
    def score(self) -> float:
        """Points earned so far."""
        return sum(e.result.score for e in self._entries.values() if e.result is not None)

    @property
    def total(self) -> float:
        """Points of every question asked (answered ones count the points they were worth)."""
        return sum(
            e.result.points if e.result is not None else self._questions[e.question_id].points
            for e in self._entries.values()
        )

    def outcome(self) -> Outcome:
        """The score, total and pass-or-fail decision; unanswered questions count 0."""
        entries = self._entries.values()
        score, total = self.score, self.total
        return Outcome(
            score=score,
            total=total,
            pass_mark=self.pass_mark,
            passed=passes(score, total, self.pass_mark),
            answered=sum(e.answered for e in entries),
            asked=len(self._entries),
            hints_used=sum(e.hint_used for e in entries),
        )

    # --- Saving and resuming -----------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data: everything but the questions themselves."""
        return {
            "format": SESSION_FORMAT,
            "quiz": self.quiz_id,
            "learner": self.learner,
            "attempt": self.attempt,
            "pass_mark": self.pass_mark,
            "entries": [entry.to_data() for entry in self._entries.values()],
        }

    def to_json(self) -> str:
        """This session as JSON text."""
        return json.dumps(self.to_data(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_data(cls, data: Any, pool: Sequence[Question]) -> Resumed:
        """Rebuild a session from `to_data()` output and the quiz's current pool.

        Questions that left the pool or changed shape are handled as the module docstring
        says; each change is reported. SessionError if the data is not a saved session.
        """
        try:
            if not isinstance(data, dict) or data.get("format") != SESSION_FORMAT:
                raise ValueError("not a saved quiz of a known format")
            quiz_id, learner = data["quiz"], data["learner"]
            attempt, pass_mark = data["attempt"], data["pass_mark"]
            if not (isinstance(quiz_id, str) and isinstance(learner, str)):
                raise ValueError("`quiz` and `learner` must be strings")
            if type(attempt) is not int or not isinstance(pass_mark, int | float):
                raise ValueError("`attempt` must be an integer and `pass_mark` a number")
            _check_pass_mark(pass_mark)
            entries = [Entry.from_data(item) for item in data["entries"]]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SessionError(f"the saved quiz could not be read: {exc}") from None
        by_id = _pool_by_id(pool)
        changes: list[PoolChange] = []
        kept: list[Entry] = []
        ranked = _ranked(by_id, quiz_id, learner, attempt)
        in_use = {e.question_id for e in entries}
        for entry in entries:
            question = by_id.get(entry.question_id)
            if question is None:
                spare = next((qid for qid in ranked if qid not in in_use), None)
                if spare is None:
                    message = (
                        f"question {entry.question_id!r} is no longer in the course and there is"
                        " no other question to ask instead; the quiz is one question shorter"
                    )
                else:
                    in_use.add(spare)
                    message = (
                        f"question {entry.question_id!r} is no longer in the course;"
                        f" question {spare!r} is asked instead"
                    )
                    kept.append(Entry(spare, present(by_id[spare], learner, attempt=attempt)))
                changes.append(PoolChange(entry.question_id, spare, message))
            elif not entry.answered and not entry.presentation.fits(question):
                entry.presentation = present(question, learner, attempt=attempt)
                changes.append(
                    PoolChange(
                        entry.question_id,
                        None,
                        f"question {entry.question_id!r} changed in the course; it is shown afresh",
                    )
                )
                kept.append(entry)
            else:
                kept.append(entry)
        session = cls(
            quiz_id=quiz_id,
            learner=learner,
            attempt=attempt,
            pass_mark=float(pass_mark),
            entries=kept,
            questions=by_id,
        )
        return Resumed(session, tuple(changes))

    @classmethod
    def from_json(cls, text: str, pool: Sequence[Question]) -> Resumed:
        """Rebuild a session from `to_json()` text and the quiz's current pool."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise SessionError(f"the saved quiz could not be read: {exc}") from None
        return cls.from_data(data, pool)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QuizSession):
            return NotImplemented
        return self.to_data() == other.to_data() and self.questions == other.questions

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        outcome = self.outcome()
        return (
            f"QuizSession(quiz_id={self.quiz_id!r}, learner={self.learner!r},"
            f" attempt={self.attempt}, answered={outcome.answered}/{outcome.asked})"
        )


def _pool_by_id(pool: Sequence[Question]) -> dict[str, Question]:
    by_id: dict[str, Question] = {}
    for question in pool:
        if question.id in by_id:
            raise ValueError(f"the pool holds two questions with the id {question.id!r}")
        by_id[question.id] = question
    return by_id


def _ranked(
    by_id: Mapping[str, Question], quiz_id: str, learner: str, attempt: int
) -> tuple[str, ...]:
    return seeded_order(by_id, seed_bytes(learner, quiz_id, f"draw/{attempt}"))

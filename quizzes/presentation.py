"""How a question is shown: stable ids for options and items, and seeded shuffles.

Every shuffle is decided by SHA-256 of "learner\\0subject\\0purpose", never by Python's `hash()`
(salted per process) or by `random` (whose algorithms may change between versions): the same
learner sees the same order after a restart, on another machine, with another Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from quizzes.answers import AnswerError
from quizzes.questions import (
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
)


def seed_bytes(learner: str, subject: str, purpose: str) -> bytes:
    """The seed of one shuffle: SHA-256 of learner, subject (a question or quiz id) and purpose."""
    return hashlib.sha256(f"{learner}\0{subject}\0{purpose}".encode()).digest()


def seeded_order(labels: Iterable[str], seed: bytes) -> tuple[str, ...]:
    """The labels in an order decided by the seed alone: a permutation, the same every time.

    Each label is ranked by SHA-256 of seed and label, so adding or removing one label leaves
    the relative order of the others as it was (a course edit does not reshuffle everything).
    """
    base = hashlib.sha256(seed)

    def rank(label: str) -> bytes:
        digest = base.copy()
        digest.update(label.encode())
        return digest.digest()

    return tuple(sorted(labels, key=rank))


def shuffled_indexes(count: int, seed: bytes) -> tuple[int, ...]:
    """A seeded permutation of `range(count)`."""
    return tuple(int(label) for label in seeded_order((str(i) for i in range(count)), seed))


def option_id(index: int) -> str:
    """The stable id of option `index` of a `single` or `multiple` question: `o0`, `o1`..."""
    return f"o{index}"


def option_index(question: SingleQuestion | MultipleQuestion, ident: str) -> int:
    """The authored index named by an option id; AnswerError if the question has no such option."""
    number = ident[1:]
    if ident[:1] == "o" and number.isdigit() and int(number) < len(question.options):
        return int(number)
    raise AnswerError(f"There is no option {ident!r} in this question; choose one shown.")


def right_ids(question: MatchQuestion) -> tuple[str, ...]:
    """Ids of the right-hand choices of a `match` question, in authored order.

    `r0`, `r1`... are the right sides of pairs 0, 1...; `d0`, `d1`... are the distractors. They
    are kept apart so adding a pair does not renumber the distractors, nor the reverse.
    """
    return tuple(f"r{i}" for i in range(len(question.pairs))) + tuple(
        f"d{i}" for i in range(len(question.distractors))
    )


@dataclass(frozen=True, slots=True)
class Presentation:
    """How one question is shown to one learner.

    `order` lists authored indexes in display order: the options of `single` and `multiple`,
    the starting order of an `order` question's items, the items of `categorize`. For `match`,
    the left column keeps the authored order and `right_column` lists right-hand choice ids
    (pairs and distractors mixed) in display order. Other types have nothing to arrange.
    """

    order: tuple[int, ...] = ()
    right_column: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this presentation."""
        return {"order": list(self.order), "right_column": list(self.right_column)}

    @classmethod
    def from_data(cls, data: object) -> Presentation:
        """Rebuild from `to_data()` output; ValueError if it is not such data."""
        if not isinstance(data, dict):
            raise ValueError("a presentation must be a JSON object")
        order, column = data.get("order", []), data.get("right_column", [])
        if not (isinstance(order, list) and all(type(i) is int for i in order)):
            raise ValueError("`order` must be a list of integers")
        if not (isinstance(column, list) and all(isinstance(i, str) for i in column)):
            raise ValueError("`right_column` must be a list of strings")
        return cls(tuple(order), tuple(column))

    def fits(self, question: Question) -> bool:
        """True when this presentation still matches the question's shape.

        A course edit that adds or removes an option makes a saved order unusable.
        """
        order, column = _unshuffled(question)
        return sorted(self.order) == list(order) and sorted(self.right_column) == sorted(column)


def _unshuffled(question: Question) -> tuple[tuple[int, ...], tuple[str, ...]]:
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return tuple(range(len(question.options))), ()
    if isinstance(question, OrderQuestion | CategorizeQuestion):
        return tuple(range(len(question.items))), ()
    if isinstance(question, MatchQuestion):
        return (), right_ids(question)
    return (), ()


def present(question: Question, learner: str, *, attempt: int = 1) -> Presentation:
    """Decide how `question` is shown to `learner`, the same way every time.

    Options are shuffled unless the author wrote `shuffle: false`. An `order` question never
    starts in its correct order: a shuffle that lands on it is turned by one place. `attempt`
    goes into the seed, so a retaken quiz may show a new order while a resumed one does not.
    """
    qid = question.id

    def seed(purpose: str) -> bytes:
        return seed_bytes(learner, qid, f"{purpose}/{attempt}")

    if isinstance(question, SingleQuestion | MultipleQuestion):
        count = len(question.options)
        if not question.shuffle:
            return Presentation(order=tuple(range(count)))
        return Presentation(order=shuffled_indexes(count, seed("options")))
    if isinstance(question, OrderQuestion):
        order = shuffled_indexes(len(question.items), seed("items"))
        if order == tuple(range(len(order))):
            order = order[1:] + order[:1]
        return Presentation(order=order)
    if isinstance(question, CategorizeQuestion):
        return Presentation(order=shuffled_indexes(len(question.items), seed("items")))
    if isinstance(question, MatchQuestion):
        return Presentation(right_column=seeded_order(right_ids(question), seed("right-column")))
    return Presentation()

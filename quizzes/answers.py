"""Typed answers, the reading of what learners type, and how an answer reads back.

An answer names things by their authored position (the stable id the author cannot see but the
program can keep): option 2, item 0, category 1. Shuffling is presentation only, so an answer
stays valid however the options were shown. Every answer turns into plain JSON data and back,
because the progress store keeps answers as JSON text.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from quizzes.questions import (
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
)


class AnswerError(ValueError):
    """An answer of the wrong shape, or typed text that cannot be read.

    `message` is written for the learner: it says what to do, never how the program failed.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True, init=False)
class ChoiceAnswer:
    """The options picked in a `single` or `multiple` question, by authored index."""

    option_indexes: frozenset[int]

    def __init__(self, option_indexes: Iterable[int]) -> None:
        object.__setattr__(self, "option_indexes", frozenset(option_indexes))

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this answer."""
        return {"kind": "choice", "options": sorted(self.option_indexes)}

    def to_json(self) -> str:
        """This answer as JSON text."""
        return _dumps(self.to_data())


@dataclass(frozen=True, slots=True)
class BoolAnswer:
    """The learner's verdict on a `true_false` statement."""

    value: bool

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this answer."""
        return {"kind": "bool", "value": self.value}

    def to_json(self) -> str:
        """This answer as JSON text."""
        return _dumps(self.to_data())


@dataclass(frozen=True, slots=True)
class TextAnswer:
    """What the learner typed, unchanged, for a `short` or `numeric` question.

    The raw text is kept (not the parsed number) so a report shows what was typed and a change
    in the reading rules can be applied to old answers.
    """

    text: str

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this answer."""
        return {"kind": "text", "text": self.text}

    def to_json(self) -> str:
        """This answer as JSON text."""
        return _dumps(self.to_data())


@dataclass(frozen=True, slots=True, init=False)
class OrderAnswer:
    """The items of an `order` question in the learner's order, by authored index."""

    item_indexes: tuple[int, ...]

    def __init__(self, item_indexes: Iterable[int]) -> None:
        object.__setattr__(self, "item_indexes", tuple(item_indexes))

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this answer."""
        return {"kind": "order", "items": list(self.item_indexes)}

    def to_json(self) -> str:
        """This answer as JSON text."""
        return _dumps(self.to_data())


@dataclass(frozen=True, slots=True, init=False)
class MatchAnswer:
    """For each left item of a `match` question (by index), the right-hand choice picked.

    Right-hand choices are named `r0`, `r1`... (the right side of pair 0, 1...) and `d0`,
    `d1`... (the distractors), see `quizzes.presentation.right_ids`. Build it from a mapping
    (`MatchAnswer({0: "r1", 1: "d0"})`) or from (left, right) pairs; pairs may name a left item
    twice, which grading reports as a mistake rather than silently keeping one.
    """

    pairs: tuple[tuple[int, str], ...]

    def __init__(self, pairs: Mapping[int, str] | Iterable[tuple[int, str]]) -> None:
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        object.__setattr__(self, "pairs", tuple(sorted(items)))

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this answer."""
        return {"kind": "match", "pairs": [[left, right] for left, right in self.pairs]}

    def to_json(self) -> str:
        """This answer as JSON text."""
        return _dumps(self.to_data())


@dataclass(frozen=True, slots=True, init=False)
class CategorizeAnswer:
    """For each item of a `categorize` question (by index), the category index it was put in.

    Build it from a mapping (`CategorizeAnswer({0: 1, 1: 0})`) or from (item, category) pairs.
    """

    placements: tuple[tuple[int, int], ...]

    def __init__(self, placements: Mapping[int, int] | Iterable[tuple[int, int]]) -> None:
        items = placements.items() if isinstance(placements, Mapping) else placements
        object.__setattr__(self, "placements", tuple(sorted(items)))

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this answer."""
        return {"kind": "categorize", "placements": [list(p) for p in self.placements]}

    def to_json(self) -> str:
        """This answer as JSON text."""
        return _dumps(self.to_data())


Answer: TypeAlias = (
    ChoiceAnswer | BoolAnswer | TextAnswer | OrderAnswer | MatchAnswer | CategorizeAnswer
)
"""Any answer to any question type."""


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _ints(value: object, what: str) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise AnswerError(f"a saved answer could not be read: `{what}` must be a list of integers")
    return value


def _int_pairs(value: object, what: str, second: type) -> list[tuple[int, Any]]:
    if not isinstance(value, list):
        raise AnswerError(f"a saved answer could not be read: `{what}` must be a list of pairs")
    pairs: list[tuple[int, Any]] = []
    for pair in value:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], int)
            and not isinstance(pair[0], bool)
            and isinstance(pair[1], second)
            and not isinstance(pair[1], bool)
        ):
            raise AnswerError(
                f"a saved answer could not be read: each of `{what}` must be"
                f" [integer, {second.__name__}]"
            )
        pairs.append((pair[0], pair[1]))
    return pairs


def answer_from_data(data: object) -> Answer:
    """Rebuild an answer from the data `to_data()` gave; AnswerError if it is not such data."""
    if not isinstance(data, dict):
        raise AnswerError("a saved answer could not be read: it is not a JSON object")
    kind = data.get("kind")
    if kind == "choice":
        return ChoiceAnswer(_ints(data.get("options"), "options"))
    if kind == "bool":
        value = data.get("value")
        if not isinstance(value, bool):
            raise AnswerError("a saved answer could not be read: `value` must be true or false")
        return BoolAnswer(value)
    if kind == "text":
        text = data.get("text")
        if not isinstance(text, str):
            raise AnswerError("a saved answer could not be read: `text` must be a string")
        return TextAnswer(text)
    if kind == "order":
        return OrderAnswer(_ints(data.get("items"), "items"))
    if kind == "match":
        return MatchAnswer(_int_pairs(data.get("pairs"), "pairs", str))
    if kind == "categorize":
        return CategorizeAnswer(_int_pairs(data.get("placements"), "placements", int))
    raise AnswerError(f"a saved answer could not be read: unknown kind {kind!r}")


def answer_from_json(text: str) -> Answer:
    """Rebuild an answer from the JSON text `to_json()` gave; AnswerError if it is not such."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AnswerError(f"a saved answer could not be read: {exc}") from None
    return answer_from_data(data)


# --- Numbers -------------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_DIGITS_AND_MARKS = re.compile(r"[+-]?(?=[.,]*\d)[\d.,]+(?:[eE][+-]?\d+)?")
_SPACED_DIGITS = re.compile(r"\d\s+\d")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-"})
_NOT_FINITE = {"nan", "inf", "infinity"}
_EXAMPLES = "for example 2024, 1.5 or -3"


def parse_number(text: str, *, unit: str = "") -> float:
    """Read a number as a learner types it, or raise AnswerError saying how to type it.

    Accepted: spaces around it, a sign, a decimal point, an exponent (`1e6`), and commas that
    group thousands by threes (`2,024`, `1,000,000.5`). When `unit` is given, the unit typed
    after the number is allowed (`5 mL`). Refused, each with its own message: nothing typed, a
    decimal comma (`1,5` could mean 1.5 or 15, so we ask for a point), commas that do not group
    by threes (`2,02,4`), two decimal points, digits split by spaces, `nan` and `inf`, and
    anything else that is not a number.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_MINUS_SIGNS)
    text = text.strip()
    if (
        unit
        and len(text) > len(unit)
        and text[-len(unit) :].casefold() == unit.casefold()
        and not _PLAIN_NUMBER.fullmatch(text)
    ):
        text = text[: -len(unit)].rstrip()
    if not text:
        raise AnswerError(f"Type a number, {_EXAMPLES}.")
    if _PLAIN_NUMBER.fullmatch(text):
        value = float(text)
    elif _GROUPED_NUMBER.fullmatch(text):
        value = float(text.replace(",", ""))
    elif _DECIMAL_COMMA.fullmatch(text):
        point = text.replace(",", ".")
        raise AnswerError(
            f"“{text}” is ambiguous: use a point for decimals ({point}); a comma only groups"
            " thousands, as in 2,024."
        )
    elif "," not in text and _DIGITS_AND_MARKS.fullmatch(text):
        raise AnswerError(
            f"“{text}” has more than one point: use one point for decimals, for example 1.5."
        )
    elif _DIGITS_AND_MARKS.fullmatch(text):
        raise AnswerError(
            f"“{text}” is not a number we can read: group digits in threes with commas"
            " (2,024 or 1,000,000), or leave the commas out, and use one point for decimals."
        )
    elif text.casefold().lstrip("+-") in _NOT_FINITE:
        raise AnswerError(f"Type an ordinary number, {_EXAMPLES}; “{text}” is not accepted.")
    elif _SPACED_DIGITS.search(text):
        raise AnswerError(f"Type the number without spaces inside it, {_EXAMPLES}.")
    else:
        raise AnswerError(f"“{text}” is not a number: type digits, {_EXAMPLES}.")
    if not math.isfinite(value):
        raise AnswerError(f"“{text}” is too large: type an ordinary number, {_EXAMPLES}.")
    return value


def format_number(value: float) -> str:
    """Show a number the way a learner would type it: `2024`, not `2024.0`.

    The text reads back through `parse_number` to the same value. An int is taken too: a
    question built in code (not read from a course) may hold one, and on Python 3.11 an int has
    no `is_integer`.
    """
    number = float(value)
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


# --- Typed text -----------------------------------------------------------------------------

_DROPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_text(text: str, *, ignore_accents: bool = False) -> str:
    """The comparison key of a `short` answer under `match: normalized`.

    NFKC (so full-width letters and ligatures read as plain ones), Unicode case folding, and,
    if asked, accents removed. Then every space and punctuation mark is dropped, so "IND.",
    " ind ", "Non-homologous" and "non homologous" compare equal, with two exceptions that keep
    numbers apart: a point or comma between two digits stays ("1.5" is not "15"), and a dash
    before a digit that does not follow a letter or digit stays as a minus sign ("-80" is not
    "80"; "COVID-19" still equals "covid 19"). Symbols such as `+` and `°` count ("CD34+" is
    not "CD34").
    """
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        if ignore_accents:
            text = _strip_accents(text)
    kept: list[str] = []
    last = len(text) - 1
    for index, ch in enumerate(text):
        if ch.isalnum():
            kept.append(ch)
            continue
        if ch.isspace():
            continue
        category = unicodedata.category(ch)
        if category in _DROPPED_CATEGORIES:
            continue
        if category[0] != "P":
            kept.append(ch)
            continue
        after_digit = index > 0 and text[index - 1].isdigit()
        before_digit = index < last and text[index + 1].isdigit()
        if ch in ".," and after_digit and before_digit:
            kept.append(ch)
        elif category == "Pd" and before_digit and (index == 0 or not text[index - 1].isalnum()):
            kept.append("-")
    return "".join(kept)


# --- Reading an answer back -----------------------------------------------------------------


def _option_text(question: SingleQuestion | MultipleQuestion, index: int) -> str:
    return question.options[index].text if 0 <= index < len(question.options) else "?"


def _right_text(question: MatchQuestion, right_id: str) -> str:
    kind, number = right_id[:1], right_id[1:]
    if number.isdigit():
        index = int(number)
        if kind == "r" and index < len(question.pairs):
            return question.pairs[index][1]
        if kind == "d" and index < len(question.distractors):
            return question.distractors[index]
    return "?"


def _at(texts: tuple[str, ...], index: int) -> str:
    return texts[index] if 0 <= index < len(texts) else "?"


def describe(question: Question, answer: Answer) -> str:
    """A short, human-readable rendering of an answer, for results screens and reports.

    Never raises for an answer of the wrong shape: unknown positions read as "?".
    """
    if isinstance(answer, ChoiceAnswer) and isinstance(question, SingleQuestion | MultipleQuestion):
        return ", ".join(_option_text(question, i) for i in sorted(answer.option_indexes))
    if isinstance(answer, BoolAnswer):
        return "True" if answer.value else "False"
    if isinstance(answer, TextAnswer):
        text = answer.text.strip()
        if isinstance(question, NumericQuestion) and question.unit:
            try:
                parse_number(text)
            except AnswerError:
                return text
            return f"{text} {question.unit}"
        return text
    if isinstance(answer, OrderAnswer) and isinstance(question, OrderQuestion):
        return ", ".join(_at(question.items, i) for i in answer.item_indexes)
    if isinstance(answer, MatchAnswer) and isinstance(question, MatchQuestion):
        lefts = tuple(left for left, _ in question.pairs)
        return "; ".join(
            f"{_at(lefts, left)} → {_right_text(question, right)}" for left, right in answer.pairs
        )
    if isinstance(answer, CategorizeAnswer) and isinstance(question, CategorizeQuestion):
        texts = tuple(item.text for item in question.items)
        groups: dict[int, list[str]] = {}
        for item, category in answer.placements:
            groups.setdefault(category, []).append(_at(texts, item))
        return "; ".join(
            f"{_at(question.categories, category)}: {', '.join(groups[category])}"
            for category in sorted(groups)
        )
    return "?"

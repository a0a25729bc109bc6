"""grade(question, answer) -> Result: the one place that decides whether an answer is right.

The TUI, the review and the plain mode all call `grade`; none of them judges an answer itself.
The scoring rules are written for course authors in docs/grading.md; in short:

- `single`, `true_false`, `short`, `numeric`: all or nothing, except that a wrong option, a
  typed answer or a number the author gave a `credit` earns that share of the points.
- `multiple`, partial (default): max(0, right picks - wrong picks) / correct options x points;
  when its options have `credit`, the sum of the credits of the options picked, from 0 to 1.
- `order`, partial: the share of items in their correct position (default: all or nothing).
- `match`, partial (default): the share of left items paired rightly; a distractor is wrong.
- `categorize`, partial (default): the share of items put in their right category.
- `all_or_nothing`: full points only when every part is right, otherwise 0.

A hint shown before answering costs nothing (the format does not ask for a deduction); it is
recorded in the Result so reports can show it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar, cast

from quizzes.answers import (
    Answer,
    AnswerError,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
    format_number,
    normalize_text,
    parse_number,
)
from quizzes.presentation import option_id, right_ids
from quizzes.questions import (
    AcceptedNumber,
    AcceptedText,
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
    WrongText,
    share,
)


class Verdict(StrEnum):
    """Right (full points), wrong (no points) or partly right (anything between)."""

    RIGHT = "right"
    WRONG = "wrong"
    PARTLY = "partly"


class Feedback(NamedTuple):
    """One piece of feedback on one part of an answer.

    `ref` is the stable id of the part it is about (`o2` an option, `i1` an item, `l0` a left
    item of a match, `answer` the answer as a whole); `about` is that part's text. `right`
    says whether the learner got that part right. `reveals_answer` marks feedback that gives
    the correct answer away, which a practice check holds back while the learner may retry.
    A named tuple rather than a dataclass: order, match and categorize answers make one per
    item, and a tuple is built several times faster.
    """

    ref: str
    about: str
    text: str
    right: bool
    reveals_answer: bool = False

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this feedback."""
        return {
            "ref": self.ref,
            "about": self.about,
            "text": self.text,
            "right": self.right,
            "reveals_answer": self.reveals_answer,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Feedback:
        """Rebuild from `to_data()` output."""
        return cls(
            ref=str(data["ref"]),
            about=str(data["about"]),
            text=str(data["text"]),
            right=bool(data["right"]),
            reveals_answer=bool(data.get("reveals_answer", False)),
        )


RIGHT_AT = 1 - 1e-9
"""The share of its points (0 to 1) from which a recorded answer counts as right: full points,
less the slack of floating-point sums, so that a score added up from thirds is still right."""


@dataclass(frozen=True, slots=True)
class Result:
    """The grade of one answer: score out of points, verdict, feedback and explanation."""

    score: float
    points: float
    verdict: Verdict
    feedback: tuple[Feedback, ...] = ()
    explanation: str | None = None
    refs: tuple[str, ...] = ()
    hint_used: bool = False

    @property
    def is_right(self) -> bool:
        """True when the answer earned full points."""
        return self.verdict is Verdict.RIGHT

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data for this result."""
        return {
            "score": self.score,
            "points": self.points,
            "verdict": self.verdict.value,
            "feedback": [item.to_data() for item in self.feedback],
            "explanation": self.explanation,
            "refs": list(self.refs),
            "hint_used": self.hint_used,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Result:
        """Rebuild from `to_data()` output; KeyError or ValueError if it is not such data."""
        explanation = data.get("explanation")
        return cls(
            score=float(data["score"]),
            points=float(data["points"]),
            verdict=Verdict(data["verdict"]),
            feedback=tuple(Feedback.from_data(item) for item in data.get("feedback", [])),
            explanation=None if explanation is None else str(explanation),
            refs=tuple(str(ref) for ref in data.get("refs", [])),
            hint_used=bool(data.get("hint_used", False)),
        )


# --- Work done once per question -----------------------------------------------------------

_T = TypeVar("_T")
_PREPARED: dict[tuple[int, object], tuple[object, object]] = {}
_PREPARED_LIMIT = 4096


def _prepared(question: object, build: Callable[[Any], _T]) -> _T:
    # Keyed by object identity, not by question id: two versions of a course (or generated test
    # questions) may reuse an id. The entry holds the question, so its id() cannot be reused
    # while the entry lives. And by what is built, as one question may need two things.
    key = (id(question), build)
    hit = _PREPARED.get(key)
    if hit is not None and hit[0] is question:
        return cast(_T, hit[1])
    value = build(question)
    if len(_PREPARED) >= _PREPARED_LIMIT:
        _PREPARED.clear()
    _PREPARED[key] = (question, value)
    return value


def _correct_set(question: MultipleQuestion) -> frozenset[int]:
    return frozenset(question.correct_indexes)


def _credits(question: MultipleQuestion) -> tuple[tuple[float, ...], float]:
    """Each option's credit (0 where none is written), and what the correct ones add up to."""
    credits = tuple(option.credit or 0.0 for option in question.options)
    return credits, math.fsum(credits[i] for i in question.correct_indexes)


def _first_match(question: ShortQuestion, texts: Sequence[str]) -> Callable[[str], int | None]:
    """Finds the first of `texts` that a typed answer matches, as the question's `match` says."""
    if question.match == "regex":
        patterns = tuple(re.compile(p) for p in texts)
        return lambda text: next((i for i, p in enumerate(patterns) if p.fullmatch(text)), None)
    keys: dict[str, int] = {}
    if question.match == "exact":
        for index, entry in enumerate(texts):
            keys.setdefault(entry.strip(), index)
        return keys.get
    accents = question.ignore_accents
    for index, entry in enumerate(texts):
        keys.setdefault(normalize_text(entry, ignore_accents=accents), index)
    return lambda text: keys.get(normalize_text(text, ignore_accents=accents))


def _by_credit(question: ShortQuestion) -> tuple[AcceptedText, ...]:
    # Highest credit first, so the first entry matched is the best one an answer earns.
    return tuple(sorted(question.accepted, key=lambda entry: -entry.credit))


def _short_matcher(question: ShortQuestion) -> Callable[[str], AcceptedText | None]:
    entries = _by_credit(question)
    find = _first_match(question, [entry.text for entry in entries])

    def best(text: str) -> AcceptedText | None:
        index = find(text)
        return None if index is None else entries[index]

    return best


def _wrong_matcher(question: ShortQuestion) -> Callable[[str], WrongText | None]:
    entries = question.wrong
    find = _first_match(question, [entry.text for entry in entries])

    def expected(text: str) -> WrongText | None:
        index = find(text)
        return None if index is None else entries[index]

    return expected


TYPO_MIN_LETTERS = 6
"""Accepted words at least this long, and made of letters only, forgive one typing slip."""


def _words(text: str, accents: bool) -> tuple[str, ...]:
    """The comparison keys of the words of `text`, split at spaces (empty keys dropped)."""
    keys = (normalize_text(word, ignore_accents=accents) for word in text.split())
    return tuple(key for key in keys if key)


def _typo_matcher(question: ShortQuestion) -> Callable[[str], AcceptedText | None]:
    """Finds the accepted answer a typed one is within a slip per long word of, if any.

    Word by word, so "investigatonal new drug" is forgiven but "New Drg" is not: each word of
    six letters or more may be one insertion, deletion or substitution away from the accepted
    one; shorter words, and words with digits or symbols ("CD34+", "1.5"), must match as they
    would anyway, since one character there changes the meaning.
    """
    from rapidfuzz.distance import Levenshtein  # only courses that allow typos pay for it

    accents = question.ignore_accents
    accepted = [(entry, _words(entry.text, accents)) for entry in _by_credit(question)]

    def near(text: str) -> AcceptedText | None:
        typed = _words(text, accents)
        for entry, words in accepted:
            if len(words) == len(typed) and all(
                got == want
                or (
                    len(want) >= TYPO_MIN_LETTERS
                    and want.isalpha()
                    and Levenshtein.distance(got, want, score_cutoff=1) <= 1
                )
                for got, want in zip(typed, words, strict=True)
            ):
                return entry
        return None

    return near


def _match_choices(question: MatchQuestion) -> tuple[tuple[str, ...], dict[str, str]]:
    ids = right_ids(question)
    texts = [right for _, right in question.pairs] + list(question.distractors)
    return ids, dict(zip(ids, texts, strict=True))


def _category_indexes(question: CategorizeQuestion) -> tuple[int, ...]:
    return tuple(question.categories.index(item.category) for item in question.items)


# --- One grader per type ---------------------------------------------------------------------

_Graded = tuple[float, float, tuple[Feedback, ...]]
"""(parts right, parts in all, feedback): the score is points x right / all. A part may be a
share: a credit of 0.25 out of 1, or options' credits out of what the correct ones add up to."""

_NEEDS = {
    "single": "Choose one option.",
    "multiple": "Choose one or more options.",
    "true_false": "Answer true or false.",
    "short": "Type an answer.",
    "numeric": "Type a number.",
    "order": "Put the items in order.",
    "match": "Pair each item on the left with one on the right.",
    "categorize": "Put each item in a category.",
}


def _wrong_kind(question: Question) -> AnswerError:
    return AnswerError(_NEEDS[question.type])


def _all_or_nothing(right: int, total: int) -> tuple[int, int]:
    return (1, 1) if right == total else (0, 1)


def _checked_choice(question: SingleQuestion | MultipleQuestion, answer: Answer) -> frozenset[int]:
    if type(answer) is not ChoiceAnswer:
        raise _wrong_kind(question)
    chosen = answer.option_indexes
    if not chosen:
        raise _wrong_kind(question)
    count = len(question.options)
    for index in chosen:
        if type(index) is not int or not 0 <= index < count:
            raise AnswerError(f"There is no option {index!r} in this question; choose one shown.")
    return chosen


def _grade_single(question: SingleQuestion, answer: Answer) -> _Graded:
    chosen = _checked_choice(question, answer)
    if len(chosen) > 1:
        raise AnswerError("Choose only one option.")
    (index,) = chosen
    option = question.options[index]
    credit = 1.0 if option.correct else max(0.0, option.credit or 0.0)
    ref = option_id(index)
    feedback = []
    if 0 < credit < 1:
        feedback.append(Feedback(ref, option.text, _part_credit(credit), False))
    if option.feedback:
        feedback.append(Feedback(ref, option.text, option.feedback, option.correct))
    return credit, 1, tuple(feedback)


def _part_credit(credit: float) -> str:
    return f"Part credit: {share(credit)} of the points."


def _grade_multiple(question: MultipleQuestion, answer: Answer) -> _Graded:
    chosen = _checked_choice(question, answer)
    correct = _prepared(question, _correct_set)
    right = len(chosen & correct)
    credits: tuple[float, ...] = ()
    earned: float
    total: float
    if question.by_credit:
        # fsum, so that every correct option picked adds up to exactly what they are worth.
        credits, total = _prepared(question, _credits)
        earned = math.fsum(credits[i] for i in sorted(chosen))
    elif question.scoring == "partial":
        earned, total = max(0, right - (len(chosen) - right)), len(correct)
    else:
        earned, total = (1, 1) if chosen == correct else (0, 1)
    feedback: list[Feedback] = []
    for index, option in enumerate(question.options):
        if index in chosen:
            if credits and credits[index] < 0:
                cost = f"Takes back {share(-credits[index])} of the points."
                feedback.append(Feedback(option_id(index), option.text, cost, False))
            if option.feedback:
                feedback.append(
                    Feedback(option_id(index), option.text, option.feedback, option.correct)
                )
        elif option.correct:
            note = "You missed this correct option."
            if option.feedback:
                note = f"{note} {option.feedback}"
            feedback.append(Feedback(option_id(index), option.text, note, False, True))
    return earned, total, tuple(feedback)


def _grade_true_false(question: TrueFalseQuestion, answer: Answer) -> _Graded:
    if type(answer) is not BoolAnswer or type(answer.value) is not bool:
        raise _wrong_kind(question)
    value = answer.value
    right = value is question.answer
    text = None
    if question.feedback is not None:
        text = question.feedback.true if value else question.feedback.false
    feedback = (Feedback("answer", "True" if value else "False", text, right),) if text else ()
    return (1 if right else 0), 1, feedback


def _typed(question: Question, answer: Answer) -> str:
    if type(answer) is not TextAnswer or not isinstance(answer.text, str):
        raise _wrong_kind(question)
    text = answer.text.strip()
    if not text:
        raise _wrong_kind(question)
    return text


def shown_accept(question: ShortQuestion) -> str | None:
    """The accepted answer to show a learner who got it wrong, or None if there is none to show.

    The first `accept` entry worth full credit; for `match: regex`, the first such pattern that
    is also an answer it accepts (a plain word), since a pattern such as `IND|Investigational`
    would confuse.
    """
    return _prepared(question, _shown_accept)


def _shown_accept(question: ShortQuestion) -> str | None:
    full = [entry.text for entry in question.accepted if entry.credit >= 1]
    if question.match != "regex":
        return full[0]
    for pattern in full:
        if re.fullmatch(pattern, pattern):
            return pattern
    return None


def _grade_short(question: ShortQuestion, answer: Answer) -> _Graded:
    text = _typed(question, answer)
    feedback: list[Feedback] = []
    entry = _prepared(question, _short_matcher)(text)
    if entry is None and question.allow_typo and question.match == "normalized":
        entry = _prepared(question, _typo_matcher)(text)
        if entry is not None:
            # Accepted, but the learner should see the spelling they are meant to remember.
            accepted = f"Accepted: “{entry.text}” (you typed “{text}”)."
            feedback.append(Feedback("answer", "", accepted, entry.credit >= 1, True))
    if entry is not None and entry.credit >= 1:
        if entry.feedback:
            feedback.append(Feedback("answer", text, entry.feedback, True))
        return 1, 1, tuple(feedback)
    if entry is not None:
        feedback.append(Feedback("answer", text, _part_credit(entry.credit), False))
        if entry.feedback:
            feedback.append(Feedback("answer", text, entry.feedback, False))
    else:
        wrong = _prepared(question, _wrong_matcher)(text) if question.wrong else None
        if wrong is not None and wrong.feedback:
            feedback.append(Feedback("answer", text, wrong.feedback, False))
    expected = shown_accept(question)
    if expected is not None:
        feedback.append(Feedback("answer", text, f"Expected: {expected}", False, True))
    elif not feedback:
        feedback.append(Feedback("answer", text, "Not accepted.", False))
    return (entry.credit if entry is not None else 0), 1, tuple(feedback)


def number_with_unit(value: float, unit: str) -> str:
    """`5 mL`, or `2024` without a unit; rounding noise (`0.30000000000000004`) left out."""
    shown = format_number(float(f"{value:.12g}"))
    return f"{shown} {unit}" if unit else shown


def accepted_number(question: NumericQuestion) -> str:
    """The answer to a numeric question and the range accepted: `55 (54 to 56 accepted)`.

    `5 mL (4.5 to 5.5 mL accepted)` with a unit; the answer alone when there is no tolerance.
    """
    full = _prepared(question, _full_number)
    unit, target, tolerance = question.unit, full.answer, full.tolerance
    if not tolerance:
        return number_with_unit(target, unit)
    low = number_with_unit(target - tolerance, "")
    high = number_with_unit(target + tolerance, unit)
    return f"{number_with_unit(target, unit)} ({low} to {high} accepted)"


def _within(value: float, entry: AcceptedNumber) -> bool:
    # A little slack for float rounding, so 0.1 + 0.2 typed as 0.3 is not off by 5e-17.
    slack = 1e-9 * max(1.0, abs(entry.answer))
    return abs(value - entry.answer) <= entry.tolerance + slack


def _numbers_by_credit(question: NumericQuestion) -> tuple[AcceptedNumber, ...]:
    return tuple(sorted(question.accepted, key=lambda entry: -entry.credit))


def _full_number(question: NumericQuestion) -> AcceptedNumber:
    return question.full_credit


def _grade_numeric(question: NumericQuestion, answer: Answer) -> _Graded:
    text = _typed(question, answer)
    value = parse_number(text, unit=question.unit)
    numbers = _prepared(question, _numbers_by_credit)
    entry = next((entry for entry in numbers if _within(value, entry)), None)
    feedback: list[Feedback] = []
    if entry is not None and entry.credit >= 1:
        if value != entry.answer:
            exact = number_with_unit(entry.answer, question.unit)
            feedback.append(Feedback("answer", text, f"Accepted: the exact answer is {exact}.",
                                     True, True))
        if entry.feedback:
            feedback.append(Feedback("answer", text, entry.feedback, True))
        return 1, 1, tuple(feedback)
    if entry is not None:
        feedback.append(Feedback("answer", text, _part_credit(entry.credit), False))
        if entry.feedback:
            feedback.append(Feedback("answer", text, entry.feedback, False))
    else:
        # Which way it is off helps a retry without giving the answer away; the answer waits.
        target = _prepared(question, _full_number).answer
        feedback.append(Feedback("answer", text, "Too high." if value > target else "Too low.",
                                 False))
    feedback.append(
        Feedback("answer", text, f"The answer: {accepted_number(question)}.", False, True))
    return (entry.credit if entry is not None else 0), 1, tuple(feedback)


def _grade_order(question: OrderQuestion, answer: Answer) -> _Graded:
    if type(answer) is not OrderAnswer:
        raise _wrong_kind(question)
    items = question.items
    count = len(items)
    placed = answer.item_indexes
    seen: set[int] = set()
    for index in placed:
        if type(index) is not int or not 0 <= index < count:
            raise AnswerError(f"There is no item {index!r} in this question; use the ones shown.")
        if index in seen:
            raise AnswerError(f"“{items[index]}” is placed twice; place each item once.")
        seen.add(index)
    if len(seen) != count:
        missing = ", ".join(f"“{items[i]}”" for i in range(count) if i not in seen)
        raise AnswerError(f"Place every item; not placed yet: {missing}.")
    in_place = 0
    feedback: list[Feedback] = []
    for position, index in enumerate(placed):
        right = position == index
        in_place += right
        text = "In the right place." if right else "Not in the right place."
        feedback.append(Feedback(f"i{index}", items[index], text, right))
    if in_place != count:
        feedback.append(Feedback("answer", "The correct order", " → ".join(items), False, True))
    if question.scoring == "partial":
        return in_place, count, tuple(feedback)
    return (*_all_or_nothing(in_place, count), tuple(feedback))


def _grade_match(question: MatchQuestion, answer: Answer) -> _Graded:
    if type(answer) is not MatchAnswer:
        raise _wrong_kind(question)
    ids, texts = _prepared(question, _match_choices)
    pairs = question.pairs
    count = len(pairs)
    chosen: dict[int, str] = {}
    taken: dict[str, int] = {}
    for left, right in answer.pairs:
        if type(left) is not int or not 0 <= left < count:
            raise AnswerError(f"There is no item {left!r} on the left; pair the ones shown.")
        if left in chosen:
            raise AnswerError(f"“{pairs[left][0]}” is paired twice; pair each item once.")
        if right not in texts:
            raise AnswerError(f"There is no choice {right!r} on the right; pick one shown.")
        if right in taken:
            raise AnswerError(
                f"“{texts[right]}” is paired with both “{pairs[taken[right]][0]}”"
                f" and “{pairs[left][0]}”; each choice on the right goes with one item at most."
            )
        chosen[left] = right
        taken[right] = left
    if len(chosen) != count:
        missing = ", ".join(f"“{pairs[i][0]}”" for i in range(count) if i not in chosen)
        raise AnswerError(f"Pair every item; not paired yet: {missing}.")
    right_count = 0
    feedback: list[Feedback] = []
    for left, (left_text, right_text) in enumerate(pairs):
        picked = chosen[left]
        ok = picked == ids[left]
        right_count += ok
        ref = f"l{left}"
        feedback.append(Feedback(ref, left_text, f"Paired with “{texts[picked]}”.", ok))
        if not ok:
            feedback.append(Feedback(ref, left_text, f"Goes with “{right_text}”.", False, True))
    if question.scoring == "partial":
        return right_count, count, tuple(feedback)
    return (*_all_or_nothing(right_count, count), tuple(feedback))


def _grade_categorize(question: CategorizeQuestion, answer: Answer) -> _Graded:
    if type(answer) is not CategorizeAnswer:
        raise _wrong_kind(question)
    items, categories = question.items, question.categories
    count, category_count = len(items), len(categories)
    placed: dict[int, int] = {}
    for item, category in answer.placements:
        if type(item) is not int or not 0 <= item < count:
            raise AnswerError(f"There is no item {item!r} in this question; sort the ones shown.")
        if item in placed:
            raise AnswerError(f"“{items[item].text}” is placed twice; put each item in one place.")
        if type(category) is not int or not 0 <= category < category_count:
            raise AnswerError(f"There is no category {category!r}; use the ones shown.")
        placed[item] = category
    if len(placed) != count:
        missing = ", ".join(f"“{items[i].text}”" for i in range(count) if i not in placed)
        raise AnswerError(f"Put every item in a category; not placed yet: {missing}.")
    correct = _prepared(question, _category_indexes)
    right_count = 0
    feedback: list[Feedback] = []
    for index, entry in enumerate(items):
        put = placed[index]
        ok = put == correct[index]
        right_count += ok
        ref = f"i{index}"
        feedback.append(Feedback(ref, entry.text, f"Put in “{categories[put]}”.", ok))
        if not ok:
            belongs = f"Belongs in “{entry.category}”."
            feedback.append(Feedback(ref, entry.text, belongs, False, True))
    if question.scoring == "partial":
        return right_count, count, tuple(feedback)
    return (*_all_or_nothing(right_count, count), tuple(feedback))


_GRADERS: dict[type, Callable[[Any, Answer], _Graded]] = {
    SingleQuestion: _grade_single,
    MultipleQuestion: _grade_multiple,
    TrueFalseQuestion: _grade_true_false,
    ShortQuestion: _grade_short,
    NumericQuestion: _grade_numeric,
    OrderQuestion: _grade_order,
    MatchQuestion: _grade_match,
    CategorizeQuestion: _grade_categorize,
}


def grade(question: Question, answer: Answer, *, hint_used: bool = False) -> Result:
    """Grade one answer to one question.

    The score is in [0, points]; the verdict is RIGHT at full points, WRONG at 0 and PARTLY
    between. An answer of the wrong shape (an option that does not exist, an item placed twice,
    a number that cannot be read) raises AnswerError, whose message is for the learner.
    """
    grader = _GRADERS.get(type(question))
    if grader is None:
        raise TypeError(f"not a question: {type(question).__name__}")
    earned, total, feedback = grader(question, answer)
    points = question.points
    if earned >= total:
        score, verdict = points, Verdict.RIGHT
    elif earned <= 0:
        score, verdict = 0.0, Verdict.WRONG
    else:
        score, verdict = points * (earned / total), Verdict.PARTLY
    return Result(score, points, verdict, feedback, question.explanation, question.refs, hint_used)


def correct_answer(question: Question) -> Answer | None:
    """An answer that earns full points, or None when none can be written down.

    None only for a `short` question matched by regular expressions none of which is a plain
    answer itself; there the explanation should say what was expected.
    """
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return ChoiceAnswer(question.correct_indexes)
    if isinstance(question, TrueFalseQuestion):
        return BoolAnswer(question.answer)
    if isinstance(question, ShortQuestion):
        shown = shown_accept(question)
        return None if shown is None else TextAnswer(shown)
    if isinstance(question, NumericQuestion):
        return TextAnswer(format_number(question.full_credit.answer))
    if isinstance(question, OrderQuestion):
        return OrderAnswer(range(len(question.items)))
    if isinstance(question, MatchQuestion):
        return MatchAnswer({i: f"r{i}" for i in range(len(question.pairs))})
    return CategorizeAnswer(dict(enumerate(_category_indexes(question))))


__all__ = [
    "AnswerError",
    "Feedback",
    "Result",
    "Verdict",
    "accepted_number",
    "correct_answer",
    "grade",
    "number_with_unit",
    "shown_accept",
]

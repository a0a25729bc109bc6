"""How a result is put into words for the learner, the same in the TUI and the plain mode.

Grading (`quizzes.grading`) writes each piece of feedback; this module names the verdict
("Partly right"), decides the order the pieces are listed in (the order the learner saw the
options and items, not the authored one), joins the pieces about one part into one line, and
words the accepted answer shown when a learner gives up on a practice check ("The answer: ...").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from quizzes.grading import Feedback, Verdict, accepted_number, number_with_unit, shown_accept
from quizzes.presentation import Presentation
from quizzes.questions import (
    AcceptedNumber,
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
    share,
)

VERDICT_WORDS = {Verdict.RIGHT: "Right", Verdict.WRONG: "Wrong", Verdict.PARTLY: "Partly right"}
"""How each verdict is said: the app puts a mark before the words, the plain mode a full stop
after them."""

ANSWER_LABEL = "The answer: "
"""What the accepted answer is introduced by, wherever it is shown."""

NO_SINGLE_ANSWER = "No single answer can be written down here."
"""Said in place of the answer when only patterns are accepted and none is a plain answer."""


class FeedbackLine(NamedTuple):
    """One line of feedback as shown: what it is about, whether that part is right, the text."""

    about: str
    right: bool
    text: str


def _shown_positions(question: Question, presentation: Presentation) -> dict[str, int]:
    """Where each option or item was shown, by feedback ref; empty when feedback keeps its order.

    Order questions list feedback in the learner's own order already, and a match's left column
    keeps the authored order, so only options and categorize items move.
    """
    if isinstance(question, SingleQuestion | MultipleQuestion):
        prefix, count = "o", len(question.options)
    elif isinstance(question, CategorizeQuestion):
        prefix, count = "i", len(question.items)
    else:
        return {}
    order = presentation.order
    if sorted(order) != list(range(count)):
        order = tuple(range(count))
    return {f"{prefix}{index}": position for position, index in enumerate(order)}


def feedback_lines(
    feedback: Iterable[Feedback],
    question: Question | None = None,
    presentation: Presentation | None = None,
) -> list[FeedbackLine]:
    """The feedback as lines to show: in the order the learner saw the parts, one line a part.

    Pieces about the same part that follow each other are joined ("Paired with X." and "Goes
    with Y." read better as one line with one mark). Without a question and presentation the
    feedback keeps the order grading gave it.
    """
    items = list(feedback)
    if question is not None and presentation is not None:
        positions = _shown_positions(question, presentation)
        if positions:
            # Stable: pieces about one part keep their order; the rest follow the parts.
            items.sort(key=lambda item: positions.get(item.ref, len(positions)))
    merged: list[tuple[str, str, bool, list[str]]] = []
    for item in items:
        if merged and merged[-1][0] == item.ref and merged[-1][1] == item.about:
            ref, about, right, texts = merged[-1]
            merged[-1] = (ref, about, right and item.right, [*texts, item.text])
        else:
            merged.append((item.ref, item.about, item.right, [item.text]))
    return [
        FeedbackLine(about, right, " ".join(text.strip() for text in texts))
        for _, about, right, texts in merged
    ]


def _option_order(question: Question, presentation: Presentation | None, count: int
                  ) -> tuple[int, ...]:
    order = presentation.order if presentation is not None else ()
    return tuple(order) if sorted(order) == list(range(count)) else tuple(range(count))


def answer_text(question: Question, presentation: Presentation | None = None) -> str | None:
    """The accepted answer in words, or None when none can be written down.

    Options and items are named in the order the learner saw them. None only for a `short`
    question whose accepted answers are all patterns; its explanation should say the answer.
    """
    if isinstance(question, SingleQuestion | MultipleQuestion):
        order = _option_order(question, presentation, len(question.options))
        options = [question.options[i] for i in order]
        right = ", ".join(option.text for option in options if option.correct)
        return right + _part_credits((option.text, option.credit) for option in options
                                     if not option.correct and isinstance(question, SingleQuestion))
    if isinstance(question, TrueFalseQuestion):
        return "True" if question.answer else "False"
    if isinstance(question, ShortQuestion):
        shown = shown_accept(question)
        if shown is None:
            return None
        plain = question.match != "regex"
        entries = question.accepted
        others = [e.text for e in entries if plain and e.credit >= 1 and e.text != shown]
        text = f"{shown} (also accepted: {'; '.join(others)})" if others else shown
        return text + _part_credits((e.text, e.credit) for e in entries if plain)
    if isinstance(question, NumericQuestion):
        return accepted_number(question) + _part_credits(
            (_number_range(entry, question.unit), entry.credit) for entry in question.accepted)
    if isinstance(question, OrderQuestion):
        return " → ".join(question.items)
    if isinstance(question, MatchQuestion):
        return "; ".join(f"{left} → {right}" for left, right in question.pairs)
    assert isinstance(question, CategorizeQuestion)
    order = _option_order(question, presentation, len(question.items))
    groups = []
    for category in question.categories:
        members = [question.items[i].text for i in order if question.items[i].category == category]
        if members:
            groups.append(f"{category}: {', '.join(members)}")
    return "; ".join(groups)


def _part_credits(answers: Iterable[tuple[str, float | None]]) -> str:
    """`; part credit for X (50%), Y (25%)` for the answers worth part of the points, or ``."""
    parts = [f"{text} ({share(credit)})" for text, credit in answers
             if credit is not None and 0 < credit < 1]
    return f"; part credit for {', '.join(parts)}" if parts else ""


def _number_range(entry: AcceptedNumber, unit: str) -> str:
    if not entry.tolerance:
        return number_with_unit(entry.answer, unit)
    low = number_with_unit(entry.answer - entry.tolerance, "")
    return f"{low} to {number_with_unit(entry.answer + entry.tolerance, unit)}"


def answer_line(question: Question, presentation: Presentation | None = None) -> str:
    """`The answer: ...`, labelled so it is never taken for the learner's own answer."""
    text = answer_text(question, presentation)
    return NO_SINGLE_ANSWER if text is None else ANSWER_LABEL + text


__all__ = [
    "ANSWER_LABEL",
    "NO_SINGLE_ANSWER",
    "FeedbackLine",
    "answer_line",
    "answer_text",
    "feedback_lines",
]

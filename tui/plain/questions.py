"""Questions in the plain mode: how each type is listed, what to type, and reading what was typed.

Pure functions of a question and its presentation, with no input or output of their own, so the
typed syntax can be tested in one line and the conversation (`tui.plain.answering`) stays about
flow.

What the learner types, by type (numbers are those shown, in the order shown):

- single: one number, `2`;
- multiple: every number chosen, separated by commas or spaces, `1,3` or `1 3`;
- true_false: `t` or `f` (also `true`, `false`, `yes`, `no`, `y`, `n`);
- short: the answer itself; numeric: the number, with or without its unit;
- order: all the item numbers from first to last, `3 1 2 4`;
- match: one line per item on the left, each the number of its choice on the right;
- categorize: one line per item, each the number of its category.

For match and categorize the first line may also hold every number at once, in the order the
items are listed (`2 1 3`). A line that cannot be read raises AnswerError with a message saying
what to type; grading may still refuse a well-read answer (a choice used twice), in its own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from quizzes.answers import (
    Answer,
    AnswerError,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
    parse_number,
)
from quizzes.presentation import Presentation, right_ids
from quizzes.questions import (
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)

TRUE_WORDS = frozenset({"t", "true", "y", "yes"})
FALSE_WORDS = frozenset({"f", "false", "n", "no"})

_SEPARATORS = re.compile(r"[,;\s]+")


# --- What is shown --------------------------------------------------------------------------


def display_order(order: Sequence[int], count: int) -> tuple[int, ...]:
    """The presentation's order when it fits `count` things, otherwise the authored order."""
    return tuple(order) if sorted(order) == list(range(count)) else tuple(range(count))


def right_column(question: MatchQuestion, presentation: Presentation) -> tuple[str, ...]:
    """The right-hand choice ids of a match question in display order (authored if unfit)."""
    ids = right_ids(question)
    column = presentation.right_column
    return tuple(column) if sorted(column) == sorted(ids) else ids


def right_text(question: MatchQuestion, right_id: str) -> str:
    """The text of a right-hand choice, by id (`r0`, `d1`)."""
    index = int(right_id[1:])
    return question.pairs[index][1] if right_id[0] == "r" else question.distractors[index]


def shown_order(question: Question, presentation: Presentation) -> tuple[int, ...]:
    """Authored indexes of the options or items, in the order they are listed and numbered."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return display_order(presentation.order, len(question.options))
    if isinstance(question, OrderQuestion | CategorizeQuestion):
        return display_order(presentation.order, len(question.items))
    return ()


def numbered(texts: Iterable[str]) -> list[str]:
    """`1. first`, `2. second`...: the numbers the learner types."""
    return [f"{number}. {text}" for number, text in enumerate(texts, start=1)]


def listing(question: Question, presentation: Presentation) -> list[str]:
    """The lines that follow the prompt: numbered options, items, choices or categories."""
    order = shown_order(question, presentation)
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return numbered(question.options[i].text for i in order)
    if isinstance(question, OrderQuestion):
        return numbered(question.items[i] for i in order)
    if isinstance(question, MatchQuestion):
        lines = ["Items:", *(f"- {left}" for left, _ in question.pairs), "Choices:"]
        column = right_column(question, presentation)
        return lines + numbered(right_text(question, i) for i in column)
    if isinstance(question, CategorizeQuestion):
        lines = ["Categories:", *numbered(question.categories), "Items:"]
        return lines + [f"- {question.items[i].text}" for i in order]
    return []


def instruction(question: Question, presentation: Presentation) -> str:
    """One line saying exactly what to type for this question."""
    if isinstance(question, SingleQuestion):
        return f"Choose one answer: type its number, 1 to {len(question.options)}."
    if isinstance(question, MultipleQuestion):
        return ("Choose all that apply: type their numbers, separated by commas or spaces"
                f" (1 to {len(question.options)}).")
    if isinstance(question, TrueFalseQuestion):
        return "True or false? Type t or f."
    if isinstance(question, ShortQuestion):
        return "Type your answer."
    if isinstance(question, NumericQuestion):
        return f"Type a number (in {question.unit})." if question.unit else "Type a number."
    if isinstance(question, OrderQuestion):
        count = len(question.items)
        return (f"Put the items in order: type all {count} numbers, from first to last,"
                " separated by spaces or commas.")
    if isinstance(question, MatchQuestion):
        count = len(right_column(question, presentation))
        return (f"Pair each item with a choice: for each item, type the number of its choice"
                f" (1 to {count}). You will be asked one item at a time.")
    assert isinstance(question, CategorizeQuestion)
    return (f"Put each item in a category: for each item, type the number of its category"
            f" (1 to {len(question.categories)}). You will be asked one item at a time.")


def is_one_at_a_time(question: Question) -> bool:
    """True for the types answered one line per item (match and categorize)."""
    return isinstance(question, MatchQuestion | CategorizeQuestion)


def item_labels(question: Question, presentation: Presentation) -> list[str]:
    """For match and categorize: the items asked about, one prompt each, in the order listed."""
    if isinstance(question, MatchQuestion):
        return [left for left, _ in question.pairs]
    if isinstance(question, CategorizeQuestion):
        return [question.items[i].text for i in shown_order(question, presentation)]
    return []


def item_prompt(question: Question, label: str, presentation: Presentation) -> str:
    """The prompt for one item of a match or categorize question."""
    if isinstance(question, MatchQuestion):
        return f"Choice for “{label}” (1-{len(right_column(question, presentation))}): "
    assert isinstance(question, CategorizeQuestion)
    return f"Category for “{label}” (1-{len(question.categories)}): "


# --- Reading what was typed -----------------------------------------------------------------


def numbers(text: str, count: int, what: str) -> list[int]:
    """The 1-based numbers in `text`, each checked to be from 1 to `count`.

    Numbers may be separated by commas, semicolons or spaces. AnswerError names the first
    piece that is not a number or is out of range, and says what to type.
    """
    pieces = [piece for piece in _SEPARATORS.split(text.strip()) if piece]
    if not pieces:
        raise AnswerError(f"Type a number from 1 to {count}.")
    found: list[int] = []
    for piece in pieces:
        if not piece.isdigit():
            raise AnswerError(f"“{piece}” is not a number: type the number of the {what},"
                              f" 1 to {count}.")
        value = int(piece)
        if not 1 <= value <= count:
            raise AnswerError(f"There is no {what} {value}: type a number from 1 to {count}.")
        found.append(value)
    return found


def read_line(question: Question, presentation: Presentation, text: str) -> Answer:
    """The answer typed on one line, for every type but match and categorize."""
    text = text.strip()
    order = shown_order(question, presentation)
    if isinstance(question, SingleQuestion):
        picked = numbers(text, len(order), "option")
        if len(picked) > 1:
            raise AnswerError("Choose only one option: type one number.")
        return ChoiceAnswer({order[picked[0] - 1]})
    if isinstance(question, MultipleQuestion):
        return ChoiceAnswer(order[n - 1] for n in numbers(text, len(order), "option"))
    if isinstance(question, TrueFalseQuestion):
        word = text.casefold().rstrip(".")
        if word in TRUE_WORDS:
            return BoolAnswer(True)
        if word in FALSE_WORDS:
            return BoolAnswer(False)
        raise AnswerError("Type t for true or f for false.")
    if isinstance(question, ShortQuestion):
        if not text:
            raise AnswerError("Type your answer.")
        return TextAnswer(text)
    if isinstance(question, NumericQuestion):
        parse_number(text, unit=question.unit)  # says what is wrong before grading does
        return TextAnswer(text)
    if isinstance(question, OrderQuestion):
        return OrderAnswer(order[n - 1] for n in _permutation(text, len(order)))
    raise TypeError(f"{question.type} questions are answered one item at a time")


def _permutation(text: str, count: int) -> list[int]:
    if not text.strip():
        example = " ".join(str(n) for n in range(1, min(count, 4) + 1))
        raise AnswerError(f"Type all {count} item numbers, from first to last, for example"
                          f" {example}.")
    picked = numbers(text, count, "item")
    seen: set[int] = set()
    for number in picked:
        if number in seen:
            raise AnswerError(f"Item {number} is given twice: give each number once.")
        seen.add(number)
    if len(picked) != count:
        missing = ", ".join(str(n) for n in range(1, count + 1) if n not in seen)
        raise AnswerError(f"Give all {count} numbers, first to last; missing: {missing}.")
    return picked


def pick_count(question: Question) -> int:
    """How many choices (match) or categories (categorize) there are to pick from."""
    if isinstance(question, MatchQuestion):
        return len(question.pairs) + len(question.distractors)
    assert isinstance(question, CategorizeQuestion)
    return len(question.categories)


def read_pick(question: Question, text: str) -> int:
    """One item's pick: the 1-based number of a choice (match) or category (categorize)."""
    what = "choice" if isinstance(question, MatchQuestion) else "category"
    picked = numbers(text, pick_count(question), what)
    if len(picked) > 1:
        raise AnswerError(f"Type one number, the {what} for this item.")
    return picked[0]


def read_all_picks(question: Question, text: str, items: int) -> list[int] | None:
    """Every item's pick typed at once on the first line, or None when the line holds one."""
    pieces = [piece for piece in _SEPARATORS.split(text.strip()) if piece]
    if len(pieces) < 2:
        return None
    what = "choice" if isinstance(question, MatchQuestion) else "category"
    picked = numbers(text, pick_count(question), what)
    if len(picked) != items:
        raise AnswerError(f"Type one number for each of the {items} items, in the order they are"
                          " listed, or one number for this item alone.")
    return picked


def answer_from_picks(
    question: Question, presentation: Presentation, picks: Sequence[int]
) -> Answer:
    """The match or categorize answer from one 1-based pick per item, in the order asked."""
    if isinstance(question, MatchQuestion):
        column = right_column(question, presentation)
        return MatchAnswer((left, column[pick - 1]) for left, pick in enumerate(picks))
    assert isinstance(question, CategorizeQuestion)
    order = shown_order(question, presentation)
    return CategorizeAnswer((order[index], pick - 1) for index, pick in enumerate(picks))


# --- Results --------------------------------------------------------------------------------


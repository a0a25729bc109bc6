"""What a learner does to answer a question right or wrong, worked out from the course's YAML.

The numbers a learner presses are those of the options as shown to them, which come from the
engine's own seeded presentation (`quizzes.presentation.present`), never from the front ends'
code: a mix-up between the order shown and the order recorded shows up as a wrong verdict.
Every planned answer is graded here first, so a plan that is not what it claims fails loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizzes.answers import (
    Answer,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
    format_number,
)
from quizzes.grading import Verdict, grade
from quizzes.presentation import Presentation
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


@dataclass(frozen=True)
class Plan:
    """One answer in the learner's terms: shown numbers to pick, text to type, an order."""

    question: Question
    shown: Presentation
    picks: tuple[int, ...] = ()
    """single, multiple: 1-based numbers of options as shown; match, categorize: the number
    given to each item in the order the items are shown."""
    text: str = ""
    """short, numeric: what is typed; true_false: "t" or "f"."""
    order: tuple[int, ...] = ()
    """order: the authored indexes of the items in the order to submit."""

    def answer(self) -> Answer:
        """The same answer as the engine sees it, to grade the plan before it is used."""
        question, shown = self.question, self.shown
        if isinstance(question, SingleQuestion | MultipleQuestion):
            return ChoiceAnswer(tuple(shown.order[n - 1] for n in self.picks))
        if isinstance(question, TrueFalseQuestion):
            return BoolAnswer(self.text == "t")
        if isinstance(question, ShortQuestion | NumericQuestion):
            return TextAnswer(self.text)
        if isinstance(question, OrderQuestion):
            return OrderAnswer(self.order)
        if isinstance(question, MatchQuestion):
            return MatchAnswer(tuple((i, shown.right_column[n - 1])
                                     for i, n in enumerate(self.picks)))
        assert isinstance(question, CategorizeQuestion)
        return CategorizeAnswer(tuple((item, n - 1)
                                      for item, n in zip(shown.order, self.picks, strict=True)))

    def verdict(self) -> Verdict:
        """What the engine makes of this plan."""
        return grade(self.question, self.answer()).verdict


def _typed_right(question: ShortQuestion) -> str:
    """An answer a person would type that the question accepts."""
    first = question.accept[0]
    if question.match != "regex":
        return first
    # A readable instance of a simple pattern: anchors, optional parts and alternatives out.
    text = re.sub(r"\\b|\^|\$", "", first)
    text = re.sub(r"\((?:\?:)?([^()|]*)(?:\|[^()]*)?\)\??", r"\1", text)
    text = re.sub(r".\?", "", text).split("|")[0]
    return text.replace("\\", "")


def right(question: Question, shown: Presentation) -> Plan:
    """The plan that earns full points."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        picks = tuple(sorted(shown.order.index(i) + 1 for i in question.correct_indexes))
        plan = Plan(question, shown, picks=picks)
    elif isinstance(question, TrueFalseQuestion):
        plan = Plan(question, shown, text="t" if question.answer else "f")
    elif isinstance(question, ShortQuestion):
        plan = Plan(question, shown, text=_typed_right(question))
    elif isinstance(question, NumericQuestion):
        plan = Plan(question, shown, text=format_number(question.answer))
    elif isinstance(question, OrderQuestion):
        plan = Plan(question, shown, order=tuple(range(len(question.items))))
    elif isinstance(question, MatchQuestion):
        plan = Plan(question, shown, picks=tuple(shown.right_column.index(f"r{i}") + 1
                                                 for i in range(len(question.pairs))))
    else:
        assert isinstance(question, CategorizeQuestion)
        plan = Plan(question, shown, picks=tuple(
            question.categories.index(question.items[i].category) + 1 for i in shown.order))
    assert plan.verdict() is Verdict.RIGHT, f"no right answer could be planned for {question.id}"
    return plan


def wrong(question: Question, shown: Presentation) -> Plan:
    """A well-formed plan that does not earn full points (none at all where the type allows)."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        wrongs = [i for i in range(len(question.options)) if i not in question.correct_indexes]
        chosen = wrongs[0] if wrongs else question.correct_indexes[0]
        plan = Plan(question, shown, picks=(shown.order.index(chosen) + 1,))
    elif isinstance(question, TrueFalseQuestion):
        plan = Plan(question, shown, text="f" if question.answer else "t")
    elif isinstance(question, ShortQuestion):
        plan = Plan(question, shown, text="zzzz")
    elif isinstance(question, NumericQuestion):
        plan = Plan(question, shown,
                    text=format_number(question.answer + question.tolerance + 1000))
    elif isinstance(question, OrderQuestion):
        plan = Plan(question, shown, order=shown.order)  # never starts in the right order
    elif isinstance(question, MatchQuestion):
        count = len(question.pairs)
        plan = Plan(question, shown, picks=tuple(
            shown.right_column.index(f"r{(i + 1) % count}") + 1 for i in range(count)))
    else:
        assert isinstance(question, CategorizeQuestion)
        count = len(question.categories)
        plan = Plan(question, shown, picks=tuple(
            (question.categories.index(question.items[i].category) + 1) % count + 1
            for i in shown.order))
    assert plan.verdict() is not Verdict.RIGHT, f"no wrong answer for {question.id}"
    return plan


# --- the keys of the Textual app ---------------------------------------------------------------


def keys(plan: Plan) -> list[str]:
    """The keys that give this answer in the app, ending with the submit (enter)."""
    question, shown = plan.question, plan.shown
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return [*(str(n) for n in plan.picks), "enter"]
    if isinstance(question, TrueFalseQuestion):
        return [plan.text, "enter"]
    if isinstance(question, ShortQuestion | NumericQuestion):
        return [*plan.text, "enter"]
    if isinstance(question, OrderQuestion):
        return [*_order_keys(list(shown.order), list(plan.order)), "enter"]
    # match, categorize: each item in turn gets its number; the highlight then moves on.
    return [*(str(n) for n in plan.picks), "enter"]


def _order_keys(current: list[int], target: list[int]) -> list[str]:
    """Highlight and move items until `current` reads as `target` (the highlight starts on 1)."""
    pressed: list[str] = []
    highlight = 0
    for place, item in enumerate(target):
        at = current.index(item)
        step = "down" if at > highlight else "up"
        pressed += [step] * abs(at - highlight)
        pressed += ["shift+up"] * (at - place)  # the highlight follows the moved item
        current.insert(place, current.pop(at))
        highlight = place
    return pressed


# --- the lines of the plain mode ---------------------------------------------------------------


def lines(plan: Plan) -> list[str]:
    """What a learner types at the plain mode's prompts to give this answer."""
    question, shown = plan.question, plan.shown
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return [",".join(str(n) for n in plan.picks)]
    if isinstance(question, TrueFalseQuestion):
        return ["true" if plan.text == "t" else "false"]
    if isinstance(question, ShortQuestion | NumericQuestion):
        return [plan.text]
    if isinstance(question, OrderQuestion):
        return [" ".join(str(shown.order.index(i) + 1) for i in plan.order)]
    return [str(n) for n in plan.picks]


# --- what the screen must show -----------------------------------------------------------------

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`#>]|^\s*[-+]\s|^\s*\d+\.\s", re.MULTILINE)


def opening(markdown: str, count: int = 4) -> str:
    """The first words of a Markdown text as it reads: marks dropped, up to the first link.

    A link's text is shown as written, but what follows it differs by front end (the plain mode
    names the link's target after it), so the words stop at the end of a link.
    """
    text = _MARKS.sub(" ", _LINK.sub("\\1\0", markdown))
    words: list[str] = []
    for word in text.split()[:count]:
        words.append(word.replace("\0", ""))
        if "\0" in word:
            break
    return " ".join(words)

"""A question laid out as a worksheet for the handout, with its key for the instructor's copy.

What each question shows is decided here once, for both forms: the options listed in the order
learners would see them (seeded by HANDOUT_SEED), nothing marked; and for the instructor's copy
the key: correct options, accepted answers, numbers with their tolerance, orders, pairs,
categories, feedback and explanations. Texts are Markdown, written out by each form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from course.material.model import Course
from quizzes.answers import format_number
from quizzes.presentation import present, right_ids
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

#: The "learner" whose seeded shuffle sets the worksheet order, so every export of a course
#: lists options the same way and the key printed beside them stays right.
HANDOUT_SEED = "handout"

_TYPE_NAMES = {
    "single": "one answer",
    "multiple": "one or more answers",
    "true_false": "true or false",
    "short": "short answer",
    "numeric": "number",
    "order": "ordering",
    "match": "matching",
    "categorize": "sorting",
}
_MATCHING = {
    "normalized": "case, spacing and punctuation are ignored",
    "exact": "exactly as written (spaces around the answer ignored)",
    "regex": "each accepted answer is a regular expression",
}


@dataclass
class Line:
    """One listed thing of a question: an option, an item, a choice or a category."""

    marker: str  # "A.", "1." or "" (Markdown-free text)
    text: str  # Markdown, one line
    correct: bool = False  # shown as right in the key
    note: str | None = None  # feedback, Markdown (key only)
    blank_before: bool = False  # a space to write in, before the text (order)
    blank_after: bool = False  # a space to write in, after the text (match, categorize)


@dataclass
class Part:
    caption: str | None
    lines: list[Line]


@dataclass
class Sheet:
    """A question laid out as a worksheet, with its key when the handout has answers."""

    anchor: str
    label: str
    details: str
    prompt: str  # Markdown
    instruction: str
    parts: list[Part] = field(default_factory=list)
    answer_space: str | None = None  # plain text after a blank, e.g. a unit
    has_answer_space: bool = False
    key: list[tuple[str, str]] = field(default_factory=list)  # (label, Markdown)


def letter(index: int) -> str:
    """The letter of the `index`th option: A to Z, then AA, AB..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def question_sheet(question: Question, label: str, answers: bool, course: Course) -> Sheet:
    """`question` as a worksheet headed `label`, with its key when the handout has `answers`."""
    details = [_TYPE_NAMES[question.type]]
    if question.points != 1:
        details.append(f"{format_number(question.points)} points")
    if answers:
        details.append(f"id {question.id}")
    sheet = Sheet(f"q-{question.id}", label, " · ".join(details), question.prompt, "")
    shown = present(question, HANDOUT_SEED)
    key = sheet.key
    if isinstance(question, SingleQuestion | MultipleQuestion):
        sheet.instruction = ("Choose one." if isinstance(question, SingleQuestion)
                             else "Choose all that apply.")
        lines = []
        right = []
        credits = []  # (option as named in the key, its credit)
        for place, index in enumerate(shown.order):
            option = question.options[index]
            marker = f"{letter(place)}."
            lines.append(Line(marker, option.text, correct=answers and option.correct,
                               note=option.feedback if answers else None))
            named = f"{letter(place)} ({option.text})"
            if option.correct:
                right.append(named)
            credits.append((named, option.credit or 0.0))
        sheet.parts.append(Part(None, lines))
        key.append(("Answer" if len(right) == 1 else "Answers", "; ".join(right)))
        partly = [f"{named}: {share(credit)}" for named, credit in credits if 0 < credit < 1]
        if isinstance(question, SingleQuestion) and partly:
            key.append(("Part credit", "; ".join(partly)))
        if isinstance(question, MultipleQuestion):
            if question.by_credit:
                key.append(("Scoring", "by credit: the credits of the options picked, added up"
                            " (from 0 to 100%): " + "; ".join(
                                f"{named}: {share(credit)}" for named, credit in credits)))
            else:
                key.append(("Scoring", "partial credit: right picks less wrong picks"
                            if question.scoring == "partial" else "all or nothing"))
    elif isinstance(question, TrueFalseQuestion):
        sheet.instruction = "True or false?"
        sheet.parts.append(Part(None, [
            Line("", "True", correct=answers and question.answer),
            Line("", "False", correct=answers and not question.answer),
        ]))
        key.append(("Answer", "True" if question.answer else "False"))
        if question.feedback is not None:
            if question.feedback.true:
                key.append(("Feedback on True", question.feedback.true))
            if question.feedback.false:
                key.append(("Feedback on False", question.feedback.false))
    elif isinstance(question, ShortQuestion):
        sheet.instruction = "Write your answer."
        sheet.has_answer_space = True
        def written(text: str) -> str:
            return f"`{text}`" if question.match == "regex" else text

        entries = question.accepted
        key.append(("Accepted", "; ".join(written(e.text) for e in entries if e.credit >= 1)))
        partly = [f"{written(e.text)}: {share(e.credit)}" for e in entries if e.credit < 1]
        if partly:
            key.append(("Part credit", "; ".join(partly)))
        if question.wrong:
            key.append(("Expected wrong answers",
                        "; ".join(written(e.text) for e in question.wrong)))
        answered: list[AcceptedText | WrongText] = [*entries, *question.wrong]
        for entry in answered:
            if entry.feedback:
                key.append((f"Feedback on “{entry.text}”", entry.feedback))
        matching = _MATCHING[question.match]
        if question.ignore_accents:
            matching += "; accents are ignored"
        key.append(("Matching", matching))
    elif isinstance(question, NumericQuestion):
        sheet.instruction = "Write a number."
        sheet.has_answer_space = True
        sheet.answer_space = question.unit or None
        def number(entry: AcceptedNumber) -> str:
            text = format_number(entry.answer)
            if entry.tolerance:
                text += f" ± {format_number(entry.tolerance)}"
            return f"{text} {question.unit}" if question.unit else text

        full = question.full_credit
        key.append(("Answer", number(full)))
        partly = [f"{number(e)}: {share(e.credit)}" for e in question.accepted if e.credit < 1]
        if partly:
            key.append(("Part credit", "; ".join(partly)))
        for accepted in question.accepted:
            if accepted.feedback:
                key.append((f"Feedback on {number(accepted)}", accepted.feedback))
    elif isinstance(question, OrderQuestion):
        sheet.instruction = "Number the items in the right order."
        sheet.parts.append(Part(None, [
            Line("", question.items[index], blank_before=True) for index in shown.order
        ]))
        key.append(("Correct order", " → ".join(question.items)))
        if question.scoring == "partial":
            key.append(("Scoring", "partial credit: the share of items in place"))
    elif isinstance(question, MatchQuestion):
        sheet.instruction = "Write beside each item the letter of the one it goes with."
        column = shown.right_column or right_ids(question)
        letters = {ident: letter(place) for place, ident in enumerate(column)}
        texts = dict(zip(right_ids(question),
                         [right for _, right in question.pairs] + list(question.distractors),
                         strict=True))
        sheet.parts.append(Part(None, [
            Line(f"{number}.", left, blank_after=True)
            for number, (left, _) in enumerate(question.pairs, start=1)
        ]))
        sheet.parts.append(Part("Choices", [
            Line(f"{letters[ident]}.", texts[ident]) for ident in column
        ]))
        key.append(("Pairs", "; ".join(
            f"{number} → {letters[f'r{index}']} ({left} → {right})"
            for index, (number, (left, right)) in enumerate(
                enumerate(question.pairs, start=1))
        )))
        if question.distractors:
            key.append(("Match nothing", "; ".join(
                f"{letters[f'd{index}']} ({text})" for index, text in
                enumerate(question.distractors))))
    elif isinstance(question, CategorizeQuestion):
        sheet.instruction = "Write beside each item the letter of its category."
        sheet.parts.append(Part("Categories", [
            Line(f"{letter(index)}.", category)
            for index, category in enumerate(question.categories)
        ]))
        sheet.parts.append(Part("Items", [
            Line("", question.items[index].text, blank_after=True) for index in shown.order
        ]))
        for index, category in enumerate(question.categories):
            members = [item.text for item in question.items if item.category == category]
            key.append((f"{letter(index)} ({category})", "; ".join(members) or "nothing"))
    if question.hint:
        key.append(("Hint (shown on request)", question.hint))
    if question.explanation:
        key.append(("Explanation", question.explanation))
    if question.refs:
        key.append(("Sources", "; ".join(_ref_link(course, ref) for ref in question.refs)))
    if not answers:
        sheet.key = []
    return sheet


def _ref_link(course: Course, ref_id: str) -> str:
    reference = course.reference(ref_id)
    label = ref_id if reference is None else _short(reference.citation)
    return f"[{escape_md(label)}](#ref-{ref_id})"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape_md(text: str) -> str:
    """Plain text made safe inside the handout's Markdown: the marks that could start markup
    escaped, the rest left readable."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


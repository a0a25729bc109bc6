"""A course's questions as a Moodle GIFT file (https://docs.moodle.org/en/GIFT_format).

Every practice check and quiz question, module by module; each module is a `$CATEGORY`
named after the course and the module. Text is Markdown (`[markdown]`), written on one line
with GIFT's escapes (`\\n` for a line break). The question id is both the GIFT name and, in a
comment, Moodle's `[id:...]`; tags are `[tag:...]` comments, as Moodle writes them.

| ivstem        | GIFT                                                                 |
| ------------- | -------------------------------------------------------------------- |
| single        | `{=right ~wrong ~%25%partly}` (a `credit` is the wrong answer's %)   |
| multiple      | `{~%50%right ~%50%right ~%-50%wrong}` (Moodle's multiple-answer:     |
|               | each option's `credit`, or as partial scoring, 1/n right, -1/n wrong)|
| true_false    | `{TRUE#feedback on a wrong answer#feedback on a right one}`          |
| short         | `{=%100%answer =%50%partly#why =%0%wrong#why}` (`accept`, `wrong`)   |
| numeric       | `{#answer:tolerance}`, or `{#=%100%a:t#why =%50%a:t}` for `answers`  |
| match         | `{=left -> right = -> distractor}`                                   |
| order         | `{>N ALL VERTICAL ...` one item a line `}` (Moodle's ordering type)  |
| categorize    | matching: `=item -> category`, a category with no item `= -> category` |
| explanation   | `####general feedback`                                               |

GIFT has no hints, marks, units or shuffling switch: those are listed as losses, and Moodle
XML (`moodle_xml_export`) keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from course.instructor.moodle_bank import (
    BankQuestion,
    Export,
    Loss,
    Unexportable,
    bank,
    category_path,
    choice_grades,
    common_losses,
    moodle_text,
    numeric_grades,
    percent,
    short_grades,
)
from course.material.model import Course
from quizzes.answers import format_number
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

_SPECIAL = re.compile(r"([\\~=#{}:])")


def escape(text: str) -> str:
    """Text as GIFT holds it: its special characters escaped, line breaks written `\\n`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def export(course: Course) -> Export:
    """The GIFT file of every question of `course`, and what could not go into it."""
    result = Export()
    manifest = course.manifest
    lines = [
        f"// Questions of the course {course.title!r} ({manifest.id}, version"
        f" {manifest.version}), written by ivstem.",
        "// In Moodle: Question bank > Import > GIFT format. Each module is a category.",
        "",
    ]
    category: tuple[str, ...] | None = None
    for item in bank(course):
        question = item.question
        try:
            block = _question(item, course, result)
        except Unexportable as why:
            result.skipped.append(Loss(question.id, str(why)))
            continue
        if item.category != category:
            category = item.category
            lines += [f"$CATEGORY: {category_path(category)}", ""]
        lines += [block, ""]
        result.written += 1
    result.text = "\n".join(lines)
    return result


def _question(item: BankQuestion, course: Course, result: Export) -> str:
    question = item.question
    losses: list[str] = []
    body = _answers(question, course, losses)
    common_losses(question, result)
    if question.hint:
        result.lost(question.id, "GIFT has no hints; they were left out (Moodle XML keeps them)")
    if question.points != 1:
        result.lost(question.id, "GIFT has no marks, so Moodle gives each question 1; set the"
                    " marks in the Moodle quiz (Moodle XML keeps them)")
    for text in losses:
        result.lost(question.id, text)
    where = (f"practice check in lesson {item.lesson_id}" if item.lesson_id
             else "quiz question")
    comments = [f"// {question.type} {where} of module {item.module.id}",
                "// " + " ".join([f"[id:{_bracketed(question.id)}]",
                                  *(f"[tag:{_bracketed(tag)}]" for tag in question.tags)])]
    prompt = escape(moodle_text(question.prompt, course))
    explanation = ""
    if question.explanation:
        explanation = "####" + escape(moodle_text(question.explanation, course))
    if body.startswith("\n"):
        closing = (f"\t{explanation}\n" if explanation else "") + "}"
    else:
        closing = explanation + "}"
    return "\n".join(comments) + f"\n::{escape(question.id)}::[markdown]{prompt}{{{body}{closing}"


def _bracketed(text: str) -> str:
    return text.replace("\\", "\\\\").replace("]", "\\]")


def _answers(question: Question, course: Course, losses: list[str]) -> str:
    """What goes between the braces, before the general feedback."""
    def text(value: str) -> str:
        return escape(moodle_text(value, course))

    def feedback(value: str | None) -> str:
        return f"#{text(value)}" if value else ""

    if isinstance(question, SingleQuestion):
        _shuffle_loss(question.shuffle, losses)
        # `=` the right answer; `~%25%` a wrong one that earns part credit.
        marks = ["=" if o.correct else (f"~%{percent(g)}%" if g else "~")
                 for o, g in zip(question.options, choice_grades(question, losses), strict=True)]
        return "".join(f"\n\t{mark}{text(o.text)}{feedback(o.feedback)}"
                       for mark, o in zip(marks, question.options, strict=True)) + "\n"
    if isinstance(question, MultipleQuestion):
        _shuffle_loss(question.shuffle, losses)
        if question.scoring == "all_or_nothing":
            losses.append("Moodle's multiple-answer questions give part marks; all-or-nothing"
                          " scoring was left out")
        # No `=`: Moodle's multiple-answer question, each option worth its grade.
        grades = choice_grades(question, losses)
        return "".join(f"\n\t~%{percent(g)}%{text(o.text)}{feedback(o.feedback)}"
                       for g, o in zip(grades, question.options, strict=True)) + "\n"
    if isinstance(question, TrueFalseQuestion):
        on_true = question.feedback.true if question.feedback else None
        on_false = question.feedback.false if question.feedback else None
        # GIFT: the first feedback is for a wrong answer, the second for a right one.
        on_wrong, on_right = (on_false, on_true) if question.answer else (on_true, on_false)
        parts = ["TRUE" if question.answer else "FALSE"]
        if on_wrong or on_right:
            parts.append(text(on_wrong or ""))
        if on_right:
            parts.append(text(on_right))
        return "#".join(parts)
    if isinstance(question, ShortQuestion):
        graded = short_grades(question, losses)
        for answer in graded:
            if "->" in answer.text + (answer.feedback or ""):
                raise Unexportable("GIFT would read an answer holding -> as a matching pair;"
                                   " export to Moodle XML instead")
        if question.match == "exact":
            losses.append("GIFT answers ignore case; match: exact became Moodle's default"
                          " (Moodle XML keeps it)")
        # Always `=%100%`, as Moodle writes it: a bare `=T` would read as true/false.
        return "".join(f"\n\t=%{percent(a.fraction)}%{escape(a.text)}{feedback(a.feedback)}"
                       for a in graded) + "\n"
    if isinstance(question, NumericQuestion):
        if question.unit:
            losses.append("GIFT has no units; the unit was left out (Moodle XML keeps it)")
        numbers = numeric_grades(question, losses)
        if len(numbers) == 1 and numbers[0].fraction == 1 and not numbers[0].feedback:
            return "#" + _number_text(numbers[0].value, numbers[0].tolerance)
        return "#" + "".join(f"\n\t=%{percent(n.fraction)}%{_number_text(n.value, n.tolerance)}"
                             f"{feedback(n.feedback)}" for n in numbers) + "\n"
    if isinstance(question, MatchQuestion):
        if question.scoring == "all_or_nothing":
            losses.append("Moodle's matching questions give part marks; all-or-nothing scoring"
                          " was left out")
        pairs = list(question.pairs) + [("", d) for d in question.distractors]
        return _pairs(pairs, text)
    if isinstance(question, CategorizeQuestion):
        losses.append("categorize became a Moodle matching question (each item paired with its"
                      " category)")
        if question.scoring == "all_or_nothing":
            losses.append("Moodle's matching questions give part marks; all-or-nothing scoring"
                          " was left out")
        pairs = [(item.text, item.category) for item in question.items]
        used = {item.category for item in question.items}
        pairs += [("", category) for category in question.categories if category not in used]
        return _pairs(pairs, text)
    if isinstance(question, OrderQuestion):
        return _ordering(question, course)
    raise Unexportable(f"the {question.type} type has no GIFT form")  # pragma: no cover


def _shuffle_loss(shuffle: bool, losses: list[str]) -> None:
    if not shuffle:
        losses.append("GIFT cannot say not to shuffle; Moodle shuffles the options (Moodle XML"
                      " keeps the order)")


def _pairs(pairs: list[tuple[str, str]], text: Callable[[str], str]) -> str:
    lines = []
    for left, right in pairs:
        if "->" in left:
            raise Unexportable("GIFT cannot hold -> inside the left side of a pair; export to"
                               " Moodle XML instead")
        lines.append(f"\n\t={text(left) if left else ''} -> {text(right)}")
    return "".join(lines) + "\n"


def _ordering(question: OrderQuestion, course: Course) -> str:
    # Moodle's ordering type reads its items raw, one a line: no escapes are undone there.
    items = [moodle_text(item, course) for item in question.items]
    for item in items:
        if any(mark in item for mark in ("{", "}", "\n", "####")) or item.startswith("\\"):
            raise Unexportable("an item holds a brace, a line break or ####, which GIFT's"
                               " ordering questions cannot hold; export to Moodle XML instead")
    grading = "ALL_OR_NOTHING" if question.scoring == "all_or_nothing" else "ABSOLUTE_POSITION"
    head = f">{len(items)} ALL VERTICAL {grading} SHOW none"
    return head + "".join(f"\n{item}" for item in items) + "\n"


def _number_text(value: float, tolerance: float) -> str:
    return format_number(value) + (f":{format_number(tolerance)}" if tolerance else "")

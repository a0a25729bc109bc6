"""A course's questions as a Moodle GIFT file (https://docs.moodle.org/en/GIFT_format).

Every practice check and quiz question, module by module; each module is a `$CATEGORY`
named after the course and the module. Text is Markdown (`[markdown]`), written on one line
with GIFT's escapes (`\\n` for a line break). The question id is both the GIFT name and, in a
comment, Moodle's `[id:...]`; tags are `[tag:...]` comments, as Moodle writes them.

| ivstem        | GIFT                                                                 |
| ------------- | -------------------------------------------------------------------- |
| single        | `{=right ~wrong}`                                                    |
| multiple      | `{~%50%right ~%50%right ~%-50%wrong}` (Moodle's multiple-answer)     |
| true_false    | `{TRUE#feedback on a wrong answer#feedback on a right one}`          |
| short         | `{=%100%answer ...}`                                                 |
| numeric       | `{#answer:tolerance}`                                                |
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
    common_losses,
    moodle_text,
    percent,
    share_of,
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
_WILDCARD_PATTERN = re.compile(r"^\(\?i\)(?P<body>.*)$", re.DOTALL)


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
        return "".join(f"\n\t{'=' if o.correct else '~'}{text(o.text)}{feedback(o.feedback)}"
                       for o in question.options) + "\n"
    if isinstance(question, MultipleQuestion):
        _shuffle_loss(question.shuffle, losses)
        if question.scoring == "all_or_nothing":
            losses.append("Moodle's multiple-answer questions give part marks; all-or-nothing"
                          " scoring was left out")
        right, wrong = multiple_fractions(question)
        return "".join(
            f"\n\t~%{percent(right if o.correct else wrong)}%{text(o.text)}{feedback(o.feedback)}"
            for o in question.options) + "\n"
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
        accepted = short_answers(question, losses)
        for answer in accepted:
            if "->" in answer:
                raise Unexportable("GIFT would read an accepted answer holding -> as a matching"
                                   " pair; export to Moodle XML instead")
        if question.match == "exact":
            losses.append("GIFT answers ignore case; match: exact became Moodle's default"
                          " (Moodle XML keeps it)")
        return "".join(f"\n\t=%100%{escape(a)}" for a in accepted) + "\n"
    if isinstance(question, NumericQuestion):
        if question.unit:
            losses.append("GIFT has no units; the unit was left out (Moodle XML keeps it)")
        value = format_number(question.answer)
        if question.tolerance:
            value += ":" + format_number(question.tolerance)
        return "#" + value
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


def multiple_fractions(question: MultipleQuestion) -> tuple[float, float]:
    """The grades of a right and of a wrong option, as ivstem scores `partial`: each right
    pick earns a share, each wrong pick takes one back."""
    share = share_of(len(question.correct_indexes))
    if share is None:
        raise Unexportable("Moodle's grades cannot split the mark between more than ten right"
                           " options")
    return share, -share


def short_answers(question: ShortQuestion, losses: list[str]) -> list[str]:
    """The accepted answers as Moodle's short-answer patterns (`*` any text, `\\*` a star)."""
    if question.ignore_accents:
        losses.append("Moodle has no accent-insensitive matching; ignore_accents was left out")
    if question.allow_typo:
        losses.append("Moodle does not forgive typing slips; allow_typo was left out")
    if question.match != "regex":
        return [answer.strip().replace("*", "\\*") for answer in question.accept]
    patterns = []
    for pattern in question.accept:
        wildcard = wildcard_of(pattern)
        if wildcard is None:
            raise Unexportable("a regular expression has no Moodle equivalent (only the *"
                               " wildcard); write the accepted answers out instead")
        patterns.append(wildcard)
    return patterns


def wildcard_of(pattern: str) -> str | None:
    """A regex made from a Moodle wildcard answer (`(?i)21\\ CFR.*1271`) as that answer."""
    found = _WILDCARD_PATTERN.match(pattern)
    if found is None:
        return None
    pieces = found.group("body").split(".*")
    plain = []
    for piece in pieces:
        unescaped = re.sub(r"\\(.)", r"\1", piece)
        if re.escape(unescaped) != piece:
            return None
        plain.append(unescaped.replace("*", "\\*"))
    return "*".join(plain)


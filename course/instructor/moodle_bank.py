"""What the Moodle exchange shares: the course's questions as a Moodle bank, Moodle's grades,
and course text made readable outside the course.

Both exports (`gift_export`, `moodle_xml_export`) walk the course the same way: module by
module, the practice checks of its lessons in order, then its quiz, each module a Moodle
question category named `course title/module title`. Both importers (`gift`, `moodle_xml`)
read Moodle's grades back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass

from course.instructor.handout.walk import is_web
from course.material.model import CheckStep, Course, Module
from course.material.rules import LINK
from quizzes.questions import (
    MultipleQuestion,
    NumericQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
)

#: The fractions of the mark an answer may carry in Moodle (its `fraction_options_full`):
#: p/q for q up to 6, tenths, 1/q for q up to 10 and 1/20, and their negatives. Moodle's own
#: import refuses any other grade.
MOODLE_FRACTIONS: tuple[float, ...] = tuple(sorted({
    sign * value
    for value in (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3,
                  0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
    for sign in (1, -1)
}))

_SLACK = 0.00001  # how near a grade must be, as Moodle's own check (`match_grade_options`)


def moodle_fraction(value: float) -> float | None:
    """The grade of Moodle's list that `value` (a fraction, 1 = full marks) is, or None."""
    for fraction in MOODLE_FRACTIONS:
        if abs(value - fraction) < _SLACK:
            return fraction
    return None


def nearest_fraction(value: float) -> float:
    """The grade of Moodle's list nearest to `value`."""
    return min(MOODLE_FRACTIONS, key=lambda fraction: abs(fraction - value))


def percent(fraction: float) -> str:
    """A fraction as Moodle writes a grade: `100`, `50`, `33.33333`, `-14.28571`."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def share_of(count: int) -> float | None:
    """The grade of one of `count` equal parts, if Moodle has it (up to ten parts)."""
    if count < 1:
        return None
    return moodle_fraction(1 / count)


@dataclass(frozen=True)
class BankQuestion:
    """One question of the course as Moodle receives it: where it comes from, and its category."""

    question: Question
    module: Module
    lesson_id: str | None  # None for a quiz question
    category: tuple[str, ...]  # course title, module title


def bank(course: Course) -> Iterator[BankQuestion]:
    """Every question of the course in order: each module's practice checks, then its quiz."""
    for module in course.modules:
        category = (course.title, module.title)
        for lesson in module.lessons:
            for step in lesson.steps:
                if isinstance(step, CheckStep):
                    yield BankQuestion(step.check, module, lesson.id, category)
        if module.quiz is not None:
            for question in module.quiz.questions:
                yield BankQuestion(question, module, None, category)


def category_path(parts: Iterable[str]) -> str:
    """A Moodle category path under the course's top category; `/` in a name is written `//`."""
    return "/".join(["$course$", "top", *(part.replace("/", "//") for part in parts)])


def split_category(path: str) -> list[str]:
    """The names in a Moodle category path (`//` is a slash inside a name), without Moodle's
    context markers (`$course$`, `$module$`...) and its `top` category."""
    names = [name.replace("\0", "/").strip()
             for name in path.strip().replace("//", "\0").split("/")]
    return [name for name in names
            if name and not (name.startswith("$") and name.endswith("$")) and name != "top"]


def moodle_text(text: str, course: Course) -> str:
    """Course Markdown as a Moodle question holds it: trimmed, its glossary links made plain
    words and its reference links pointed at the work's web address (or made plain words
    when the reference has none), since Moodle has neither the glossary nor the references."""
    text = text.strip()
    if "](" not in text:
        return text

    def target(match: re.Match[str]) -> str:
        scheme, label = match.group("scheme"), match.group("label")
        if scheme == "glossary":
            return label
        if scheme == "ref":
            reference = course.reference(match.group("target"))
            if reference is not None and reference.url and is_web(reference.url):
                return f"[{label}]({reference.url})"
            return label
        return match.group(0)

    return LINK.sub(target, text)


def texts_of(value: object) -> Iterator[str]:
    """Every text a question holds: prompt, options, feedback, pairs, items..."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from texts_of(item)
    elif is_dataclass(value):
        for f in fields(value):
            yield from texts_of(getattr(value, f.name))


def has_course_links(question: Question) -> bool:
    """True when some text of `question` links into the glossary or the references."""
    return any(m.group("scheme") in ("glossary", "ref")
               for text in texts_of(question) if "](" in text for m in LINK.finditer(text))


@dataclass(frozen=True)
class Loss:
    """Something of one question that the export could not carry into Moodle."""

    question_id: str
    text: str


@dataclass
class Export:
    """A Moodle file made from a course: its text, and what did not go into it."""

    text: str = ""
    written: int = 0
    losses: list[Loss] = field(default_factory=list)  # exported, with something left out
    skipped: list[Loss] = field(default_factory=list)  # not exported at all

    def lost(self, question_id: str, text: str) -> None:
        """Record a loss on one question."""
        self.losses.append(Loss(question_id, text))


class Unexportable(Exception):
    """A question the format cannot hold at all; the message says why."""


def grouped(losses: Iterable[Loss], *, shown: int = 4) -> list[str]:
    """Losses as lines an instructor reads once: each kind of loss with the questions it
    touches, `why (3 questions: a, b, c)`, in the order first met."""
    kinds: dict[str, list[str]] = {}
    for loss in losses:
        ids = kinds.setdefault(loss.text, [])
        if loss.question_id not in ids:
            ids.append(loss.question_id)
    lines = []
    for text, ids in kinds.items():
        named = ", ".join(ids[:shown])
        if len(ids) > shown:
            named += f" and {len(ids) - shown} more"
        count = "1 question" if len(ids) == 1 else f"{len(ids)} questions"
        lines.append(f"{text} ({count}: {named})")
    return lines


def common_losses(question: Question, export: Export) -> None:
    """What neither GIFT nor Moodle XML can hold, whatever the type."""
    if question.refs:
        export.lost(question.id, "the refs list has no place in Moodle; it was left out")
    if has_course_links(question):
        export.lost(question.id, "links to the glossary became plain words and links to"
                    " references point at the work's web address, since Moodle has neither")


# -- grades: how each answer scores, in Moodle's terms -------------------------------------------


@dataclass(frozen=True)
class Graded:
    """One answer as Moodle holds it: its text, its grade (1 = full marks), its feedback."""

    text: str
    fraction: float
    feedback: str | None = None


def grade(value: float, losses: list[str], what: str) -> float:
    """`value` as one of Moodle's grades; one Moodle has not is written as the nearest, noted."""
    exact = moodle_fraction(value)
    if exact is not None:
        return exact
    near = nearest_fraction(value)
    losses.append(f"Moodle has no grade of {percent(value)}%; {what} was written as"
                  f" {percent(near)}%, the nearest it has")
    return near


def choice_grades(question: SingleQuestion | MultipleQuestion, losses: list[str]) -> list[float]:
    """The grade of each option, as ivstem scores the question.

    A single question: the correct option full marks, another its `credit` (part credit) or
    nothing. A multiple question scored by credit: each option its credit. Otherwise, as
    ivstem scores `partial`, each right option an equal share and each wrong one a share back.
    """
    if isinstance(question, SingleQuestion):
        return [1.0 if o.correct else grade(o.credit or 0.0, losses, "a part credit")
                for o in question.options]
    if question.by_credit:
        return [grade(o.credit or 0.0, losses, "an option's credit") for o in question.options]
    share = share_of(len(question.correct_indexes))
    if share is None:
        raise Unexportable("Moodle's grades cannot split the mark between more than ten right"
                           " options; give the options a `credit` each")
    return [share if o.correct else -share for o in question.options]


_WILDCARD_PATTERN = re.compile(r"^\(\?i\)(?P<body>.*)$", re.DOTALL)


def short_grades(question: ShortQuestion, losses: list[str]) -> list[Graded]:
    """The accepted answers (with their credit) and the expected wrong ones (with nothing) as
    Moodle's short-answer patterns: `*` any text, `\\*` a star."""
    if question.ignore_accents:
        losses.append("Moodle has no accent-insensitive matching; ignore_accents was left out")
    if question.allow_typo:
        losses.append("Moodle does not forgive typing slips; allow_typo was left out")
    written = [(entry.text, grade(entry.credit, losses, "an answer's credit"), entry.feedback)
               for entry in question.accepted]
    written += [(entry.text, 0.0, entry.feedback) for entry in question.wrong]
    graded = []
    for text, fraction, feedback in written:
        if question.match != "regex":
            pattern: str | None = text.strip().replace("*", "\\*")
        else:
            pattern = wildcard_of(text)
        if pattern is None:
            raise Unexportable("a regular expression has no Moodle equivalent (only the *"
                               " wildcard); write the accepted answers out instead")
        graded.append(Graded(pattern, fraction, feedback))
    return graded


def wildcard_of(pattern: str) -> str | None:
    """A regex made from a Moodle wildcard answer (`(?i)21\\ CFR.*1271`) as that answer."""
    found = _WILDCARD_PATTERN.match(pattern)
    if found is None:
        return None
    plain = []
    for piece in found.group("body").split(".*"):
        unescaped = re.sub(r"\\(.)", r"\1", piece)
        if re.escape(unescaped) != piece:
            return None
        plain.append(unescaped.replace("*", "\\*"))
    return "*".join(plain)


@dataclass(frozen=True)
class GradedNumber:
    """One number a numerical question accepts: value, tolerance, grade and feedback."""

    value: float
    tolerance: float
    fraction: float
    feedback: str | None = None


def numeric_grades(question: NumericQuestion, losses: list[str]) -> list[GradedNumber]:
    """Every number the question accepts, with its tolerance, grade and feedback."""
    return [GradedNumber(entry.answer, entry.tolerance,
                         grade(entry.credit, losses, "a number's credit"), entry.feedback)
            for entry in question.accepted]

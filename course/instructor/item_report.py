"""The item analysis of a class report: how each quiz question measured, as Moodle reckons it.

For every module quiz, from the attempts learners finished (each attempt keeps the marks of
the questions it asked), `course.instructor.item_analysis` gives each question's facility and
discrimination index and the quiz's coefficient of internal consistency.

Which attempts count: by default each learner's first finished attempt at each quiz, as
Moodle's statistics report does by default. Later attempts come after the feedback of the
first (ivstem shows what was right), so they measure memory of that feedback more than
knowledge, and one learner's many attempts would weigh like many learners. `all` counts every
finished attempt as if each were made by another learner, as Moodle's "all attempts" does.

Practice checks in lessons are left out: they are retried until right, so they are not a test.

When a quiz draws some of its questions (`draw:`), learners are asked different questions.
Each question's figures come from the attempts that asked it. The coefficient of internal
consistency needs a mark for every item in every attempt: it is reckoned over the questions
when every attempt asked the same ones, and otherwise over the places in the quiz (the first
question asked, the second, ...), as Moodle does for quizzes of random questions.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from course.instructor.item_analysis import (
    Figure,
    Mark,
    Undefined,
    discrimination_index,
    facility_index,
    internal_consistency,
)
from course.material.markdown_text import plain_text
from course.material.model import Course, Module
from course.record.progress import ProgressStore, QuizAttempt
from quizzes.answers import format_number
from quizzes.questions import Question
from quizzes.session import SESSION_FORMAT, Entry

Which = Literal["first", "all"]

ITEM_COLUMNS = (
    "module_id", "module_title", "question_id", "type", "prompt", "attempts",
    "facility_percent", "discrimination_percent", "quiz_attempts",
    "quiz_internal_consistency_percent", "attempts_counted", "note",
)

DIFFERENT_COUNTS = Undefined("the attempts were asked different numbers of questions")


@dataclass(frozen=True)
class ItemRow:
    """One quiz question and how it measured."""

    question: Question
    attempts: int  # counted attempts that asked it
    facility: Figure
    discrimination: Figure


@dataclass(frozen=True)
class QuizItems:
    """One module quiz: its questions' figures and its internal consistency."""

    module: Module
    attempts: int  # counted attempts
    consistency: Figure
    by_place: bool  # the coefficient was reckoned over places in the quiz, not questions
    rows: tuple[ItemRow, ...]


@dataclass(frozen=True)
class ItemAnalysis:
    """Every module quiz of a course, from the attempts counted."""

    which: Which
    quizzes: tuple[QuizItems, ...]
    unreadable: int  # counted attempts whose marks could not be read, left out

    @property
    def questions(self) -> int:
        """How many quiz questions the analysis has a row for."""
        return sum(len(quiz.rows) for quiz in self.quizzes)

    @property
    def attempts(self) -> int:
        """How many attempts it counted, over every quiz."""
        return sum(quiz.attempts for quiz in self.quizzes)


def item_analysis(course: Course, store: ProgressStore, learners: Sequence[str],
                  which: Which = "first") -> ItemAnalysis:
    """The item analysis of every module quiz, from the learners' finished attempts."""
    quizzes = []
    unreadable = 0
    for module in course.modules:
        if module.quiz is None:
            continue
        taken: list[list[tuple[str, Mark]]] = []
        for learner in learners:
            attempts = store.quiz_attempts(learner, course.id, module.id)
            for attempt in attempts[:1] if which == "first" else attempts:
                marks = attempt_marks(attempt, module.quiz.questions)
                if marks is None:
                    unreadable += 1
                else:
                    taken.append(marks)
        quizzes.append(_quiz_items(module, module.quiz.questions, taken))
    return ItemAnalysis(which, tuple(quizzes), unreadable)


def attempt_marks(attempt: QuizAttempt,
                  questions: Sequence[Question]) -> list[tuple[str, Mark]] | None:
    """(question id, mark) for each question the attempt asked, in the order asked.

    None when the attempt's record of its questions cannot be read. A question left
    unanswered earned nothing, as the attempt's own total counted it.
    """
    points = {question.id: question.points for question in questions}
    try:
        data = json.loads(attempt.state_json)
        if not isinstance(data, dict) or data.get("format") != SESSION_FORMAT:
            return None
        entries = [Entry.from_data(item) for item in data["entries"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    marks = []
    for entry in entries:
        if entry.result is not None:
            marks.append((entry.question_id, Mark(entry.result.score, entry.result.points)))
        elif entry.question_id in points:
            marks.append((entry.question_id, Mark(0.0, points[entry.question_id])))
    return marks or None


def _quiz_items(module: Module, questions: Sequence[Question],
                taken: Sequence[Sequence[tuple[str, Mark]]]) -> QuizItems:
    totals = [sum(mark.earned for _, mark in attempt) for attempt in taken]
    rows = []
    for question in questions:
        marks: list[Mark] = []
        with_totals: list[float] = []
        for attempt, total in zip(taken, totals, strict=True):
            for question_id, mark in attempt:
                if question_id == question.id:
                    marks.append(mark)
                    with_totals.append(total)
        rows.append(ItemRow(
            question=question,
            attempts=len(marks),
            facility=facility_index(marks),
            discrimination=discrimination_index([m.earned for m in marks], with_totals),
        ))
    asked = {frozenset(qid for qid, _ in attempt) for attempt in taken}
    by_place = len(asked) > 1
    if not by_place:
        order = [qid for qid, _ in taken[0]] if taken else []
        table = [[dict(attempt)[qid].earned for qid in order] for attempt in taken]
        consistency = internal_consistency(table)
    elif len({len(attempt) for attempt in taken}) > 1:
        consistency = DIFFERENT_COUNTS
    else:
        consistency = internal_consistency([[mark.earned for _, mark in attempt]
                                            for attempt in taken])
    return QuizItems(module, len(taken), consistency, by_place, tuple(rows))


# -- reading the figures --------------------------------------------------------------------


def consistency_reading(consistency: float) -> str:
    """Moodle's reading of the coefficient of internal consistency.

    From Moodle's "Quiz report statistics" (docs.moodle.org/dev/Quiz_report_statistics):
    above 75% is satisfactory, below 64% the quiz as a whole is unsatisfactory.
    """
    if consistency > 75:
        return "satisfactory"
    if consistency < 64:
        return "unsatisfactory"
    return "between Moodle's 64% and 75%"


def reading(row: ItemRow) -> str:
    """A few words on what to look at again in a question; empty when nothing stands out.

    Moodle's guidance: a facility of 5% or less, or of 95% or more, says little about the
    class; a discrimination below 30% is weak, and below 0 the question is probably invalid.
    """
    words = []
    if isinstance(row.facility, float):
        if row.facility <= 5:
            words.append("too hard")
        elif row.facility >= 95:
            words.append("too easy")
    if isinstance(row.discrimination, float):
        if row.discrimination < 0:
            words.append("invalid?")
        elif row.discrimination < 20:
            words.append("very weak")
        elif row.discrimination < 30:
            words.append("weak")
    elif row.attempts == 0:
        words.append("not asked")
    elif row.attempts == 1:
        words.append("1 attempt")
    elif not words:
        # The same mark in every attempt, or a rest of the quiz that never varies.
        words.append("no spread")
    return "; ".join(words)


# -- CSV and the printed table -------------------------------------------------------------


def _figure(value: Figure) -> str:
    return "" if isinstance(value, Undefined) else format_number(round(value, 1))


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _notes(row: ItemRow, quiz: QuizItems) -> str:
    notes = []
    if isinstance(row.facility, Undefined):
        notes.append(f"facility: {row.facility.reason}")
    if isinstance(row.discrimination, Undefined) and row.attempts:
        notes.append(f"discrimination: {row.discrimination.reason}")
    if isinstance(quiz.consistency, Undefined):
        notes.append(f"internal consistency: {quiz.consistency.reason}")
    elif quiz.by_place:
        notes.append("internal consistency: over places in the quiz (the attempts were asked"
                     " different questions)")
    return "; ".join(notes)


def item_csv(analysis: ItemAnalysis) -> str:
    """The item analysis as CSV text: one row per quiz question, with its quiz's figures."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ITEM_COLUMNS)
    for quiz in analysis.quizzes:
        for row in quiz.rows:
            writer.writerow([
                quiz.module.id, _cell(quiz.module.title), row.question.id, row.question.type,
                _cell(plain_text(row.question.prompt)), row.attempts, _figure(row.facility),
                _figure(row.discrimination), quiz.attempts, _figure(quiz.consistency),
                analysis.which, _notes(row, quiz),
            ])
    return out.getvalue()


WIDTH = 80
LEGEND = (
    "n: attempts that asked the question.",
    "facility: the mean mark as a share of the question's points.",
    "  Moodle: between 5% and 95%; near the ends it tells the class apart little.",
    "discrim.: the correlation of the question's marks with the rest of the quiz.",
    "  Moodle: 30% or more is adequate, 50% very good; below 0 probably invalid.",
    "internal consistency (Cronbach's alpha): Moodle: above 75% satisfactory,",
    "  below 64% unsatisfactory.",
    "-: cannot be reckoned; the reading (and the note in the CSV) says why.",
)
_READING = 19  # "too easy; very weak"
_FIGURES = 2 + 4 + 2 + 8 + 2 + 8 + 2  # indent, n, facility, discrim., gaps


def item_table(analysis: ItemAnalysis, width: int = WIDTH) -> str:
    """The item analysis as a text table no wider than `width` (80 by default)."""
    which = ("each learner's first attempt at each quiz" if analysis.which == "first"
             else "every finished attempt at each quiz")
    if not analysis.quizzes:
        return "Item analysis: the course has no module quiz.\n"
    lines = [f"Item analysis, from {which}:"]
    longest = max((len(row.question.id) for quiz in analysis.quizzes for row in quiz.rows),
                  default=8)
    id_width = max(8, min(longest, width - _FIGURES - _READING))
    for quiz in analysis.quizzes:
        lines.append("")
        lines.extend(_wrap(f"{quiz.module.title}: {_plural(quiz.attempts, 'attempt')}", width))
        lines.extend(_wrap(f"internal consistency: {_consistency(quiz)}", width,
                           indent="  "))
        lines.append(f"  {'question':<{id_width}}  {'n':>4}  {'facility':>8}  {'discrim.':>8}"
                     "  reading")
        for row in quiz.rows:
            line = (f"  {_clip(row.question.id, id_width):<{id_width}}  {row.attempts:>4}"
                    f"  {_percent(row.facility):>8}  {_percent(row.discrimination):>8}"
                    f"  {reading(row)}")
            lines.append(line.rstrip())
    lines.append("")
    lines.extend(LEGEND)
    return "\n".join(lines) + "\n"


def _consistency(quiz: QuizItems) -> str:
    if isinstance(quiz.consistency, Undefined):
        return f"cannot be reckoned ({quiz.consistency.reason})"
    text = f"{round(quiz.consistency):d}% ({consistency_reading(quiz.consistency)})"
    return text + (", over places in the quiz" if quiz.by_place else "")


def _percent(value: Figure) -> str:
    return "-" if isinstance(value, Undefined) else f"{round(value):d}%"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _plural(count: int, word: str) -> str:
    return f"1 {word}" if count == 1 else f"{count} {word}s"


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent,
                         subsequent_indent=indent + "  ") or [""]

"""Signed completion records, issued by an instructor from learners' progress exports.

`ivstem certificate issue EXPORTS... --key PRIVATE_KEY -o DIR` reads the exports as the class
report does (files, or folders of them; each checked for form, checksum, the clock and the
limits by `course.record.progress.transfer`, then against the course by
`course.record.vetting`), merges the files of each learner, and issues a signed record to each
learner who completed the course *by the course's own rules*, as the instructor's ivstem reads
them now:

- every lesson of every module completed;
- every module with a quiz passed by an attempt whose saved answers, graded again here with the
  course's questions and pass mark, reach the pass mark. The score and pass flag the file
  states are not believed: a learner can edit a file and compute its checksum again. An attempt
  counts only if every question was answered, the quiz asked at least as many questions as it
  draws, and every question is still in the course.

The record shows, for each module, the best score of the attempts that pass when graded again,
and the date of the first of them.

What this proves is that the answers in the file pass the course. It cannot prove who gave
them, nor that they were given in the course rather than typed into a file by someone who had
read the course's YAML (its answer key): that is what the instructor vouches for by signing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from course.bounded_json import loads
from course.instructor.report import Skipped, progress_files, reason_left_out
from course.material.model import Course, Module
from course.record.certificate import Record, module_entry, record_fields, sign
from course.record.progress import ProgressStore, QuizAttempt
from course.record.progress.transfer import TransferError, import_progress, read_progress_file
from course.record.signing import PrivateKey
from course.record.vetting import vet
from quizzes.answers import AnswerError
from quizzes.grading import grade
from quizzes.points import percent
from quizzes.session import QuizSession, SessionError, passes


@dataclass(frozen=True, slots=True)
class Regraded:
    """A quiz attempt graded again with the course: its share of the points, and pass or fail."""

    fraction: float
    passed: bool
    finished_at: datetime


@dataclass(frozen=True, slots=True)
class Refusal:
    """A learner who gets no record, and why (one line per module that falls short)."""

    learner: str
    reasons: list[str]


@dataclass
class Issuing:
    """What issuing from a set of exports came to: signed records, refusals, files left out.

    `left_out` lists records of used files that could not be right, by file.
    """

    records: list[Record] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    left_out: list[tuple[Path, str]] = field(default_factory=list)


def issue(
    course: Course, paths: Sequence[Path], key: PrivateKey, now: datetime | None = None
) -> Issuing:
    """Read the exports in `paths`, and sign a record for each learner who completed `course`."""
    files, skipped = progress_files(paths)
    result = Issuing(skipped=skipped)
    learners: list[str] = []
    with ProgressStore.in_memory() as store:
        moment = now or store.now()
        for path in files:
            try:
                progress = read_progress_file(path, now=moment)
            except TransferError as exc:
                result.skipped.append(Skipped(path, reason_left_out(exc, path)))
                continue
            progress = vet(progress, course, store, progress.learner)
            result.left_out.extend((path, str(item)) for item in progress.skipped)
            merged = import_progress(store, progress)
            if merged.learner not in learners:
                learners.append(merged.learner)
        for learner in sorted(learners, key=str.casefold):
            modules, reasons = completion(course, store, learner, moment)
            if reasons:
                result.refused.append(Refusal(learner, reasons))
                continue
            fields = record_fields(course, learner, modules, moment)
            result.records.append(sign(Record(fields), key))
    return result


def completion(
    course: Course, store: ProgressStore, learner: str, now: datetime
) -> tuple[list[dict[str, object]], list[str]]:
    """The record's module lines for the learner, and what falls short (empty when nothing)."""
    modules: list[dict[str, object]] = []
    reasons: list[str] = []
    dates = store.pass_dates(learner, course.id)
    for module in course.modules:
        done = {lesson for _, lesson in store.completed_lessons(learner, course.id, module.id)}
        left = [lesson for lesson in module.lessons if lesson.id not in done]
        if left:
            reasons.append(f"“{module.title}”: {len(left)} of its {len(module.lessons)} lessons"
                           " not completed.")
            continue
        if module.quiz is None:
            modules.append(module_entry(course, module, None, dates.get(module.id) or now))
            continue
        attempts = store.quiz_attempts(learner, course.id, module.id)
        graded = [regrade(course, module, attempt) for attempt in attempts]
        passing = [g for g in graded if isinstance(g, Regraded) and g.passed]
        if passing:
            best = max(g.fraction for g in passing)
            first = min(g.finished_at for g in passing)
            modules.append(module_entry(course, module, best, first))
            continue
        reasons.append(_no_pass(course, module, graded))
    return modules, reasons


def _no_pass(course: Course, module: Module, graded: list[Regraded | str]) -> str:
    mark = percent(course.pass_mark(module))
    if not graded:
        return f"“{module.title}”: no attempt at its quiz (pass mark {mark})."
    scores = [g.fraction for g in graded if isinstance(g, Regraded)]
    problems = sorted({g for g in graded if isinstance(g, str)})
    parts = []
    if scores:
        parts.append(f"graded again with the course, the best of {len(scores)} attempts"
                     f" scores {percent(max(scores))}, below the pass mark of {mark}")
    if problems:
        parts.append(f"{len(graded) - len(scores)} attempts do not count: {'; '.join(problems)}")
    return f"“{module.title}”: no attempt at its quiz passes ({'; '.join(parts)})."


def regrade(course: Course, module: Module, attempt: QuizAttempt) -> Regraded | str:
    """The attempt graded again with the course's questions and pass mark, or why it cannot be.

    Only the answers saved in the attempt are used, never the score or pass it states.
    """
    quiz = module.quiz
    assert quiz is not None
    try:
        resumed = QuizSession.from_data(loads(attempt.state_json), quiz.questions)
    except (ValueError, SessionError):
        return "its saved answers cannot be read"
    if resumed.changes:
        return "it asked questions the quiz no longer has"
    session = resumed.session
    if session.quiz_id != f"{course.id}/{module.id}":
        return "its saved answers are of another quiz"
    wanted = quiz.draw or len(quiz.questions)
    if len(session.entries) < wanted:
        return f"it asked {len(session.entries)} questions; the quiz asks {wanted}"
    score = total = 0.0
    for entry in session.entries:
        if entry.answer is None:
            return "not every question was answered"
        try:
            result = grade(session.question(entry.question_id), entry.answer,
                           hint_used=entry.hint_used)
        except AnswerError:
            return "an answer does not fit its question"
        score += result.score
        total += result.points
    fraction = score / total if total else 0.0
    return Regraded(fraction, passes(score, total, course.pass_mark(module)), attempt.finished_at)

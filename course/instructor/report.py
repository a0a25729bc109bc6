"""A class report from the progress files learners hand in (`ivstem progress export`).

Each file is read and checked by `course.record.progress.transfer` (format, version, checksum, every
record) and merged into one in-memory progress store, so the figures are the ones the learner's
own `ivstem progress` shows, and two files of one learner (say from two machines, or exported
twice) are merged without counting anything twice. Learner names, as everywhere in ivstem,
ignore ASCII case: "Alice" and "alice" are one learner.

Two tables come out:

- the class table: one row per learner and module of the course;
- the question table: one row per question of the course, with how often it was answered, the
  share of learners whose *first* answer earned full marks (later tries come after feedback,
  so they say less about whether the question misleads), and the wrong answer chosen most
  often, with how often it was chosen among all answers.

And the item analysis of every module quiz (`course.instructor.item_report`): Moodle's
facility and discrimination index per question and coefficient of internal consistency per
quiz. And the same records as xAPI statements, for a Learning Record Store.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course.instructor.item_report import ItemAnalysis, Which, item_analysis
from course.material.markdown_text import plain_text
from course.material.model import Course, Module
from course.record.progress import Answer, ProgressStore, QuizAttempt
from course.record.progress.transfer import TransferError, import_progress, read_progress_file
from course.record.vetting import vet
from quizzes.answers import Answer as GivenAnswer
from quizzes.answers import (
    AnswerError,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    answer_from_json,
    describe,
    format_number,
    normalize_text,
    parse_number,
)
from quizzes.grading import RIGHT_AT, shown_accept
from quizzes.presentation import right_ids
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

CLASS_COLUMNS = (
    "learner", "module_id", "module_title", "lessons_done", "lessons_total", "passed",
    "best_score_percent", "quiz_attempts", "last_studied",
)
QUESTION_COLUMNS = (
    "question_id", "module_id", "module_title", "where", "type", "prompt", "learners",
    "times_answered", "first_try_right_percent", "most_chosen_wrong_answer", "times_chosen",
)

XAPI_HOMEPAGE = "urn:ivstem"
_VERBS = "http://adlnet.gov/expapi/verbs/"
_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
#: Statement ids are uuid5 of the record's uid in this namespace, so running the report again
#: gives the same ids and a Learning Record Store does not store a statement twice.
XAPI_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ivstem:xapi")


@dataclass(frozen=True)
class Skipped:
    """A file that was not used, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class ClassRow:
    """One learner in one module."""

    learner: str
    module_id: str
    module_title: str
    lessons_done: int
    lessons_total: int
    passed: bool
    best_score: float | None  # share of quiz points, 0 to 1; None with no attempt
    attempts: int
    last_studied: datetime | None


@dataclass(frozen=True)
class QuestionRow:
    """One question of the course and how the class answered it."""

    question_id: str
    module_id: str
    module_title: str
    where: str  # "practice" (a check in a lesson) or "quiz"
    type: str
    prompt: str  # plain text
    learners: int  # learners who answered it at least once
    times_answered: int  # every answer: practice tries, quiz attempts and reviews
    first_try_right: float | None  # share of those learners whose first answer was right
    wrong_answer: str | None  # the wrong answer (for `multiple`: wrong option) chosen most
    wrong_count: int  # how many answers chose it


@dataclass
class ClassReport:
    """The merged record of a class in one course, and what was left out."""

    course: Course
    store: ProgressStore
    learners: list[str]
    files: list[Path]
    skipped: list[Skipped]
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        """Free the in-memory store."""
        self.store.close()

    def class_rows(self) -> list[ClassRow]:
        """Every learner (alphabetical) in every module of the course (in order of study)."""
        rows = []
        for learner in self.learners:
            summary = self.store.summary(learner, self.course.id)
            for module in self.course.modules:
                figures = summary.get(module.id)
                lesson_ids = {lesson.id for lesson in module.lessons}
                rows.append(ClassRow(
                    learner=learner,
                    module_id=module.id,
                    module_title=module.title,
                    lessons_done=len(figures.lessons_completed & lesson_ids) if figures else 0,
                    lessons_total=len(module.lessons),
                    passed=figures.passed if figures else False,
                    best_score=figures.best_quiz_score if figures else None,
                    attempts=figures.quiz_attempts if figures else 0,
                    last_studied=figures.last_studied if figures else None,
                ))
        return rows

    def answers(self) -> list[tuple[str, Answer]]:
        """(learner, answer) for every answer in the course, oldest first per learner."""
        return [(learner, answer) for learner in self.learners
                for answer in self.store.answers(learner, self.course.id)]

    def attempts(self) -> list[tuple[str, Module, QuizAttempt]]:
        """(learner, module, attempt) for every finished quiz of a module the course has."""
        return [(learner, module, attempt) for learner in self.learners
                for module in self.course.modules
                for attempt in self.store.quiz_attempts(learner, self.course.id, module.id)]

    def item_analysis(self, which: Which = "first") -> ItemAnalysis:
        """How each quiz question measured, from each learner's first attempt (or every one)."""
        return item_analysis(self.course, self.store, self.learners, which)

    def question_rows(self) -> list[QuestionRow]:
        """Every question of the course, in course order, with the class's figures."""
        by_question: dict[str, list[tuple[str, Answer]]] = {}
        for learner, answer in self.answers():
            by_question.setdefault(answer.question_id, []).append((learner, answer))
        rows = []
        for module, where, question in course_questions(self.course):
            given = by_question.get(question.id, [])
            first: dict[str, Answer] = {}
            for learner, answer in given:
                first.setdefault(learner, answer)
            right_first = sum(answer.score >= RIGHT_AT for answer in first.values())
            wrong, count = _most_chosen_wrong(question, [a for _, a in given])
            rows.append(QuestionRow(
                question_id=question.id,
                module_id=module.id,
                module_title=module.title,
                where=where,
                type=question.type,
                prompt=plain_text(question.prompt),
                learners=len(first),
                times_answered=len(given),
                first_try_right=right_first / len(first) if first else None,
                wrong_answer=wrong,
                wrong_count=count,
            ))
        return rows


def course_questions(course: Course) -> list[tuple[Module, str, Question]]:
    """(module, "practice" or "quiz", question) for every question, in course order."""
    from course.material.model import CheckStep

    found: list[tuple[Module, str, Question]] = []
    for module in course.modules:
        for lesson in module.lessons:
            for step in lesson.steps:
                if isinstance(step, CheckStep):
                    found.append((module, "practice", step.check))
        if module.quiz is not None:
            found.extend((module, "quiz", question) for question in module.quiz.questions)
    return found


# -- reading the files ----------------------------------------------------------------------


def progress_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The files named, and every `*.json` file directly inside the folders named.

    A path that does not exist, or a folder with no `.json` file, is returned as skipped.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json"
                           and p.is_file())
            if not found:
                skipped.append(Skipped(path, "the folder has no .json files"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            skipped.append(Skipped(path, "it does not exist"))
    unique = list(dict.fromkeys(files))
    return unique, skipped


def build_report(course: Course, paths: Sequence[Path]) -> ClassReport:
    """Read the files (and folders) in `paths` and merge them for `course`.

    A file that is not a good progress export is skipped with its reason; the others are used,
    less their records that cannot be right (`course.record.vetting`), each named in a note.
    """
    files, skipped = progress_files(paths)
    store = ProgressStore.in_memory()
    used: list[Path] = []
    notes: list[str] = []
    files_of: dict[str, list[Path]] = {}
    try:
        for path in files:
            try:
                progress = read_progress_file(path)
            except TransferError as exc:
                skipped.append(Skipped(path, reason_left_out(exc, path)))
                continue
            progress = vet(progress, course, store, progress.learner)
            for left_out in progress.skipped:
                notes.append(f"{path.name}: left out {left_out}.")
            merged = import_progress(store, progress)
            used.append(path)
            files_of.setdefault(merged.learner, []).append(path)
    except BaseException:
        store.close()
        raise
    report = ClassReport(course, store, sorted(files_of, key=str.casefold), used, skipped, notes)
    for learner, paths_of in sorted(files_of.items()):
        if len(paths_of) > 1:
            names = ", ".join(p.name for p in paths_of)
            report.notes.append(f"{len(paths_of)} files of learner {learner!r} were merged"
                                f" ({names}); records in both are counted once.")
        if course.id not in store.course_ids(learner):
            report.notes.append(f"learner {learner!r} has no progress in the course"
                                f" {course.id!r} (the file holds other courses or nothing).")
    known = {question.id for _, _, question in course_questions(course)}
    stray = sum(1 for _, answer in report.answers() if answer.question_id not in known)
    if stray:
        report.notes.append(f"{stray} answers to questions the course no longer has were"
                            " left out of the question table.")
    return report


def reason_left_out(exc: TransferError, path: Path) -> str:
    """Why a file was left out, from its TransferError, for a line that names the file first.

    The transfer messages name the file and speak of importing; here the file is named on its
    own line and nothing is imported anywhere.
    """
    text = str(exc).replace(f"{path} ", "this file ", 1).replace(str(path), "this file")
    return text.replace("so nothing was imported", "so it was left out").replace(
        "cannot be imported:", "cannot be used:")


def _most_chosen_wrong(question: Question, answers: Sequence[Answer]) -> tuple[str | None, int]:
    """The wrong answer (for `multiple`: the wrong option) chosen most often, and how often."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for answer in answers:
        if answer.score >= RIGHT_AT:
            continue
        try:
            given = answer_from_json(answer.answer_json)
        except AnswerError:
            continue
        if isinstance(question, MultipleQuestion) and isinstance(given, ChoiceAnswer):
            texts = [question.options[i].text for i in given.option_indexes
                     if 0 <= i < len(question.options) and not question.options[i].correct]
        else:
            texts = [describe(question, given)]
        for text in texts:
            key = normalize_text(text) if isinstance(question, ShortQuestion) else text
            counts[key] += 1
            shown.setdefault(key, text)
    if not counts:
        return None, 0
    key, count = counts.most_common(1)[0]
    return shown[key], count


# -- CSV ------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    # Learners choose their own names and type their own answers: a cell that starts like a
    # formula would be run by a spreadsheet, so it is marked as text (OWASP's advice).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _percent(share: float | None) -> str:
    return "" if share is None else format_number(round(share * 100, 1))


def _date(moment: datetime | None) -> str:
    # The instructor's own calendar, as `ivstem progress` shows the learner's.
    return "" if moment is None else moment.astimezone().date().isoformat()


def class_csv(rows: Sequence[ClassRow]) -> str:
    """The class table as CSV text, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CLASS_COLUMNS)
    for row in rows:
        writer.writerow([
            _cell(row.learner), row.module_id, _cell(row.module_title), row.lessons_done,
            row.lessons_total, "yes" if row.passed else "no", _percent(row.best_score),
            row.attempts, _date(row.last_studied),
        ])
    return out.getvalue()


def question_csv(rows: Sequence[QuestionRow]) -> str:
    """The question table as CSV text, with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(QUESTION_COLUMNS)
    for row in rows:
        writer.writerow([
            row.question_id, row.module_id, _cell(row.module_title), row.where, row.type,
            _cell(row.prompt), row.learners, row.times_answered, _percent(row.first_try_right),
            _cell(row.wrong_answer or ""), row.wrong_count if row.wrong_answer else "",
        ])
    return out.getvalue()


# -- xAPI -----------------------------------------------------------------------------------


def xapi_statements(report: ClassReport, *, homepage: str = XAPI_HOMEPAGE) -> list[dict[str, Any]]:
    """One xAPI statement per answer and per finished quiz, oldest first.

    The actor is the learner as an account (`homePage`, name); verbs are ADL's answered,
    passed and failed; activity ids are URNs (`urn:ivstem:COURSE:question:ID`,
    `urn:ivstem:COURSE:quiz:MODULE`); statement ids are uuid5 of each record's uid.
    """
    course = report.course
    lang = course.manifest.language
    questions = {q.id: (m, q) for m, _, q in course_questions(course)}
    course_activity = {
        "objectType": "Activity",
        "id": f"urn:ivstem:{course.id}",
        "definition": {"name": {lang: course.title}, "type": _ACTIVITIES + "course"},
    }
    statements: list[tuple[datetime, str, dict[str, Any]]] = []
    for learner, answer in report.answers():
        known = questions.get(answer.question_id)
        module_id = answer.module_id or (known[0].id if known else None)
        ident = str(uuid.uuid5(XAPI_NAMESPACE, f"answer/{answer.uid}"))
        statement: dict[str, Any] = {
            "id": ident,
            "actor": _actor(learner, homepage),
            "verb": _verb("answered"),
            "object": _question_activity(course.id, answer.question_id,
                                         known[1] if known else None, lang),
            "result": _answer_result(answer, known[1] if known else None),
            "context": _context(course.id, module_id, course_activity, answer.where),
            "timestamp": _stamp(answer.answered_at),
        }
        statements.append((answer.answered_at, ident, statement))
    for learner, module, attempt in report.attempts():
        verb = "passed" if attempt.passed else "failed"
        ident = str(uuid.uuid5(XAPI_NAMESPACE, f"quiz-attempt/{attempt.uid}"))
        statement = {
            "id": ident,
            "actor": _actor(learner, homepage),
            "verb": _verb(verb),
            "object": {
                "objectType": "Activity",
                "id": f"urn:ivstem:{course.id}:quiz:{module.id}",
                "definition": {"name": {lang: f"Quiz: {module.title}"},
                               "type": _ACTIVITIES + "assessment"},
            },
            "result": {
                "score": {"scaled": round(attempt.score, 6), "raw": attempt.points},
                "success": attempt.passed,
                "completion": True,
            },
            "context": _context(course.id, module.id, course_activity, None),
            "timestamp": _stamp(attempt.finished_at),
        }
        statements.append((attempt.finished_at, ident, statement))
    statements.sort(key=lambda item: (item[0], item[1]))
    return [statement for _, _, statement in statements]


def xapi_lines(statements: Sequence[dict[str, Any]]) -> str:
    """Statements as JSON lines, one statement a line."""
    return "".join(json.dumps(s, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for s in statements)


def _actor(learner: str, homepage: str) -> dict[str, Any]:
    return {"objectType": "Agent", "name": learner,
            "account": {"homePage": homepage, "name": learner}}


def _verb(name: str) -> dict[str, Any]:
    return {"id": _VERBS + name, "display": {"en-US": name}}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _context(course_id: str, module_id: str | None, course_activity: dict[str, Any],
             where: str | None) -> dict[str, Any]:
    activities: dict[str, Any] = {"grouping": [course_activity]}
    if module_id:
        activities["parent"] = [{"objectType": "Activity",
                                 "id": f"urn:ivstem:{course_id}:module:{module_id}"}]
    context: dict[str, Any] = {"platform": "ivstem", "contextActivities": activities}
    if where:
        context["extensions"] = {"urn:ivstem:extension:where": where}
    return context


def _question_activity(course_id: str, question_id: str, question: Question | None,
                       lang: str) -> dict[str, Any]:
    activity: dict[str, Any] = {"objectType": "Activity",
                                "id": f"urn:ivstem:{course_id}:question:{question_id}"}
    if question is not None:
        definition: dict[str, Any] = {
            "name": {lang: _short(plain_text(question.prompt))},
            "description": {lang: plain_text(question.prompt)},
            "type": _ACTIVITIES + "cmi.interaction",
        }
        definition.update(_interaction(question, lang))
        activity["definition"] = definition
    return activity


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _components(ids_texts: Iterable[tuple[str, str]], lang: str) -> list[dict[str, Any]]:
    return [{"id": ident, "description": {lang: text}} for ident, text in ids_texts]


def _interaction(question: Question, lang: str) -> dict[str, Any]:
    """The cmi.interaction fields (xAPI 1.0.3, section 2.4.4.1) of a question."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        return {
            "interactionType": "choice",
            "choices": _components(((f"o{i}", o.text) for i, o in enumerate(question.options)),
                                   lang),
            "correctResponsesPattern": ["[,]".join(f"o{i}" for i in question.correct_indexes)],
        }
    if isinstance(question, TrueFalseQuestion):
        return {"interactionType": "true-false",
                "correctResponsesPattern": ["true" if question.answer else "false"]}
    if isinstance(question, ShortQuestion):
        shown = shown_accept(question)
        full = [entry.text for entry in question.accepted if entry.credit >= 1]
        patterns = ([] if question.match == "regex" else full) or ([shown] if shown else [])
        return {"interactionType": "fill-in", "correctResponsesPattern": patterns}
    if isinstance(question, NumericQuestion):
        right = question.full_credit
        low = format_number(right.answer - right.tolerance)
        high = format_number(right.answer + right.tolerance)
        return {"interactionType": "numeric",
                "correctResponsesPattern": [f"{low}[:]{high}"]}
    if isinstance(question, OrderQuestion):
        return {
            "interactionType": "sequencing",
            "choices": _components(((f"i{i}", t) for i, t in enumerate(question.items)), lang),
            "correctResponsesPattern": ["[,]".join(f"i{i}" for i in range(len(question.items)))],
        }
    if isinstance(question, MatchQuestion):
        rights = [right for _, right in question.pairs] + list(question.distractors)
        return {
            "interactionType": "matching",
            "source": _components(((f"l{i}", left) for i, (left, _) in
                                   enumerate(question.pairs)), lang),
            "target": _components(zip(right_ids(question), rights, strict=True), lang),
            "correctResponsesPattern": ["[,]".join(f"l{i}[.]r{i}"
                                                   for i in range(len(question.pairs)))],
        }
    assert isinstance(question, CategorizeQuestion)
    return {
        "interactionType": "matching",
        "source": _components(((f"i{i}", item.text) for i, item in
                               enumerate(question.items)), lang),
        "target": _components(((f"c{i}", c) for i, c in enumerate(question.categories)), lang),
        "correctResponsesPattern": ["[,]".join(
            f"i{i}[.]c{question.categories.index(item.category)}"
            for i, item in enumerate(question.items))],
    }


def _answer_result(answer: Answer, question: Question | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "score": {"scaled": round(answer.score, 6), "raw": answer.points},
        "success": answer.score >= RIGHT_AT,
        "completion": True,
    }
    response = _response(answer, question)
    if response is not None:
        result["response"] = response
    return result


def _response(answer: Answer, question: Question | None) -> str | None:
    """The learner's answer in the response format of the question's interaction type."""
    try:
        given: GivenAnswer = answer_from_json(answer.answer_json)
    except AnswerError:
        return None
    if isinstance(given, ChoiceAnswer):
        return "[,]".join(f"o{i}" for i in sorted(given.option_indexes))
    if isinstance(given, OrderAnswer):
        return "[,]".join(f"i{i}" for i in given.item_indexes)
    if isinstance(given, MatchAnswer):
        return "[,]".join(f"l{left}[.]{right}" for left, right in given.pairs)
    if isinstance(given, CategorizeAnswer):
        return "[,]".join(f"i{item}[.]c{category}" for item, category in given.placements)
    if isinstance(given, BoolAnswer):
        return "true" if given.value else "false"
    text = given.text.strip()
    if isinstance(question, NumericQuestion):
        try:
            return format_number(parse_number(text, unit=question.unit))
        except AnswerError:
            return text
    return text

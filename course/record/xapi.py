"""xAPI statements of a learner's records, for a Learning Record Store (LRS).

One builder for every sender: the learner's app queues a statement with each answer, completed
lesson and finished quiz (`course.record.progress.outbox`), and `ivstem report --format xapi` or
`--lrs` makes the same statements from the exports learners hand in. Both make a statement from
the same record the same way, with the same id, so an LRS that receives it from both stores it
once.

- `answered` a question, with the result: scaled and raw score, success, the response in the
  format of the question's cmi.interaction type;
- `completed` a lesson;
- `passed` or `failed` a module quiz, with the scaled score.

The actor is the learner as an account (`homePage`, name) on the home page the instructor or the
lab chooses (`settings.xapi_homepage` in course.yaml, or the LRS configuration); the course, the
module and the lesson are the statement's context activities. Activity ids are URNs
(`urn:ivstem:COURSE:question:ID`, `…:quiz:MODULE`, `…:module:MODULE`, `…:lesson:MODULE/LESSON`).

Statement ids are uuid5 of the learner and the act (the record's own uid, which an export keeps;
for a lesson, its completion time), so a statement sent twice, from one machine or two, is one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from course.material.markdown_text import plain_text
from course.material.model import CheckStep, Course, Lesson, Module
from course.record.progress import Answer, QuizAttempt
from quizzes.answers import Answer as GivenAnswer
from quizzes.answers import (
    AnswerError,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    answer_from_json,
    format_number,
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

#: The account home page when neither the course nor the LRS configuration names one.
XAPI_HOMEPAGE = "urn:ivstem"
#: Statement ids are uuid5 of the learner and the act in this namespace.
XAPI_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ivstem:xapi")
#: The xAPI version the statements are written for.
XAPI_VERSION = "1.0.3"

_VERBS = "http://adlnet.gov/expapi/verbs/"
_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
_WHERE = "urn:ivstem:extension:where"

Statement = dict[str, Any]


def course_questions(course: Course) -> list[tuple[Module, str, Question]]:
    """(module, "practice" or "quiz", question) for every question, in course order."""
    found: list[tuple[Module, str, Question]] = []
    for module in course.modules:
        for lesson in module.lessons:
            for step in lesson.steps:
                if isinstance(step, CheckStep):
                    found.append((module, "practice", step.check))
        if module.quiz is not None:
            found.extend((module, "quiz", question) for question in module.quiz.questions)
    return found


def statement_id(learner: str, act: str) -> str:
    """The id of the statement of `act` by `learner`: the same wherever it is made.

    Learner names ignore case in ivstem ("Alice" is "alice"), so they do here too.
    """
    return str(uuid.uuid5(XAPI_NAMESPACE, f"{learner.casefold()}/{act}"))


def timestamp(moment: datetime) -> str:
    """A time as statements give it: UTC, to the millisecond."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Statements:
    """Makes the statements of one course's records, with accounts on `homepage`."""

    def __init__(self, course: Course, homepage: str = XAPI_HOMEPAGE) -> None:
        self.course = course
        self.homepage = homepage
        self.lang = course.manifest.language
        self._questions = {q.id: (m, q) for m, _, q in course_questions(course)}
        self._course_activity = _activity(f"urn:ivstem:{course.id}", course.title, "course",
                                          self.lang)

    def answered(self, learner: str, answer: Answer) -> Statement:
        """`answered`: one answer, its score, success and response."""
        known = self._questions.get(answer.question_id)
        question = known[1] if known else None
        module_id = answer.module_id or (known[0].id if known else None)
        context = self._context(module_id, answer.lesson_id)
        context["extensions"] = {_WHERE: answer.where}
        return self._statement(
            learner, f"answer/{answer.uid}", "answered",
            _question_activity(answer.course_id, answer.question_id, question, self.lang),
            _answer_result(answer, question), context, answer.answered_at)

    def completed(self, learner: str, module_id: str, lesson_id: str,
                  at: datetime) -> Statement:
        """`completed`: a lesson read to its end (the first time, or again after a reset)."""
        module = self.course.module(module_id)
        lesson = module.lesson(lesson_id) if module is not None else None
        course_id = self.course.id
        moment = timestamp(at)
        return self._statement(
            learner, f"lesson/{course_id}/{module_id}/{lesson_id}/{moment}", "completed",
            self._lesson_activity(module_id, lesson_id, lesson),
            {"completion": True}, self._context(module_id, None), at)

    def finished(self, learner: str, attempt: QuizAttempt) -> Statement:
        """`passed` or `failed`: a finished module quiz, with its scaled and raw score."""
        module = self.course.module(attempt.module_id)
        title = f"Quiz: {module.title}" if module is not None else None
        quiz = _activity(f"urn:ivstem:{attempt.course_id}:quiz:{attempt.module_id}", title,
                         "assessment", self.lang)
        result = {
            "score": {"scaled": round(attempt.score, 6), "raw": attempt.points},
            "success": attempt.passed,
            "completion": True,
        }
        return self._statement(
            learner, f"quiz-attempt/{attempt.uid}", "passed" if attempt.passed else "failed",
            quiz, result, self._context(attempt.module_id, None), attempt.finished_at)

    # --- parts ---------------------------------------------------------------------------

    def _statement(self, learner: str, act: str, verb: str, target: Statement,
                   result: Statement, context: Statement, at: datetime) -> Statement:
        return {
            "id": statement_id(learner, act),
            "actor": {"objectType": "Agent", "name": learner,
                      "account": {"homePage": self.homepage, "name": learner}},
            "verb": {"id": _VERBS + verb, "display": {"en-US": verb}},
            "object": target,
            "result": result,
            "context": context,
            "timestamp": timestamp(at),
            "version": XAPI_VERSION,
        }

    def _context(self, module_id: str | None, lesson_id: str | None) -> Statement:
        """The course (grouping), the module and the lesson: the closest is the parent."""
        course_id = self.course.id
        module = self.course.module(module_id) if module_id else None
        grouping = [self._course_activity]
        parent: list[Statement] = []
        if module_id:
            module_activity = _activity(f"urn:ivstem:{course_id}:module:{module_id}",
                                        module.title if module else None, "module", self.lang)
            if lesson_id:
                lesson = module.lesson(lesson_id) if module is not None else None
                grouping.append(module_activity)
                parent.append(self._lesson_activity(module_id, lesson_id, lesson))
            else:
                parent.append(module_activity)
        activities: Statement = {"grouping": grouping}
        if parent:
            activities["parent"] = parent
        return {"platform": "ivstem", "contextActivities": activities}

    def _lesson_activity(self, module_id: str, lesson_id: str, lesson: Lesson | None) -> Statement:
        return _activity(f"urn:ivstem:{self.course.id}:lesson:{module_id}/{lesson_id}",
                         lesson.title if lesson else None, "lesson", self.lang)


def xapi_lines(statements: Sequence[Statement]) -> str:
    """Statements as JSON lines, one statement a line."""
    return "".join(statement_json(s) + "\n" for s in statements)


def statement_json(statement: Statement) -> str:
    """One statement as compact JSON text."""
    return json.dumps(statement, ensure_ascii=False, separators=(",", ":"))


# -- activities -------------------------------------------------------------------------------


def _activity(ident: str, title: str | None, kind: str, lang: str) -> Statement:
    """An activity; with its name and type when the course still has it."""
    activity: Statement = {"objectType": "Activity", "id": ident}
    definition: Statement = {"type": _ACTIVITIES + kind}
    if title:
        definition["name"] = {lang: title}
    activity["definition"] = definition
    return activity


def _question_activity(course_id: str, question_id: str, question: Question | None,
                       lang: str) -> Statement:
    activity: Statement = {"objectType": "Activity",
                           "id": f"urn:ivstem:{course_id}:question:{question_id}"}
    if question is not None:
        definition: Statement = {
            "name": {lang: _short(plain_text(question.prompt))},
            "description": {lang: plain_text(question.prompt)},
            "type": _ACTIVITIES + "cmi.interaction",
        }
        definition.update(_interaction(question, lang))
        activity["definition"] = definition
    return activity


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _components(ids_texts: Iterable[tuple[str, str]], lang: str) -> list[Statement]:
    return [{"id": ident, "description": {lang: text}} for ident, text in ids_texts]


def _interaction(question: Question, lang: str) -> Statement:
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
        fill_in: Statement = {"interactionType": "fill-in"}
        if patterns:
            fill_in["correctResponsesPattern"] = patterns
        return fill_in
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


# -- results ----------------------------------------------------------------------------------


def _answer_result(answer: Answer, question: Question | None) -> Statement:
    result: Statement = {
        "score": {"scaled": round(answer.score, 6), "raw": answer.points},
        "success": answer.score >= RIGHT_AT,
        "completion": True,
    }
    response = _response(answer, question)
    # xAPI allows no empty values: an answer left blank has no response.
    if response:
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

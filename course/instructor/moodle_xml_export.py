"""A course's questions as a Moodle XML file (https://docs.moodle.org/en/Moodle_XML_format).

Every practice check and quiz question, module by module; each module is a
`<question type="category">` named after the course and the module. Text is Markdown
(`format="markdown"`, which Moodle renders as it shows the question; its editor then offers
a plain text box for it rather than the HTML editor).

| ivstem      | Moodle XML                                                               |
| ----------- | ------------------------------------------------------------------------ |
| single      | `multichoice`, `<single>true</single>`; a `credit` is the answer's grade |
| multiple    | `multichoice`, `<single>false</single>`: each option's `credit`, or, as  |
|             | ivstem's partial scoring, right options share 100% and each wrong one   |
|             | takes a share back                                                       |
| true_false  | `truefalse`, the feedback on each answer                                 |
| short       | `shortanswer`: `accept` entries with their grade and feedback, `wrong`   |
|             | ones at 0%; `match: exact` is `<usecase>1</usecase>`                     |
| numeric     | `numerical`: each accepted number with its tolerance, grade, feedback;   |
|             | the unit (optional for the learner)                                      |
| match       | `matching`; a distractor is an answer with an empty question             |
| order       | `ordering` (standard from Moodle 4.4), all-or-nothing or by position     |
| categorize  | `matching`: each item paired with its category                           |
| explanation | `<generalfeedback>`                                                      |
| hint        | `<hint>`                                                                 |
| points      | `<defaultgrade>`                                                         |
| id, tags    | `<idnumber>` and `<name>`, `<tags>`                                      |
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
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

MARKDOWN = "markdown"

_TYPES = {
    "single": "multichoice", "multiple": "multichoice", "true_false": "truefalse",
    "short": "shortanswer", "numeric": "numerical", "match": "matching",
    "categorize": "matching", "order": "ordering",
}


def export(course: Course) -> Export:
    """The Moodle XML file of every question of `course`, and what could not go into it."""
    result = Export()
    manifest = course.manifest
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(f" Questions of the course {course.title!r} ({manifest.id}, version"
                           f" {manifest.version}), written by ivstem. In Moodle: Question"
                           " bank > Import > Moodle XML format. Each module is a category. "))
    category: tuple[str, ...] | None = None
    for item in bank(course):
        try:
            element = _question(item, course, result)
        except Unexportable as why:
            result.skipped.append(Loss(item.question.id, str(why)))
            continue
        if item.category != category:
            category = item.category
            quiz.append(_category(category, item, course))
        where = (f"practice check in lesson {item.lesson_id}" if item.lesson_id
                 else "quiz question")
        quiz.append(ET.Comment(f" {item.question.type} {where} of module {item.module.id} "))
        quiz.append(element)
        result.written += 1
    ET.indent(quiz, space="  ")
    result.text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                   + ET.tostring(quiz, encoding="unicode") + "\n")
    return result


def _category(category: tuple[str, ...], item: BankQuestion, course: Course) -> ET.Element:
    element = ET.Element("question", type="category")
    ET.SubElement(ET.SubElement(element, "category"), "text").text = category_path(category)
    _text(element, "info", moodle_text(item.module.summary, course))
    ET.SubElement(element, "idnumber").text = item.module.id
    return element


def _text(parent: ET.Element, tag: str, text: str, fmt: str = MARKDOWN) -> ET.Element:
    element = ET.SubElement(parent, tag, format=fmt)
    ET.SubElement(element, "text").text = text
    return element


def _question(item: BankQuestion, course: Course, result: Export) -> ET.Element:
    question = item.question

    def text(value: str) -> str:
        return moodle_text(value, course)

    element = ET.Element("question", type=_TYPES[question.type])
    ET.SubElement(ET.SubElement(element, "name"), "text").text = question.id
    _text(element, "questiontext", text(question.prompt))
    _text(element, "generalfeedback", text(question.explanation or ""))
    ET.SubElement(element, "defaultgrade").text = format_number(question.points)
    ET.SubElement(element, "penalty").text = "0.3333333"
    ET.SubElement(element, "hidden").text = "0"
    ET.SubElement(element, "idnumber").text = question.id
    losses: list[str] = []
    _answers(element, question, text, losses)
    if question.hint:
        _text(element, "hint", text(question.hint))
    if question.tags:
        tags = ET.SubElement(element, "tags")
        for tag in question.tags:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    common_losses(question, result)
    for loss in losses:
        result.lost(question.id, loss)
    return element


def _answer(parent: ET.Element, fraction: float | str, text: str, feedback: str | None,
            fmt: str = MARKDOWN) -> ET.Element:
    value = fraction if isinstance(fraction, str) else percent(fraction)
    answer = ET.SubElement(parent, "answer", fraction=value, format=fmt)
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", feedback or "")
    return answer


def _combined_feedback(element: ET.Element) -> None:
    # Moodle's own wording of right, partly right and wrong is shown when these are empty.
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, tag, "")


def _answers(element: ET.Element, question: Question, text: Callable[[str], str],
             losses: list[str]) -> None:
    sub = ET.SubElement
    if isinstance(question, SingleQuestion | MultipleQuestion):
        single = isinstance(question, SingleQuestion)
        sub(element, "single").text = "true" if single else "false"
        sub(element, "shuffleanswers").text = "true" if question.shuffle else "false"
        sub(element, "answernumbering").text = "abc"
        sub(element, "showstandardinstruction").text = "0"
        _combined_feedback(element)
        if isinstance(question, MultipleQuestion) and question.scoring == "all_or_nothing":
            losses.append("Moodle's multiple-answer questions give part marks; all-or-nothing"
                          " scoring was left out")
        fractions = choice_grades(question, losses)
        for option, fraction in zip(question.options, fractions, strict=True):
            _answer(element, fraction, text(option.text),
                    text(option.feedback) if option.feedback else None)
    elif isinstance(question, TrueFalseQuestion):
        feedback = question.feedback
        for value in (True, False):
            said = (feedback.true if value else feedback.false) if feedback else None
            _answer(element, 1.0 if question.answer is value else 0.0,
                    "true" if value else "false", text(said) if said else None,
                    fmt="moodle_auto_format")
    elif isinstance(question, ShortQuestion):
        sub(element, "usecase").text = "1" if question.match == "exact" else "0"
        for graded in short_grades(question, losses):
            _answer(element, graded.fraction, graded.text,
                    text(graded.feedback) if graded.feedback else None, fmt="moodle_auto_format")
    elif isinstance(question, NumericQuestion):
        for number in numeric_grades(question, losses):
            answer = _answer(element, number.fraction, format_number(number.value),
                             text(number.feedback) if number.feedback else None,
                             fmt="moodle_auto_format")
            sub(answer, "tolerance").text = format_number(number.tolerance)
        # The unit is optional for the learner, as in ivstem: a number alone is marked.
        sub(element, "unitgradingtype").text = "0"
        sub(element, "unitpenalty").text = "0.1000000"
        sub(element, "showunits").text = "0" if question.unit else "3"
        sub(element, "unitsleft").text = "0"
        if question.unit:
            unit = sub(sub(element, "units"), "unit")
            sub(unit, "multiplier").text = "1"
            sub(unit, "unit_name").text = question.unit
    elif isinstance(question, MatchQuestion | CategorizeQuestion):
        sub(element, "shuffleanswers").text = "true"
        _combined_feedback(element)
        if question.scoring == "all_or_nothing":
            losses.append("Moodle's matching questions give part marks; all-or-nothing scoring"
                          " was left out")
        if isinstance(question, MatchQuestion):
            pairs = list(question.pairs) + [("", d) for d in question.distractors]
        else:
            losses.append("categorize became a Moodle matching question (each item paired"
                          " with its category)")
            pairs = [(item.text, item.category) for item in question.items]
            used = {item.category for item in question.items}
            pairs += [("", c) for c in question.categories if c not in used]
        if len(pairs) < 3:
            losses.append("Moodle's matching editor asks for three answers or more; add a"
                          " distractor before editing it there")
        for left, right in pairs:
            subquestion = _text(element, "subquestion", text(left) if left else "")
            sub(sub(subquestion, "answer"), "text").text = text(right)
    elif isinstance(question, OrderQuestion):
        sub(element, "layouttype").text = "VERTICAL"
        sub(element, "selecttype").text = "ALL"
        sub(element, "selectcount").text = str(len(question.items))
        sub(element, "gradingtype").text = ("ALL_OR_NOTHING" if question.scoring ==
                                            "all_or_nothing" else "ABSOLUTE_POSITION")
        sub(element, "showgrading").text = "SHOW"
        sub(element, "numberingstyle").text = "none"
        _combined_feedback(element)
        for position, item in enumerate(question.items, start=1):
            _answer(element, str(position), text(item), None)
    else:  # pragma: no cover - every type is handled above
        raise Unexportable(f"the {question.type} type has no Moodle XML form")


"""The rules of part credit, each reported at its line with a hint that, applied, loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from course.material.loader import load_course
from course.material.schema import json_schema

VALID = Path(__file__).parent / "data" / "courses" / "valid"
BASICS = "modules/01-basics.yaml"

WRONG_OPTION = "            - text: Becoming new tissue\n              feedback: Few cells stay.\n"
RIGHT_OPTION = "              correct: true\n              feedback: Right.\n"
RISKS = ("        - {text: Infection, correct: true, feedback: Yes.}\n"
         "        - {text: Blood clots, correct: true, feedback: Yes.}\n"
         "        - {text: Eternal youth, feedback: No such effect.}\n"
         "      scoring: partial\n")
ACCEPT = '      accept: ["IND", "Investigational New Drug"]\n'
NUMBER = "      answer: 2024\n      tolerance: 0\n"


def risks(infection: str, clots: str, youth: str, scoring: str = "partial") -> str:
    """The multiple question's options, each with the fields given (e.g. `credit: 0.5, `)."""
    return (f"        - {{text: Infection, correct: true, {infection}feedback: Yes.}}\n"
            f"        - {{text: Blood clots, correct: true, {clots}feedback: Yes.}}\n"
            f"        - {{text: Eternal youth, {youth}feedback: No such effect.}}\n"
            f"      scoring: {scoring}\n")


# name: (text replaced, broken text, where the problem is (» marks the spot), words of the
#        message, words of the hint, the text the hint leads to)
CASES = {
    "single-correct-option-with-part-credit": (
        RIGHT_OPTION, "              correct: true\n              credit: 0.5\n"
        "              feedback: Right.\n", "credit: »0.5", "earns full credit",
        "remove `credit` from the correct option", RIGHT_OPTION),
    "single-with-negative-credit": (
        WRONG_OPTION, WRONG_OPTION + "              credit: -0.5\n", "credit: »-0.5",
        "a single question never scores below 0", "write `credit: 0`",
        WRONG_OPTION + "              credit: 0\n"),
    "single-wrong-option-with-full-credit": (
        WRONG_OPTION, WRONG_OPTION + "              credit: 1\n", "credit: »1",
        "cannot earn full credit", "`credit: 0.5`", WRONG_OPTION + "              credit: 0.5\n"),
    "credit-written-as-a-percentage": (
        WRONG_OPTION, WRONG_OPTION + "              credit: 25\n", "credit: »25",
        "`credit` must be at most 1", "write 0.25 for 25%",
        WRONG_OPTION + "              credit: 0.25\n"),
    "multiple-credit-with-all-or-nothing": (
        RISKS, risks("credit: 0.5, ", "credit: 0.5, ", "credit: -1, ", "all_or_nothing"),
        "scoring: all_or_nothing", "`credit` would never count",
        "remove `scoring: all_or_nothing`",
        risks("credit: 0.5, ", "credit: 0.5, ", "credit: -1, ").replace(
            "      scoring: partial\n", "")),
    "multiple-correct-option-without-credit": (
        RISKS, risks("credit: 0.25, ", "", ""), "{text: Blood clots", "needs one",
        "add `credit: 0.75`", risks("credit: 0.25, ", "credit: 0.75, ", "")),
    "multiple-correct-option-with-no-credit": (
        RISKS, risks("credit: 0.75, ", "credit: 0, ", ""), "credit: »0, feedback: Yes.}",
        "more than 0, not 0", "`credit: 0.25`", risks("credit: 0.75, ", "credit: 0.25, ", "")),
    "multiple-correct-option-with-nothing-left": (
        RISKS, risks("credit: 1, ", "credit: 0, ", ""), "credit: »0, feedback: Yes.}",
        "more than 0, not 0", "remove `correct: true`",
        risks("credit: 1, ", "credit: 0, ", "").replace("Blood clots, correct: true, ",
                                                        "Blood clots, ")),
    "multiple-wrong-option-with-credit": (
        RISKS, risks("credit: 0.5, ", "credit: 0.5, ", "credit: 0.2, "), "credit: »0.2",
        "0 or less, not 0.2", "write `credit: 0`",
        risks("credit: 0.5, ", "credit: 0.5, ", "credit: 0, ")),
    "multiple-credits-that-do-not-add-up": (
        RISKS, risks("credit: 0.6, ", "credit: 0.6, ", ""), "clots, correct: true, credit: »0.6",
        "add up to 1.2", "`credit: 0.5`, `credit: 0.5`",
        risks("credit: 0.5, ", "credit: 0.5, ", "")),
    "short-without-a-full-credit-answer": (
        ACCEPT, '      accept: [{text: IND, credit: 0.5}]\n', "accept", "no accepted answer"
        " earns full credit", "remove `credit`", "      accept: [{text: IND}]\n"),
    "short-answer-that-earns-nothing": (
        ACCEPT, '      accept: [IND, {text: NDA, credit: 0}]\n', "credit: »0",
        "`credit` must be more than 0", "goes under `wrong:`",
        "      accept: [IND]\n      wrong: [{text: NDA, feedback: For selling.}]\n"),
    "short-wrong-answer-written-as-text": (
        ACCEPT, ACCEPT + "      wrong: [NDA]\n", "»NDA]", "must be a mapping",
        "`{text: NDA, feedback: ...}`", ACCEPT + "      wrong: [{text: NDA, feedback: ...}]\n"),
    "short-wrong-pattern-that-does-not-compile": (
        ACCEPT + "      match: normalized\n",
        '      accept: [IND]\n      match: regex\n      wrong: [{text: "N(DA"}]\n', '"N(DA"',
        "the wrong pattern 'N(DA' is not a valid regular expression", "use match: normalized",
        '      accept: [IND]\n      match: normalized\n      wrong: [{text: "N(DA"}]\n'),
    "numeric-with-answer-and-answers": (
        NUMBER, NUMBER + "      answers: [{answer: 2024}, {answer: 2023, credit: 0.5}]\n",
        "answers:", "either `answer` (one number) or `answers`", "remove `answer` (and"
        " `tolerance`)", "      answers: [{answer: 2024}, {answer: 2023, credit: 0.5}]\n"),
    "numeric-with-answer-and-part-credit-answers": (
        NUMBER, NUMBER + "      answers: [{answer: 2023, credit: 0.5}]\n", "answers:",
        "not both", "move it into `answers` as `- {answer: 2024, tolerance: 0}`",
        "      answers:\n        - {answer: 2024, tolerance: 0}\n"
        "        - {answer: 2023, credit: 0.5}\n"),
    "numeric-tolerance-beside-answers": (
        NUMBER, "      tolerance: 1\n      answers: [{answer: 2024}]\n", "tolerance",
        "each number has its own `tolerance`", "move `tolerance: 1` into each entry",
        "      answers: [{answer: 2024, tolerance: 1}]\n"),
    "numeric-answers-without-full-credit": (
        NUMBER, "      answers: [{answer: 2024, credit: 0.5}]\n", "answers:",
        "none of the `answers` earns full credit", "remove `credit`",
        "      answers: [{answer: 2024}]\n"),
    "numeric-without-a-number": (
        NUMBER, "      tolerance: 0\n", "id: basics-numeric", "`answer` is missing",
        "`answer: 2024`", "      answer: 2024\n      tolerance: 0\n"),
}


def course_with(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    course = tmp_path / "course"
    if not course.exists():
        shutil.copytree(VALID, course)
    text = (VALID / BASICS).read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    (course / BASICS).write_text(changed, encoding="utf-8")
    return course, changed


def spot(text: str, anchor: str) -> tuple[int, int]:
    """Line and column of `anchor` in `text`, at its `»` if it has one."""
    index = text.index(anchor.replace("»", "")) + max(anchor.find("»"), 0)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


@pytest.mark.parametrize("name", CASES)
def test_a_part_credit_mistake_is_reported_at_its_line_and_its_hint_mends_it(
        tmp_path: Path, name: str) -> None:
    old, broken, anchor, words, hint, mended = CASES[name]
    course, text = course_with(tmp_path, old, broken)
    [problem] = load_course(course).problems
    assert (problem.line, problem.column) == spot(text, anchor), problem
    assert words in problem.message
    assert problem.hint is not None and hint in problem.hint, problem.hint
    course_with(tmp_path, old, mended)
    assert load_course(course).problems == []


def test_every_form_of_credit_loads_together(tmp_path: Path) -> None:
    course, _ = course_with(tmp_path, NUMBER, "      answers:\n"
                            "        - {answer: 2024, feedback: Right.}\n"
                            "        - {answer: 2024, tolerance: 1, credit: 0.5}\n")
    text = (course / BASICS).read_text(encoding="utf-8")
    text = text.replace(ACCEPT, '      accept: ["IND", {text: drug, credit: 0.5, feedback: Which'
                        ' one?}]\n      wrong: [{text: NDA, feedback: For selling.}]\n')
    text = text.replace(RISKS, risks("credit: 0.5, ", "credit: 0.5, ", "credit: -1, "))
    text = text.replace(WRONG_OPTION, WRONG_OPTION + "              credit: 0.5\n")
    (course / BASICS).write_text(text, encoding="utf-8")
    result = load_course(course)
    assert result.problems == []


def test_the_schema_describes_each_form_of_credit() -> None:
    defs = json_schema("module")["$defs"]
    assert defs["Option"]["properties"]["credit"]["anyOf"][0] == {
        "maximum": 1, "minimum": -1, "type": "number"}
    assert defs["ShortQuestion"]["properties"]["accept"]["items"]["oneOf"] == [
        {"minLength": 1, "type": "string"}, {"$ref": "#/$defs/AcceptedText"}]
    assert defs["ShortQuestion"]["properties"]["wrong"]["items"] == {"$ref": "#/$defs/WrongText"}
    numeric = defs["NumericQuestion"]
    assert numeric["oneOf"] == [{"required": ["answer"]}, {"required": ["answers"]}]
    assert set(defs["AcceptedNumber"]["properties"]) == {"answer", "tolerance", "credit",
                                                        "feedback"}


def test_the_schema_and_the_validator_agree_on_answer_beside_answers() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema("module")
    module = yaml.safe_load((Path(__file__).parent / "data" / "courses" / "credit" / "modules"
                             / "01-credit.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(module, schema)
    numeric = module["quiz"]["questions"][3]
    numeric["answer"] = 2024
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(module, schema)
    del numeric["answers"]
    jsonschema.validate(module, schema)

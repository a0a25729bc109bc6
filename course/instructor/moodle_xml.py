"""Moodle XML question banks (https://docs.moodle.org/en/Moodle_XML_format), converted into a
module's quiz, as `gift` converts GIFT files.

| Moodle XML                          | becomes                                                 |
| ----------------------------------- | ------------------------------------------------------- |
| `multichoice`, one answer           | `single`; a wrong answer's grade is its `credit`        |
| `multichoice`, multiple answers     | `multiple`: positive grades right, each grade a `credit`|
| `truefalse`                         | `true_false`, with the feedback on each answer          |
| `shortanswer`                       | `short`: `accept` entries with their `credit` and       |
|                                     | feedback, 0% answers with feedback under `wrong`; `*`   |
|                                     | wildcards become a regex; `usecase` is `match: exact`   |
| `numerical`                         | `numeric` (`answers` with credits when several), its    |
|                                     | tolerance and its first unit                            |
| `matching`                          | `match`; `categorize` when several items share answers  |
| `ordering`                          | `order` (all-or-nothing, else by position)              |
| `<generalfeedback>`, first `<hint>` | `explanation`, `hint`                                   |
| `<defaultgrade>`, `<tags>`          | `points`, `tags`                                        |
| `<question type="category">`        | a tag on the questions that follow                      |
| `<idnumber>` or `<name>`            | the question id (after the module id)                   |

Text in HTML is made plain (`gift.html_to_text`); Markdown and plain text are kept. What has
no equivalent (essays, descriptions, cloze, calculated, drag-and-drop, random...) is reported
by question and line and left out; what maps with a loss is converted and noted.

The file is read with the standard library's expat parser, building an `ElementTree`, but a
hostile file gets no further than a message: a DOCTYPE (and with it every entity declaration,
the way to entity-expansion bombs and to reading local files) is refused, and so is a file
over `MAX_BYTES`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from course.instructor.gift import (
    Conversion,
    Message,
    _Answer,
    _Number,
    _number,
    _Skip,
    _unique_id,
    _validated,
    choice,
    html_to_text,
    match_or_categorize,
    numeric,
    ordering,
    short_answer,
)
from course.instructor.moodle_bank import moodle_fraction, split_category
from course.material.yaml_source import CONTROL_CHARS

MAX_BYTES = 64 * 1024 * 1024
"""The largest file read: Moodle's exports carry images as base64, so a large bank of
illustrated questions can run to tens of megabytes, but not beyond this."""

_PLAIN_TAGS = frozenset({"p", "br", "div", "span"})
_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9]*)")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*[^<>]*>")
_FILE_REF = re.compile(r"@@PLUGINFILE@@/([^\"'\s>]+)")
_MOODLE_WORDING = frozenset({
    "", "your answer is correct.", "your answer is partially correct.",
    "your answer is incorrect.",
})
_SKIPPED = {
    "essay": "an essay, marked by hand",
    "description": "a description, not a question (put its text in a lesson as a text step)",
    "cloze": "a cloze question (answers embedded in the text)",
    "multianswer": "a cloze question (answers embedded in the text)",
    "calculated": "a calculated question (numbers drawn at each attempt)",
    "calculatedsimple": "a calculated question (numbers drawn at each attempt)",
    "calculatedmulti": "a calculated multiple-choice question (numbers drawn at each attempt)",
    "ddwtos": "a drag-and-drop-into-text question",
    "gapselect": "a select-missing-words question",
    "ddimageortext": "a drag-and-drop-onto-image question",
    "ddmarker": "a drag-and-drop-markers question",
    "random": "a random question (drawn from a category at quiz time)",
    "randomsamatch": "a random short-answer matching question (drawn at quiz time)",
}


class NotMoodleXml(Exception):
    """The file is not a Moodle XML question bank, or is refused; the message says why."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Refused(Exception):
    """A construct refused while parsing (raised from inside expat's handlers)."""


def parse(data: bytes) -> tuple[ET.Element, dict[ET.Element, int]]:
    """The `<quiz>` element of a Moodle XML file, and the line each element starts on.

    Raises NotMoodleXml for a file that is too large, not well-formed, declares a DOCTYPE or
    entities, or is not a `<quiz>`.
    """
    if len(data) > MAX_BYTES:
        raise NotMoodleXml(f"the file is {len(data) / 2**20:.0f} MB; ivstem reads Moodle XML"
                           f" files up to {MAX_BYTES // 2**20} MB. Export fewer categories at a"
                           " time from Moodle")
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True

    def refuse_doctype(*_: object) -> None:
        raise _Refused("it declares a DOCTYPE; Moodle's exports have none, and ivstem refuses"
                       " one (it is how entity-expansion and external-entity attacks start)")

    def refuse_entity(*_: object) -> None:
        raise _Refused("it declares or refers to entities, which Moodle's exports never do")

    def refuse_external(*_: object) -> int:
        raise _Refused("it refers to an external entity, which Moodle's exports never do")

    def start(tag: str, attributes: dict[str, str]) -> None:
        lines[builder.start(tag, attributes)] = parser.CurrentLineNumber

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise NotMoodleXml(f"refused at line {parser.CurrentLineNumber}: {refused}") from None
    except expat.ExpatError as exc:
        raise NotMoodleXml(f"it is not well-formed XML (line {exc.lineno}, column"
                           f" {exc.offset + 1}: {expat.ErrorString(exc.code)})") from None
    root = builder.close()
    if root.tag != "quiz":
        raise NotMoodleXml(f"its root element is <{root.tag}>, not <quiz>: it is not a Moodle"
                           " XML question bank", 1)
    return root, lines


def convert(data: bytes, *, module_id: str) -> Conversion:
    """Convert a Moodle XML file into questions whose ids start with `module_id`.

    Raises NotMoodleXml when the file as a whole cannot be read.
    """
    root, lines = parse(data)
    result = Conversion()
    category: str | None = None
    ids: set[str] = set()
    for element in root.iter("question"):
        line = lines.get(element, 1)
        kind = element.get("type", "").strip()
        if kind == "category":
            category = "/".join(split_category(_text(element.find("category")))) or None
            continue
        item = _Item(element, line, category)
        try:
            question = item.question(kind)
            question["id"] = _unique_id(module_id, item.name, question["prompt"], ids,
                                        item.idnumber)
            question = _validated(question)
        except _Skip as skip:
            result.problems.append(Message(skip.line or line, f"{item.label}: {skip.message}"))
            continue
        ids.add(question["id"])
        result.questions.append(question)
        result.notes.extend(Message(line, f"{item.label}: {note}")
                            for note in dict.fromkeys(item.notes))
    result.problems.sort()
    result.notes.sort()
    return result


def _text(element: ET.Element | None) -> str:
    """The `<text>` of an element, trimmed as Moodle trims it."""
    if element is None:
        return ""
    text = element.find("text")
    return "".join(text.itertext()).strip() if text is not None else ""


def _flag(element: ET.Element, tag: str, default: bool) -> bool:
    # Moodle reads "false", "0" and "" as false, anything else as true.
    found = element.find(tag)
    if found is None:
        return default
    return (found.text or "").strip() not in ("false", "0", "")


def _number_of(text: str | None, default: float) -> float:
    try:
        return float((text or "").strip())
    except ValueError:
        return default


@dataclass
class _Graded:
    """An `<answer>` as read: its text, its grade (1 = full marks), feedback and element."""

    text: str
    fraction: float
    feedback: str
    element: ET.Element


class _Item:
    """One `<question>`, being converted."""

    def __init__(self, element: ET.Element, line: int, category: str | None) -> None:
        self.element = element
        self.line = line
        self.category = category
        name = _text(element.find("name"))
        self.name = (html_to_text(name) if _HTML.search(name) else name) or None
        self.idnumber = (element.findtext("idnumber") or "").strip() or None
        self.label = f"{element.get('type', 'question')} {self.name or 'with no name'!r}"
        self.notes: list[str] = []
        questiontext = element.find("questiontext")
        self.format = (questiontext.get("format") if questiontext is not None else None) or "html"
        self.files: list[str] = []

    def note(self, text: str, line: int | None = None) -> None:
        """Note a loss; its line is the question's, which every message names."""
        self.notes.append(text)

    def readable(self, raw: str, fmt: str | None = None) -> str:
        """Moodle text as authoring-format text: HTML made plain, Markdown kept."""
        fmt = fmt or self.format
        self.files += [name for name in _FILE_REF.findall(raw) if name not in self.files]
        html = fmt == "html" or (fmt == "moodle_auto_format" and _HTML.search(raw) is not None)
        if html:
            tags = {tag.lower() for tag in _TAG.findall(raw)} - _PLAIN_TAGS - {"img"}
            if tags:
                shown = ", ".join(f"<{tag}>" for tag in sorted(tags))
                self.note(f"HTML formatting ({shown}) was turned into plain text; check its"
                          " layout")
            raw = html_to_text(raw)
        if CONTROL_CHARS.search(raw):
            self.note("control characters were removed from the text")
            raw = CONTROL_CHARS.sub("", raw)
        return "\n".join(line.rstrip() for line in raw.strip().split("\n"))

    def formatted(self, element: ET.Element | None, default: str | None = None) -> str:
        """The readable text of an element with a `format` attribute and a `<text>`."""
        if element is None:
            return ""
        for file in element.findall("file"):
            name = file.get("name")
            if name and name not in self.files:
                self.files.append(name)
        return self.readable(_text(element), element.get("format") or default)

    def answers(self, with_format: bool) -> list[_Graded]:
        """The `<answer>`s: text (formatted, or plain as Moodle reads short answers), grade,
        feedback. A grade Moodle itself refuses is a reason to leave the question out."""
        answers = []
        for element in self.element.findall("answer"):
            raw = element.get("fraction", "0")
            fraction = _number_of(raw, float("nan")) / 100
            if moodle_fraction(fraction) is None:
                shown = html_to_text(_text(element)) or "(empty)"
                raise _Skip(f"the answer {shown!r} has a grade of {raw}%, which is not one of"
                            " Moodle's grades (Moodle's own import refuses it); correct it in"
                            " Moodle and export again")
            text = (self.formatted(element) if with_format
                    else CONTROL_CHARS.sub("", _text(element)))
            answers.append(_Graded(text, fraction, self.formatted(element.find("feedback")),
                                   element))
        return answers

    def question(self, kind: str) -> dict[str, Any]:
        """The authoring-format data of this question; _Skip when it has no equivalent."""
        if not kind:
            raise _Skip("a <question> with no type attribute")
        converter = _CONVERTERS.get(kind)
        if converter is None:
            what = _SKIPPED.get(kind, f"a {kind} question")
            raise _Skip(f"{what}; ivstem has no such question type, so it was left out")
        prompt = self.formatted(self.element.find("questiontext"), "html")
        if self.element.find("image") is not None or self.element.find("image_base64") is not None:
            self.files.append((self.element.findtext("image") or "image").strip())
        if not prompt:
            raise _Skip("the question has no text")
        question: dict[str, Any] = {"id": "", "type": "", "prompt": prompt}
        question.update(converter(self))
        explanation = self.formatted(self.element.find("generalfeedback"), self.format)
        if explanation:
            question["explanation"] = explanation
        hints = [text for text in (self.formatted(h, self.format)
                                   for h in self.element.findall("hint")) if text]
        if hints:
            question["hint"] = hints[0]
            if len(hints) > 1:
                self.note(f"Moodle gives {len(hints)} hints, one after another; the first"
                          " converts, the others were left out")
        grade = self.element.findtext("defaultgrade")
        if grade is not None:
            points = _number_of(grade, 1.0)
            if points > 0 and points != 1:
                question["points"] = _number(points)
            elif points <= 0:
                self.note(f"the question's mark is {grade.strip()}; it is worth 1 point here")
        tags = [self.category] if self.category else []
        for tag in self.element.findall("tags/tag"):
            text = _text(tag)
            if text and text not in tags:
                tags.append(text)
        if tags:
            question["tags"] = tags
        self._combined_feedback()
        if self.files:
            self.note(f"the files it shows ({', '.join(self.files)}) do not convert; check the"
                      " text reads well without them")
        return question

    def _combined_feedback(self) -> None:
        said = [_text(self.element.find(tag)) for tag in
                ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")]
        custom = [html_to_text(text) for text in said
                  if html_to_text(text).lower() not in _MOODLE_WORDING]
        if custom:
            self.note(f"the overall feedback on right, partly right and wrong answers"
                      f" ({custom[0]!r}) has no place here; it was left out")


def _multichoice(item: _Item) -> dict[str, Any]:
    answers = item.answers(with_format=True)
    if len(answers) < 2:
        raise _Skip("a multiple-choice question needs two answers or more")
    single = _flag(item.element, "single", True)
    best = max(a.fraction for a in answers)
    if best <= 0:
        raise _Skip("no answer earns a positive grade, so none is right")
    # In a one-answer question the answers worth full marks (or, failing any, the best) are
    # the right ones; in a multiple-answer question every grade is the option's credit.
    full = best if best < 1 - 1e-6 else 1.0
    choices = [_Answer(("=" if single and a.fraction >= full - 1e-6 else "~"), a.text,
                       a.fraction * 100, a.feedback or None, None) for a in answers]
    result = choice(item.note, choices, one_answer=single)
    if not _flag(item.element, "shuffleanswers", True):
        result["shuffle"] = False
    return result


def _truefalse(item: _Item) -> dict[str, Any]:
    answers = item.answers(with_format=False)
    if len(answers) != 2:
        raise _Skip("a true/false question has exactly two answers, true and false")
    feedback: dict[str, str] = {}
    answer: bool | None = None
    for position, option in enumerate(answers):
        said = option.text.strip().lower()
        value = said == "true" if said in ("true", "false") else position == 0
        if option.fraction >= 1 - 1e-6:
            answer = value
        if option.feedback:
            feedback["true" if value else "false"] = option.feedback
    if answer is None:
        raise _Skip("neither true nor false is graded 100%")
    result: dict[str, Any] = {"type": "true_false", "answer": answer}
    if feedback:
        result["feedback"] = feedback
    return result


def _shortanswer(item: _Item) -> dict[str, Any]:
    answers = [_Answer("=", a.text, a.fraction * 100, a.feedback or None, None)
               for a in item.answers(with_format=False)]
    return short_answer(item.note, answers, case_sensitive=_flag(item.element, "usecase", False))


def _numerical(item: _Item) -> dict[str, Any]:
    numbers: list[_Number] = []
    other: int | None = None
    for answer in item.answers(with_format=False):
        if answer.text == "*":
            if answer.feedback:
                other = item.line
            continue
        value = _number_of(answer.text, float("nan"))
        if value != value:  # not a number
            raise _Skip(f"{answer.text!r} is not a number")
        tolerance = abs(_number_of(answer.element.findtext("tolerance"), 0.0))
        numbers.append(_Number(value, tolerance, answer.fraction * 100, answer.feedback or None,
                               None))
    result = numeric(item.note, numbers, other_line=other)
    units = [(_number_of(unit.findtext("multiplier"), 1.0), (unit.findtext("unit_name") or "")
              .strip()) for unit in item.element.findall("units/unit")]
    base = [name for multiplier, name in units if multiplier == 1 and name]
    if base:
        result["unit"] = base[0]
    others = [name for name in (name for _, name in units) if name and name not in base[:1]]
    if others:
        item.note(f"other units ({', '.join(others)}) do not convert; only"
                  f" {base[0] if base else 'the number'} is accepted")
    if _number_of(item.element.findtext("unitgradingtype"), 0) > 0:
        item.note("Moodle requires the unit and marks it; here the unit is optional")
    return result


def _matching(item: _Item) -> dict[str, Any]:
    pairs: list[list[str]] = []
    distractors: list[str] = []
    for sub in item.element.findall("subquestion"):
        left = item.formatted(sub, item.format)
        right = CONTROL_CHARS.sub("", _text(sub.find("answer")))
        if not right:
            if left:
                raise _Skip(f"the item {left!r} has no answer to match")
            continue
        if left:
            pairs.append([left, right])
        else:
            distractors.append(right)
    return match_or_categorize(item.note, pairs, distractors)


def _ordering(item: _Item) -> dict[str, Any]:
    items = [item.formatted(answer, item.format) for answer in item.element.findall("answer")]
    items = [text for text in items if text]
    old = item.element.find("selecttype") is None
    select = item.element.findtext("logical" if old else "selecttype") or "RANDOM"
    count = int(_number_of(item.element.findtext("studentsee" if old else "selectcount"), 6))
    return ordering(item.note, items, select=select.strip(), count=count,
                    grading=(item.element.findtext("gradingtype") or "RELATIVE").strip())


_CONVERTERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "match": _matching,
    "ordering": _ordering,
}

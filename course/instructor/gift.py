"""Moodle GIFT question banks, converted into a module's quiz.

GIFT (https://docs.moodle.org/en/GIFT_format) is plain text: questions separated by blank
lines, `//` comment lines, an optional `::title::`, an optional `[format]`, and the answers in
braces. What maps onto the authoring format:

| GIFT                                   | becomes                                       |
| -------------------------------------- | --------------------------------------------- |
| `{=right ~wrong}`                      | `single`                                      |
| `{=right ~%25%partly ~wrong}`          | `single` (part credit noted, counts as wrong) |
| `{~%50%a ~%50%b ~c}` (no `=`)          | `multiple` (options with a positive weight)   |
| `{=a =b ~c}`                           | `multiple` (the `=` options are right)        |
| `{T}` `{TRUE}` `{F}` `{FALSE}`         | `true_false`, with both feedbacks             |
| `{=a =b}`                              | `short` (`*` wildcards become a regex)        |
| `{=a -> b =c -> d}`                    | `match` (`= -> x` is a distractor)            |
| `{#5:0.5}`, `{#1..3}`                  | `numeric` (a range: midpoint ± half-width)    |
| `#feedback` after an answer            | the option's `feedback`                       |
| `####feedback` at the end              | `explanation`                                 |
| `$CATEGORY: a/b`                       | a tag on the questions that follow            |
| text before and after the braces       | the prompt, with the blank shown as `_____`   |

What does not map is reported by line and left out: essays (`{}`), descriptions (text with no
braces), true/false or matching answers in the middle of a sentence, and anything that breaks
the format's rules (a `single` with two identical options, say). What maps with a loss is
converted and noted: partial-credit answers of choice, short and numeric questions, unequal weights,
per-answer feedback where the type has none, HTML turned into plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import yaml
from pydantic import ValidationError

from course.material.yaml_source import FORBIDDEN_CHARS
from quizzes.questions import ContentError, Question, adapter

BLANK = "_____"
_QUESTION = adapter(Question)
_COMMENT = re.compile(r"^\s*//")
_FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%\s*(-?\d+(?:\.\d+)?)\s*%")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*\.\.\s*({_NUMBER})\s*$")
_VALUE = re.compile(rf"^\s*({_NUMBER})\s*(?::\s*({_NUMBER}))?\s*$")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)$", re.IGNORECASE)
_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\", "n": "\n"}


@dataclass(frozen=True, order=True)
class Message:
    """Something to tell the author about the GIFT file, at a line (1-based)."""

    line: int
    text: str


@dataclass
class Conversion:
    """The questions converted (as authoring-format data), and what was reported."""

    questions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)  # left out
    notes: list[Message] = field(default_factory=list)  # converted, with a loss or change


class _Skip(Exception):
    """A GIFT item that cannot be converted; the message says why."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# -- scanning with escapes ----------------------------------------------------------------


def _find(text: str, target: str, start: int = 0) -> int:
    """The index of the first `target` at or after `start` that is not escaped, or -1."""
    index = start
    length = len(text)
    while index < length:
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(target, index):
            return index
        index += 1
    return -1


def _split(text: str, separator: str) -> list[str]:
    """`text` split at every `separator` that is not escaped."""
    parts = []
    start = 0
    while True:
        found = _find(text, separator, start)
        if found < 0:
            parts.append(text[start:])
            return parts
        parts.append(text[start:found])
        start = found + len(separator)


def _unescape(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _ESCAPES:
            out.append(_ESCAPES[text[index + 1]])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


class _Block:
    """One GIFT item: its lines without comments, and the file line of each."""

    def __init__(self, lines: Sequence[tuple[int, str]]) -> None:
        self.numbers = [number for number, _ in lines]
        self.text = "\n".join(text for _, text in lines)

    def line_at(self, offset: int) -> int:
        """The file line of the character at `offset` in `text`."""
        return self.numbers[min(self.text.count("\n", 0, max(offset, 0)), len(self.numbers) - 1)]


def _blocks(text: str) -> Iterator[_Block]:
    """Items separated by blank lines (as Moodle reads them: a blank line always ends one)."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _COMMENT.match(line):
            continue
        if not line.strip():
            if lines:
                yield _Block(lines)
            lines = []
            continue
        lines.append((number, line))
    if lines:
        yield _Block(lines)


# -- text formats -------------------------------------------------------------------------


class _TextOfHtml(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(text: str) -> str:
    """HTML as plain text: tags dropped, entities decoded, paragraphs kept apart."""
    parser = _TextOfHtml()
    parser.feed(text)
    parser.close()
    joined = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in joined.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -- conversion ---------------------------------------------------------------------------


@dataclass
class _Answer:
    marker: str  # "=" or "~"
    text: str
    weight: float | None
    feedback: str | None
    line: int


class _Item:
    """The parts of one GIFT question, being converted."""

    def __init__(self, block: _Block, category: str | None) -> None:
        self.block = block
        self.category = category
        self.title: str | None = None
        self.html = False
        self.notes: list[Message] = []

    @property
    def line(self) -> int:
        return self.block.numbers[0]

    def note(self, text: str, line: int | None = None) -> None:
        self.notes.append(Message(line or self.line, text))

    def text(self, raw: str) -> str:
        """A piece of GIFT text as authoring-format text: unescaped, HTML made plain.

        An answer or a match pair may carry its own `[format]` marker: it says how to read
        that piece and is not part of it."""
        html = self.html
        marker = _FORMAT.match(raw)
        if marker:
            raw = raw[marker.end():]
            html = marker.group(1).lower() == "html"
        text = _unescape(raw)
        if html:
            text = html_to_text(text)
        if FORBIDDEN_CHARS.search(text):
            self.note("control characters were removed from the text")
            text = FORBIDDEN_CHARS.sub("", text)
        return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def convert(text: str, *, module_id: str) -> Conversion:
    """Convert GIFT `text` into questions whose ids start with `module_id`."""
    result = Conversion()
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    category: str | None = None
    ids: set[str] = set()
    for block in _blocks(text):
        stripped = block.text.lstrip()
        if stripped.startswith("$CATEGORY:"):
            first, _, rest = stripped.partition("\n")
            category = _category(first.removeprefix("$CATEGORY:"))
            if not rest.strip():
                continue
            block = _Block(list(zip(block.numbers[1:], block.text.split("\n")[1:], strict=True)))
        item = _Item(block, category)
        try:
            question = _question(item)
            question["id"] = _unique_id(module_id, item.title, question["prompt"], ids)
            question = _validated(question)
        except _Skip as skip:
            result.problems.append(Message(skip.line or item.line, skip.message))
            continue
        ids.add(question["id"])
        result.questions.append(question)
        result.notes.extend(dict.fromkeys(item.notes))
    result.problems.sort()
    result.notes.sort()
    return result


def _category(raw: str) -> str | None:
    # Moodle writes `$course$/top/Default for X/Anatomy`: the context and `top` say nothing.
    parts = [p.strip() for p in raw.strip().split("/") if p.strip()]
    parts = [p for p in parts if not (p.startswith("$") and p.endswith("$")) and p != "top"]
    return "/".join(parts) or None


def _question(item: _Item) -> dict[str, Any]:
    text = item.block.text
    position = len(text) - len(text.lstrip())
    if text.startswith("::", position):
        end = _find(text, "::", position + 2)
        if end < 0:
            raise _Skip("the title is opened with :: but never closed")
        item.title = _unescape(text[position + 2:end]).strip() or None
        position = end + 2
    fmt = _FORMAT.match(text, position)
    if fmt:
        position = fmt.end()
        item.html = fmt.group(1).lower() == "html"
    opening = _find(text, "{", position)
    if opening < 0:
        if not text[position:].strip():
            raise _Skip("a title with no question")
        raise _Skip("a description (text with no answers in braces) is not a question;"
                    " put it in a lesson as a text step")
    closing = _find(text, "}", opening + 1)
    if closing < 0:
        raise _Skip("the answers are opened with { but never closed with }",
                    item.block.line_at(opening))
    before, body, after = text[position:opening], text[opening + 1:closing], text[closing + 1:]
    if _find(after, "{") >= 0:
        if "\n" in after[:_find(after, "{")]:
            raise _Skip("two questions with no blank line between them; GIFT needs one")
        raise _Skip("more than one set of answers in braces (several blanks) does not convert;"
                    " split it into one question per blank")
    if item.html:
        item.note("the HTML of this question was turned into plain text; check its layout")
    embedded = bool(after.strip())
    prompt = item.text(before + BLANK + after if embedded else before)
    if not prompt:
        raise _Skip("the question has no text before its answers")
    question: dict[str, Any] = {"id": "", "type": "", "prompt": prompt}
    general = _find(body, "####")
    explanation = None
    if general >= 0:
        explanation = item.text(body[general + 4:]) or None
        body = body[:general]
    body_offset = opening + 1
    kind = _answers_kind(body)
    if kind == "essay":
        raise _Skip("an essay question (empty braces {}) is marked by hand; it has no type here")
    if embedded and kind in ("true_false", "match"):
        name = "true/false" if kind == "true_false" else "matching"
        raise _Skip(f"a {name} answer in the middle of a sentence does not convert;"
                    " move the braces to the end of the question")
    if kind == "true_false":
        question.update(_true_false(item, body))
    elif kind == "numeric":
        question.update(_numeric(item, body, body_offset))
    else:
        answers = _answers(item, body, body_offset)
        if kind == "choice":
            question.update(_choice(item, answers))
        elif kind == "match":
            question.update(_match(item, answers))
        else:
            question.update(_short(item, answers))
    if explanation:
        question["explanation"] = explanation
    if item.category:
        question["tags"] = [item.category]
    return question


def _answers_kind(body: str) -> str:
    content = body.strip()
    if not content:
        return "essay"
    if content.startswith("#"):
        return "numeric"
    if _TRUE_FALSE.match(_split(content, "#")[0].strip()):
        return "true_false"
    if _find(content, "~") >= 0:
        return "choice"
    if "->" in content:
        return "match"
    return "short"


def _answers(item: _Item, body: str, offset: int) -> list[_Answer]:
    """The `=` and `~` answers of a block, with weights and feedback split off."""
    starts = []
    index = 0
    while index < len(body):
        if body[index] == "\\":
            index += 2
            continue
        if body[index] in "=~":
            starts.append(index)
        index += 1
    leading = body[:starts[0]] if starts else body
    if leading.strip():
        raise _Skip(f"answers start with = (right) or ~ (wrong), not {leading.strip()[:20]!r}",
                    item.block.line_at(offset))
    answers = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(body)
        raw = body[start + 1:end]
        weight = None
        found = _WEIGHT.match(raw)
        if found:
            weight = float(found.group(1))
            raw = raw[found.end():]
        parts = _split(raw, "#")
        feedback = item.text("#".join(parts[1:])) if len(parts) > 1 else None
        answers.append(_Answer(body[start], parts[0], weight, feedback or None,
                               item.block.line_at(offset + start)))
    if not answers:
        raise _Skip("the braces hold no answers", item.block.line_at(offset))
    return answers


def _is_full(answer: _Answer) -> bool:
    return answer.weight is None or answer.weight >= 100


def _choice(item: _Item, answers: list[_Answer]) -> dict[str, Any]:
    # With an `=` answer, Moodle makes a one-answer question: `~%25%` on another answer is part
    # credit for a wrong answer, not a second right one. Only without `=` do weights pick the
    # right answers of a select-all question.
    one_answer = any(a.marker == "=" for a in answers)

    def correct(answer: _Answer) -> bool:
        if one_answer:
            return answer.marker == "="
        return answer.weight is not None and answer.weight > 0

    if one_answer:
        for answer in answers:
            if answer.marker == "~" and answer.weight is not None and answer.weight > 0:
                item.note(f"the wrong answer {item.text(answer.text)!r} earns"
                          f" {answer.weight:g}% in Moodle; the course has no part credit in a"
                          " one-answer question, so it counts as wrong", answer.line)

    right = [a for a in answers if correct(a)]
    options = []
    for answer in answers:
        option: dict[str, Any] = {"text": item.text(answer.text)}
        if correct(answer):
            option["correct"] = True
        if answer.feedback:
            option["feedback"] = answer.feedback
        options.append(option)
    if not right:
        raise _Skip("no answer is marked right (= or a positive %weight%)")
    if len(right) == 1 and _is_full(right[0]):
        return {"type": "single", "options": options}
    if len(right) == 1:
        item.note(f"the only right answer is worth {right[0].weight:g}%; it converts as a"
                  " single question worth full marks", right[0].line)
        return {"type": "single", "options": options}
    weights = {a.weight for a in right}
    if all(a.weight is None for a in right):
        item.note("several answers are marked = (each right on its own in Moodle); it converts"
                  " to a multiple question in which learners pick all of them")
    elif len(weights) > 1:
        item.note("the right answers have different weights; in the multiple question each"
                  " counts the same")
    return {"type": "multiple", "options": options}


def _short(item: _Item, answers: list[_Answer]) -> dict[str, Any]:
    full = [a for a in answers if _is_full(a)]
    partial = [a for a in answers if not _is_full(a)]
    for answer in partial:
        item.note(f"the answer {item.text(answer.text)!r} is worth {answer.weight:g}%;"
                  " partial credit does not convert, so it was left out", answer.line)
    if not full:
        raise _Skip("no answer is worth full marks, so no accepted answer is left")
    if any(a.feedback for a in answers):
        item.note("feedback on single answers of a short question does not convert; it was"
                  " left out (the explanation is shown to everyone)")
    accept = [item.text(a.text) for a in full]
    if any("*" in text for text in accept):
        # Moodle's `*` matches any characters, ignoring case: the same as a regex here.
        patterns = ["(?i)" + ".*".join(re.escape(p) for p in text.split("*"))
                    for text in accept]
        item.note("the * wildcard converts to a regular expression (match: regex)")
        return {"type": "short", "accept": patterns, "match": "regex"}
    return {"type": "short", "accept": accept}


def _match(item: _Item, answers: list[_Answer]) -> dict[str, Any]:
    pairs: list[list[str]] = []
    distractors: list[str] = []
    for answer in answers:
        if answer.marker != "=" or "->" not in answer.text:
            raise _Skip("a matching question has only `=left -> right` answers", answer.line)
        left, _, right = answer.text.partition("->")
        left_text, right_text = item.text(left), item.text(right)
        if not right_text:
            raise _Skip("a matching pair has nothing after ->", answer.line)
        if left_text:
            pairs.append([left_text, right_text])
        else:
            distractors.append(right_text)
        if answer.feedback:
            item.note("feedback on a matching pair does not convert; it was left out",
                      answer.line)
    result: dict[str, Any] = {"type": "match", "pairs": pairs}
    if distractors:
        result["distractors"] = distractors
    return result


def _true_false(item: _Item, body: str) -> dict[str, Any]:
    parts = _split(body.strip(), "#")
    answer = parts[0].strip().upper() in ("T", "TRUE")
    # Moodle: the first feedback is shown to a wrong answer, the second to a right one.
    wrong = item.text(parts[1]) if len(parts) > 1 else ""
    right = item.text(parts[2]) if len(parts) > 2 else ""
    result: dict[str, Any] = {"type": "true_false", "answer": answer}
    on_true, on_false = (right, wrong) if answer else (wrong, right)
    feedback = {key: text for key, text in (("true", on_true), ("false", on_false)) if text}
    if feedback:
        result["feedback"] = feedback
    return result


def _numeric(item: _Item, body: str, offset: int) -> dict[str, Any]:
    content = body.strip()[1:]
    lead = len(body) - len(body.lstrip()) + 1
    if _find(content, "=") >= 0 or _find(content, "~") >= 0:
        answers = _answers(item, content, offset + lead)
    else:
        parts = _split(content, "#")
        feedback = item.text("#".join(parts[1:])) if len(parts) > 1 else None
        answers = [_Answer("=", parts[0], None, feedback, item.block.line_at(offset))]
    wrong = [a for a in answers if a.marker == "~"]
    if wrong:
        item.note("answers marked ~ in a numeric question (wrong answers with feedback) do not"
                  " convert; they were left out", wrong[0].line)
    full = [a for a in answers if a.marker == "=" and _is_full(a)]
    for answer in answers:
        if answer.marker == "=" and not _is_full(answer):
            item.note(f"the answer {answer.text.strip()!r} is worth {answer.weight:g}%; partial"
                      " credit does not convert, so it was left out", answer.line)
    if not full:
        raise _Skip("no numeric answer is worth full marks")
    chosen = full[0]
    for other in full[1:]:
        item.note(f"only one right number converts; {other.text.strip()!r} was left out",
                  other.line)
    if chosen.feedback:
        item.note("feedback on the number itself does not convert; it was left out",
                  chosen.line)
    value = _unescape(chosen.text)
    ranged = _RANGE.match(value)
    if ranged:
        low, high = sorted((float(ranged.group(1)), float(ranged.group(2))))
        number, tolerance = (low + high) / 2, (high - low) / 2
    else:
        plain = _VALUE.match(value)
        if not plain:
            raise _Skip(f"{value.strip()!r} is not a number, number:tolerance or low..high",
                        chosen.line)
        number = float(plain.group(1))
        tolerance = abs(float(plain.group(2))) if plain.group(2) else 0.0
    return {"type": "numeric", "answer": _number(number), "tolerance": _number(tolerance)}


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


# -- ids and checks -----------------------------------------------------------------------


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug.strip("-")


def _unique_id(module_id: str, title: str | None, prompt: str, taken: set[str]) -> str:
    # Question ids must be unique in the whole course: prefixed with the module id, they stay
    # apart from other modules' questions.
    words = " ".join(prompt.replace(BLANK, " ").split()[:6])
    base = f"{module_id}-{_slug(title or '') or _slug(words) or 'question'}"
    ident, number = base, 2
    while ident in taken:
        ident, number = f"{base}-{number}", number + 1
    return ident


def _validated(question: dict[str, Any]) -> dict[str, Any]:
    """The question, if the authoring format accepts it; _Skip with the reason if not."""
    try:
        _QUESTION.validate_python(question)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        context = error.get("ctx") or {}
        cause = context.get("error")
        if isinstance(cause, ContentError):
            message = cause.message
        else:
            where = ".".join(str(step) for step in error["loc"][1:])
            message = f"{where}: {error['msg']}" if where else str(error["msg"])
        raise _Skip(f"does not make a valid {question['type']} question: {message}") from None
    return question


# -- the module file ----------------------------------------------------------------------


def module_document(
    conversion: Conversion, *, module_id: str, title: str, source: str
) -> dict[str, Any]:
    """A module holding the converted questions as its quiz, and one placeholder lesson."""
    return {
        "id": module_id,
        "title": title,
        "summary": f"Imported from {source}",
        "lessons": [{
            "id": "about-these-questions",
            "title": "About these questions",
            "steps": [{"text": "Write the lesson that prepares learners for this quiz here."}],
        }],
        "quiz": {"questions": conversion.questions},
    }


class _Dumper(yaml.SafeDumper):
    """Writes YAML as an author would: lists indented, text of several lines as a `|` block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _mapping(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=False)


def _sequence(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Short lists of one-line texts read best on one line: [IND, Investigational New Drug].
    flow = all(isinstance(item, str | int | float) and "\n" not in str(item) for item in value)
    flow = flow and sum(len(str(item)) + 2 for item in value) <= 72
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(dict, _mapping)
_Dumper.add_representer(list, _sequence)


def module_yaml(document: dict[str, Any], header: str = "") -> str:
    """The YAML text of a module document, after `header` (comment lines).

    PyYAML quotes any text that YAML 1.1 would read as something else (`No`, `yes`, `1.5`,
    `null`), so every text stays text whichever YAML reader opens the file.
    """
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100, indent=2)
    return header + body

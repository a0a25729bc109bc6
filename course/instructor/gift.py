"""Moodle GIFT question banks, converted into a module's quiz.

GIFT (https://docs.moodle.org/en/GIFT_format) is plain text: questions separated by blank
lines, `//` comment lines, an optional `::title::`, an optional `[format]`, and the answers in
braces. What maps onto the authoring format:

| GIFT                                   | becomes                                       |
| -------------------------------------- | --------------------------------------------- |
| `{=right ~wrong}`                      | `single`                                      |
| `{=right ~%25%partly ~wrong}`          | `single`; `partly` has `credit: 0.25`         |
| `{~%50%a ~%50%b ~%-50%c}` (no `=`)     | `multiple` by credit (positive weights right, |
|                                        | even one: no `=` is Moodle's multiple-answer) |
| `{=a =b ~c}`                           | `multiple` (the `=` options are right)        |
| `{T}` `{TRUE}` `{F}` `{FALSE}`         | `true_false`, with both feedbacks             |
| `{=a =b}`                              | `short` (`*` wildcards become a regex)        |
| `{=a =%50%b#why}`                      | `short`; `b` is `{text, credit: 0.5, feedback}` |
| `{=a =%0%b#why}`                       | `short`; `b` is a `wrong` answer              |
| `{=a -> b =c -> d}`                    | `match` (`= -> x` is a distractor)            |
| `{=a -> x =b -> x =c -> y}`            | `categorize` (answers shared: categories)     |
| `{>3 ALL ... ` one item a line `}`     | `order` (Moodle's ordering type)              |
| `{#5:0.5}`, `{#1..3}`                  | `numeric` (a range: midpoint ± half-width)    |
| `{#=5:0.5#why =%50%5:2}`               | `numeric` with `answers`, each with its credit |
| `#feedback` after an answer            | the option's or the answer's `feedback`       |
| `####feedback` at the end              | `explanation`                                 |
| `$CATEGORY: a/b`                       | a tag on the questions that follow            |
| `// [id:x] [tag:y]` before a question  | the id after the module id, and a tag         |
| text before and after the braces       | the prompt, with the blank shown as `_____`   |

What does not map is reported by line and left out: essays (`{}`), descriptions (text with no
braces), true/false or matching answers in the middle of a sentence, and anything that breaks
the format's rules (a `single` with two identical options, say). What maps with a loss is
converted and noted: a penalty (negative weight) where the question cannot go below 0, wrong
numeric answers, right answers of a select-all question whose weights miss 100% (scaled to),
feedback on matching pairs, HTML turned into plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

import yaml
from pydantic import ValidationError

from course.instructor.moodle_bank import split_category
from course.material.yaml_source import FORBIDDEN_CHARS
from quizzes.questions import CREDIT_SLACK, ContentError, Question, adapter

BLANK = "_____"

Note = Callable[..., None]
"""Where a conversion notes a loss: `note(text)`, or `note(text, line)` at a line of the file."""
_QUESTION = adapter(Question)
_COMMENT = re.compile(r"^\s*//")
_FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%\s*(-?\d+(?:\.\d+)?)\s*%")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*\.\.\s*({_NUMBER})\s*$")
_VALUE = re.compile(rf"^\s*({_NUMBER})\s*(?::\s*({_NUMBER}))?\s*$")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)$", re.IGNORECASE)
_MARK = re.compile(r"\[(id|tag):((?:\\.|[^\]\\\n])*)\]")
_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\", "n": "\n"}


@dataclass(frozen=True, order=True)
class Message:
    """Something to tell the author about the GIFT file, at a line (1-based)."""

    line: int | None
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
    """One GIFT item: its lines without comments, the file line of each, and its comments
    (where Moodle writes a question's `[id:...]` and `[tag:...]`)."""

    def __init__(self, lines: Sequence[tuple[int, str]], comments: Sequence[str] = ()) -> None:
        self.numbers = [number for number, _ in lines]
        self.text = "\n".join(text for _, text in lines)
        self.comments = "\n".join(comments)

    def line_at(self, offset: int) -> int:
        """The file line of the character at `offset` in `text`."""
        return self.numbers[min(self.text.count("\n", 0, max(offset, 0)), len(self.numbers) - 1)]


def _blocks(text: str) -> Iterator[_Block]:
    """Items separated by blank lines (as Moodle reads them: a blank line always ends one)."""
    lines: list[tuple[int, str]] = []
    comments: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _COMMENT.match(line):
            comments.append(line)
            continue
        if not line.strip():
            if lines:
                yield _Block(lines, comments)
            lines, comments = [], []
            continue
        lines.append((number, line))
    if lines:
        yield _Block(lines, comments)


def comment_marks(comments: str) -> tuple[str | None, list[str]]:
    """The `[id:...]` and `[tag:...]` marks Moodle writes in the comments before a question
    (`\\]` is a bracket inside one; a mark does not run over a line end)."""
    idnumber: str | None = None
    tags: list[str] = []
    for kind, value in _MARK.findall(comments):
        value = re.sub(r"\\(.)", r"\1", value).strip()
        if not value:
            continue
        if kind == "id":
            idnumber = idnumber or value
        elif value not in tags:
            tags.append(value)
    return idnumber, tags


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
    line: int | None


class _Item:
    """The parts of one GIFT question, being converted."""

    def __init__(self, block: _Block, category: str | None) -> None:
        self.block = block
        self.category = category
        self.title: str | None = None
        self.idnumber, self.tags = comment_marks(block.comments)
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
            block = _Block(list(zip(block.numbers[1:], block.text.split("\n")[1:], strict=True)),
                           block.comments.split("\n"))
        item = _Item(block, category)
        try:
            question = _question(item)
            question["id"] = _unique_id(module_id, item.title, question["prompt"], ids,
                                        item.idnumber)
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
    return "/".join(split_category(raw)) or None


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
    general = _find(body, "####")
    explanation = None
    if general >= 0:
        explanation = item.text(body[general + 4:]) or None
        body = body[:general]
    body_offset = opening + 1
    kind = _answers_kind(body)
    embedded = bool(after.strip())
    if embedded and kind in ("true_false", "match", "order") and not any(
            char.isalnum() for char in after):
        # Only punctuation after the answers: no blank to fill, so it closes the question.
        item.note(f"the text after the answers ({after.strip()!r}) ends the question text")
        before, after, embedded = before.rstrip() + after.strip(), "", False
    prompt = item.text(before + BLANK + after if embedded else before)
    if not prompt:
        raise _Skip("the question has no text before its answers")
    question: dict[str, Any] = {"id": "", "type": "", "prompt": prompt}
    if kind == "essay":
        raise _Skip("an essay question (empty braces {}) is marked by hand; it has no type here")
    if embedded and kind in ("true_false", "match"):
        name = "true/false" if kind == "true_false" else "matching"
        raise _Skip(f"a {name} answer in the middle of a sentence does not convert;"
                    " move the braces to the end of the question")
    if kind == "order":
        if embedded:
            raise _Skip("an ordering answer in the middle of a sentence does not convert;"
                        " move the braces to the end of the question")
        question.update(_ordering(item, body, body_offset))
    elif kind == "true_false":
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
    tags = [item.category] if item.category else []
    tags += [tag for tag in item.tags if tag not in tags]
    if tags:
        question["tags"] = tags
    return question


def _answers_kind(body: str) -> str:
    content = body.strip()
    if not content:
        return "essay"
    if content.startswith(">"):
        return "order"
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


def _credit(weight: float) -> int | float:
    """A Moodle weight in percent as a credit: 25 becomes 0.25."""
    return _number(round(weight / 100, 7))


def _choice(item: _Item, answers: list[_Answer]) -> dict[str, Any]:
    read = [replace(answer, text=item.text(answer.text)) for answer in answers]
    return choice(item.note, read, one_answer=any(a.marker == "=" for a in answers))


def choice(note: Note, answers: list[_Answer], *, one_answer: bool) -> dict[str, Any]:
    """Moodle's multiple-choice answers (their text already read) as a `single` or `multiple`
    question.

    With an `=` answer (GIFT) or `<single>true</single>` (Moodle XML), Moodle makes a
    one-answer question: `~%25%` on another answer is part credit for a wrong answer, not a
    second right one. Otherwise it is Moodle's multiple-answer question, even with one right
    answer: weights pick the right answers, and each weight is the option's credit.
    """
    def correct(answer: _Answer) -> bool:
        if one_answer:
            return answer.marker == "="
        return answer.weight is not None and answer.weight > 0

    right = [a for a in answers if correct(a)]
    if not right:
        raise _Skip("no answer is marked right (= or a positive %weight%)")
    single = one_answer and len(right) == 1
    options = []
    for answer in answers:
        option: dict[str, Any] = {"text": answer.text}
        if correct(answer):
            option["correct"] = True
        if one_answer and not correct(answer) and answer.weight:
            option.update(_part_credit(note, answer, single))
        elif not one_answer and answer.weight:
            option["credit"] = _credit(max(min(answer.weight, 100), -100))
        if answer.feedback:
            option["feedback"] = answer.feedback
        options.append(option)
    if single and not _is_full(right[0]):
        note(f"the only right answer is worth {right[0].weight:g}%; it converts as a"
             " single question worth full marks", right[0].line)
    if single:
        return {"type": "single", "options": options}
    if one_answer:
        note("several answers are marked = (each right on its own in Moodle); it converts"
             " to a multiple question in which learners pick all of them")
        return {"type": "multiple", "options": options}
    return {"type": "multiple", "options": _credits_of_right_answers(note, options)}


def _part_credit(note: Note, answer: _Answer, single: bool) -> dict[str, Any]:
    """The credit of a wrong answer (`~%25%`) beside an `=` one, or a note of why it has none."""
    weight = answer.weight or 0.0
    if single and 0 < weight < 100:
        return {"credit": _credit(weight)}
    if weight < 0:
        note(f"the wrong answer {answer.text!r} takes {-weight:g}% off in Moodle; a one-answer"
             " question here never goes below 0, so it earns nothing", answer.line)
    else:
        note(f"the wrong answer {answer.text!r} earns {weight:g}% in Moodle; it converts as"
             " wrong, earning nothing", answer.line)
    return {}


def _credits_of_right_answers(note: Note, options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The options, their right answers' credits adding up to 1 as the format asks.

    Moodle checks that a select-all question's positive weights make 100% when the question is
    saved, but not when a file is imported: weights that do not are scaled to."""
    right = [o for o in options if o.get("correct")]
    total = sum(o["credit"] for o in right)
    if abs(total - 1) > CREDIT_SLACK:
        note(f"the right answers' weights add up to {total * 100:g}%; they were scaled to"
             " add up to 100%")
        for option in right:
            option["credit"] = _number(round(option["credit"] / total, 7))
    return options


def _short(item: _Item, answers: list[_Answer]) -> dict[str, Any]:
    read = [replace(answer, text=item.text(answer.text)) for answer in answers]
    return short_answer(item.note, read)


def short_answer(note: Note, answers: list[_Answer], *,
                 case_sensitive: bool = False) -> dict[str, Any]:
    """Moodle's short answers (their text already read) as a `short` question: full marks
    accepted, part marks accepted with their credit, no marks kept as expected wrong answers
    when they have feedback. `*` is any text (the answers become a regex) and `\\*` a star."""
    if not any(_is_full(a) for a in answers):
        raise _Skip("no answer is worth full marks, so no accepted answer is left")
    kept: list[tuple[_Answer, float]] = []
    for answer in answers:
        weight = 100.0 if _is_full(answer) else answer.weight or 0.0
        if weight <= 0 and answer.text.strip() == "*":
            # Moodle's "any other answer": the course has no such catch-all feedback.
            note("the feedback for any other answer (*) does not convert; it was left out",
                 answer.line)
            continue
        if weight <= 0 and not answer.feedback:
            note(f"the answer {answer.text!r} earns nothing and has no feedback; it was left"
                 " out", answer.line)
            continue
        if weight < 0:
            note(f"the answer {answer.text!r} takes {-weight:g}% off in Moodle; here it earns"
                 " nothing, as an expected wrong answer", answer.line)
        kept.append((answer, weight))
    pieces = [re.split(r"(?<!\\)\*", answer.text) for answer, _ in kept]
    wildcard = any(len(parts) > 1 for parts in pieces)
    if wildcard:
        # Moodle's `*` matches any characters, ignoring case unless told: as a regex here.
        flag = "" if case_sensitive else "(?i)"
        texts = [flag + ".*".join(re.escape(part.replace("\\*", "*")) for part in parts)
                 for parts in pieces]
        note("the * wildcard converts to a regular expression (match: regex)")
    else:
        texts = [answer.text.replace("\\*", "*") for answer, _ in kept]
    accept: list[str | dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    for (answer, weight), text in zip(kept, texts, strict=True):
        entry: dict[str, Any] = {"text": text}
        if 0 < weight < 100:
            entry["credit"] = _credit(weight)
        if answer.feedback:
            entry["feedback"] = answer.feedback
        if weight > 0:
            accept.append(entry if len(entry) > 1 else text)
        else:
            wrong.append(entry)
    result: dict[str, Any] = {"type": "short", "accept": accept}
    if wrong:
        result["wrong"] = wrong
    if wildcard:
        result["match"] = "regex"
    elif case_sensitive:
        result["match"] = "exact"
    return result


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
    return match_or_categorize(item.note, pairs, distractors)


def match_or_categorize(note: Note, pairs: list[list[str]],
                        distractors: list[str]) -> dict[str, Any]:
    """A Moodle matching question as a `match`, or as a `categorize` when several left items
    share a right one (each right item a category): how ivstem's categorize questions go to
    Moodle and come back."""
    rights = [right for _, right in pairs]
    if len(set(rights)) == len(rights):
        result: dict[str, Any] = {"type": "match", "pairs": pairs}
        if distractors:
            result["distractors"] = distractors
        return result
    note("several items share the same answer, so the matching question converts to a"
         " categorize question (each answer a category)")
    categories = list(dict.fromkeys(rights + distractors))
    return {"type": "categorize", "categories": categories,
            "items": [{"text": left, "category": right} for left, right in pairs]}


_ORDER_HEAD = re.compile(
    r"^\s*>\s*(?P<count>\d+)\s*(?P<select>ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?\s*"
    r"(?P<layout>HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?\s*(?P<grading>[A-Z_]+)?\s*"
    r"(?P<show>SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?\s*(?P<numbering>none|123|abc|ABCD|iii|IIII)?"
    r"[ \t]*(?:\n|$)")


def _ordering(item: _Item, body: str, offset: int) -> dict[str, Any]:
    # Moodle's ordering type (standard from Moodle 4.4): `{>COUNT SELECT LAYOUT GRADING SHOW
    # NUMBERING` then one item a line, read as written (no escapes are undone there).
    head = _ORDER_HEAD.match(body.strip())
    if head is None:
        raise _Skip("an ordering answer starts with >COUNT (and optional words such as ALL"
                    " VERTICAL ALL_OR_NOTHING) and lists one item a line",
                    item.block.line_at(offset))
    items = [line.strip() for line in body.strip()[head.end():].split("\n") if line.strip()]
    return ordering(item.note, items, select=head.group("select") or "RANDOM",
                    count=int(head.group("count")), grading=head.group("grading") or "")


def ordering(note: Note, items: list[str], *, select: str, count: int,
             grading: str) -> dict[str, Any]:
    """A Moodle ordering question as an `order` question, with what does not carry over
    noted."""
    select = select.upper()
    if select not in ("ALL", "EXACT") and 2 <= count < len(items):
        note(f"Moodle shows {count} of the {len(items)} items at a time; here the learner"
             " orders them all")
    grading = grading.upper()
    if grading == "ALL_OR_NOTHING":
        scoring = "all_or_nothing"
    else:
        scoring = "partial"
        if grading not in ("ABSOLUTE_POSITION", "ABSOLUTE", "ABS"):
            name = grading or "RELATIVE_NEXT_EXCLUDE_LAST (Moodle's default)"
            note(f"Moodle grades this order by {name}; here each item in its right place"
                 " earns its share")
    return {"type": "order", "items": items, "scoring": scoring}


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
    # As Moodle reads it: everything from the first `~` is feedback for any other number;
    # before it, answers start with `=` (the first may go without).
    lead = len(body) - len(body.lstrip()) + 1
    content = body.strip()[1:]
    tilde = _find(content, "~")
    other = None
    if tilde >= 0:
        other = item.block.line_at(offset + lead + tilde)
        content = content[:tilde]
    starts = [index for index in range(len(content))
              if content[index] == "=" and (index == 0 or content[index - 1] != "\\")]
    bounds = [*starts, len(content)]
    pieces = [(0, content[:bounds[0]])]
    pieces += [(bounds[i], content[bounds[i]:bounds[i + 1]]) for i in range(len(starts))]
    answers = []
    for start, piece in pieces:
        if not piece.strip():
            continue
        raw = piece[1:] if piece.startswith("=") else piece
        weight = None
        found = _WEIGHT.match(raw)
        if found:
            weight = float(found.group(1))
            raw = raw[found.end():]
        parts = _split(raw, "#")
        feedback = item.text("#".join(parts[1:])) if len(parts) > 1 else None
        answer = _Answer("=", parts[0], weight, feedback or None,
                         item.block.line_at(offset + lead + start))
        answers.append(_Number(*_number_and_tolerance(answer), weight, answer.feedback,
                               answer.line))
    return numeric(item.note, answers, other_line=other)


@dataclass
class _Number:
    """One numeric answer as Moodle holds it: the number, its tolerance, its weight in percent
    (None for full marks), its feedback and the line it is on."""

    value: float
    tolerance: float
    weight: float | None
    feedback: str | None
    line: int | None


def numeric(note: Note, answers: list[_Number], *, other_line: int | None = None) -> dict[str, Any]:
    """Moodle's numerical answers as a `numeric` question: one number worth full marks as
    `answer` and `tolerance`, several (or with part credit or feedback) as `answers`."""
    wrong = [a for a in answers if a.weight is not None and a.weight <= 0]
    if wrong or other_line is not None:
        note("answers marked ~ or worth 0% in a numeric question (wrong answers with"
             " feedback) do not convert; they were left out",
             other_line if other_line is not None else wrong[0].line)
    accepted = [a for a in answers if a not in wrong]
    if not any(a.weight is None or a.weight >= 100 for a in accepted):
        raise _Skip("no numeric answer is worth full marks")
    entries = []
    for answer in accepted:
        entry: dict[str, Any] = {"answer": _number(answer.value),
                                 "tolerance": _number(answer.tolerance)}
        if answer.weight is not None and answer.weight < 100:
            entry["credit"] = _credit(answer.weight)
        if answer.feedback:
            entry["feedback"] = answer.feedback
        entries.append(entry)
    if len(entries) == 1 and set(entries[0]) == {"answer", "tolerance"}:
        return {"type": "numeric", **entries[0]}
    return {"type": "numeric", "answers": entries}


def _number_and_tolerance(answer: _Answer) -> tuple[float, float]:
    """`5:0.5` or `4.5..5.5` as (5, 0.5): a range is its midpoint give or take half its width."""
    value = _unescape(answer.text)
    ranged = _RANGE.match(value)
    if ranged:
        low, high = sorted((float(ranged.group(1)), float(ranged.group(2))))
        # Twelve significant digits keep 3.141..3.142 from reading 3.1414999999999997.
        return float(f"{(low + high) / 2:.12g}"), float(f"{(high - low) / 2:.12g}")
    plain = _VALUE.match(value)
    if not plain:
        raise _Skip(f"{value.strip()!r} is not a number, number:tolerance or low..high",
                    answer.line)
    return float(plain.group(1)), abs(float(plain.group(2))) if plain.group(2) else 0.0


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


# -- ids and checks -----------------------------------------------------------------------


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug.strip("-")


def _unique_id(module_id: str, title: str | None, prompt: str, taken: set[str],
               idnumber: str | None = None) -> str:
    # Question ids must be unique in the whole course: prefixed with the module id, they stay
    # apart from other modules' questions.
    words = " ".join(prompt.replace(BLANK, " ").split()[:6])
    name = _slug(idnumber or "", limit=80) or _slug(title or "") or _slug(words) or "question"
    # A question exported from this module keeps its id rather than gaining a second prefix.
    base = name if name.startswith(f"{module_id}-") else f"{module_id}-{name}"
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

"""The course as a printable handout: Markdown, or one self-contained HTML file.

Every lesson in order, then the glossary and the references. Questions are shown as a
worksheet (options listed in the order learners would see them, nothing marked); the
instructor's copy (`answers=True`) adds the key: correct options, accepted answers, numbers
with their tolerance, orders, pairs, categories, feedback and explanations.

The HTML loads nothing: the stylesheet is inline, there are no scripts, fonts or images.
Course text is Markdown rendered by markdown-it with raw HTML turned off, so any HTML an author
wrote is shown as text, never passed through; `glossary:` and `ref:` links become links to the
glossary and reference entries in the same document.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from course.markdown_text import plain_text
from course.model import (
    CalloutStep,
    CheckStep,
    Course,
    Lesson,
    Module,
    Reference,
    ScenarioStep,
    Term,
    TextStep,
)
from course.rules import LINK
from quizzes.answers import format_number
from quizzes.presentation import present, right_ids
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
from quizzes.scenario import Scenario

FORMATS = ("markdown", "html")

#: The "learner" whose seeded shuffle sets the worksheet order, so every export of a course
#: lists options the same way and the key printed beside them stays right.
HANDOUT_SEED = "handout"

_TYPE_NAMES = {
    "single": "one answer",
    "multiple": "one or more answers",
    "true_false": "true or false",
    "short": "short answer",
    "numeric": "number",
    "order": "ordering",
    "match": "matching",
    "categorize": "sorting",
}
_CALLOUT_NAMES = {"key": "Key point", "note": "Note", "warning": "Warning", "myth": "Myth"}
_MATCHING = {
    "normalized": "case, spacing and punctuation are ignored",
    "exact": "exactly as written (spaces around the answer ignored)",
    "regex": "each accepted answer is a regular expression",
}


def render(course: Course, fmt: str, *, answers: bool = False) -> str:
    """The handout of `course` in `fmt` (`markdown` or `html`)."""
    if fmt == "markdown":
        return render_markdown(course, answers=answers)
    if fmt == "html":
        return render_html(course, answers=answers)
    raise ValueError(f"unknown handout format {fmt!r}; use one of {', '.join(FORMATS)}")


def render_markdown(course: Course, *, answers: bool = False) -> str:
    """The handout as Markdown (CommonMark, with `<a id>` anchors for in-document links)."""
    return _MarkdownHandout(course, answers).document()


def render_html(course: Course, *, answers: bool = False) -> str:
    """The handout as one self-contained, print-friendly HTML page."""
    return _HtmlHandout(course, answers).document()


# -- Markdown of course text ------------------------------------------------------------------


def _image_as_link(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
    env: EnvType,
) -> str:
    # An image would be fetched when the page opens; the handout loads nothing, so an image
    # becomes a plain link to it.
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    src = html.escape(str(token.attrGet("src") or ""))
    return f'<a href="{src}">[image: {html.escape(alt)}]</a>'


def _markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.add_render_rule("image", _image_as_link)
    return md


_MD = _markdown_parser()


def local_links(text: str) -> str:
    """Markdown `text` with `glossary:ID` and `ref:ID` links pointing inside the handout."""
    if "](" not in text:
        return text

    def target(match: Any) -> str:
        scheme, ident = match.group("scheme"), match.group("target")
        if scheme == "glossary":
            return f"[{match.group('label')}](#term-{ident})"
        if scheme == "ref":
            return f"[{match.group('label')}](#ref-{ident})"
        return str(match.group(0))

    return LINK.sub(target, text)


# -- what a question shows, for either format ---------------------------------------------


@dataclass
class _Line:
    """One listed thing of a question: an option, an item, a choice or a category."""

    marker: str  # "A.", "1." or "" (Markdown-free text)
    text: str  # Markdown, one line
    correct: bool = False  # shown as right in the key
    note: str | None = None  # feedback, Markdown (key only)
    blank_before: bool = False  # a space to write in, before the text (order)
    blank_after: bool = False  # a space to write in, after the text (match, categorize)


@dataclass
class _Part:
    caption: str | None
    lines: list[_Line]


@dataclass
class _Sheet:
    """A question laid out as a worksheet, with its key when the handout has answers."""

    anchor: str
    label: str
    details: str
    prompt: str  # Markdown
    instruction: str
    parts: list[_Part] = field(default_factory=list)
    answer_space: str | None = None  # plain text after a blank, e.g. a unit
    has_answer_space: bool = False
    key: list[tuple[str, str]] = field(default_factory=list)  # (label, Markdown)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _sheet(question: Question, label: str, answers: bool, course: Course) -> _Sheet:
    details = [_TYPE_NAMES[question.type]]
    if question.points != 1:
        details.append(f"{format_number(question.points)} points")
    if answers:
        details.append(f"id {question.id}")
    sheet = _Sheet(f"q-{question.id}", label, " · ".join(details), question.prompt, "")
    shown = present(question, HANDOUT_SEED)
    key = sheet.key
    if isinstance(question, SingleQuestion | MultipleQuestion):
        sheet.instruction = ("Choose one." if isinstance(question, SingleQuestion)
                             else "Choose all that apply.")
        lines = []
        right = []
        for place, index in enumerate(shown.order):
            option = question.options[index]
            marker = f"{_letter(place)}."
            lines.append(_Line(marker, option.text, correct=answers and option.correct,
                               note=option.feedback if answers else None))
            if option.correct:
                right.append(f"{_letter(place)} ({option.text})")
        sheet.parts.append(_Part(None, lines))
        key.append(("Answer" if len(right) == 1 else "Answers", "; ".join(right)))
        if isinstance(question, MultipleQuestion):
            key.append(("Scoring", "partial credit: right picks less wrong picks"
                        if question.scoring == "partial" else "all or nothing"))
    elif isinstance(question, TrueFalseQuestion):
        sheet.instruction = "True or false?"
        sheet.parts.append(_Part(None, [
            _Line("", "True", correct=answers and question.answer),
            _Line("", "False", correct=answers and not question.answer),
        ]))
        key.append(("Answer", "True" if question.answer else "False"))
        if question.feedback is not None:
            if question.feedback.true:
                key.append(("Feedback on True", question.feedback.true))
            if question.feedback.false:
                key.append(("Feedback on False", question.feedback.false))
    elif isinstance(question, ShortQuestion):
        sheet.instruction = "Write your answer."
        sheet.has_answer_space = True
        if question.match == "regex":
            accepted = "; ".join(f"`{pattern}`" for pattern in question.accept)
        else:
            accepted = "; ".join(question.accept)
        key.append(("Accepted", accepted))
        matching = _MATCHING[question.match]
        if question.ignore_accents:
            matching += "; accents are ignored"
        key.append(("Matching", matching))
    elif isinstance(question, NumericQuestion):
        sheet.instruction = "Write a number."
        sheet.has_answer_space = True
        sheet.answer_space = question.unit or None
        answer = format_number(question.answer)
        if question.tolerance:
            answer += f" ± {format_number(question.tolerance)}"
        if question.unit:
            answer += f" {question.unit}"
        key.append(("Answer", answer))
    elif isinstance(question, OrderQuestion):
        sheet.instruction = "Number the items in the right order."
        sheet.parts.append(_Part(None, [
            _Line("", question.items[index], blank_before=True) for index in shown.order
        ]))
        key.append(("Correct order", " → ".join(question.items)))
        if question.scoring == "partial":
            key.append(("Scoring", "partial credit: the share of items in place"))
    elif isinstance(question, MatchQuestion):
        sheet.instruction = "Write beside each item the letter of the one it goes with."
        column = shown.right_column or right_ids(question)
        letters = {ident: _letter(place) for place, ident in enumerate(column)}
        texts = dict(zip(right_ids(question),
                         [right for _, right in question.pairs] + list(question.distractors),
                         strict=True))
        sheet.parts.append(_Part(None, [
            _Line(f"{number}.", left, blank_after=True)
            for number, (left, _) in enumerate(question.pairs, start=1)
        ]))
        sheet.parts.append(_Part("Choices", [
            _Line(f"{letters[ident]}.", texts[ident]) for ident in column
        ]))
        key.append(("Pairs", "; ".join(
            f"{number} → {letters[f'r{index}']} ({left} → {right})"
            for index, (number, (left, right)) in enumerate(
                enumerate(question.pairs, start=1))
        )))
        if question.distractors:
            key.append(("Match nothing", "; ".join(
                f"{letters[f'd{index}']} ({text})" for index, text in
                enumerate(question.distractors))))
    elif isinstance(question, CategorizeQuestion):
        sheet.instruction = "Write beside each item the letter of its category."
        sheet.parts.append(_Part("Categories", [
            _Line(f"{_letter(index)}.", category)
            for index, category in enumerate(question.categories)
        ]))
        sheet.parts.append(_Part("Items", [
            _Line("", question.items[index].text, blank_after=True) for index in shown.order
        ]))
        for index, category in enumerate(question.categories):
            members = [item.text for item in question.items if item.category == category]
            key.append((f"{_letter(index)} ({category})", "; ".join(members) or "nothing"))
    if question.hint:
        key.append(("Hint (shown on request)", question.hint))
    if question.explanation:
        key.append(("Explanation", question.explanation))
    if question.refs:
        key.append(("Sources", "; ".join(_ref_link(course, ref) for ref in question.refs)))
    if not answers:
        sheet.key = []
    return sheet


def _ref_link(course: Course, ref_id: str) -> str:
    reference = course.reference(ref_id)
    label = ref_id if reference is None else _short(reference.citation)
    return f"[{_escape_md(label)}](#ref-{ref_id})"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _escape_md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


# -- scenarios as trees -------------------------------------------------------------------


@dataclass
class _Branch:
    """A node of a scenario as reached by one choice; `seen` when shown earlier in the tree."""

    name: str
    label: str | None  # the choice that leads here (None at the start)
    text: str | None  # the question asked here (Markdown)
    end: str | None  # the ending (Markdown)
    seen: bool = False
    children: list[_Branch] = field(default_factory=list)


def _scenario_tree(scenario: Scenario) -> _Branch:
    shown: set[str] = set()

    def branch(name: str, label: str | None) -> _Branch:
        node = scenario.nodes[name]
        if node.end is not None:
            return _Branch(name, label, None, node.end)
        if name in shown:
            return _Branch(name, label, node.text, None, seen=True)
        shown.add(name)
        result = _Branch(name, label, node.text, None)
        result.children = [branch(choice.goto, choice.label) for choice in node.choices]
        return result

    return branch(scenario.start, None)


# -- the walk, shared by both formats -----------------------------------------------------


class _Handout:
    """Walks the course in order; the subclasses write each part in their format."""

    def __init__(self, course: Course, answers: bool) -> None:
        self.course = course
        self.answers = answers
        self.out: list[str] = []

    def document(self) -> str:
        """The whole handout: front matter, modules in order, glossary, references."""
        course = self.course
        self.begin()
        for number, module in enumerate(course.modules, start=1):
            self.module(number, module)
        if course.glossary.terms:
            self.glossary(course.glossary.terms)
        if course.references.references:
            self.references(course.references.references)
        self.finish()
        return "".join(self.out)

    def byline(self) -> str:
        """Version, authors and licence, on one line."""
        manifest = self.course.manifest
        parts = [f"Version {manifest.version}"]
        if manifest.authors:
            parts.append("By " + ", ".join(manifest.authors))
        if manifest.license:
            parts.append(f"Licence: {manifest.license}")
        return " · ".join(parts)

    def module_facts(self, module: Module) -> str:
        """Time, review date, jurisdiction and prerequisites of a module, on one line."""
        facts = []
        if module.estimated_minutes:
            facts.append(f"About {module.estimated_minutes} minutes")
        if module.reviewed:
            facts.append(f"Facts reviewed {module.reviewed}")
        if module.jurisdiction:
            facts.append("Jurisdiction: " + ", ".join(module.jurisdiction))
        requires = self.course.prerequisites(module)
        if requires:
            titles = [m.title for r in requires if (m := self.course.module(r)) is not None]
            facts.append("After: " + "; ".join(titles))
        return " · ".join(facts)

    def quiz_facts(self, module: Module) -> str:
        """How many questions a quiz asks, and its pass mark."""
        quiz = module.quiz
        assert quiz is not None
        count = len(quiz.questions)
        asked = f"{count} questions" if count != 1 else "1 question"
        if quiz.draw is not None and quiz.draw < count:
            asked += f"; each attempt asks {quiz.draw} of them"
        mark = round(self.course.pass_mark(module) * 100, 1)
        return f"{asked}. Pass mark: {format_number(mark)}% of the points."

    def module(self, number: int, module: Module) -> None:
        """A module: its heading and facts, its lessons, then its quiz."""
        self.module_start(number, module)
        for lesson_number, lesson in enumerate(module.lessons, start=1):
            self.lesson(f"{number}.{lesson_number}", module, lesson)
        if module.quiz is not None:
            self.quiz_start(module)
            for index, question in enumerate(module.quiz.questions, start=1):
                self.question(_sheet(question, f"Question {index}", self.answers, self.course))
        self.module_end()

    def lesson(self, number: str, module: Module, lesson: Lesson) -> None:
        """A lesson: its heading, then each step in order."""
        self.lesson_start(number, module, lesson)
        for step in lesson.steps:
            if isinstance(step, TextStep):
                self.prose(step.text)
            elif isinstance(step, CalloutStep):
                callout = step.callout
                heading = _CALLOUT_NAMES[callout.kind]
                if callout.title:
                    heading += f": {callout.title}"
                self.callout(callout.kind, heading, callout.text)
            elif isinstance(step, CheckStep):
                self.question(_sheet(step.check, "Practice question", self.answers, self.course))
            elif isinstance(step, ScenarioStep):
                self.scenario(module, step.scenario)

    # what the subclasses write --------------------------------------------------------------

    def begin(self) -> None:
        """Title, byline, summary, disclaimer and contents."""
        raise NotImplementedError

    def finish(self) -> None:
        """Close the document."""
        raise NotImplementedError

    def module_start(self, number: int, module: Module) -> None:
        """A module's heading, facts, summary and objectives."""
        raise NotImplementedError

    def module_end(self) -> None:
        """Close a module (HTML closes its section)."""

    def lesson_start(self, number: str, module: Module, lesson: Lesson) -> None:
        """A lesson's heading, with its anchor."""
        raise NotImplementedError

    def quiz_start(self, module: Module) -> None:
        """A quiz's heading and facts."""
        raise NotImplementedError

    def prose(self, text: str) -> None:
        """Markdown course text as a block."""
        raise NotImplementedError

    def callout(self, kind: str, heading: str, text: str) -> None:
        """A boxed note."""
        raise NotImplementedError

    def question(self, sheet: _Sheet) -> None:
        """A question as a worksheet, with its key when there is one."""
        raise NotImplementedError

    def scenario(self, module: Module, scenario: Scenario) -> None:
        """A scenario as nested lists, from its start to every ending."""
        raise NotImplementedError

    def glossary(self, terms: Sequence[Term]) -> None:
        """The glossary, each term with its anchor."""
        raise NotImplementedError

    def references(self, references: Sequence[Reference]) -> None:
        """The references, numbered, each with its anchor."""
        raise NotImplementedError


_ANSWERS_BANNER = "Instructor's copy: this handout contains the answers."


# -- Markdown -----------------------------------------------------------------------------


def _indent(text: str, prefix: str) -> str:
    """Every line after the first indented by `prefix` (for list items and quotes)."""
    lines = text.strip("\n").split("\n")
    return "\n".join([lines[0], *[(prefix + line) if line.strip() else "" for line in lines[1:]]])


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip("\n").split("\n"))


def _md_blank() -> str:
    return "\\_\\_\\_\\_\\_\\_\\_\\_"


class _MarkdownHandout(_Handout):
    def write(self, *chunks: str) -> None:
        self.out.extend(chunks)

    def begin(self) -> None:
        course = self.course
        self.write(f"# {course.title}\n\n*{_escape_md(self.byline())}*\n\n")
        if self.answers:
            self.write(f"> **{_ANSWERS_BANNER}**\n\n")
        self.prose(course.manifest.summary)
        if course.manifest.disclaimer:
            self.write(_quote(local_links(course.manifest.disclaimer)), "\n\n")
        self.write("## Contents\n\n")
        for number, module in enumerate(course.modules, start=1):
            self.write(f"{number}. [{_escape_md(module.title)}](#module-{module.id})\n")
        if course.glossary.terms:
            self.write("- [Glossary](#glossary)\n")
        if course.references.references:
            self.write("- [References](#references)\n")
        self.write("\n")

    def finish(self) -> None:
        self.out[-1] = self.out[-1].rstrip("\n") + "\n"

    def module_start(self, number: int, module: Module) -> None:
        self.write(f'<a id="module-{module.id}"></a>\n\n## {number}. {module.title}\n\n')
        facts = self.module_facts(module)
        if facts:
            self.write(f"*{_escape_md(facts)}*\n\n")
        self.prose(module.summary)
        if module.objectives:
            self.write("**Objectives**\n\n")
            for objective in module.objectives:
                self.write(f"- {_indent(local_links(objective), '  ')}\n")
            self.write("\n")

    def lesson_start(self, number: str, module: Module, lesson: Lesson) -> None:
        self.write(f'<a id="lesson-{module.id}-{lesson.id}"></a>\n\n'
                   f"### {number} {lesson.title}\n\n")

    def quiz_start(self, module: Module) -> None:
        self.write(f'<a id="quiz-{module.id}"></a>\n\n### Quiz: {module.title}\n\n'
                   f"*{self.quiz_facts(module)}*\n\n")

    def prose(self, text: str) -> None:
        self.write(local_links(text).strip("\n"), "\n\n")

    def callout(self, kind: str, heading: str, text: str) -> None:
        self.write(_quote(f"**{_escape_md(heading)}**\n\n{local_links(text)}"), "\n\n")

    def question(self, sheet: _Sheet) -> None:
        self.write(f'<a id="{sheet.anchor}"></a>\n\n**{sheet.label}** · *{sheet.details}*\n\n')
        self.prose(sheet.prompt)
        self.write(f"*{sheet.instruction}*\n\n")
        for part in sheet.parts:
            if part.caption:
                self.write(f"{part.caption}:\n\n")
            for line in part.lines:
                text = _indent(local_links(line.text), "  ")
                # "1." would start a nested ordered list inside the bullet.
                marker = line.marker.replace(".", "\\.") if line.marker[:1].isdigit() else (
                    line.marker)
                item = f"{marker} {text}".strip()
                if line.blank_before:
                    item = f"{_md_blank()} {item}"
                if line.blank_after:
                    item = f"{item} → {_md_blank()}"
                if line.correct:
                    item = f"**{item}** ✓ correct"
                if line.note:
                    item += f" — *{_indent(local_links(line.note), '  ')}*"
                self.write(f"- {item}\n")
            self.write("\n")
        if sheet.has_answer_space:
            space = f"Answer: {_md_blank()}{_md_blank()}"
            if sheet.answer_space:
                space += f" {_escape_md(sheet.answer_space)}"
            self.write(space, "\n\n")
        if sheet.key:
            body = "\n".join(
                f"**{_escape_md(label)}:** {_indent(local_links(value), '  ')}"
                + ("  " if index < len(sheet.key) - 1 else "")
                for index, (label, value) in enumerate(sheet.key)
            )
            self.write(_quote(body), "\n\n")

    def scenario(self, module: Module, scenario: Scenario) -> None:
        self.write(f"**Scenario: {_escape_md(scenario.title)}**\n\n")
        self._branch(_scenario_tree(scenario), 0)
        self.write("\n")

    def _branch(self, branch: _Branch, depth: int) -> None:
        pad = "  " * depth
        lead = f"**{_escape_md(branch.label)}** → " if branch.label is not None else ""
        if branch.end is not None:
            body = f"{lead}*Ending:* {local_links(branch.end)}"
        elif branch.seen:
            body = f"{lead}back to: {local_links(branch.text or '')}"
        else:
            body = f"{lead}{local_links(branch.text or '')}"
        self.write(f"{pad}- {_indent(body, pad + '  ')}\n")
        for child in branch.children:
            self._branch(child, depth + 1)

    def glossary(self, terms: Sequence[Term]) -> None:
        self.write('<a id="glossary"></a>\n\n## Glossary\n\n')
        for term in terms:
            name = term.term + (f" ({term.abbr})" if term.abbr else "")
            self.write(f'<a id="term-{term.id}"></a>\n\n**{_escape_md(name)}**')
            if term.aka:
                self.write(f" · *also: {_escape_md(', '.join(term.aka))}*")
            self.write("\n\n")
            self.prose(term.definition)

    def references(self, references: Sequence[Reference]) -> None:
        self.write('<a id="references"></a>\n\n## References\n\n')
        for number, reference in enumerate(references, start=1):
            text = f'{number}. <a id="ref-{reference.id}"></a>{_escape_md(reference.citation)}'
            if reference.url:
                text += f" <{reference.url}>" if _is_web(reference.url) else (
                    f" {_escape_md(reference.url)}")
            self.write(text, "\n")
        self.write("\n")


def _is_web(url: str) -> bool:
    return url.lower().startswith(("https://", "http://")) and not any(
        ch.isspace() or ch in "<>\"" for ch in url)


# -- HTML ---------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.5 Georgia, "Times New Roman", serif; color: #111; background: #fff;
  max-width: 46em; margin: 2em auto; padding: 0 1.2em; }
h1, h2, h3, .label, nav { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.9em; margin-bottom: .2em; }
h2 { font-size: 1.45em; border-bottom: 2px solid #444; padding-bottom: .15em; margin-top: 2.2em; }
h3 { font-size: 1.15em; margin-top: 1.8em; }
a { color: #14507a; }
.byline, .facts, .details { color: #555; font-size: .92em; }
.banner { border: 2px solid #a00000; color: #a00000; padding: .5em .8em; font-weight: bold; }
.disclaimer, .callout { border: 1px solid #999; border-left-width: 5px; padding: .2em 1em;
  margin: 1em 0; }
.callout.key { border-left-color: #14507a; } .callout.note { border-left-color: #777; }
.callout.warning { border-left-color: #a00000; } .callout.myth { border-left-color: #b06000; }
.callout .label { font-weight: bold; margin: .6em 0 .2em; }
.question { border: 1px solid #bbb; border-radius: 4px; padding: .2em 1em .6em; margin: 1.2em 0; }
.question .label { margin: .6em 0 .2em; }
.instruction { font-style: italic; }
.lines { list-style: none; padding-left: .5em; }
.lines li { margin: .25em 0; }
.caption { font-weight: bold; margin-bottom: 0; }
.marker { display: inline-block; min-width: 2em; font-weight: bold; }
.blank { display: inline-block; min-width: 6em; border-bottom: 1px solid #111; margin: 0 .4em; }
.wide { min-width: 16em; }
.correct { font-weight: bold; }
.tick { color: #0a6a0a; font-weight: bold; }
.note { color: #444; font-style: italic; }
.key { background: #f2f2f2; border-left: 5px solid #0a6a0a; padding: .2em .8em; margin-top: .6em; }
.key dt { font-weight: bold; margin-top: .3em; }
.key dd { margin-left: 1em; }
.key dd p { margin: .1em 0; }
.scenario ul { padding-left: 1.4em; }
.scenario .choice { font-weight: bold; }
.glossary dt { font-weight: bold; margin-top: .8em; }
.references li { margin: .4em 0; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  nav.contents { break-after: page; }
  section.module { break-before: page; }
  .question, .callout, .key { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .key, .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _md_html(text: str) -> str:
    return _MD.render(local_links(text))


def _md_inline(text: str) -> str:
    return _MD.renderInline(local_links(text))


def _md_compact(text: str) -> str:
    """One paragraph rendered without its <p> (it sits inside a list item); more as blocks."""
    tokens = _MD.parse(local_links(text))
    if [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        return _md_inline(text)
    return _md_html(text)


class _HtmlHandout(_Handout):
    def write(self, *chunks: str) -> None:
        self.out.extend(chunks)

    def begin(self) -> None:
        course = self.course
        title = course.title + (" (instructor's copy)" if self.answers else "")
        self.write(
            "<!DOCTYPE html>\n"
            f'<html lang="{_e(course.manifest.language)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            # Nothing may be loaded from elsewhere, even if a link slipped through.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
            ' style-src \'unsafe-inline\'">\n'
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"<header>\n<h1>{_e(course.title)}</h1>\n"
            f'<p class="byline">{_e(self.byline())}</p>\n'
        )
        if self.answers:
            self.write(f'<p class="banner">{_e(_ANSWERS_BANNER)}</p>\n')
        self.write(_md_html(course.manifest.summary))
        if course.manifest.disclaimer:
            self.write('<div class="disclaimer">', _md_html(course.manifest.disclaimer),
                       "</div>\n")
        self.write('</header>\n<nav class="contents">\n<h2>Contents</h2>\n<ol>\n')
        for module in course.modules:
            self.write(f'<li><a href="#module-{module.id}">{_e(module.title)}</a></li>\n')
        self.write("</ol>\n<ul>\n")
        if course.glossary.terms:
            self.write('<li><a href="#glossary">Glossary</a></li>\n')
        if course.references.references:
            self.write('<li><a href="#references">References</a></li>\n')
        self.write("</ul>\n</nav>\n<main>\n")

    def finish(self) -> None:
        self.write("</main>\n</body>\n</html>\n")

    def module_start(self, number: int, module: Module) -> None:
        self.write(f'<section class="module" id="module-{module.id}">\n'
                   f"<h2>{number}. {_e(module.title)}</h2>\n")
        facts = self.module_facts(module)
        if facts:
            self.write(f'<p class="facts">{_e(facts)}</p>\n')
        self.write(_md_html(module.summary))
        if module.objectives:
            self.write('<p class="caption">Objectives</p>\n<ul>\n')
            for objective in module.objectives:
                self.write(f"<li>{_md_inline(objective)}</li>\n")
            self.write("</ul>\n")

    def module_end(self) -> None:
        self.write("</section>\n")

    def lesson_start(self, number: str, module: Module, lesson: Lesson) -> None:
        self.write(f'<h3 id="lesson-{module.id}-{lesson.id}">{number} {_e(lesson.title)}</h3>\n')

    def quiz_start(self, module: Module) -> None:
        self.write(f'<h3 id="quiz-{module.id}">Quiz: {_e(module.title)}</h3>\n'
                   f'<p class="facts">{_e(self.quiz_facts(module))}</p>\n')

    def prose(self, text: str) -> None:
        self.write(_md_html(text))

    def callout(self, kind: str, heading: str, text: str) -> None:
        self.write(f'<aside class="callout {_e(kind)}">\n<p class="label">{_e(heading)}</p>\n',
                   _md_html(text), "</aside>\n")

    def question(self, sheet: _Sheet) -> None:
        self.write(f'<section class="question" id="{_e(sheet.anchor)}">\n'
                   f'<p class="label"><strong>{_e(sheet.label)}</strong>'
                   f' <span class="details">· {_e(sheet.details)}</span></p>\n',
                   _md_html(sheet.prompt),
                   f'<p class="instruction">{_e(sheet.instruction)}</p>\n')
        for part in sheet.parts:
            if part.caption:
                self.write(f'<p class="caption">{_e(part.caption)}</p>\n')
            self.write('<ul class="lines">\n')
            for line in part.lines:
                self.write("<li" + (' class="correct"' if line.correct else "") + ">")
                if line.blank_before:
                    self.write('<span class="blank"></span>')
                if line.marker:
                    self.write(f'<span class="marker">{_e(line.marker)}</span>')
                self.write(_md_inline(line.text))
                if line.blank_after:
                    self.write(' →<span class="blank"></span>')
                if line.correct:
                    self.write(' <span class="tick">✓ correct</span>')
                if line.note:
                    self.write(f' <span class="note">— {_md_inline(line.note)}</span>')
                self.write("</li>\n")
            self.write("</ul>\n")
        if sheet.has_answer_space:
            unit = f" {_e(sheet.answer_space)}" if sheet.answer_space else ""
            self.write(f'<p>Answer: <span class="blank wide"></span>{unit}</p>\n')
        if sheet.key:
            self.write('<div class="key">\n<p class="label"><strong>Answer key</strong></p>\n'
                       "<dl>\n")
            for label, value in sheet.key:
                self.write(f"<dt>{_e(label)}</dt>\n<dd>{_md_compact(value)}</dd>\n")
            self.write("</dl>\n</div>\n")
        self.write("</section>\n")

    def scenario(self, module: Module, scenario: Scenario) -> None:
        names = {name: index for index, name in enumerate(scenario.nodes)}
        prefix = f"sc-{module.id}-{scenario.id}"
        self.write(f'<div class="scenario">\n<p class="caption">Scenario: {_e(scenario.title)}'
                   "</p>\n<ul>\n")
        self._branch(_scenario_tree(scenario), names, prefix)
        self.write("</ul>\n</div>\n")

    def _branch(self, branch: _Branch, names: dict[str, int], prefix: str) -> None:
        anchor = f"{prefix}-{names[branch.name]}"
        lead = (f'<span class="choice">{_e(branch.label)}</span> → '
                if branch.label is not None else "")
        if branch.end is not None:
            self.write(f"<li>{lead}<em>Ending:</em> {_md_compact(branch.end)}</li>\n")
            return
        if branch.seen:
            self.write(f'<li>{lead}<a href="#{anchor}">back to: '
                       f"{_e(plain_text(branch.text or ''))}</a></li>\n")
            return
        self.write(f'<li id="{anchor}">{lead}{_md_compact(branch.text or "")}<ul>\n')
        for child in branch.children:
            self._branch(child, names, prefix)
        self.write("</ul>\n</li>\n")

    def glossary(self, terms: Sequence[Term]) -> None:
        self.write('<section class="glossary" id="glossary">\n<h2>Glossary</h2>\n<dl>\n')
        for term in terms:
            name = term.term + (f" ({term.abbr})" if term.abbr else "")
            aka = (f' <span class="details">· also: {_e(", ".join(term.aka))}</span>'
                   if term.aka else "")
            self.write(f'<dt id="term-{term.id}">{_e(name)}{aka}</dt>\n'
                       f"<dd>{_md_html(term.definition)}</dd>\n")
        self.write("</dl>\n</section>\n")

    def references(self, references: Sequence[Reference]) -> None:
        self.write('<section class="references" id="references">\n<h2>References</h2>\n<ol>\n')
        for reference in references:
            self.write(f'<li id="ref-{reference.id}">{_e(reference.citation)}')
            if reference.url:
                if _is_web(reference.url):
                    self.write(f' <a href="{_e(reference.url)}">{_e(reference.url)}</a>')
                else:
                    self.write(f" {_e(reference.url)}")
            self.write("</li>\n")
        self.write("</ol>\n</section>\n")

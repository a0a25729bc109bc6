"""The handout's walk through a course, shared by its Markdown and HTML forms.

Front matter, then every module in order (its lessons step by step, then its quiz), then the
glossary and the references. `Handout` walks; each form says how each part is written. Also
what both forms share: links made to point inside the document, and scenarios as trees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from course.instructor.handout.sheet import Sheet, question_sheet
from course.material.model import (
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
from course.material.rules import LINK
from quizzes.answers import format_number
from quizzes.questions import Question
from quizzes.scenario import Scenario

ANSWERS_BANNER = "Instructor's copy: this handout contains the answers."

_CALLOUT_NAMES = {"key": "Key point", "note": "Note", "warning": "Warning", "myth": "Myth"}


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


def is_web(url: str) -> bool:
    """True for a web address that can be a link: http(s), with nothing that could break out."""
    return url.lower().startswith(("https://", "http://")) and not any(
        ch.isspace() or ch in "<>\"" for ch in url)


@dataclass
class Branch:
    """A node of a scenario as reached by one choice; `seen` when shown earlier in the tree."""

    name: str
    label: str | None  # the choice that leads here (None at the start)
    text: str | None  # the question asked here (Markdown)
    end: str | None  # the ending (Markdown)
    seen: bool = False
    children: list[Branch] = field(default_factory=list)


def scenario_tree(scenario: Scenario) -> Branch:
    """A scenario from its start to every ending; a node reached again is shown once, then
    named (`seen`)."""
    shown: set[str] = set()

    def branch(name: str, label: str | None) -> Branch:
        node = scenario.nodes[name]
        if node.end is not None:
            return Branch(name, label, None, node.end)
        if name in shown:
            return Branch(name, label, node.text, None, seen=True)
        shown.add(name)
        result = Branch(name, label, node.text, None)
        result.children = [branch(choice.goto, choice.label) for choice in node.choices]
        return result

    return branch(scenario.start, None)


class Handout:
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

    def sheet(self, question: Question, label: str) -> Sheet:
        """`question` as a worksheet, with its key in the instructor's copy."""
        return question_sheet(question, label, self.answers, self.course)

    def module(self, number: int, module: Module) -> None:
        """A module: its heading and facts, its lessons, then its quiz."""
        self.module_start(number, module)
        for lesson_number, lesson in enumerate(module.lessons, start=1):
            self.lesson(f"{number}.{lesson_number}", module, lesson)
        if module.quiz is not None:
            self.quiz_start(module)
            for index, question in enumerate(module.quiz.questions, start=1):
                self.question(self.sheet(question, f"Question {index}"))
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
                self.question(self.sheet(step.check, "Practice question"))
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

    def question(self, sheet: Sheet) -> None:
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


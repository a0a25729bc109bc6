"""The handout as Markdown: CommonMark, with `<a id>` anchors for links inside the document.

Course text is Markdown already and is written through, its `glossary:` and `ref:` links made
to point at the glossary and reference entries; the text around it is escaped so that titles
and citations show as written.
"""

from __future__ import annotations

from collections.abc import Sequence

from course.instructor.handout.sheet import Sheet, escape_md
from course.instructor.handout.walk import (
    ANSWERS_BANNER,
    Branch,
    Handout,
    is_web,
    local_links,
    scenario_tree,
)
from course.material.model import Lesson, Module, Reference, Term
from quizzes.scenario import Scenario


def _indent(text: str, prefix: str) -> str:
    """Every line after the first indented by `prefix` (for list items and quotes)."""
    lines = text.strip("\n").split("\n")
    return "\n".join([lines[0], *[(prefix + line) if line.strip() else "" for line in lines[1:]]])


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip("\n").split("\n"))


def _md_blank() -> str:
    return "\\_\\_\\_\\_\\_\\_\\_\\_"


class MarkdownHandout(Handout):
    """The handout written as Markdown."""

    def write(self, *chunks: str) -> None:
        self.out.extend(chunks)

    def begin(self) -> None:
        course = self.course
        self.write(f"# {course.title}\n\n*{escape_md(self.byline())}*\n\n")
        if self.answers:
            self.write(f"> **{ANSWERS_BANNER}**\n\n")
        self.prose(course.manifest.summary)
        if course.manifest.disclaimer:
            self.write(_quote(local_links(course.manifest.disclaimer)), "\n\n")
        self.write("## Contents\n\n")
        for number, module in enumerate(course.modules, start=1):
            self.write(f"{number}. [{escape_md(module.title)}](#module-{module.id})\n")
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
            self.write(f"*{escape_md(facts)}*\n\n")
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
        self.write(_quote(f"**{escape_md(heading)}**\n\n{local_links(text)}"), "\n\n")

    def question(self, sheet: Sheet) -> None:
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
                space += f" {escape_md(sheet.answer_space)}"
            self.write(space, "\n\n")
        if sheet.key:
            body = "\n".join(
                f"**{escape_md(label)}:** {_indent(local_links(value), '  ')}"
                + ("  " if index < len(sheet.key) - 1 else "")
                for index, (label, value) in enumerate(sheet.key)
            )
            self.write(_quote(body), "\n\n")

    def scenario(self, module: Module, scenario: Scenario) -> None:
        self.write(f"**Scenario: {escape_md(scenario.title)}**\n\n")
        self._branch(scenario_tree(scenario), 0)
        self.write("\n")

    def _branch(self, branch: Branch, depth: int) -> None:
        pad = "  " * depth
        lead = f"**{escape_md(branch.label)}** → " if branch.label is not None else ""
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
            self.write(f'<a id="term-{term.id}"></a>\n\n**{escape_md(name)}**')
            if term.aka:
                self.write(f" · *also: {escape_md(', '.join(term.aka))}*")
            self.write("\n\n")
            self.prose(term.definition)

    def references(self, references: Sequence[Reference]) -> None:
        self.write('<a id="references"></a>\n\n## References\n\n')
        for number, reference in enumerate(references, start=1):
            text = f'{number}. <a id="ref-{reference.id}"></a>{escape_md(reference.citation)}'
            if reference.url:
                text += f" <{reference.url}>" if is_web(reference.url) else (
                    f" {escape_md(reference.url)}")
            self.write(text, "\n")
        self.write("\n")


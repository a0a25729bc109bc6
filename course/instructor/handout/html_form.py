"""The handout as one self-contained, print-friendly HTML page.

The HTML loads nothing: the stylesheet is inline, there are no scripts, fonts or images (an image
becomes a link to it). Course text is Markdown rendered by markdown-it with raw HTML turned off,
so any HTML an author wrote is shown as text, never passed through; `glossary:` and `ref:` links
become links to the glossary and reference entries in the same document.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from course.instructor.handout.sheet import Sheet
from course.instructor.handout.walk import (
    ANSWERS_BANNER,
    Branch,
    Handout,
    is_web,
    local_links,
    scenario_tree,
)
from course.material.markdown_text import plain_text
from course.material.model import Lesson, Module, Reference, Term
from quizzes.scenario import Scenario


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
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("image", _image_as_link)
    return md


_MD = _markdown_parser()

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
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #999; padding: .25em .6em; text-align: left; vertical-align: top; }
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


class HtmlHandout(Handout):
    """The handout written as one HTML page."""

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
            self.write(f'<p class="banner">{_e(ANSWERS_BANNER)}</p>\n')
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

    def question(self, sheet: Sheet) -> None:
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
        self._branch(scenario_tree(scenario), names, prefix)
        self.write("</ul>\n</div>\n")

    def _branch(self, branch: Branch, names: dict[str, int], prefix: str) -> None:
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
                if is_web(reference.url):
                    self.write(f' <a href="{_e(reference.url)}">{_e(reference.url)}</a>')
                else:
                    self.write(f" {_e(reference.url)}")
            self.write("</li>\n")
        self.write("</ol>\n</section>\n")

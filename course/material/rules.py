"""Checks that span files: unique ids, `requires`, links, references and quiz sizes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from course.material.model import (
    CalloutStep,
    CheckStep,
    Glossary,
    Manifest,
    Module,
    References,
    ScenarioStep,
    TextStep,
)
from course.material.problems import Problem, did_you_mean
from course.material.yaml_source import Loc, Source, position
from quizzes.questions import (
    MultipleQuestion,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
)

#: A Markdown link `[text](scheme:target)`; the course's own schemes are glossary: and ref:.
LINK = re.compile(r"\[(?P<label>[^\]\n]*)\]\((?P<scheme>[A-Za-z][\w+.-]*):(?P<target>[^)\s]*)\)")
_OTHER_SCHEMES = {"http", "https", "mailto"}
#: A link whose target has no scheme, such as `[trials](clinicaltrials.gov)`: no interface can
#: open it (the app and the handout would take it for a file). Images are left out.
BARE_LINK = re.compile(r"(?<!!)\[(?P<label>[^\]\n]*)\]\((?P<target>[^):\s#][^):\s]*)\)")


class _Reporter:
    """Builds located problems for the checks below."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def at(self, source: Source, loc: Loc, message: str, hint: str | None = None, *,
           key: bool = False) -> None:
        line, column = position(source.node_at(loc, key=key))
        self.problems.append(Problem(source.path, line, column, message, hint))

    def raw(self, path: Path, line: int, column: int, message: str,
            hint: str | None = None) -> None:
        self.problems.append(Problem(path, line, column, message, hint))


def check_course(
    manifest: Manifest,
    manifest_source: Source,
    modules: list[tuple[Module, Source]],
    glossary: Glossary | None,
    glossary_source: Source | None,
    references: References | None,
    references_source: Source | None,
    unchecked_module_ids: frozenset[str] | set[str] = frozenset(),
) -> list[Problem]:
    """Every cross-file problem, located in the file and at the line where it can be mended.

    `unchecked_module_ids` are ids of modules that failed to load: `requires` may name them
    without a second, misleading problem.
    """
    report = _Reporter()
    term_ids = _unique_ids(report, glossary_source, "terms", [t.id for t in glossary.terms]
                           if glossary else [], "glossary term")
    ref_ids = _unique_ids(report, references_source, "references",
                          [r.id for r in references.references] if references else [],
                          "reference")
    _check_modules(report, modules, unchecked_module_ids)
    known = _Known(term_ids, ref_ids, manifest.glossary is not None,
                   manifest.references is not None)
    # A declared file that failed to load has its own problem already; checking every link
    # against it would bury that one problem under hundreds of echoes.
    known.skip_terms = manifest.glossary is not None and glossary is None
    known.skip_refs = manifest.references is not None and references is None

    _check_links(report, manifest_source, ("summary",), manifest.summary, known)
    if manifest.disclaimer:
        _check_links(report, manifest_source, ("disclaimer",), manifest.disclaimer, known)
    if glossary and glossary_source:
        for index, term in enumerate(glossary.terms):
            _check_links(report, glossary_source, ("terms", index, "definition"),
                         term.definition, known)
    for module, source in modules:
        for loc, text in _markdown(module):
            _check_links(report, source, loc, text, known)
        for loc, question in _questions(module):
            for index, ref in enumerate(question.refs):
                if ref not in known.refs and not known.skip_refs:
                    report.at(source, (*loc, "refs", index),
                              f"`refs` names `{ref}`, which is not a reference",
                              known.ref_hint(ref))
        if module.quiz and module.quiz.draw and module.quiz.draw > len(module.quiz.questions):
            report.at(source, ("quiz", "draw"),
                      f"`draw` is {module.quiz.draw}, but the pool has only"
                      f" {len(module.quiz.questions)} questions",
                      f"draw at most {len(module.quiz.questions)}, or add questions")
    if not unchecked_module_ids:  # a tag may be used only in a module that failed to load
        _check_topics(report, manifest, manifest_source, modules)
    return report.problems


def _check_topics(report: _Reporter, manifest: Manifest, source: Source,
                  modules: list[tuple[Module, Source]]) -> None:
    """Each tag that `topics` names must be a tag of some question (a typo names nothing)."""
    tags = {tag.casefold(): tag for module, _ in modules for _, question in _questions(module)
            for tag in question.tags}
    for tag in manifest.topics:
        if tag.casefold() not in tags:
            report.at(source, ("topics", tag),
                      f"`topics` names the tag `{tag}`, which no question has",
                      did_you_mean(tag, tags.values()) or
                      "name a tag given in some question's `tags`, or remove this line",
                      key=True)


def _unique_ids(report: _Reporter, source: Source | None, field: str, ids: list[str],
                what: str) -> set[str]:
    seen: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in seen and source is not None:
            first_line, _ = position(source.node_at((field, seen[ident], "id")))
            report.at(source, (field, index, "id"), f"the {what} id `{ident}` is used twice",
                      f"it is first used on line {first_line}; ids must be unique")
        seen.setdefault(ident, index)
    return set(seen)


def _check_modules(report: _Reporter, modules: list[tuple[Module, Source]],
                   unchecked_ids: frozenset[str] | set[str]) -> None:
    module_first: dict[str, Source] = {}
    question_first: dict[str, tuple[Source, Loc]] = {}
    for module, source in modules:
        if module.id in module_first:
            other = module_first[module.id]
            report.at(source, ("id",), f"the module id `{module.id}` is used twice",
                      f"{other.path.name} uses it too; module ids must be unique in the course")
        module_first.setdefault(module.id, source)

        lesson_first: dict[str, int] = {}
        scenario_first: dict[str, Loc] = {}
        for index, lesson in enumerate(module.lessons):
            if lesson.id in lesson_first:
                line, _ = position(source.node_at(("lessons", lesson_first[lesson.id], "id")))
                report.at(source, ("lessons", index, "id"),
                          f"the lesson id `{lesson.id}` is used twice in this module",
                          f"it is first used on line {line}")
            lesson_first.setdefault(lesson.id, index)
            for step_index, step in enumerate(lesson.steps):
                if isinstance(step, ScenarioStep):
                    loc: Loc = ("lessons", index, "steps", step_index, "scenario", "id")
                    if step.scenario.id in scenario_first:
                        line, _ = position(source.node_at(scenario_first[step.scenario.id]))
                        report.at(source, loc,
                                  f"the scenario id `{step.scenario.id}` is used twice in this"
                                  " module", f"it is first used on line {line}")
                    scenario_first.setdefault(step.scenario.id, loc)

        for loc, question in _questions(module):
            if question.id in question_first:
                other_source, other_loc = question_first[question.id]
                line, _ = position(other_source.node_at((*other_loc, "id")))
                where = "" if other_source is source else f" of {other_source.path.name}"
                report.at(source, (*loc, "id"),
                          f"the question id `{question.id}` is used twice in the course",
                          f"it is first used on line {line}{where}; progress is keyed by"
                          " question ids, so each must be unique")
            question_first.setdefault(question.id, (source, loc))

    ids = set(module_first)
    for module, source in modules:
        for index, required in enumerate(module.requires or ()):
            if required not in ids and not (required in unchecked_ids or "*" in unchecked_ids):
                report.at(source, ("requires", index),
                          f"`requires` names `{required}`, which is not a module of this course",
                          did_you_mean(required, ids) or
                          "use the `id` of a module listed in course.yaml")
            elif required == module.id:
                report.at(source, ("requires", index), "a module cannot require itself")
    _check_cycles(report, modules, ids)


def _check_cycles(report: _Reporter, modules: list[tuple[Module, Source]], ids: set[str]) -> None:
    graph = {m.id: [r for r in (m.requires or ()) if r in ids and r != m.id] for m, _ in modules}
    sources = {m.id: (m, s) for m, s in modules}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    module, source = sources[node]
                    index = list(module.requires or ()).index(nxt)
                    chain = " -> ".join([*cycle, nxt])
                    report.at(source, ("requires", index),
                              f"`requires` makes a cycle: {chain}",
                              "no module in a cycle could ever open; remove one of these"
                              " requirements")
            elif state.get(nxt) is None:
                visit(nxt, path)
        path.pop()
        state[node] = 2

    for module_id in graph:
        if module_id not in state:
            visit(module_id, [])


class _Known:
    def __init__(self, terms: set[str], refs: set[str], has_glossary: bool, has_refs: bool):
        self.terms = terms
        self.refs = refs
        self.has_glossary = has_glossary
        self.has_refs = has_refs
        self.skip_terms = False
        self.skip_refs = False

    def term_hint(self, target: str) -> str:
        if not self.has_glossary:
            return "the course has no glossary: add `glossary: glossary.yaml` to course.yaml"
        return did_you_mean(target, self.terms) or "add the term to the glossary, or fix the id"

    def ref_hint(self, target: str) -> str:
        if not self.has_refs:
            return "the course has no references: add `references: references.yaml` to course.yaml"
        return did_you_mean(target, self.refs) or "add the reference, or fix the id"


def _check_links(report: _Reporter, source: Source, loc: Loc, text: str, known: _Known) -> None:
    if "](" not in text:
        return
    counts: dict[str, int] = {}
    for match in LINK.finditer(text):
        scheme, target = match.group("scheme"), match.group("target")
        whole = match.group(0)
        nth = counts.get(whole, 0)
        counts[whole] = nth + 1
        if scheme == "glossary":
            if target in known.terms or known.skip_terms:
                continue
            message = f"the glossary link `glossary:{target}` names no term"
            hint = known.term_hint(target)
        elif scheme == "ref":
            if target in known.refs or known.skip_refs:
                continue
            message = f"the reference link `ref:{target}` names no reference"
            hint = known.ref_hint(target)
        elif scheme.lower() in _OTHER_SCHEMES:
            continue
        else:
            message = f"`{scheme}:` is not a kind of link the course knows"
            hint = did_you_mean(scheme, ("glossary", "ref")) or (
                "use glossary:ID, ref:ID, or a full https:// address")
        line, column = _link_position(source, loc, whole, nth, len(f"[{match.group('label')}]("))
        report.raw(source.path, line, column, message, hint)
    for match in BARE_LINK.finditer(text):
        target, whole = match.group("target"), match.group(0)
        nth = counts.get(whole, 0)
        counts[whole] = nth + 1
        line, column = _link_position(source, loc, whole, nth, len(f"[{match.group('label')}]("))
        report.raw(source.path, line, column,
                   f"the link to `{target}` has no scheme, so it cannot be opened",
                   f"write it in full: https://{target.removeprefix('//')}")


def _link_position(source: Source, loc: Loc, whole: str, nth: int, offset: int) -> tuple[int, int]:
    """Where the link's target starts in the file; the text's start if it cannot be found."""
    node = source.node_at(loc)
    if node is None:
        return 1, 1
    raw = source.text[node.start_mark.index:node.end_mark.index]
    found = -1
    for _ in range(nth + 1):
        found = raw.find(whole, found + 1)
        if found < 0:
            return position(node)
    index = node.start_mark.index + found + offset
    line = source.text.count("\n", 0, index) + 1
    column = index - (source.text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _questions(module: Module) -> Iterator[tuple[Loc, Question]]:
    """Every question of a module (checks, then the quiz) with its location."""
    for index, lesson in enumerate(module.lessons):
        for step_index, step in enumerate(lesson.steps):
            if isinstance(step, CheckStep):
                yield ("lessons", index, "steps", step_index, "check"), step.check
    if module.quiz:
        for index, question in enumerate(module.quiz.questions):
            yield ("quiz", "questions", index), question


def _markdown(module: Module) -> Iterator[tuple[Loc, str]]:
    """Every Markdown text of a module with its location."""
    yield ("summary",), module.summary
    for index, objective in enumerate(module.objectives):
        yield ("objectives", index), objective
    for index, lesson in enumerate(module.lessons):
        for step_index, step in enumerate(lesson.steps):
            base: Loc = ("lessons", index, "steps", step_index)
            if isinstance(step, TextStep):
                yield (*base, "text"), step.text
            elif isinstance(step, CalloutStep):
                yield (*base, "callout", "text"), step.callout.text
            elif isinstance(step, ScenarioStep):
                for name, node in step.scenario.nodes.items():
                    for field in ("text", "end"):
                        value = getattr(node, field)
                        if value:
                            yield (*base, "scenario", "nodes", name, field), value
    for loc, question in _questions(module):
        yield from _question_markdown(loc, question)


def _question_markdown(loc: Loc, question: Question) -> Iterator[tuple[Loc, str]]:
    for field in ("prompt", "explanation", "hint"):
        value = getattr(question, field)
        if value:
            yield (*loc, field), value
    if isinstance(question, SingleQuestion | MultipleQuestion):
        for index, option in enumerate(question.options):
            if option.feedback:
                yield (*loc, "options", index, "feedback"), option.feedback
    if isinstance(question, TrueFalseQuestion) and question.feedback:
        for field in ("true", "false"):
            value = getattr(question.feedback, field)
            if value:
                yield (*loc, "feedback", field), value

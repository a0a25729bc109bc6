"""Checks that span files: unique ids, `requires`, links, images, references and quiz sizes.

They read the parsed files, not the models: a file with a mistake of its own still takes part
with whatever of it is well formed, so one run reports every independent mistake (a question id
used twice is not hidden by a typo elsewhere in its module). A value of the wrong type is left
to the validator's report on that file and is not read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from course.material.problems import Problem, did_you_mean
from course.material.yaml_source import Loc, Source

#: A Markdown link `[text](scheme:target)`; the course's own schemes are glossary: and ref:.
LINK = re.compile(r"\[(?P<label>[^\]\n]*)\]\((?P<scheme>[A-Za-z][\w+.-]*):(?P<target>[^)\s]*)\)")
_OTHER_SCHEMES = {"http", "https", "mailto"}
#: A link whose target has no scheme, such as `[trials](clinicaltrials.gov)`: no interface can
#: open it (the app and the handout would take it for a file). Images are left out.
BARE_LINK = re.compile(r"(?<!!)\[(?P<label>[^\]\n]*)\]\((?P<target>[^):\s#][^):\s]*)\)")
#: A Markdown image `![description](path "title")`.
IMAGE = re.compile(r"!\[(?P<label>[^\]\n]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"\n]*\")?\)")
_SCHEME = re.compile(r"^[A-Za-z][\w+.-]*:")


class _Reporter:
    """Builds located problems for the checks below."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def at(self, source: Source, loc: Loc, message: str, hint: str | None = None, *,
           key: bool = False) -> None:
        line, column = source.line_and_column(loc, key=key)
        self.problems.append(Problem(source.path, line, column, message, hint))

    def raw(self, path: Path, line: int, column: int, message: str,
            hint: str | None = None) -> None:
        self.problems.append(Problem(path, line, column, message, hint))


def check_course(
    manifest: Source,
    modules: list[Source],
    glossary: Source | None,
    references: Source | None,
    some_module_unread: bool = False,
) -> list[Problem]:
    """Every cross-file problem, located in the file and at the line where it can be mended.

    `modules` are the module files that parsed into a mapping, valid or not; `glossary` and
    `references` are given when the course names them. `some_module_unread` says that a listed
    module could not be read at all: any module id might be its, and any tag.
    """
    report = _Reporter()
    term_ids, every_term = _unique_ids(report, glossary, "terms", "glossary term")
    ref_ids, every_ref = _unique_ids(report, references, "references", "reference")
    unknown_module = some_module_unread or any(
        not isinstance(_mapping(source.data).get("id"), str) for source in modules)
    _check_modules(report, modules, unknown_module)
    data = _mapping(manifest.data)
    root = manifest.path.parent
    known = _Known(term_ids, ref_ids, root, data.get("glossary") is not None,
                   data.get("references") is not None)
    # A declared file that failed to load has its own problem already; checking every link
    # against it would bury that one problem under hundreds of echoes. So would an entry whose
    # id cannot be read: any link might have meant it.
    known.skip_terms = known.has_glossary and (glossary is None or not every_term)
    known.skip_refs = known.has_refs and (references is None or not every_ref)

    for field in ("summary", "disclaimer"):
        if isinstance(data.get(field), str):
            _check_links(report, manifest, (field,), data[field], known)
    if glossary is not None:
        for index, term in enumerate(_items(_mapping(glossary.data).get("terms"))):
            if isinstance(term.get("definition"), str):
                _check_links(report, glossary, ("terms", index, "definition"),
                             term["definition"], known)
    for source in modules:
        module = _mapping(source.data)
        for loc, text in _markdown(module):
            _check_links(report, source, loc, text, known)
        for loc, question in _questions(module):
            for index, ref in enumerate(_texts(question.get("refs"))):
                if ref is not None and ref not in known.refs and not known.skip_refs:
                    report.at(source, (*loc, "refs", index),
                              f"`refs` names `{ref}`, which is not a reference",
                              known.ref_hint(ref))
        _check_draw(report, source, module)
    if not some_module_unread:  # a tag may be used only in a module that could not be read
        _check_topics(report, manifest, modules)
    return report.problems


def _mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else an empty one: a value of the wrong type is not read."""
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> Iterator[dict[str, Any]]:
    """The entries of a list of mappings; an entry that is not a mapping reads as empty."""
    if isinstance(value, list):
        for item in value:
            yield _mapping(item)


def _texts(value: Any) -> list[str | None]:
    """The entries of a list of texts, by position; an entry that is not text reads as None."""
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, str) else None for item in value]


def _check_draw(report: _Reporter, source: Source, module: dict[str, Any]) -> None:
    quiz = _mapping(module.get("quiz"))
    draw, questions = quiz.get("draw"), quiz.get("questions")
    if (isinstance(draw, int) and not isinstance(draw, bool) and isinstance(questions, list)
            and 0 < len(questions) < draw):
        report.at(source, ("quiz", "draw"),
                  f"`draw` is {draw}, but the pool has only {len(questions)} questions",
                  f"draw at most {len(questions)}, or add questions")


def _check_topics(report: _Reporter, manifest: Source, modules: list[Source]) -> None:
    """Each tag that `topics` names must be a tag of some question (a typo names nothing)."""
    tags = {tag.casefold(): tag for source in modules
            for _, question in _questions(_mapping(source.data))
            for tag in _texts(question.get("tags")) if tag is not None}
    for tag in _mapping(_mapping(manifest.data).get("topics")):
        if tag.casefold() not in tags:
            report.at(manifest, ("topics", tag),
                      f"`topics` names the tag `{tag}`, which no question has",
                      did_you_mean(tag, tags.values()) or
                      "name a tag given in some question's `tags`, or remove this line",
                      key=True)


def _unique_ids(report: _Reporter, source: Source | None, field: str,
                what: str) -> tuple[set[str], bool]:
    """The ids of the entries of `field`, each reported where it is used again, and whether
    every entry has one (when not, a link to an unknown id may have meant that entry)."""
    if source is None:
        return set(), True
    if not isinstance(source.data, dict):
        return set(), False
    seen: dict[str, int] = {}
    every = True
    for index, entry in enumerate(_items(source.data.get(field))):
        ident = entry.get("id")
        if not isinstance(ident, str):
            every = False
            continue
        if ident in seen:
            first_line, _ = source.line_and_column((field, seen[ident], "id"))
            report.at(source, (field, index, "id"), f"the {what} id `{ident}` is used twice",
                      f"it is first used on line {first_line}; ids must be unique")
        seen.setdefault(ident, index)
    return set(seen), every


def _check_modules(report: _Reporter, modules: list[Source], unknown_module: bool) -> None:
    module_first: dict[str, Source] = {}
    question_first: dict[str, tuple[Source, Loc]] = {}
    for source in modules:
        module = _mapping(source.data)
        module_id = module.get("id")
        if isinstance(module_id, str):
            if module_id in module_first:
                other = module_first[module_id]
                report.at(source, ("id",), f"the module id `{module_id}` is used twice",
                          f"{other.path.name} uses it too; module ids must be unique in the"
                          " course")
            module_first.setdefault(module_id, source)

        lesson_first: dict[str, int] = {}
        scenario_first: dict[str, Loc] = {}
        for index, lesson in enumerate(_items(module.get("lessons"))):
            lesson_id = lesson.get("id")
            if isinstance(lesson_id, str):
                if lesson_id in lesson_first:
                    line, _ = source.line_and_column(("lessons", lesson_first[lesson_id], "id"))
                    report.at(source, ("lessons", index, "id"),
                              f"the lesson id `{lesson_id}` is used twice in this module",
                              f"it is first used on line {line}")
                lesson_first.setdefault(lesson_id, index)
            for step_index, step in enumerate(_items(lesson.get("steps"))):
                scenario_id = _mapping(step.get("scenario")).get("id")
                if not isinstance(scenario_id, str):
                    continue
                loc: Loc = ("lessons", index, "steps", step_index, "scenario", "id")
                if scenario_id in scenario_first:
                    line, _ = source.line_and_column(scenario_first[scenario_id])
                    report.at(source, loc,
                              f"the scenario id `{scenario_id}` is used twice in this module",
                              f"it is first used on line {line}")
                scenario_first.setdefault(scenario_id, loc)

        for loc, question in _questions(module):
            question_id = question.get("id")
            if not isinstance(question_id, str):
                continue
            if question_id in question_first:
                other_source, other_loc = question_first[question_id]
                line, _ = other_source.line_and_column((*other_loc, "id"))
                where = "" if other_source is source else f" of {other_source.path.name}"
                report.at(source, (*loc, "id"),
                          f"the question id `{question_id}` is used twice in the course",
                          f"it is first used on line {line}{where}; progress is keyed by"
                          " question ids, so each must be unique")
            question_first.setdefault(question_id, (source, loc))

    ids = set(module_first)
    requires: dict[str, tuple[Source, list[str | None]]] = {}
    for source in modules:
        module = _mapping(source.data)
        module_id = module.get("id")
        required_ids = _texts(module.get("requires"))
        if isinstance(module_id, str):
            requires.setdefault(module_id, (source, required_ids))
        for index, required in enumerate(required_ids):
            if required is None:
                continue
            if required not in ids and not unknown_module:
                report.at(source, ("requires", index),
                          f"`requires` names `{required}`, which is not a module of this course",
                          did_you_mean(required, ids) or
                          "use the `id` of a module listed in course.yaml")
            elif required == module_id:
                report.at(source, ("requires", index), "a module cannot require itself")
    _check_cycles(report, requires)


def _check_cycles(report: _Reporter,
                  requires: dict[str, tuple[Source, list[str | None]]]) -> None:
    graph = {module_id: [r for r in required if r in requires and r != module_id]
             for module_id, (_, required) in requires.items()}
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
                    source, required = requires[node]
                    index = required.index(nxt)
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
    def __init__(self, terms: set[str], refs: set[str], root: Path, has_glossary: bool,
                 has_refs: bool):
        self.terms = terms
        self.refs = refs
        self.root = root
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
    for match in IMAGE.finditer(text):
        whole = match.group(0)
        nth = counts.get(whole, 0)
        counts[whole] = nth + 1
        found = _missing_image(match.group("target"), source, known.root)
        if found is not None:
            line, column = _link_position(source, loc, whole, nth,
                                          len(f"![{match.group('label')}]("))
            report.raw(source.path, line, column, *found)


def _missing_image(target: str, source: Source, root: Path) -> tuple[str, str] | None:
    """What is wrong with an image's path, and how to mend it; None when its file is there.

    Like every path in a course, an image's is relative to the folder of course.yaml. An image
    on the web (any address with a scheme) is the author's to check.
    """
    if _SCHEME.match(target):
        return None
    relative = unquote(target.strip("<>").split("#", 1)[0].split("?", 1)[0])
    if relative.startswith(("/", "\\")):
        return (f"the image `{target}` is an absolute path",
                "write it relative to the folder that holds course.yaml, e.g. `images/x.png`")
    path = root / relative
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return (f"the image `{target}` leads outside the course folder",
                "keep images inside the folder that holds course.yaml, e.g. in images/")
    if path.is_file():
        return None
    beside = source.path.parent / relative
    if beside.is_file() and beside.resolve().is_relative_to(root.resolve()):
        written = beside.resolve().relative_to(root.resolve()).as_posix()
        hint = (f"image paths start from the folder that holds course.yaml: write `{written}`")
    else:
        names = ([p.name for p in path.parent.iterdir() if p.is_file()]
                 if path.parent.is_dir() else [])
        close = did_you_mean(path.name, names)
        if close:
            near = Path(relative).parent / close.split("`")[1]
            hint = f"did you mean `{near.as_posix()}`?"
        else:
            hint = (f"put the image at `{relative}` in the course folder (beside course.yaml),"
                    " or fix the path")
    return f"the image file `{relative}` does not exist", hint


def _link_position(source: Source, loc: Loc, whole: str, nth: int, offset: int) -> tuple[int, int]:
    """Where the link's target starts in the file; the text's start if it cannot be found."""
    place = source.position_at(loc)
    if place is None:
        return 1, 1
    raw = source.text[place.start:place.end]
    found = -1
    for _ in range(nth + 1):
        found = raw.find(whole, found + 1)
        if found < 0:
            return place.line, place.column
    index = place.start + found + offset
    line = source.text.count("\n", 0, index) + 1
    column = index - (source.text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _questions(module: dict[str, Any]) -> Iterator[tuple[Loc, dict[str, Any]]]:
    """Every question of a module (checks, then the quiz) with its location."""
    for index, lesson in enumerate(_items(module.get("lessons"))):
        for step_index, step in enumerate(_items(lesson.get("steps"))):
            if "check" in step:
                yield ("lessons", index, "steps", step_index, "check"), _mapping(step["check"])
    for index, question in enumerate(_items(_mapping(module.get("quiz")).get("questions"))):
        yield ("quiz", "questions", index), question


def _markdown(module: dict[str, Any]) -> Iterator[tuple[Loc, str]]:
    """Every Markdown text of a module with its location."""
    if isinstance(module.get("summary"), str):
        yield ("summary",), module["summary"]
    for index, objective in enumerate(_texts(module.get("objectives"))):
        if objective is not None:
            yield ("objectives", index), objective
    for index, lesson in enumerate(_items(module.get("lessons"))):
        for step_index, step in enumerate(_items(lesson.get("steps"))):
            base: Loc = ("lessons", index, "steps", step_index)
            if isinstance(step.get("text"), str):
                yield (*base, "text"), step["text"]
            callout = _mapping(step.get("callout"))
            if isinstance(callout.get("text"), str):
                yield (*base, "callout", "text"), callout["text"]
            nodes = _mapping(_mapping(step.get("scenario")).get("nodes"))
            for name, node in nodes.items():
                for field in ("text", "end"):
                    value = _mapping(node).get(field)
                    if isinstance(value, str) and value:
                        yield (*base, "scenario", "nodes", name, field), value
    for loc, question in _questions(module):
        yield from _question_markdown(loc, question)


def _question_markdown(loc: Loc, question: dict[str, Any]) -> Iterator[tuple[Loc, str]]:
    for field in ("prompt", "explanation", "hint"):
        value = question.get(field)
        if isinstance(value, str) and value:
            yield (*loc, field), value
    for index, option in enumerate(_items(question.get("options"))):
        feedback = option.get("feedback")
        if isinstance(feedback, str) and feedback:
            yield (*loc, "options", index, "feedback"), feedback
    if question.get("type") == "true_false":
        for key, value in _mapping(question.get("feedback")).items():
            if isinstance(value, str) and value:
                yield (*loc, "feedback", key), value

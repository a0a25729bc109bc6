"""Load a course folder into the model, collecting every problem of every file at once."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from course.material.model import (
    FILE_MODELS,
    FORMAT_VERSION,
    Course,
    Glossary,
    Manifest,
    Model,
    Module,
    References,
    with_course_defaults,
)
from course.material.problems import Problem, Problems, did_you_mean
from course.material.rules import check_course
from course.material.yaml_source import Loc, Source, file_kind, plain_scalar, read_file
from course.paths import SHIPPED_COURSE, shipped_course_dir
from quizzes.questions import QUESTION_TYPES, ContentError, validated

M = TypeVar("M", bound=Model)

@dataclass(frozen=True)
class LoadResult:
    """A course, when it loaded without problems, and the problems found."""

    course: Course | None
    problems: list[Problem]
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the course loaded cleanly."""
        return self.course is not None and not self.problems


def load_course(root: Path | str) -> LoadResult:
    """Read the course in folder `root` (or the folder of a `course.yaml` file given directly)."""
    root = Path(root)
    if root.is_file() and root.name == "course.yaml":
        root = root.parent
    problems = Problems()
    manifest_path = root / "course.yaml"
    kind = _odd_kind(manifest_path)
    if kind is not None:
        problems.add(manifest_path, 1, 1, f"course.yaml is {kind}, not a YAML file",
                     "a course file must be an ordinary file; replace it with one")
        return LoadResult(None, problems.sorted())
    if not manifest_path.is_file():
        problems.add(manifest_path, 1, 1, "there is no course.yaml here",
                     "a course is a folder with a course.yaml manifest; check the path")
        return LoadResult(None, problems.sorted())

    manifest_source = read_file(manifest_path)
    parsed_cleanly = manifest_source.ok
    if not isinstance(manifest_source.data, dict) or not _format_understood(manifest_source):
        problems.extend(manifest_source.problems)
        return LoadResult(None, problems.sorted())
    data = manifest_source.data
    # `format` has had its say above; the rest of the manifest is checked as if it were right.
    manifest = (_validate(manifest_source, Manifest, {**data, "format": FORMAT_VERSION})
                if parsed_cleanly else None)
    # What the manifest lists is read from the file even when some other field of it is wrong,
    # so that the modules are checked in the same run.
    listed = [(index, relative) for index, relative in enumerate(_list(data.get("modules")))
              if isinstance(relative, str)]

    modules: list[Module] = []
    module_sources: list[Source] = []
    some_module_unread = False
    for index, relative in listed:
        path = _inside(root, relative, manifest_source, ("modules", index))
        if path is None:
            continue
        source = read_file(path)
        if isinstance(source.data, dict):
            module_sources.append(source)
            module = _validate(source, Module) if source.ok else None
            if module is not None:
                modules.append(module)
        else:
            some_module_unread = True  # any module id, and any tag, might be its
        problems.extend(source.problems)

    glossary, glossary_source = _optional_file(
        root, data.get("glossary"), "glossary", manifest_source, Glossary, problems)
    references, references_source = _optional_file(
        root, data.get("references"), "references", manifest_source, References, problems)

    problems.extend(check_course(manifest_source, module_sources, glossary_source,
                                 references_source, some_module_unread))
    # Problems found while following the manifest's paths were recorded on its source.
    problems.extend(manifest_source.problems)
    warnings = _unlisted_modules(root, [relative for _, relative in listed])
    if problems or manifest is None or len(modules) != len(manifest.modules):
        return LoadResult(None, problems.sorted(), warnings)
    course = Course(
        root=root,
        manifest=manifest,
        modules=tuple(with_course_defaults(m, manifest.settings) for m in modules),
        glossary=glossary or Glossary(),
        references=references or References(),
    )
    return LoadResult(course, [], warnings)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _unlisted_modules(root: Path, listed: Sequence[str]) -> tuple[Problem, ...]:
    """A warning for each YAML file in `modules/` that course.yaml does not list: the course
    leaves it out, which an author who has just written it rarely means."""
    folder = root / "modules"
    if not folder.is_dir():
        return ()
    named = {(root / path).resolve() for path in listed}
    return tuple(
        Problem(path, 1, 1, "this module file is not listed in course.yaml, so the course"
                " leaves it out", f"add `- modules/{path.name}` under `modules:` in course.yaml"
                " (or `ivstem new module` next time), or move the file out of modules/",
                severity="warning")
        for path in sorted(folder.iterdir())
        if path.suffix in (".yaml", ".yml") and path.is_file() and path.resolve() not in named)


def _odd_kind(path: Path) -> str | None:
    """What is at `path` in words when something is there but it is not a regular file (a
    folder, a named pipe...); None when it is a regular file or nothing is there."""
    try:
        return file_kind(path.stat().st_mode)
    except OSError:
        return None


def _format_understood(source: Source) -> bool:
    """Whether this program can read the course: not when it is written in a newer format.

    A `format` that is missing or malformed is reported, and the course read as format
    FORMAT_VERSION, so that its other mistakes are reported in the same run.
    """
    data = source.data
    if "format" not in data:
        source.problem_at((), "`format` is missing",
                          f"add `format: {FORMAT_VERSION}` at the top of course.yaml")
        return True
    value = data["format"]
    if not isinstance(value, int) or isinstance(value, bool):
        source.problem_at(("format",), f"`format` must be a whole number, not {value!r}",
                          f"write `format: {FORMAT_VERSION}`")
        return True
    if value > FORMAT_VERSION:
        source.problem_at(("format",),
                          f"this course uses format {value}, but this ivstem understands format"
                          f" {FORMAT_VERSION} at most",
                          "install a newer ivstem (pip install --upgrade ivstem)")
        return False
    if value < 1:
        source.problem_at(("format",), f"`format` {value} does not exist; the first is 1",
                          f"write `format: {FORMAT_VERSION}`")
    return True


def _inside(root: Path, relative: str, manifest: Source, loc: Loc) -> Path | None:
    """The file `relative` names, if it stays inside the course folder and exists."""
    if os.path.isabs(relative) or relative.startswith(("/", "\\")):
        manifest.problem_at(loc, f"`{relative}` is an absolute path",
                            "write paths relative to the folder that holds course.yaml")
        return None
    path = root / relative
    try:
        resolved = path.resolve()
        inside = resolved.is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        manifest.problem_at(loc, f"`{relative}` leads outside the course folder",
                            "keep every course file inside the folder that holds course.yaml")
        return None
    kind = _odd_kind(path)
    if kind is not None:
        manifest.problem_at(loc, f"`{relative}` is {kind}, not a YAML file",
                            "a course file must be an ordinary file; replace it with one")
        return None
    if not path.is_file():
        hint = None
        if path.parent.is_dir():
            names = {p.name: p for p in path.parent.iterdir() if p.suffix in (".yaml", ".yml")}
            close = did_you_mean(path.name, names, cutoff=0.85)
            if close:
                suggestion = names[close.split("`")[1]].relative_to(root).as_posix()
                hint = f"did you mean `{suggestion}`?"
        manifest.problem_at(loc, f"`{relative}` does not exist",
                            hint or "check the file name, or create the file")
        return None
    return path


def _optional_file(
    root: Path, relative: Any, field: str, manifest: Source, model: type[M],
    problems: Problems,
) -> tuple[M | None, Source | None]:
    if not isinstance(relative, str):
        return None, None  # not named, or named wrongly: the manifest's own problem
    path = _inside(root, relative, manifest, (field,))
    if path is None:
        return None, None
    source = read_file(path)
    result = _validate(source, model) if source.ok else None
    problems.extend(source.problems)
    return result, source


def _validate(source: Source, model: type[M], data: Any = None) -> M | None:
    """Validate a parsed file (or `data` read from it) against its model, turning each error
    into a located problem."""
    try:
        return validated(model, source.data if data is None else data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        inner = [tuple(e["loc"]) for e in errors]
        misspelt = {(tuple(e["loc"][:-1]), str(e["loc"][-1])) for e in errors
                    if e["type"] in _UNKNOWN_FIELD}
        for error in errors:
            loc = tuple(error["loc"])
            # `optoins:` is one mistake: say "unknown field, did you mean `options`", not also
            # "`options` is missing".
            if error["type"] == "missing" and any(
                    parent == loc[:-1] and did_you_mean(str(loc[-1]), [word]) is not None
                    for parent, word in misspelt):
                continue
            # A list whose item failed is also called too short; the item's error is the news.
            if error["type"] == "too_short" and any(
                    len(other) > len(loc) and other[:len(loc)] == loc for other in inner):
                continue
            _report(source, model, error)
        return None


#: What pydantic calls a field the model does not have.
_UNKNOWN_FIELD = ("extra_forbidden", "unexpected_keyword_argument")


def _report(source: Source, model: type[Model], error: ErrorDetails) -> None:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    field = next((str(s) for s in reversed(loc) if isinstance(s, str)
                  and s not in QUESTION_TYPES and not s.startswith(("function-", "tagged-"))),
                 None)
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "value_error" and isinstance(ctx.get("error"), ContentError):
        content_error: ContentError = ctx["error"]
        source.problem_at((*loc, *content_error.at), content_error.message, content_error.hint,
                          key=content_error.key)
        return
    if kind in _UNKNOWN_FIELD:
        known = _known_fields(model, loc[:-1], source)
        hint = did_you_mean(str(loc[-1]), known)
        if loc[-1] == "<<":
            hint = "YAML merge keys are not supported; write the fields out"
        elif hint is None and known:
            hint = "allowed here: " + ", ".join(sorted(known))
        source.problem_at(loc, f"unknown field `{loc[-1]}`", hint, key=True)
        return
    if kind == "missing":
        source.problem_at(loc[:-1], f"`{loc[-1]}` is missing", _missing_hint(str(loc[-1])))
        return
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        hint = did_you_mean(str(tag), QUESTION_TYPES) or "use one of: " + ", ".join(QUESTION_TYPES)
        source.problem_at((*loc, "type"), f"unknown question type `{tag}`", hint)
        return
    if kind == "union_tag_not_found":
        source.problem_at(loc, "`type` is missing", "use one of: " + ", ".join(QUESTION_TYPES))
        return
    if kind == "step_kind":
        source.problem_at(loc, str(error["msg"]), _step_hint(source, loc))
        return
    if kind in ("literal_error", "enum"):
        allowed = str(ctx.get("expected", "")).replace("'", "")
        choices = [c.strip() for c in allowed.replace(" or ", ", ").split(",")]
        close = did_you_mean(str(error["input"]), choices)
        hint = f"{close} (allowed: {allowed})" if close else f"use one of: {allowed}"
        source.problem_at(loc, f"`{field}` cannot be {error['input']!r}", hint)
        return
    if kind == "string_pattern_mismatch" and field == "xapi_homepage":
        source.problem_at(loc, f"`{field}` must be an address, not {error['input']!r}",
                          "for example `https://school.example.edu` (xAPI wants an IRI)")
        return
    if kind == "string_pattern_mismatch":
        example = _slug(error["input"])
        source.problem_at(loc, f"`{field}` must be a slug (lowercase letters, digits and"
                          f" hyphens), not {error['input']!r}", f"for example `{example}`")
        return
    source.problem_at(loc, _message(field, kind, error), _type_hint(kind, error, field))


def _known_fields(model: type[Model], loc: Loc, source: Source) -> list[str]:
    """Field names allowed in the mapping at `loc`, found by walking the model along it."""
    from typing import get_args

    def models_in(annotation: Any) -> list[type[Model]]:
        found: list[type[Model]] = []
        if isinstance(annotation, type) and issubclass(annotation, Model):
            return [annotation]
        for arg in get_args(annotation):
            found.extend(models_in(arg))
        return found

    current: list[type[Model]] = [model]
    data: Any = source.data
    for step in loc:
        if isinstance(data, dict) and isinstance(step, str) and step in data:
            data = data[step]
            nxt: list[type[Model]] = []
            for m in current:
                annotation = _field_types(m).get(step)
                if annotation is not None:
                    nxt.extend(models_in(annotation))
            current = nxt or current
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        elif isinstance(step, str) and step in QUESTION_TYPES:
            current = [m for m in current if step in str(_field_types(m).get("type"))] or current
    # A step mapping: the model is the one named by its single key.
    names: set[str] = set()
    for m in current:
        names.update(_field_types(m))
    return sorted(names)


def _field_types(model: type[Model]) -> dict[str, Any]:
    """A model's fields and their types, with the annotations' metadata."""
    from typing import get_type_hints

    hints = get_type_hints(model, include_extras=True)
    return {f.name: hints[f.name] for f in dataclass_fields(model)}


def _missing_hint(name: str) -> str | None:
    return {
        "id": "give it a stable slug, e.g. `id: what-are-mscs`",
        "options": "list the options, each `- text: ...` with `correct: true` on the right one",
        "accept": "list the accepted answers, e.g. `accept: [IND, Investigational New Drug]`",
        "answer": "give the right answer",
        "lessons": "a module needs at least one lesson",
        "steps": "a lesson needs at least one step",
    }.get(name)


def _step_hint(source: Source, loc: Loc) -> str:
    node_data: Any = source.data
    for step in loc:
        try:
            node_data = node_data[step]
        except (KeyError, IndexError, TypeError):
            node_data = None
            break
    if isinstance(node_data, dict):
        keys = list(node_data)
        for key in keys:
            suggestion = did_you_mean(str(key), ("text", "callout", "check", "scenario"))
            if suggestion:
                return suggestion
        if len([k for k in keys if k in ("text", "callout", "check", "scenario")]) > 1:
            return "split it into one step for each"
    return "write `- text: |` for Markdown, or `- callout:`, `- check:`, `- scenario:`"


def _slug(value: Any) -> str:
    import re

    text = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return text or "my-id"


_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "dataclass_type": "a mapping of fields",
    "dataclass_args_type": "a mapping of fields",
}


def _message(field: str | None, kind: str, error: ErrorDetails) -> str:
    name = f"`{field}`" if field else "this value"
    got = _describe(error.get("input"))
    if kind in _TYPE_NAMES:
        return f"{name} must be {_TYPE_NAMES[kind]}, not {got}"
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in ("too_short", "too_long") and field == "pairs" and isinstance(
            error["loc"][-1], int):
        return f"each pair is written [left, right]; this one has {ctx.get('actual_length')} items"
    if kind == "too_long":
        most, actual = ctx.get("max_length"), ctx.get("actual_length")
        return f"{name} has at most {most} entries; it has {actual}"
    if kind == "too_short":
        need = ctx.get("min_length", 1)
        if need == 1:
            return f"{name} must not be empty"
        return f"{name} needs at least {need} entries; it has {ctx.get('actual_length', 0)}"
    if kind == "string_too_short":
        return f"{name} must not be empty"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        bound = f"{bound:g}" if isinstance(bound, float) else bound
        words = {"greater_than": "more than", "greater_than_equal": "at least",
                 "less_than": "less than", "less_than_equal": "at most"}[kind]
        return f"{name} must be {words} {bound}, not {got}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{name}: {error['msg']}"


#: Lists whose entries are mappings: a line of text cannot simply be bracketed into one.
_MAPPING_LISTS = frozenset({"options", "lessons", "steps", "questions", "terms", "choices"})


def _type_hint(kind: str, error: ErrorDetails, field: str | None) -> str | None:
    value = error.get("input")
    if kind == "string_type" and isinstance(value, bool):
        return "only true and false are booleans; put quotes around text such as \"true\""
    if kind == "string_type" and isinstance(value, (int, float)):
        return f"put quotes around it to make it text: \"{value}\""
    if kind in ("int_type", "float_type") and isinstance(value, str):
        bare = _bare_number(value, whole=kind == "int_type")
        if bare is not None:
            return f"a number is written without quotes: `{field}: {bare}`"
    if kind in ("list_type", "tuple_type") and isinstance(value, str):
        if field == "options":
            # The first marked right: as written, the hint gives a question that loads.
            texts = [text.strip() for text in value.split(",") if text.strip()] or ["..."]
            entries = [f"{{text: {texts[0]}, correct: true}}",
                       *(f"{{text: {text}}}" for text in texts[1:])]
            return (f"each option is a mapping: `options: [{', '.join(entries)}]` (or one"
                    " `- text:` line each); put `correct: true` on the right one")
        if field in _MAPPING_LISTS:
            return f"each entry of `{field}` is a mapping of fields, on its own `- ` line"
        return f"write a list: [{value}]"
    if field == "credit" and isinstance(value, (int, float)):
        return _credit_hint(kind, value, error)
    if kind == "less_than_equal" and isinstance(value, (int, float)) and value > 1:
        return f"a pass mark is a fraction: write {value / 100:g} for {value:g}%"
    if kind == "dataclass_type" and field == "wrong" and isinstance(value, str):
        return (f"each expected wrong answer is a mapping: `{{text: {value}, feedback: ...}}`,"
                " the feedback saying why it is wrong")
    return None


def _bare_number(text: str, *, whole: bool) -> str | None:
    """`text` without its quotes, if so written it is a number (a whole one if `whole`)."""
    import math

    bare = text.strip()
    number = plain_scalar(bare)
    if isinstance(number, bool) or not isinstance(number, int | float):
        return None
    if not math.isfinite(number) or (whole and not float(number).is_integer()):
        return None
    return bare


def _credit_hint(kind: str, value: float, error: ErrorDetails) -> str | None:
    """How to write a credit that is out of range: a share of the points, not a percentage."""
    if kind == "greater_than" and value == 0:
        # Only accepted answers (of short and numeric questions) need a credit above 0.
        if "accept" in error["loc"]:
            return ("an answer that earns nothing goes under `wrong:`, as"
                    " `{text: ..., feedback: ...}`; or give it a share such as `credit: 0.5`")
        return "remove the entry, or give it a share such as `credit: 0.5`"
    low = -1 if kind == "greater_than_equal" else 0
    if low <= value / 100 <= 1 and abs(value) > 1:
        return f"a credit is a share of the points: write {value / 100:g} for {value:g}%"
    return "a credit is a share of the points: 1 is all of them, 0.5 half"


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        short = value if len(value) <= 30 else value[:27] + "..."
        return f"the text {short!r}"
    return repr(value)


__all__ = ["FILE_MODELS", "SHIPPED_COURSE", "LoadResult", "load_course", "shipped_course_dir"]

"""The JSON Schema and `ivstem validate` agree, checked with the tool instructors use.

check-jsonschema (run as a program, as an instructor or a CI job runs it) reads the YAML with
its own parser and checks it against the schema that `ivstem schema` writes. On every shipped
file, every file of a new course, and every file of the broken corpus, it must refuse a file
exactly when `ivstem validate` reports an error in that file; the few cases a schema cannot
see are listed below with the reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.schema import KINDS, schema_text
from course.paths import shipped_course_dir

BROKEN = Path(__file__).parent / "data" / "courses" / "broken"
VALID = Path(__file__).parent / "data" / "courses" / "valid"
MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")

# Why the schema accepts a file that `ivstem validate` refuses.
CROSS_FILE = "it names something that lives in another file; a schema sees one file at a time"
FILE_SYSTEM = "it depends on the file system: whether a path stays in the course folder and exists"
UNIQUE = ("one field of each entry must differ from the others; uniqueItems compares whole"
          " entries")
COMPARE = "it compares one value of the file with another (a category with `categories`, `draw`" \
          " with the number of questions)"
GRAPH = "it is a property of the scenario's graph of nodes"
CREDITS = ("it depends on the credits of several entries together, or on whether an option is"
           " the correct one: sums, and the signs allowed for right and wrong options")
REGEX = ("whether a pattern compiles as a Python regular expression; a schema's regular"
         " expressions are ECMA 262's")
BIDI = ("a character that reorders the text on screen is valid text to a schema; refusing it"
        " would take a pattern on every text field of every kind of file")
CONTROL = ("a control character written as an escape is valid YAML and valid text; ivstem"
           " refuses it because it could drive the learner's terminal")
MARKDOWN = "it is about a link inside Markdown text, which a schema sees as one string"

NOT_EXPRESSIBLE: dict[tuple[str, str], str] = {
    ("category-not-listed", "modules/02-more.yaml"): COMPARE,
    ("draw-larger-than-pool", "modules/01-basics.yaml"): COMPARE,
    ("duplicate-glossary-id", "glossary.yaml"): UNIQUE,
    ("duplicate-lesson-id", "modules/02-more.yaml"): UNIQUE,
    ("duplicate-module-id", "modules/02-more.yaml"): CROSS_FILE,
    ("duplicate-option-text", "modules/01-basics.yaml"): UNIQUE,
    ("duplicate-question-id", "modules/02-more.yaml"): CROSS_FILE,
    ("duplicate-reference-id", "references.yaml"): UNIQUE,
    ("escaped-control-character", "modules/02-more.yaml"): CONTROL,
    ("bidi-override-in-option", "modules/01-basics.yaml"): BIDI,
    ("escaped-bidi-isolate", "modules/01-basics.yaml"): BIDI,
    ("glossary-definition-link-to-nothing", "glossary.yaml"): MARKDOWN,
    ("glossary-link-to-nothing", "modules/01-basics.yaml"): CROSS_FILE,
    ("image-file-missing", "modules/01-basics.yaml"): FILE_SYSTEM,
    ("link-without-scheme", "modules/01-basics.yaml"): MARKDOWN,
    ("many-mistakes", "course.yaml"): FILE_SYSTEM,
    ("many-mistakes", "glossary.yaml"): UNIQUE,
    ("module-file-missing", "course.yaml"): FILE_SYSTEM,
    ("module-path-absolute", "course.yaml"): FILE_SYSTEM,
    ("module-path-outside-course", "course.yaml"): FILE_SYSTEM,
    ("ref-link-to-nothing", "modules/01-basics.yaml"): CROSS_FILE,
    ("refs-entry-to-nothing", "modules/01-basics.yaml"): CROSS_FILE,
    ("regex-does-not-compile", "modules/02-more.yaml"): REGEX,
    ("requires-cycle", "modules/02-more.yaml"): CROSS_FILE,
    ("requires-unknown-module", "modules/02-more.yaml"): CROSS_FILE,
    ("scenario-goto-to-nothing", "modules/01-basics.yaml"): GRAPH,
    ("scenario-loop-without-ending", "modules/01-basics.yaml"): GRAPH,
    ("scenario-unreachable-node", "modules/01-basics.yaml"): GRAPH,
    ("multiple-credit-with-all-or-nothing", "modules/01-basics.yaml"): COMPARE,
    ("multiple-credits-do-not-add-up", "modules/01-basics.yaml"): CREDITS,
    ("numeric-answers-without-full-credit", "modules/01-basics.yaml"): CREDITS,
    ("short-without-full-credit-answer", "modules/01-basics.yaml"): CREDITS,
    ("single-option-with-negative-credit", "modules/01-basics.yaml"): CREDITS,
}


def check_jsonschema() -> str:
    """The check-jsonschema program installed beside this Python (the `test` extra has it)."""
    beside = Path(sys.executable).parent / "check-jsonschema"
    found = str(beside) if beside.exists() else shutil.which("check-jsonschema")
    assert found, "check-jsonschema is missing: pip install -e '.[test]'"
    return found


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each kind's schema, written by the real `ivstem schema KIND -o FILE`."""
    folder = tmp_path_factory.mktemp("schemas")
    written = {}
    for kind in KINDS:
        path = folder / f"{kind}.schema.json"
        subprocess.run([sys.executable, "-m", "tui.cli", "schema", kind, "-o", str(path)],
                       check=True, capture_output=True)
        written[kind] = path
    return written


def kind_of(relative: str) -> str:
    """Which schema a course file is checked against, from its place in the course."""
    if relative.startswith("modules/"):
        return "module"
    return {"course.yaml": "course", "glossary.yaml": "glossary",
            "references.yaml": "references"}[relative]


def refused_by_schema(schema: Path, files: Iterable[Path]) -> dict[Path, str]:
    """The files check-jsonschema refuses (they fail the schema or do not parse), with why."""
    files = list(files)
    if not files:
        return {}
    run = subprocess.run([check_jsonschema(), "--schemafile", str(schema), "-o", "json",
                          *map(str, files)], capture_output=True, text=True)
    report = json.loads(run.stdout)
    refused: dict[Path, str] = {}
    for error in report.get("errors", []) + report.get("parse_errors", []):
        refused.setdefault(Path(error["filename"]), f"{error.get('path', '')} {error['message']}")
    assert (run.returncode == 0) == (not refused), run.stdout + run.stderr
    return refused


def refused_by_validate(root: Path) -> set[Path]:
    """The files in which `ivstem validate` reports an error."""
    return {problem.path for problem in load_course(root).problems
            if problem.severity == "error"}


def course_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))


def disagreements(roots: list[Path], schemas: dict[str, Path]) -> dict[tuple[str, str], str]:
    """(course folder, file) where the schema and the validator disagree, and what was said."""
    by_kind: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    for root in roots:
        for relative in course_files(root):
            by_kind[kind_of(relative)].append(root / relative)
    schema_says: dict[Path, str] = {}
    for kind, files in by_kind.items():
        schema_says.update(refused_by_schema(schemas[kind], files))
    found = {}
    for root in roots:
        validate_says = refused_by_validate(root)
        for relative in course_files(root):
            path = root / relative
            by_schema, by_validate = path in schema_says, path in validate_says
            if by_schema != by_validate:
                found[(root.name, relative)] = (
                    f"schema refuses: {schema_says[path]}" if by_schema
                    else "validate refuses, the schema accepts")
    return found


def test_the_shipped_course_passes_check_jsonschema(schemas: dict[str, Path]) -> None:
    root = shipped_course_dir()
    assert disagreements([root], schemas) == {}
    assert refused_by_validate(root) == set()


def test_a_new_course_from_the_template_passes_check_jsonschema(
        tmp_path: Path, schemas: dict[str, Path]) -> None:
    root = tmp_path / "my-course"
    subprocess.run([sys.executable, "-m", "tui.cli", "new", "course", str(root)], check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "tui.cli", "new", "module", str(root), "second"],
                   check=True, capture_output=True)
    assert len(course_files(root)) == 5
    assert refused_by_validate(root) == set()
    assert disagreements([root], schemas) == {}


def test_the_schema_refuses_exactly_what_validate_refuses_in_the_broken_corpus(
        schemas: dict[str, Path]) -> None:
    cases = sorted(p for p in BROKEN.iterdir() if p.is_dir())
    found = disagreements(cases, schemas)
    unexplained = {where: said for where, said in found.items() if where not in NOT_EXPRESSIBLE}
    assert unexplained == {}
    # An exception that no longer disagrees is stale: the schema learnt it, or the case changed.
    assert sorted(NOT_EXPRESSIBLE) == sorted(found)


def variants(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> list[Path]:
    """A copy of the valid course for each edit of its first module, named for the edit."""
    roots = []
    for name, (old, new) in edits.items():
        root = tmp_path / name
        shutil.copytree(VALID, root)
        module = root / "modules" / "01-basics.yaml"
        text = module.read_text(encoding="utf-8")
        assert old in text
        module.write_text(text.replace(old, new), encoding="utf-8")
        roots.append(root)
    return roots


def test_true_and_false_feedback_keys_pass_both_however_yaml_spells_them(
        tmp_path: Path, schemas: dict[str, Path]) -> None:
    old = "true: Right.\n        false:"
    roots = variants(tmp_path, {
        "capitals": (old, "True: Right.\n        FALSE:"),
        "quoted": (old, '"true": Right.\n        "false":'),
    })
    for root in roots:
        assert refused_by_validate(root) == set(), root.name
    assert disagreements(roots, schemas) == {}


def test_a_number_in_quotes_or_true_is_refused_by_both(
        tmp_path: Path, schemas: dict[str, Path]) -> None:
    roots = variants(tmp_path, {
        "draw-true": ("draw: 4", "draw: true"),
        "minutes-quoted": ("estimated_minutes: 10", 'estimated_minutes: "10"'),
        "pass-mark-quoted": ("pass_mark: 0.5", "pass_mark: '0.5'"),
        "points-quoted": ("points: 2", "points: '2'"),
    })
    for root in roots:
        assert refused_by_validate(root) == {root / "modules" / "01-basics.yaml"}, root.name
    assert disagreements(roots, schemas) == {}


def test_every_shipped_file_points_its_editor_at_the_schema_beside_it() -> None:
    root = shipped_course_dir()
    for relative in course_files(root):
        path = root / relative
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = MODELINE.fullmatch(first)
        assert match, f"{relative} does not start with a yaml-language-server comment"
        schema = (path.parent / match.group(1)).resolve()
        assert schema.is_relative_to(root.resolve()), relative
        assert schema.name == f"{kind_of(relative)}.schema.json", relative
        assert schema.read_text(encoding="utf-8") == schema_text(kind_of(relative)), (
            f"{schema} is out of date: run `python -m course.material.snapshot`")


def test_the_schema_a_shipped_file_points_at_accepts_it() -> None:
    root = shipped_course_dir()
    targets: dict[Path, list[Path]] = {}
    for relative in course_files(root):
        path = root / relative
        match = MODELINE.fullmatch(path.read_text(encoding="utf-8").splitlines()[0])
        assert match
        targets.setdefault((path.parent / match.group(1)).resolve(), []).append(path)
    for schema, files in targets.items():
        assert refused_by_schema(schema, files) == {}

"""A checked course kept beside the learner's progress, so that the next start reads it back.

Checking a course means parsing its YAML and validating it with pydantic: about a tenth of a
second and ten megabytes before the first screen. A snapshot holds the result, keyed by the bytes
of every course file and of the source of everything that checks it, and by the program's
version: change any of them and the key no longer matches, so the course is checked afresh.
A snapshot that cannot be read or written is ignored; it is only ever a copy.

A snapshot file holds one pickle: the key, the course, the welcome's text and each module's
summary already styled (so that neither the welcome nor the course map needs a Markdown
parser). It is read with an unpickler that builds nothing but plain values and the content
model's own classes, so a damaged or altered file cannot run code. It lives in the learner's
private data folder.

The shipped course comes with its snapshot beside it, so that even the first start on a machine
(and every start where home folders are wiped) skips checking it.
`python -m course.material.snapshot` rewrites that file, and the JSON Schemas in the course's
`schema/` folder that its files point editors at; a test fails while either is out of date.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
from dataclasses import is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard

from course import __version__
from course.material.model import Course, Glossary, Manifest, Module, References
from course.material.styled import Runs, styled_runs

if TYPE_CHECKING:
    from collections.abc import Sequence

    from course.material.problems import Problem

#: Bump when what a snapshot holds changes shape.
SNAPSHOT_VERSION = 6
#: Fixed, not pickle.HIGHEST_PROTOCOL, so that a snapshot made under one Python reads under
#: every Python that ivstem supports (protocol 5 is read by 3.8 and later).
PROTOCOL = 5

#: What a snapshot keeps for the welcome: the fields of the welcome screen's `Intro`.
INTRO_FIELDS = ("id", "title", "version", "summary", "disclaimer", "authors", "license")

_MODEL_MODULES = ("course.material.model", "quizzes.questions", "quizzes.scenario")
_PACKAGES = Path(__file__).resolve().parent.parent.parent
#: The source that decides whether a course is sound; a change to any of it voids snapshots.
#: (The format's version is in course/material/model.py, so it is covered too.)
_CHECKER = tuple(_PACKAGES / name for name in (
    "course/material/model.py", "course/material/loader.py", "course/material/rules.py",
    "course/material/yaml_source.py", "quizzes/questions.py", "quizzes/scenario.py"))
_COURSE_SUFFIXES = (".yaml", ".yml")
#: What unpickling a damaged or altered file can raise (or one naming code that has moved).
_DAMAGED = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError,
            IndexError, KeyError, RecursionError)


class Snapshot(NamedTuple):
    """A snapshot as read: the checked course, with its welcome's text and styled summaries."""

    course: Course
    intro: dict[str, Any]  # INTRO_FIELDS to their values
    styled: dict[str, Runs]  # Markdown text to its runs of styled text


def content_key(root: Path) -> str:
    """A digest of everything the checked course depends on.

    Take it before loading: a file changed during the load then gives a key that no longer
    matches, and the course is checked again next time.
    """
    digest = hashlib.sha256(f"{__version__}|{SNAPSHOT_VERSION}".encode())
    for source in _CHECKER:
        digest.update(source.read_bytes())
    for path in sorted(root.rglob("*")):
        if path.suffix in _COURSE_SUFFIXES and path.is_file():
            digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def snapshot_path(folder: Path, root: Path) -> Path:
    """Where the snapshot of the course in `root` is kept inside `folder`."""
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return folder / f"course-{name}.snapshot"


def shipped_snapshot_path(root: Path) -> Path:
    """Where a course shipped with ivstem has its snapshot: beside its folder."""
    return root.parent / f"{root.name}.snapshot"


def read_snapshot(path: Path, root: Path) -> Snapshot | None:
    """The snapshot at `path` of the course in `root`, if it still matches the files."""
    try:
        key = content_key(root)
        held = _ModelUnpickler(io.BytesIO(path.read_bytes())).load()
    except (*_DAMAGED, OSError):
        return None
    if not (isinstance(held, dict) and held.get("key") == key):
        return None
    intro, styled = held.get("intro"), held.get("styled")
    manifest, modules = held.get("manifest"), held.get("modules")
    glossary, references = held.get("glossary"), held.get("references")
    if not (_is_intro(intro) and isinstance(styled, dict)
            and all(_is_text(k) and _is_runs(v) for k, v in styled.items())
            and isinstance(manifest, Manifest) and isinstance(modules, tuple)
            and all(isinstance(m, Module) for m in modules)
            and isinstance(glossary, Glossary) and isinstance(references, References)):
        return None
    course = Course(root=root, manifest=manifest, modules=modules, glossary=glossary,
                    references=references)
    return Snapshot(course, intro, styled)


def find_snapshot(root: Path, snapshots: Path | None) -> Snapshot | None:
    """A snapshot of the course in `root` that still matches its files: the one shipped beside
    it (for the shipped course), else the one kept in the folder `snapshots`, if given."""
    from course.paths import shipped_course_dir

    if root.resolve() == shipped_course_dir().resolve():
        # Checked when ivstem was built, so that even a first start need not check it.
        snapshot = read_snapshot(shipped_snapshot_path(root), root)
        if snapshot is not None:
            return snapshot
    return None if snapshots is None else read_snapshot(snapshot_path(snapshots, root), root)


class Checked(NamedTuple):
    """A course as `checked_course` gives it: the course when it is sound, else its problems."""

    course: Course | None
    problems: Sequence[Problem]


def checked_course(root: Path, snapshots: Path | None) -> Checked:
    """The course in `root`, checked: from a snapshot that still matches (`find_snapshot`),
    else loaded and checked, and then kept in `snapshots` (if given) for the next time.

    For commands that need the course but show none of its text, as the app reads it; the
    YAML parser and the validator are imported only when the course must be checked.
    """
    snapshot = find_snapshot(root, snapshots)
    if snapshot is not None:
        return Checked(snapshot.course, ())
    from course.material.loader import load_course

    key = None
    if snapshots is not None:
        # An unreadable file: the load below reports it, and no snapshot is kept.
        with contextlib.suppress(OSError):
            key = content_key(root)
    result = load_course(root)
    if result.course is not None and snapshots is not None and key is not None:
        write_snapshot(snapshot_path(snapshots, result.course.root), key, result.course)
    return Checked(result.course, result.problems)


def intro_of(manifest: Manifest) -> dict[str, Any]:
    """The welcome's text for a course's manifest, as a snapshot keeps it (INTRO_FIELDS)."""
    return {"id": manifest.id, "title": manifest.title, "version": manifest.version,
            "summary": styled_runs(manifest.summary),
            "disclaimer": styled_runs(manifest.disclaimer or ""),
            "authors": tuple(manifest.authors), "license": manifest.license}


def styled_of(course: Course) -> dict[str, Runs]:
    """Each module's summary as runs of styled text, for the course map."""
    return {module.summary: styled_runs(module.summary) for module in course.modules}


def write_snapshot(path: Path, key: str, course: Course) -> bool:
    """Keep `course` (of files whose `content_key` was `key`) at `path`, with its welcome's
    text. False when it cannot be kept."""
    held: dict[str, Any] = {
        "key": key, "intro": intro_of(course.manifest), "styled": styled_of(course),
        "manifest": course.manifest, "modules": course.modules,
        "glossary": course.glossary, "references": course.references,
    }
    partial = path.with_name(path.name + f".{os.getpid()}.partial")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(held, file, protocol=PROTOCOL)
        os.replace(partial, path)
    except (OSError, pickle.PicklingError, RecursionError):
        # Only ever a copy: failing to keep one must not disturb the learner.
        partial.unlink(missing_ok=True)
        return False
    return True


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_runs(value: object) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(run, tuple) and len(run) == 2 and all(isinstance(v, str) for v in run)
        for run in value)


def _is_intro(value: object) -> TypeGuard[dict[str, Any]]:
    """True for the welcome's fields as `write_snapshot` keeps them."""
    if not (isinstance(value, dict) and set(value) == set(INTRO_FIELDS)):
        return False
    authors, license_ = value["authors"], value["license"]
    return (all(_is_text(value[k]) for k in ("id", "title", "version"))
            and _is_runs(value["summary"]) and _is_runs(value["disclaimer"])
            and isinstance(authors, tuple) and all(_is_text(a) for a in authors)
            and (license_ is None or _is_text(license_)))


class _ModelUnpickler(pickle.Unpickler):
    """Builds the content model's dataclasses and plain values; refuses every other class."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _MODEL_MODULES:
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"a snapshot cannot hold {module}.{name}")


def _write_shipped_schemas(root: Path) -> None:
    """The JSON Schema of each kind of file, in `schema/` beside the files that point at it."""
    from course.material.schema import KINDS, SCHEMA_FOLDER, schema_text

    folder = root / SCHEMA_FOLDER
    folder.mkdir(exist_ok=True)
    for kind in KINDS:
        (folder / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")


def _write_shipped() -> int:
    """`python -m course.material.snapshot`: rewrite the shipped course's snapshot."""
    from course.material.loader import load_course
    from course.paths import shipped_course_dir

    root = shipped_course_dir()
    key = content_key(root)
    result = load_course(root)
    if result.course is None:
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        print("course.material.snapshot: the shipped course has the problems above; mend them,"
              " then run `python -m course.material.snapshot` again. No snapshot was written.",
              file=sys.stderr)
        return 1
    path = shipped_snapshot_path(root)
    try:
        _write_shipped_schemas(root)
        written = write_snapshot(path, key, result.course)
        if written:
            path.chmod(0o644)  # installed for every user to read
    except OSError:
        written = False
    if not written:
        print(f"course.material.snapshot: could not write {path}. Run this in a checkout of ivstem"
              " whose course/content folder you may write to.", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(_write_shipped())

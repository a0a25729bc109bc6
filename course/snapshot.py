"""A checked course kept beside the learner's progress, so that the next start reads it back.

Checking a course means parsing its YAML and validating it with pydantic: about a tenth of a
second and ten megabytes before the first screen. A snapshot holds the result, keyed by the bytes
of every course file and of the source of everything that checks it, and by the program's
version: change any of them and the key no longer matches, so the course is checked afresh.
A snapshot that cannot be read or written is ignored; it is only ever a copy.

A snapshot is a pickle, read with an unpickler that builds nothing but the content model's own
classes, so a damaged or altered file cannot run code. It lives in the learner's private data
folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from typing import Any

from course import __version__
from course.model import FORMAT_VERSION, Course, Glossary, Manifest, Module, References
from course.styled import Runs

#: Bump when what a snapshot holds changes shape.
SNAPSHOT_VERSION = 1

_MODEL_MODULES = ("course.model", "quizzes.questions", "quizzes.scenario")
_PACKAGES = Path(__file__).resolve().parent.parent
#: The source that decides whether a course is sound; a change to any of it voids snapshots.
_CHECKER = tuple(_PACKAGES / name for name in (
    "course/model.py", "course/loader.py", "course/rules.py", "course/yaml_source.py",
    "quizzes/questions.py", "quizzes/scenario.py"))
_COURSE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Snapshot:
    """A checked course, and its welcome text already styled."""

    course: Course
    summary: Runs
    disclaimer: Runs


def content_key(root: Path) -> str:
    """A digest of everything the checked course depends on.

    Take it before loading: a file changed during the load then gives a key that no longer
    matches, and the course is checked again next time.
    """
    digest = hashlib.sha256(
        f"{__version__}|{FORMAT_VERSION}|{SNAPSHOT_VERSION}|{sys.version_info[:2]}".encode())
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


def read_snapshot(folder: Path, root: Path) -> Snapshot | None:
    """The snapshot of the course in `root`, if one is kept and still matches the files."""
    try:
        data = snapshot_path(folder, root).read_bytes()
        key = content_key(root)
        held = _ModelUnpickler(io.BytesIO(data)).load()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError,
            IndexError, KeyError):
        return None
    if not (isinstance(held, dict) and held.get("key") == key):
        return None
    try:
        manifest, modules = held["manifest"], held["modules"]
        glossary, references = held["glossary"], held["references"]
        summary, disclaimer = held["summary"], held["disclaimer"]
    except KeyError:
        return None
    if not (isinstance(manifest, Manifest) and isinstance(modules, tuple)
            and all(isinstance(m, Module) for m in modules)
            and isinstance(glossary, Glossary) and isinstance(references, References)):
        return None
    course = Course(root=root, manifest=manifest, modules=modules, glossary=glossary,
                    references=references)
    return Snapshot(course, summary, disclaimer)


def write_snapshot(folder: Path, key: str, snapshot: Snapshot) -> bool:
    """Keep `snapshot` (of files whose `content_key` was `key`). False when it cannot be."""
    course = snapshot.course
    held: dict[str, Any] = {
        "key": key, "manifest": course.manifest, "modules": course.modules,
        "glossary": course.glossary, "references": course.references,
        "summary": snapshot.summary, "disclaimer": snapshot.disclaimer,
    }
    path = snapshot_path(folder, course.root)
    partial = path.with_name(path.name + f".{os.getpid()}.partial")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            pickle.dump(held, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except (OSError, pickle.PicklingError, RecursionError):
        # Only ever a copy: failing to keep one must not disturb the learner.
        partial.unlink(missing_ok=True)
        return False
    return True


class _ModelUnpickler(pickle.Unpickler):
    """Builds the content model's dataclasses and plain values; refuses every other class."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _MODEL_MODULES:
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"a snapshot cannot hold {module}.{name}")

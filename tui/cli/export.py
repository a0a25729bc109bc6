"""`ivstem export`: the course as a printable Markdown or HTML handout."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from course.material.model import Course

DESCRIPTION = (
    "Write the course as a handout: every lesson in order, the practice questions and quizzes"
    " as a worksheet, then the glossary and the references. HTML is one self-contained page"
    " (no scripts, fonts or images loaded) that prints well; Markdown suits editing or a"
    " repository. With --answers the handout is the instructor's copy: correct options,"
    " accepted answers, numbers with their tolerance, orders, pairs, categories, feedback and"
    " explanations. OUT is replaced if it exists (an export is made again after each edit),"
    " but never a file of the course itself. Exit status: 0 written, 1 the course has problems"
    " or OUT cannot be written, 2 usage error."
)

_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `export` command."""
    parser = subcommands.add_parser(
        "export", parents=[common], help="write the course as a Markdown or HTML handout",
        description=DESCRIPTION,
    )
    parser.add_argument("folder", nargs="?", metavar="COURSE_DIR",
                        help="the course folder (default: --course, or the shipped course)")
    parser.add_argument("--format", choices=("markdown", "html"),
                        help="markdown or html (default: from the name of OUT: .md or .html)")
    parser.add_argument("--answers", action="store_true",
                        help="include the answer key: the instructor's copy")
    parser.add_argument("-o", "--output", metavar="OUT", required=True,
                        help="the file to write; - for standard output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load the course, render the handout, write it."""
    from course.instructor.handout import render
    from course.material.loader import load_course, shipped_course_dir

    folder = Path(args.folder or getattr(args, "course", None) or shipped_course_dir())
    fmt = args.format or _format_from_name(args.output)
    if not folder.exists():
        raise UsageError(f"export: {folder} does not exist")
    if not (folder / "course.yaml").is_file() and not (
            folder.is_file() and folder.name == "course.yaml"):
        raise UsageError(f"export: {folder} is not a course folder (it has no course.yaml)")
    result = load_course(folder)
    if result.course is None or result.problems:
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        print(f"ivstem: export: the course in {folder} has problems, so no handout was written."
              " Mend them first (`ivstem validate` shows each one).", file=sys.stderr)
        return EXIT_PROBLEMS
    course = result.course
    text = render(course, fmt, answers=args.answers)
    if args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    destination = Path(args.output).expanduser()
    if _is_course_file(destination, course):
        raise UsageError(f"export: {destination} is a file of the course itself; write the"
                         " handout elsewhere, such as handout.html")
    try:
        write_output(destination, text)
    except OSError as exc:
        print(f"ivstem: export: cannot write {destination}: {exc.strerror or exc}.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    copy = "instructor's copy, with answers" if args.answers else "worksheet, without answers"
    print(f"Wrote {destination}: {fmt} handout of {course.title!r}"
          f" ({len(course.modules)} modules; {copy}).")
    return EXIT_OK


def _format_from_name(output: str) -> str:
    fmt = _SUFFIXES.get(Path(output).suffix.lower())
    if fmt is None:
        raise UsageError("export: say --format markdown or --format html (or name the output"
                         " file .md or .html)")
    return fmt


def _is_course_file(destination: Path, course: Course) -> bool:
    manifest = course.manifest
    names = ["course.yaml", *manifest.modules]
    names += [name for name in (manifest.glossary, manifest.references) if name]
    try:
        target = destination.resolve()
        return any((course.root / name).resolve() == target for name in names)
    except OSError:
        return False


def write_output(destination: Path, text: str, *, private: bool = False) -> None:
    """Write a text file atomically: an interrupted run never leaves half a file behind.

    Shared by `export`, `report` and `import`. `private` makes the file readable by its owner
    only. Raises OSError (IsADirectoryError for a folder).
    """
    if destination.is_dir():
        raise IsADirectoryError(21, "it is a folder; give a file name")
    if not destination.parent.is_dir():
        raise FileNotFoundError(2, f"the folder {destination.parent} does not exist")
    folder = destination.parent
    fd, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, 0o600 if private else 0o666 & ~_umask())
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

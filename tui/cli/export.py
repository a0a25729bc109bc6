"""`ivstem export`: the course as a printable Markdown or HTML handout, or its questions as a
Moodle question bank (GIFT or Moodle XML)."""

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
    " explanations. With --format gift or moodle-xml, every practice check and quiz question"
    " goes into a file for Moodle's question bank (Import > GIFT or Moodle XML format), one"
    " category a module; what a format cannot hold (GIFT has no hints, marks or units; Moodle"
    " has no refs) is listed on standard error as a note, and docs/moodle.md says what maps to"
    " what. OUT is replaced if it exists (an export is made again after each edit), but never"
    " a file of the course itself. Exit status: 0 written, 1 the course has problems or OUT"
    " cannot be written, 2 usage error."
)

_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
             ".gift": "gift", ".txt": "gift", ".xml": "moodle-xml"}
_BANKS = {"gift": "GIFT", "moodle-xml": "Moodle XML"}


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `export` command."""
    parser = subcommands.add_parser(
        "export", parents=[common],
        help="write the course as a Markdown or HTML handout, or its questions for Moodle",
        description=DESCRIPTION,
    )
    parser.add_argument("folder", nargs="?", metavar="COURSE_DIR",
                        help="the course folder (default: --course, or the shipped course)")
    parser.add_argument("--format", choices=("markdown", "html", "gift", "moodle-xml"),
                        help="markdown or html for a handout, gift or moodle-xml for Moodle's"
                        " question bank (default: from the name of OUT: .md, .html, .gift or"
                        " .txt, .xml)")
    parser.add_argument("--answers", action="store_true",
                        help="include the answer key: the instructor's copy (handouts; a"
                        " Moodle export always holds the answers)")
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
    if fmt in _BANKS:
        return _export_bank(course, fmt, args.output)
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


def _export_bank(course: Course, fmt: str, output: str) -> int:
    """Write the course's questions for Moodle; what did not fit is listed as notes."""
    from course.instructor import gift_export, moodle_xml_export
    from course.instructor.moodle_bank import grouped

    destination = None if output == "-" else Path(output).expanduser()
    if destination is not None and _is_course_file(destination, course):
        raise UsageError(f"export: {destination} is a file of the course itself; write the"
                         " questions elsewhere, such as questions.xml")
    exporter = gift_export if fmt == "gift" else moodle_xml_export
    bank = exporter.export(course)
    name = _BANKS[fmt]
    for line in grouped(bank.skipped):
        print(f"ivstem: export: not exported: {line}", file=sys.stderr)
    for line in grouped(bank.losses):
        print(f"ivstem: export: note: {line}", file=sys.stderr)
    if destination is None:
        sys.stdout.write(bank.text)
        return EXIT_OK
    try:
        write_output(destination, bank.text)
    except OSError as exc:
        print(f"ivstem: export: cannot write {destination}: {exc.strerror or exc}.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    left = f"; {len(bank.skipped)} not exported (listed above)" if bank.skipped else ""
    questions = "1 question" if bank.written == 1 else f"{bank.written} questions"
    modules = len(course.modules)
    categories = "1 category" if modules == 1 else f"{modules} categories"
    print(f"Wrote {destination}: {name} question bank of {course.title!r}"
          f" ({questions} in {categories}, one a module{left}).")
    print(f"In Moodle: Question bank > Import > {name} format. The notes above say what"
          " Moodle could not take; docs/moodle.md says what maps to what.")
    return EXIT_OK


def _format_from_name(output: str) -> str:
    fmt = _SUFFIXES.get(Path(output).suffix.lower())
    if fmt is None:
        raise UsageError("export: say --format markdown, html, gift or moodle-xml (or name the"
                         " output file .md, .html, .gift or .xml)")
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

"""`ivstem validate`: check course folders and point at every mistake."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `validate` command."""
    parser = subcommands.add_parser(
        "validate", parents=[common], help="check course folders and point at every mistake",
        description="Check course folders against the authoring format. Prints each problem as"
        " path:line:col: error: message, with a hint where one helps. Exit status: 0 clean,"
        " 1 problems found, 2 usage error.",
    )
    parser.add_argument("folders", nargs="*", metavar="COURSE_DIR",
                        help="course folders (default: the course that ships with ivstem)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people (default), json for editors and CI")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate each folder; report every problem, sorted by file and line."""
    from course.material.loader import load_course, shipped_course_dir
    from course.material.problems import Problem

    folders = [Path(f) for f in args.folders] or [Path(getattr(args, "course", None)
                                                       or shipped_course_dir())]
    for folder in folders:
        if not folder.exists():
            raise UsageError(f"validate: {folder} does not exist")
        # exists(), not is_file(): a course.yaml that is a folder or a pipe is the loader's to
        # report, as what it is.
        if not (folder / "course.yaml").exists() and not (
                folder.is_file() and folder.name == "course.yaml"):
            raise UsageError(f"validate: {folder} is not a course folder (it has no course.yaml)")

    problems: list[Problem] = []
    warnings: list[Problem] = []
    for folder in folders:
        result = load_course(folder)
        problems.extend(result.problems)
        warnings.extend(result.warnings)
    reported = sorted(problems + warnings, key=lambda p: (str(p.path), p.line, p.column))

    files = len({p.path for p in problems})
    if not problems:
        summary = f"{_plural(len(folders), 'course')} checked: no problems"
    else:
        summary = (f"{_plural(len(problems), 'problem')} in {_plural(files, 'file')}"
                   f" ({_plural(len(folders), 'course')} checked)")
    if warnings:
        summary += f", {_plural(len(warnings), 'warning')}"
    if args.format == "json":
        json.dump({"ok": not problems, "problems": [p.to_dict() for p in reported],
                   "summary": summary}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for problem in reported:
            print(problem.format())
        print(summary)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"

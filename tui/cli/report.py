"""`ivstem report`: merge learners' progress exports into a class report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from course.material.model import Course

DESCRIPTION = (
    "Merge the files learners made with `ivstem progress export` into a class report for one"
    " course (--course DIR, default the shipped course). Give files, folders (every .json file"
    " directly inside is read), or both. Each file's checksum is verified; a file that fails is"
    " named with its reason and left out, the report is written from the others, and the exit"
    " status is 1. Two files of one learner are merged without counting anything twice."
    " With --format csv (the default), -o OUT.csv gets the class table (learner, module,"
    " lessons done, passed, best score, quiz attempts, last studied) and OUT-questions.csv"
    " beside it the question table (learners who answered, times answered, share right at the"
    " first try, the wrong answer chosen most often): the questions that mislead."
    " OUT-items.csv gets the item analysis of every module quiz, also printed as a table:"
    " each question's facility index, discrimination index and attempts, and each quiz's"
    " coefficient of internal consistency (Cronbach's alpha), as Moodle's quiz statistics give"
    " them, from each learner's first finished attempt (--attempts all: every attempt)."
    " With --format xapi, OUT gets xAPI statements as JSON lines (answered, passed, failed) for"
    " a Learning Record Store. Exit status: 0 written, 1 a file was left out or nothing could"
    " be written, 2 usage error."
)


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `report` command."""
    parser = subcommands.add_parser(
        "report", parents=[common], help="merge learners' progress exports into a class report",
        description=DESCRIPTION,
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                        help="progress files, or folders of them")
    parser.add_argument("-o", "--output", metavar="OUT", required=True,
                        help="csv: the class table's file (the question table goes to"
                        " OUT-questions.csv, the item analysis to OUT-items.csv); xapi: the"
                        " statements' file, - for standard output")
    parser.add_argument("--format", choices=("csv", "xapi"), default="csv",
                        help="csv tables (default) or xapi statements (JSON lines)")
    parser.add_argument("--attempts", choices=("first", "all"), default=None,
                        help="csv: the quiz attempts the item analysis counts: each learner's"
                        " first at each quiz (default, as Moodle) or all of them")
    parser.add_argument("--homepage", metavar="URL", default=None,
                        help="xapi: the homePage of each learner's account (default: urn:ivstem;"
                        " give your LRS's or school's address if it asks for a web address)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read the files, merge them, write the tables or statements."""
    from course.instructor.item_report import item_csv, item_table
    from course.instructor.report import (
        XAPI_HOMEPAGE,
        build_report,
        class_csv,
        question_csv,
        xapi_lines,
        xapi_statements,
    )

    if args.homepage is not None and args.format != "xapi":
        raise UsageError("report: --homepage is for --format xapi")
    if args.attempts is not None and args.format != "csv":
        raise UsageError("report: --attempts is for --format csv (the item analysis)")
    if args.output == "-" and args.format == "csv":
        raise UsageError("report: csv writes three files; give -o OUT.csv")
    course = _course(args)
    if course is None:
        return EXIT_PROBLEMS
    report = build_report(course, [Path(p).expanduser() for p in args.paths])
    try:
        for skipped in report.skipped:
            print(f"ivstem: report: left out {skipped.path}: {skipped.reason}", file=sys.stderr)
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
        if not report.files:
            print("ivstem: report: no progress file could be used, so nothing was written.",
                  file=sys.stderr)
            return EXIT_PROBLEMS
        learners = _plural(len(report.learners), "learner")
        files = _plural(len(report.files), "file")
        if args.format == "xapi":
            statements = xapi_statements(report, homepage=args.homepage or XAPI_HOMEPAGE)
            text = xapi_lines(statements)
            if args.output == "-":
                sys.stdout.write(text)
            else:
                destination = Path(args.output).expanduser()
                if not _write(destination, text):
                    return EXIT_PROBLEMS
                print(f"Wrote {destination}: {_plural(len(statements), 'xAPI statement')}"
                      f" from {files} ({learners}).")
        else:
            destination = Path(args.output).expanduser()
            questions_path = questions_file(destination)
            items_path = items_file(destination)
            class_rows = report.class_rows()
            question_rows = report.question_rows()
            items = report.item_analysis(args.attempts or "first")
            if items.unreadable:
                print(f"note: {_plural(items.unreadable, 'quiz attempt')} kept no readable record"
                      " of the questions asked, so the item analysis leaves them out.",
                      file=sys.stderr)
            if not (_write(destination, class_csv(class_rows))
                    and _write(questions_path, question_csv(question_rows))
                    and _write(items_path, item_csv(items))):
                return EXIT_PROBLEMS
            print(f"Wrote the class table to {destination} ({learners} ×"
                  f" {_plural(len(course.modules), 'module')}, from {files}).")
            print(f"Wrote the question table to {questions_path}"
                  f" ({_plural(len(question_rows), 'question')}).")
            print(f"Wrote the item analysis to {items_path}"
                  f" ({_plural(items.questions, 'quiz question')},"
                  f" from {_plural(items.attempts, 'attempt')}).")
            print()
            sys.stdout.write(item_table(items))
    finally:
        report.close()
    return EXIT_PROBLEMS if report.skipped else EXIT_OK


def questions_file(class_file: Path) -> Path:
    """Where the question table goes: `OUT-questions.csv` beside `OUT.csv`."""
    return class_file.with_name(f"{class_file.stem}-questions{class_file.suffix or '.csv'}")


def items_file(class_file: Path) -> Path:
    """Where the item analysis goes: `OUT-items.csv` beside `OUT.csv`."""
    return class_file.with_name(f"{class_file.stem}-items{class_file.suffix or '.csv'}")


def _course(args: argparse.Namespace) -> Course | None:
    from course.material.loader import load_course, shipped_course_dir

    given = getattr(args, "course", None)
    folder = Path(given).expanduser() if given else shipped_course_dir()
    if not folder.exists():
        raise UsageError(f"report: --course {folder} does not exist")
    result = load_course(folder)
    if result.course is None or result.problems:
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        print(f"ivstem: report: the course in {folder} has problems, so no report was written."
              " `ivstem validate` explains each one.", file=sys.stderr)
        return None
    return result.course


def _write(destination: Path, text: str) -> bool:
    from tui.cli.export import write_output

    try:
        # A report goes where the instructor keeps them: a folder for the week is made.
        destination.parent.mkdir(parents=True, exist_ok=True)
        # Names and results of a class: readable by its owner only, like the exports.
        write_output(destination, text, private=True)
    except OSError as exc:
        print(f"ivstem: report: cannot write {destination}: {exc.strerror or exc}.",
              file=sys.stderr)
        return False
    return True


def _plural(count: int, word: str) -> str:
    return f"1 {word}" if count == 1 else f"{count} {word}s"

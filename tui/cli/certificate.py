"""`ivstem certificate`: write the completion record, or check one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from tui.cli.progress import current_learner, guarded, load_course_or_report, open_store

DESCRIPTION = (
    "When every module is passed, write your completion record as Markdown and as one"
    " self-contained HTML page (ivstem-certificate-COURSE-LEARNER.md and .html): learner,"
    " course id and version, each module's score and the date you passed it, the completion"
    " date, and a verification code computed from all of these. Before then, says what remains."
    " --verify FILE checks a record: it reads the fields embedded in the file, recomputes the"
    " code and the visible text, and says GENUINE or ALTERED. The code shows that a record was"
    " not changed after it was written; it is not a signature: anyone with ivstem can write a"
    " record with a valid code, so it does not prove who wrote it. Exit status: writing, 0"
    " written, 1 not complete yet or not written; --verify, 0 genuine, 1 altered, 2 the file is"
    " missing or cannot be read (and 2 for a usage error)."
)


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `certificate` command."""
    parser = subcommands.add_parser(
        "certificate", parents=[common], help="write your completion record, or check one",
        description=DESCRIPTION,
    )
    parser.add_argument("-o", "--output", metavar="DIR", default=None,
                        help="the folder to write the two files in (default: the current one)")
    parser.add_argument("--verify", metavar="FILE", default=None,
                        help="check a record (.md or .html) instead of writing one")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Verify FILE, or write the learner's record."""
    if args.verify is not None:
        if args.output is not None:
            raise UsageError("certificate: give either --verify FILE or -o DIR, not both")
        return verify(Path(args.verify).expanduser())
    return guarded(write)(args)


def verify(path: Path) -> int:
    """Say whether a record file is as ivstem wrote it."""
    from course.record.certificate import UnreadableError
    from course.record.certificate import verify as check

    try:
        verdict = check(path)
    except UnreadableError as exc:
        print(f"ivstem: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(verdict.message)
    return EXIT_OK if verdict.genuine else EXIT_PROBLEMS


def write(args: argparse.Namespace) -> int:
    """Write the record of the learner in the course, or say what remains."""
    from course.material.model import Course
    from course.record.certificate import NotCompleteError, build_record
    from course.record.certificate import write as write_files

    learner = current_learner(args)
    folder = Path(args.output).expanduser() if args.output else Path.cwd()
    if not folder.is_dir():
        raise UsageError(f"certificate: -o {folder}: there is no such folder")
    course = load_course_or_report(args)
    if course is None:
        return EXIT_PROBLEMS
    assert isinstance(course, Course)
    with open_store(args, reading=True) as store:
        try:
            record = build_record(course, store, learner)
        except NotCompleteError as exc:
            print(f"Not yet: {learner} has not passed every module of “{course.title}”."
                  " What remains:")
            for line in exc.remaining:
                print(f"- {line}")
            return EXIT_PROBLEMS
    try:
        paths = write_files(record, folder)
    except OSError as exc:
        print(f"ivstem: certificate: cannot write in {folder}: {exc.strerror or exc}.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Wrote the completion record of {record.learner} in “{course.title}”:")
    for path in paths:
        print(f"- {path}")
    print(f"Verification code: {record.code}. Check a copy with"
          " `ivstem certificate --verify FILE`.")
    return EXIT_OK

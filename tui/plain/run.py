"""Starting the plain mode: `ivstem --plain` and `ivstem review --plain`.

The command line checks its options and hands over a `Start` (`tui.cli.run.run_plain_mode`);
from there the course is loaded, the learner's store opened and the conversation run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from course.material.loader import load_course, shipped_course_dir
from course.printable import printable
from course.record.lrs import connect
from course.record.progress import ProgressStore, StoreBusyError, default_learner_name
from course.record.progress.opening import START_WAIT
from tui.new_learner import check_new_learner
from tui.plain.conversation import PlainCourse
from tui.plain.core import EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, Quit
from tui.plain.output import (
    Output,
    PlainOutput,
    RichOutput,
    text_width,
    tolerate_unencodable,
    wants_plain_text,
)
from tui.plain.reader import LineReader
from tui.plain.review import review_session


@dataclass(frozen=True)
class Start:
    """What the plain mode opens, as the command line gave it (already checked)."""

    course_dir: Path | None = None  # None: the course that ships with ivstem
    learner: str | None = None  # None: the profile named after the user account
    data_dir: str | None = None  # where progress is kept; None: $IVSTEM_DATA_DIR or the default


def run_plain(start: Start, *, stdin: IO[str] | None = None,
              stdout: IO[str] | None = None) -> int:
    """`ivstem --plain`: load the course, open the learner's store, and talk until `q`.

    Returns the exit status: 0 when the learner quits (or the input ends), 1 when the course has
    problems (each printed as `path:line:col: error: message`), 130 on Ctrl+C.
    """
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    opened = open_plain(start, stdin, stdout)
    if isinstance(opened, int):
        return opened
    try:
        return opened.run()
    finally:
        opened.close()


def run_review(start: Start, *, stdin: IO[str] | None = None,
               stdout: IO[str] | None = None) -> int:
    """`ivstem review --plain`: ask the due questions, then exit.

    When nothing is due, says when the next question is and exits 0. Exit status as
    `ivstem --plain`: 0 done (or q), 1 the course has problems, 130 on Ctrl+C.
    """
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    opened = open_plain(start, stdin, stdout)
    if isinstance(opened, int):
        return opened
    plain = opened
    if plain.lrs is not None:
        plain.lrs.start()
    try:
        plain.out.line(f"ivstem review, plain mode. Learner: {plain.learner}. Type ? at any"
                       " prompt for help, q to quit.")
        review_session(plain)
        return EXIT_OK
    except Quit:
        plain.goodbye()
        return EXIT_OK
    except KeyboardInterrupt:
        plain.goodbye()
        return EXIT_INTERRUPTED
    finally:
        plain.close()


def open_plain(start: Start, stdin: IO[str], stdout: IO[str]) -> PlainCourse | int:
    """Load the course, open the store and check the learner: the conversation, ready to run
    (the caller closes its store), or the exit status when the course has problems or a new
    learner's profile was not created (see `tui.new_learner`)."""
    learner = start.learner if start.learner is not None else default_learner_name()
    folder = start.course_dir if start.course_dir is not None else shipped_course_dir()
    tolerate_unencodable(stdout)
    result = load_course(folder)
    if result.course is None or result.problems:
        count = len(result.problems)
        where = printable(str(folder), one_line=True)
        print(f"ivstem: the course in {where} cannot be opened: {count} problem"
              f"{'' if count == 1 else 's'} to mend first (`ivstem validate` lists the same).",
              file=sys.stderr)
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    def waiting(message: str) -> None:
        stdout.write(f"{message} Close it if it is not needed, or press Ctrl+C to stop"
                     " waiting.\n")
        stdout.flush()

    try:
        store = ProgressStore.open_or_memory(start.data_dir, wait=START_WAIT, on_wait=waiting)
    except StoreBusyError as exc:
        print(f"ivstem: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    refused = check_new_learner(store, start.learner, stdin=stdin, stdout=stdout)
    if refused is not None:
        store.close()
        return refused
    out: Output = (PlainOutput(stdout, text_width()) if wants_plain_text(stdout)
                   else RichOutput(stdout))
    return PlainCourse(result.course, store, learner, out, LineReader(stdin, stdout),
                       lrs=connect(store))

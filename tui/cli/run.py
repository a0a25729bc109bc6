"""`ivstem` with no command: open the course in the terminal.

The plain mode, which runs without Textual, asks new learners here too (`check_new_learner`):
the app and its screens are imported only by `run_app`.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from course.progress import (
    InvalidLearnerNameError,
    LearnerExistsError,
    ProgressStore,
    validate_learner_name,
)
from tui.cli import EXIT_CRASH, EXIT_OK, EXIT_PROBLEMS, Options, UsageError
from tui.crash import crash_line

if TYPE_CHECKING:
    from tui.app import IvstemApp


def run_app(args: Options, *, start: str | None = None) -> int:
    """Check the learner name and the terminal, then run the app until the learner quits.

    `start` ("review", "dashboard") opens that screen over the map.
    """
    from tui.app import make_app
    from tui.screens.too_small import MIN_HEIGHT as MIN_LINES
    from tui.screens.too_small import MIN_WIDTH as MIN_COLUMNS

    learner = getattr(args, "learner", None)
    if learner is not None:
        try:
            learner = validate_learner_name(learner)
        except InvalidLearnerNameError as exc:
            raise UsageError(f"--learner: {exc}") from None
    course = getattr(args, "course", None)
    if course is not None:
        folder = Path(course)
        if not (folder / "course.yaml").is_file():
            raise UsageError(f"--course: {folder} is not a course folder (it has no course.yaml)")
    if sys.stdout.isatty():
        size = shutil.get_terminal_size()
        if size.columns < MIN_COLUMNS or size.lines < MIN_LINES:
            print(f"ivstem: the terminal is {size.columns}x{size.lines}; the course needs at"
                  f" least {MIN_COLUMNS}x{MIN_LINES} (80x24 is best). Enlarge the window or"
                  " use a smaller font, then run ivstem again.", file=sys.stderr)
            return EXIT_PROBLEMS
    data_dir = getattr(args, "data_dir", None)
    store = ProgressStore.open_or_memory(data_dir)
    refused = check_new_learner(store, learner, stdin=sys.stdin, stdout=sys.stdout)
    if refused is not None:
        store.close()
        return refused
    app = make_app(getattr(args, "course", None), learner=learner, data_dir=data_dir,
                   store=store, start=start)
    app.run()
    crashed = crash_status(app)
    if crashed is not None:
        return crashed
    if app.course is None and app.problems:  # the course could not be opened
        return EXIT_PROBLEMS
    return EXIT_OK


def crash_status(app: IvstemApp) -> int | None:
    """After the app has ended: if it stopped on an unexpected error, say so in one line and
    where the log is, and return EXIT_CRASH; None if it ended normally."""
    if app.crash_log is None:
        return None
    # Printed now that the terminal is the learner's again.
    print(crash_line(app.crash_log, progress_kept=app.saving), file=sys.stderr)
    return EXIT_CRASH


def check_new_learner(
    store: ProgressStore, name: str | None, *, stdin: IO[str], stdout: IO[str]
) -> int | None:
    """Before `--learner NAME` starts a profile that does not exist while others do, ask: a
    mistyped name would otherwise open an empty record, as if the learner's progress were lost.

    With a terminal, asks whether to create it; without one (a script, piped answers), says
    which profiles there are and how to create one, and refuses rather than wait. Returns None
    to go on (the profile exists, was created, or is the first in the data folder), else the
    exit status. `ivstem serve` creates its learners' profiles itself, before this is asked.
    """
    if name is None or not store.persistent or store.learner_name(name) is not None:
        return None
    existing = store.learners()
    if not existing:
        return None  # the first learner here: nothing to mistype
    assert store.path is not None
    listed = ", ".join(existing)
    there = (f"there is no learner profile {name!r} in {store.path.parent}; the profiles there"
             f" are: {listed}.")
    if not (stdin.isatty() and stdout.isatty()):
        print(f"ivstem: {there} Choose one of them with --learner NAME, or create the new"
              f" profile first with `ivstem learners add {shlex.quote(name)}`.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"ivstem: {there}", file=sys.stderr)
    stdout.write(f"Create a new profile {name!r}? [y/N] ")
    stdout.flush()
    reply = stdin.readline()
    if reply.strip().lower() not in ("y", "yes"):
        print("Nothing was created. Choose one of the profiles above with --learner NAME.",
              file=sys.stderr)
        return EXIT_OK
    # Another ivstem may have created it meanwhile: the same profile, then.
    with contextlib.suppress(LearnerExistsError):
        store.add_learner(name)
    return None

"""`ivstem` with no command: open the course in the terminal, in the app or line by line.

The plain mode runs without Textual: the app and its screens are imported only by `run_app`.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from course.record.progress import (
    InvalidLearnerNameError,
    ProgressStore,
    StoreBusyError,
    validate_learner_name,
)
from course.record.progress.opening import START_WAIT
from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, Options, UsageError
from tui.crash import EXIT_CRASH, crash_line
from tui.new_learner import check_new_learner

if TYPE_CHECKING:
    from tui.app import IvstemApp


def checked_options(args: Options) -> tuple[str | None, Path | None]:
    """The learner and the course folder the options name (None: not given), checked: a usage
    error when the name cannot be a profile's or the folder holds no course."""
    learner = getattr(args, "learner", None)
    if learner is not None:
        try:
            learner = validate_learner_name(learner)
        except InvalidLearnerNameError as exc:
            raise UsageError(f"--learner: {exc}") from None
    course = getattr(args, "course", None)
    folder = Path(course) if course is not None else None
    if folder is not None and not (folder / "course.yaml").is_file():
        raise UsageError(f"--course: {folder} is not a course folder (it has no course.yaml)")
    return learner, folder


def run_plain_mode(args: Options, *, review: bool = False) -> int:
    """`ivstem --plain`, or with `review` `ivstem review --plain`: the options checked, then
    the plain mode told what they say."""
    learner, folder = checked_options(args)
    from tui.plain.run import Start, run_plain, run_review

    start = Start(course_dir=folder, learner=learner, data_dir=getattr(args, "data_dir", None))
    return run_review(start) if review else run_plain(start)


def run_app(args: Options, *, start: str | None = None) -> int:
    """Check the learner name and the terminal, then run the app until the learner quits.

    `start` ("review", "dashboard") opens that screen over the map.
    """
    from tui.app import make_app
    from tui.screens.too_small import MIN_HEIGHT as MIN_LINES
    from tui.screens.too_small import MIN_WIDTH as MIN_COLUMNS

    learner, _ = checked_options(args)
    if sys.stdout.isatty():
        size = shutil.get_terminal_size()
        if size.columns < MIN_COLUMNS or size.lines < MIN_LINES:
            print(f"ivstem: the terminal is {size.columns}x{size.lines}; the course needs at"
                  f" least {MIN_COLUMNS}x{MIN_LINES} (80x24 is best). Enlarge the window or"
                  " use a smaller font, then run ivstem again.", file=sys.stderr)
            return EXIT_PROBLEMS
    data_dir = getattr(args, "data_dir", None)

    def waiting(message: str) -> None:  # before the app takes the terminal
        print(f"ivstem: {message} Close it if it is not needed, or press Ctrl+C to stop"
              " waiting.", file=sys.stderr, flush=True)

    try:
        store = ProgressStore.open_or_memory(data_dir, wait=START_WAIT, on_wait=waiting)
    except StoreBusyError as exc:
        print(f"ivstem: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
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
    if app.tally.lost:
        # Told as each happened, on a screen that is gone now: the terminal keeps it.
        print(f"ivstem: {app.tally.closing('')}", file=sys.stderr)
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

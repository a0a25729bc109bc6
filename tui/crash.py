"""An error ivstem did not expect: the whole traceback to a log, one line to the learner.

The log lives in the learner data folder, beside progress.sqlite3, so a student can send it
to whoever helps them; when that folder cannot be written, in the temporary folder instead.
Nothing here imports Textual: every command reports its crashes the same way.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, NamedTuple

from course import __version__
from course.paths import create_private_file, ensure_private_dir, resolve_data_dir
from course.printable import printable

#: The exit status after an unexpected error (EX_SOFTWARE in BSD's sysexits.h), apart from
#: "the course has problems" or "refused" (1) and "a usage mistake" (2).
EXIT_CRASH = 70

CRASH_LOG = "ivstem-crash.log"

#: A log bigger than this is started afresh: only the latest crashes help, and a crash that
#: repeats at every start must not fill the disk.
LOG_LIMIT = 1_000_000


class CrashLog(NamedTuple):
    """Where a crash was written (None: nowhere), and why not in the data folder, if not."""

    path: Path | None
    instead: str | None = None


def write_crash_log(error: BaseException, data_dir: str | os.PathLike[str] | None) -> CrashLog:
    """Append `error`'s traceback to the crash log of the data folder (--data-dir, else
    $IVSTEM_DATA_DIR, else the user data folder), or of the temporary folder when that cannot
    be written."""
    entry = _entry(error)
    folder = resolve_data_dir(data_dir).path
    try:
        ensure_private_dir(folder, tighten=False)
        path = folder / CRASH_LOG
        if path.is_file() and path.stat().st_size > LOG_LIMIT:
            path.unlink()
        create_private_file(path)
        with path.open("a", encoding="utf-8") as log:
            log.write(entry)
        return CrashLog(path)
    except OSError as exc:
        instead = f"the data folder {folder} cannot be written ({exc.strerror or exc})"
    try:
        # A file of its own (mode 0600): the temporary folder is shared with other accounts.
        fd, name = tempfile.mkstemp(prefix="ivstem-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as log:
            log.write(entry)
        return CrashLog(Path(name), instead)
    except OSError:
        return CrashLog(None, instead)


def crash_line(log: CrashLog, *, progress_kept: bool) -> str:
    """The one line that tells the learner what happened and where the details are."""
    if log.path is None:
        where = "its details could not be written anywhere, so they are shown above"
    elif log.instead is not None:
        where = f"{log.instead}, so the details are in {log.path}"
    else:
        where = f"the details are in {log.path}"
    # The folder may be a --data-dir as typed: its control characters are shown, not obeyed.
    line = printable(f"ivstem stopped on an unexpected error; {where}.", one_line=True)
    if progress_kept:
        line += " Your progress up to the last answer is saved."
    return line


def report_crash(
    error: BaseException,
    data_dir: str | os.PathLike[str] | None,
    *,
    progress_kept: bool,
    stream: IO[str] | None = None,
) -> int:
    """Log `error`, say so in one line on `stream` (default stderr); return EXIT_CRASH.

    When no log could be written, the traceback is printed first, so it is not lost.
    """
    out = sys.stderr if stream is None else stream
    log = write_crash_log(error, data_dir)
    if log.path is None:
        out.write(printable("".join(traceback.format_exception(error))))
    print(crash_line(log, progress_kept=progress_kept), file=out)
    return EXIT_CRASH


def _entry(error: BaseException) -> str:
    """One crash as the log keeps it: when, which ivstem, how it was started, the traceback."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    return (
        f"==== {when} ivstem {__version__}, Python {platform.python_version()}"
        f" on {platform.platform()}\n"
        f"command: {' '.join(sys.argv)}\n"
        + "".join(traceback.format_exception(error))
        + "\n"
    )

"""`ivstem serve`: the course in a web browser, for lab rooms without terminals.

The server itself is in `tui.serve`; this module checks the options, warns when the server can
be reached from other machines, and turns every failure into one line and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000

#: Modules `ivstem serve` needs beyond the rest of ivstem (textual-serve and what it brings).
_SERVE_MODULES = ("textual_serve", "aiohttp", "yarl", "multidict")


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `serve` command."""
    parser = subcommands.add_parser(
        "serve", parents=[common], help="open the course in web browsers (textual-serve)",
        description="Serve the course to web browsers. The first page asks each student for a"
        " name (or lab login) and keeps their progress under it, so they can come back to it"
        " next time; /?learner=NAME skips the question, and --learner NAME serves that one"
        " profile to every session. Each browser tab runs its own copy of the course. Listens"
        " on this machine only (127.0.0.1) unless --host says otherwise."
        " There are no passwords. Ctrl+C stops it. Exit status: 0 stopped, 1 could not start,"
        " 2 usage error.",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST,
        help="the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 makes"
        " the course reachable from the whole network)",
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT,
                        help=f"the port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument(
        "--max-sessions", type=_count, metavar="N",
        help="how many browser sessions may run at once; the next browser is told the room is"
        " full and tries again by itself (default: as many as half this machine's memory"
        " holds, at 64 MB a session)",
    )
    parser.set_defaults(handler=serve)


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def _count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of sessions") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"{count}: give at least 1 session")
    return count


def serve(args: argparse.Namespace) -> int:
    """Check the options, then serve the course until Ctrl+C."""
    from course.paths import resolve_data_dir
    from course.record.progress import InvalidLearnerNameError, validate_learner_name

    learner = getattr(args, "learner", None)
    if learner is not None:
        try:
            learner = validate_learner_name(learner)
        except InvalidLearnerNameError as exc:
            raise UsageError(f"--learner: {exc}") from None
    course = getattr(args, "course", None)
    course_dir = None
    if course is not None:
        course_dir = Path(course).expanduser().resolve()
        if not (course_dir / "course.yaml").is_file():
            raise UsageError(f"--course: {course} is not a course folder (it has no course.yaml)")
    host = args.host.strip()
    if not host:
        raise UsageError("--host: give an address, such as 127.0.0.1 or 0.0.0.0")
    data = resolve_data_dir(getattr(args, "data_dir", None))

    try:
        from tui.serve import (
            ServeConfig,
            ServeError,
            default_max_sessions,
            exposure_warning,
            run_server,
        )
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in _SERVE_MODULES:
            raise
        print(f"ivstem serve: the textual-serve package is missing ({exc.name} cannot be"
              " imported). Install it into the same Python as ivstem with:\n"
              f"  {sys.executable} -m pip install textual-serve", file=sys.stderr)
        return EXIT_PROBLEMS

    warning = exposure_warning(host)
    if warning is not None:
        print(f"ivstem serve: {warning}", file=sys.stderr)
    max_sessions = args.max_sessions
    why = "--max-sessions"
    if max_sessions is None:
        max_sessions, why = default_max_sessions(), "for this machine's memory; --max-sessions N"
    limit = f"{max_sessions} session{'s' * (max_sessions != 1)} at once ({why})"
    config = ServeConfig(host=host, port=args.port, course_dir=course_dir,
                         data_dir=data.path if data.source != "default" else None,
                         learner=learner, max_sessions=max_sessions)
    notes = [f"Progress is kept in {data.path}.",
             f"At most {limit}; the next browser is told the room is full."]
    if learner is not None:
        notes.append(f"Every session studies as learner {learner!r} (--learner).")
    try:
        run_server(config, log=_log, notes=notes)
    except ServeError as exc:
        print(f"ivstem serve: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print("ivstem serve: stopped.", flush=True)
    return EXIT_OK


def _log(line: str) -> None:
    print(line, flush=True)

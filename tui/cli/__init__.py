"""The `ivstem` command line.

Each command lives in its own module under `tui.cli` and registers itself through a
`register(subcommands, common)` function. Modules are imported only for the command that runs,
and nothing here imports Textual unless the command opens the app, so `validate`, `schema` and
`progress` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from course import __version__
from course.printable import printable
from tui.cli.common import EXIT_OK, EXIT_USAGE, Options, UsageError
from tui.cli.printable_output import printable_output

#: Commands that open the app, the plain mode or the web server, which write escape codes of
#: their own: their output is not wrapped (see `tui.cli.printable_output`).
INTERACTIVE = frozenset({"review", "preview", "serve"})

#: Command name -> module under tui.cli that implements it, in the order `--help` lists them.
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "schema": "schema",
    "new": "new",
    "export": "export",
    "report": "report",
    "import": "importing",
    "preview": "preview",
    "progress": "progress",
    "review": "review",
    "certificate": "certificate",
    "keys": "keys",
    "learners": "learners",
    "serve": "serve",
}



def common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options every command accepts, before or after the command name."""
    default = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--course", metavar="DIR", default=default,
        help="the course folder to open (default: the course that ships with ivstem)",
    )
    common.add_argument(
        "--learner", metavar="NAME", default=default,
        help="whose progress to use (default: a profile named after your user account)",
    )
    common.add_argument(
        "--data-dir", metavar="DIR", default=default,
        help="where progress is stored (default: $IVSTEM_DATA_DIR, or your user data folder)",
    )
    return common


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the module of `command` (if any) is imported, to keep start-up fast."""
    parser = argparse.ArgumentParser(
        prog="ivstem",
        description="A terminal course on IV stem cell therapy: what it is, what the evidence"
        " says, and how it is regulated. With no command, opens the course.",
        parents=[common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"ivstem {__version__}")
    parser.add_argument("--plain", action="store_true",
                        help="the course as a line-by-line conversation, for screen readers,"
                        " simple terminals and piped input")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub_common = common_options(suppress=True)
    for name, module in COMMANDS.items():
        if name == command:
            importlib.import_module(f"tui.cli.{module}").register(subcommands, sub_common)
        else:
            # Listed in --help without importing the module behind it.
            subcommands.add_parser(name, help=_SUMMARIES.get(name))
    return parser


_SUMMARIES = {
    "validate": "check course folders and point at every mistake",
    "schema": "print the JSON Schema of the authoring format",
    "new": "start a new course or module from a commented template",
    "export": "write the course as a Markdown or HTML handout, or its questions for Moodle",
    "report": "merge learners' progress exports into a class report",
    "import": "convert a Moodle question bank (GIFT or Moodle XML) into a module",
    "preview": "open a course in the app as a learner would see it, reloading as you edit",
    "progress": "show, export, import or reset your progress",
    "review": "answer again the questions due for spaced review",
    "certificate": "write your completion record, issue signed ones, or check one",
    "keys": "make a signing key for completion records, or show one",
    "learners": "list, add, rename or remove learner profiles",
    "serve": "open the course in web browsers (textual-serve)",
}


def _command_in(argv: Sequence[str]) -> str | None:
    for arg in argv:
        if arg in COMMANDS:
            return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run `ivstem` with `argv` (default: the process's arguments); return the exit status.

    A mistake in the call gets its own message; an error nobody expected is written with its
    traceback to a log in the data folder and reported in one line (see `tui.crash`), with
    exit status 70.
    """
    # pydantic looks for third-party plugins by scanning the entry points of every installed
    # distribution, which costs tens of milliseconds at each start and grows with the
    # environment; ivstem uses none, so it asks pydantic not to look.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args_list = list(sys.argv[1:] if argv is None else argv)
    args: Options | None = None
    command = _command_in(args_list)
    try:
        with printable_output():  # argparse quotes the arguments in its errors
            args = build_parser(command).parse_args(args_list)
        handler = getattr(args, "handler", None)
        if handler is None:
            return _open_course(args)
        if command in INTERACTIVE:
            status: int = handler(args)
            return status
        # What these commands print quotes files they read: no control character gets through.
        with printable_output():
            status = handler(args)
        return status
    except UsageError as exc:
        print(f"ivstem: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `ivstem ... | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        from tui.crash import report_crash

        # Opening the course (the app or --plain) saves each answer as it is given.
        studying = args is not None and getattr(args, "handler", None) is None
        return report_crash(exc, getattr(args, "data_dir", None), progress_kept=studying)


def _open_course(args: Options) -> int:
    if args.plain:
        from tui.cli.run import run_plain_mode

        return run_plain_mode(args)
    from tui.cli.run import run_app

    return run_app(args)

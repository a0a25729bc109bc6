"""`ivstem learners`: list, add, rename or remove learner profiles.

Profiles let several students share one lab account: each keeps a separate record, chosen with
`--learner NAME`. Without it, the profile named after the OS user is used.
"""

from __future__ import annotations

import argparse
import json
import sys

from course.record.progress import InvalidLearnerNameError, validate_learner_name
from tui.cli.common import EXIT_OK, UsageError
from tui.cli.progress import (
    confirm,
    current_learner,
    guarded,
    open_store,
    refuse_without_terminal,
)


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `learners` command and its actions."""
    parser = subcommands.add_parser(
        "learners", parents=[common], help="list, add, rename or remove learner profiles",
        description="Learner profiles keep the progress of several students apart on one"
        " account; choose one with --learner NAME. Names ignore upper and lower case. With no"
        " action, lists the profiles. Exit status: 0 done, 1 refused, 2 usage error.",
    )
    _format_option(parser)
    parser.set_defaults(handler=guarded(list_learners))
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    list_parser = actions.add_parser("list", parents=[common], help="list the profiles (default)")
    _format_option(list_parser)
    list_parser.set_defaults(handler=guarded(list_learners))

    add_parser = actions.add_parser("add", parents=[common], help="create a profile")
    add_parser.add_argument("name", metavar="NAME", help="up to 64 printable characters")
    add_parser.set_defaults(handler=guarded(add))

    rename_parser = actions.add_parser(
        "rename", parents=[common], help="rename a profile, keeping its progress"
    )
    rename_parser.add_argument("old", metavar="OLD")
    rename_parser.add_argument("new", metavar="NEW")
    rename_parser.set_defaults(handler=guarded(rename))

    remove_parser = actions.add_parser(
        "remove", parents=[common], help="delete a profile and all of its progress",
        description="Delete a profile and all of its progress. Asks first unless --yes; with no"
        " terminal to ask on and no --yes, does nothing.",
    )
    remove_parser.add_argument("name", metavar="NAME")
    remove_parser.add_argument("--yes", "-y", action="store_true", help="do not ask first")
    remove_parser.set_defaults(handler=guarded(remove))


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="a list for people (default), or JSON for scripts")


def _name(value: str) -> str:
    try:
        return validate_learner_name(value)
    except InvalidLearnerNameError as exc:
        raise UsageError(f"learners: {exc}") from exc


def list_learners(args: argparse.Namespace) -> int:
    """Print every profile, marking the one in use."""
    in_use = current_learner(args)
    with open_store(args, reading=True) as store:
        names = store.learners()
        stored = store.learner_name(in_use)
    in_use = stored or in_use
    if getattr(args, "format", "table") == "json":
        json.dump({"learners": names, "current": in_use}, sys.stdout, ensure_ascii=False,
                  indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if not names:
        print(f"No learner profiles yet. Studying creates one named {in_use!r};"
              " add others with `ivstem learners add NAME`.")
        return EXIT_OK
    for name in names:
        print(f"* {name} (in use)" if name == in_use else f"  {name}")
    if stored is None:
        print(f"(In use: {in_use!r}, which has no progress yet.)")
    return EXIT_OK


def add(args: argparse.Namespace) -> int:
    """Create a profile."""
    name = _name(args.name)
    with open_store(args) as store:
        store.add_learner(name)
    print(f"Added learner {name!r}. Study as them with `ivstem --learner {_quoted(name)}`.")
    return EXIT_OK


def rename(args: argparse.Namespace) -> int:
    """Rename a profile, keeping its progress."""
    old, new = _name(args.old), _name(args.new)
    with open_store(args) as store:
        store.rename_learner(old, new)
    print(f"Renamed learner {old!r} to {new!r}; their progress is kept.")
    return EXIT_OK


def remove(args: argparse.Namespace) -> int:
    """Delete a profile and all of its progress, after asking."""
    name = _name(args.name)
    with open_store(args) as store:
        stored = store.learner_name(name)
        if stored is None:
            # Let the store say it, in the same words as rename.
            store.remove_learner(name)
        if not args.yes:
            answer = confirm(
                f"Remove learner {stored!r} and all of their progress? This cannot be undone."
            )
            if answer is None:
                return refuse_without_terminal("removing")
            if not answer:
                print("Nothing was removed.")
                return EXIT_OK
        store.remove_learner(name)
    print(f"Removed learner {stored!r} and their progress.")
    return EXIT_OK


def _quoted(name: str) -> str:
    import shlex

    return shlex.quote(name)

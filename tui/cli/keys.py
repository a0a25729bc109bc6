"""`ivstem keys`: make an instructor's signing key pair, or show whose a key file is."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError

NEW_DESCRIPTION = (
    "Make an Ed25519 key pair for signing completion records (`ivstem certificate issue`)."
    " Writes two files in DIR: ivstem-signing-key.json, the private key, readable by you alone"
    " (mode 0600): keep it, never send it, and back it up, since records it signed can be"
    " checked only against the public key, and a lost private key signs nothing more; and"
    " ivstem-signing-key.pub.json, the public key, with the name you give and its fingerprint:"
    " hand it (or publish it) to whoever checks your records with"
    " `ivstem certificate --verify FILE --key PUBLIC_KEY`. An existing key is never"
    " overwritten. Exit status: 0 written, 1 not written, 2 usage error."
)


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `keys` command and its actions."""
    parser = subcommands.add_parser(
        "keys", parents=[common], help="make a signing key for completion records, or show one",
        description="An instructor's key for signing completion records: `keys new` makes one,"
        " `keys show` says whose a key file is. Exit status: 0 done, 1 refused, 2 usage error.",
    )
    parser.set_defaults(handler=_no_action, parser=parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    new_parser = actions.add_parser("new", parents=[common], help="make a key pair",
                                    description=NEW_DESCRIPTION)
    new_parser.add_argument("-o", "--output", metavar="DIR", required=True,
                            help="the folder to write the two key files in (made if missing)")
    new_parser.add_argument("--name", required=True,
                            help="who signs with the key, as checkers should read it: a person"
                            " and their school, say")
    new_parser.set_defaults(handler=new)

    show_parser = actions.add_parser(
        "show", parents=[common], help="the name and fingerprint of a key file",
        description="Print the name and fingerprint of a public or private key file. Read the"
        " fingerprint to whoever checks your records, so that they know the public key they"
        " hold is yours.",
    )
    show_parser.add_argument("file", metavar="KEY_FILE")
    show_parser.set_defaults(handler=show)


def _no_action(args: argparse.Namespace) -> int:
    args.parser.print_help(sys.stderr)
    raise UsageError("keys: say what to do: `keys new -o DIR --name NAME` or `keys show FILE`")


def new(args: argparse.Namespace) -> int:
    """Make and write a key pair."""
    from course.record.signing import KeyFileError, check_name, new_key, write_key_pair

    try:
        name = check_name(args.name)
    except ValueError as exc:
        raise UsageError(f"keys new --name: {exc}") from exc
    folder = Path(args.output).expanduser()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"keys new: -o {folder} is a file; give a folder")
    key = new_key(name)
    try:
        private, public = write_key_pair(key, folder)
    except KeyFileError as exc:
        print(f"ivstem: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Made a signing key for “{name}”, fingerprint {key.public.fingerprint}.")
    print(f"- private key, yours alone (keep it, back it up, never send it): {private}")
    print(f"- public key, for whoever checks your records: {public}")
    print("Issue signed records with `ivstem certificate issue EXPORTS... --key"
          f" {private} -o DIR`.")
    return EXIT_OK


def show(args: argparse.Namespace) -> int:
    """Print a key file's name and fingerprint."""
    from course.record.signing import KeyFileError, read_key

    path = Path(args.file).expanduser()
    try:
        key, private = read_key(path)
    except KeyFileError as exc:
        print(f"ivstem: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    kind = "private" if private else "public"
    print(f"{path}: the {kind} key of “{key.name}”, fingerprint {key.fingerprint}.")
    return EXIT_OK

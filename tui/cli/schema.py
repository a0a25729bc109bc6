"""`ivstem schema`: the JSON Schema of the authoring format, for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import EXIT_OK, UsageError

KINDS = ("module", "course", "glossary", "references")


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `schema` command."""
    parser = subcommands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the authoring format",
        description="Print the JSON Schema of one kind of course file, generated from the same"
        " models the validator uses. Point yaml-language-server at it to get completion and"
        " checks in your editor: put `# yaml-language-server: $schema=PATH` at the top of a"
        " module file.",
    )
    parser.add_argument("kind", nargs="?", choices=KINDS, default="module",
                        help="which file: module (default), course, glossary or references")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write to FILE instead of standard output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the schema."""
    from course.material.schema import schema_text

    text = schema_text(args.kind)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"schema: cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    return EXIT_OK

"""`ivstem import`: convert a question bank from another system into a module."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from course.instructor.gift import Conversion

GIFT_HELP = (
    "Convert a Moodle GIFT question bank into a module file whose quiz holds the questions:"
    " multiple choice (single or multiple), true/false, short answer, matching and numeric"
    " (value:tolerance and low..high ranges) map, with option feedback and general feedback;"
    " a missing-word question becomes its type with the blank shown as _____. Each item that"
    " cannot map (essays, descriptions, answers in the middle of a sentence that are true/false"
    " or matching, anything the authoring format refuses) is printed as FILE:line: why, and"
    " each that maps with a loss as FILE:line: note: why. The module id is taken from the"
    " output file's name (02-regulation.yaml gives regulation) unless --id is given; question"
    " ids start with it, so they stay unique in a course. An existing OUT is not replaced"
    " without --force. Exit status: 0 something converted, 1 nothing converted or the file"
    " cannot be read or written, 2 usage error."
)


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `import` command and its `gift` format."""
    parser = subcommands.add_parser(
        "import", parents=[common], help="convert a Moodle GIFT question bank into a module",
        description="Convert a question bank from another system into a module of the"
        " authoring format. Formats: gift (Moodle).",
    )
    parser.set_defaults(handler=_missing_format)
    formats = parser.add_subparsers(dest="source_format", metavar="FORMAT")
    gift = formats.add_parser("gift", parents=[common], help="a Moodle GIFT file",
                              description=GIFT_HELP)
    gift.add_argument("file", metavar="FILE", help="the GIFT file (UTF-8 text)")
    gift.add_argument("-o", "--output", metavar="OUT", required=True,
                      help="the module file to write, e.g. modules/03-imported.yaml;"
                      " - for standard output")
    gift.add_argument("--id", help="the module id (default: from the name of OUT)")
    gift.add_argument("--title", help="the module title (default: made from the id)")
    gift.add_argument("--force", action="store_true", help="replace OUT if it exists")
    gift.set_defaults(handler=import_gift)


def _missing_format(args: argparse.Namespace) -> int:
    raise UsageError("import: say which format: `ivstem import gift FILE -o module.yaml`")


def import_gift(args: argparse.Namespace) -> int:
    """Convert a GIFT file and write the module."""
    from course.instructor.gift import convert, module_document, module_yaml
    from course.instructor.scaffold import is_slug, slugify, title_from_slug
    from tui.cli.export import write_output

    source = Path(args.file).expanduser()
    module_id = args.id if args.id is not None else _id_from_output(args.output)
    if not is_slug(module_id):
        raise UsageError(f"import gift: --id {module_id!r} is not a valid module id: use"
                         f" lowercase letters, digits and hyphens, for example"
                         f" {slugify(module_id, 'imported')!r}")
    title = args.title if args.title is not None else title_from_slug(module_id)
    if not title.strip():
        raise UsageError("import gift: --title cannot be empty")
    destination = None if args.output == "-" else Path(args.output).expanduser()
    if not source.exists():
        raise UsageError(f"import gift: {source} does not exist")
    if destination is not None and destination.exists() and not args.force:
        print(f"ivstem: import gift: {destination} already exists; nothing was written."
              " Give --force to replace it, or another -o file.", file=sys.stderr)
        return EXIT_PROBLEMS
    if destination is not None and not destination.parent.is_dir():
        print(f"ivstem: import gift: cannot write {destination}: the folder"
              f" {destination.parent} does not exist.", file=sys.stderr)
        return EXIT_PROBLEMS
    text = _read(source)
    if text is None:
        return EXIT_PROBLEMS

    conversion = convert(text, module_id=module_id)
    name = args.file
    messages = [(m.line, 0, m.text) for m in conversion.problems]
    messages += [(m.line, 1, f"note: {m.text}") for m in conversion.notes]
    for line, _, text in sorted(messages):
        print(f"{name}:{line}: {text}", file=sys.stderr)
    if not conversion.questions:
        print(f"ivstem: import gift: no question in {name} could be converted, so nothing was"
              " written.", file=sys.stderr)
        return EXIT_PROBLEMS

    document = module_document(conversion, module_id=module_id, title=title,
                               source=source.name)
    yaml_text = module_yaml(document, _header(source.name, conversion))
    _check_loads(yaml_text)
    if destination is None:
        sys.stdout.write(yaml_text)
        return EXIT_OK
    try:
        write_output(destination, yaml_text)
    except OSError as exc:
        print(f"ivstem: import gift: cannot write {destination}: {exc.strerror or exc}.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    converted = _plural(len(conversion.questions), "question")
    left_out = len(conversion.problems)
    tail = f"; {_plural(left_out, 'item')} not converted (listed above)" if left_out else ""
    print(f"Wrote {destination}: module {module_id!r} with {converted} in its quiz{tail}.")
    print("To use it, put it in a course's modules/ folder, add it to the `modules:` list of"
          " course.yaml, and run `ivstem validate` on the course.")
    return EXIT_OK


def _id_from_output(output: str) -> str:
    if output == "-":
        return "imported"
    from course.instructor.scaffold import slugify

    stem = Path(output).name.split(".")[0]
    return slugify(re.sub(r"^\d+[-_ ]*", "", stem), "imported")


def _read(source: Path) -> str | None:
    try:
        raw = source.read_bytes()
    except IsADirectoryError:
        print(f"ivstem: import gift: {source} is a folder, not a GIFT file.", file=sys.stderr)
        return None
    except OSError as exc:
        print(f"ivstem: import gift: cannot read {source}: {exc.strerror or exc}.",
              file=sys.stderr)
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        print(f"ivstem: import gift: {source} is not UTF-8 text (byte 0x{raw[exc.start]:02x}"
              f" on line {line}). Save it as UTF-8 (Moodle exports UTF-8) and try again.",
              file=sys.stderr)
        return None


def _header(name: str, conversion: Conversion) -> str:
    from course.instructor.scaffold import SCHEMA_FOLDER

    lines = [
        f"# yaml-language-server: $schema=../{SCHEMA_FOLDER}/module.schema.json",
        "#",
        f"# Imported from {name} by `ivstem import gift`. Write the lesson, check the questions,",
        "# then run `ivstem validate` on the course.",
    ]
    if conversion.problems:
        lines.append(f"# Not converted (lines of {name}):")
        lines.extend(f"#   {m.line}: {m.text}" for m in conversion.problems)
    if conversion.notes:
        lines.append("# Converted with a change:")
        lines.extend(f"#   {m.line}: {m.text}" for m in conversion.notes)
    return "\n".join(lines) + "\n\n"


def _check_loads(text: str) -> None:
    """Make sure the module reads back under the format's own YAML rules before writing it."""
    from course.material.model import Module
    from course.material.yaml_source import parse_text
    from quizzes.questions import validated

    source = parse_text(Path("imported.yaml"), text)
    if not source.ok:
        raise AssertionError(f"the imported module does not parse: {source.problems}")
    validated(Module, source.data)


def _plural(count: int, word: str) -> str:
    return f"1 {word}" if count == 1 else f"{count} {word}s"

"""`ivstem import`: convert a question bank from another system (Moodle's GIFT or Moodle XML)
into a module."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from course.instructor.gift import Conversion

MOODLE_XML_HELP = (
    "Convert a Moodle XML question bank (Question bank > Export > Moodle XML format) into a"
    " module file whose quiz holds the questions: multichoice (single or multiple),"
    " truefalse, shortanswer, numerical (tolerance and unit), matching (categorize when items"
    " share answers) and ordering map, with part credit (grades become credits), per-answer"
    " feedback, general feedback, the first hint, the mark and tags; each category becomes a"
    " tag. Each question that cannot map"
    " (essay, description, cloze, calculated, drag-and-drop, random...) is printed as"
    " FILE:line: why, and each that maps with a loss as FILE:line: note: why. HTML is made"
    " plain text; Markdown is kept. A file with a DOCTYPE or entity declarations, or over 64"
    " MB, is refused. The module id is taken from the output file's name unless --id is given;"
    " question ids are Moodle's ID numbers (or names) after it. An existing OUT is not"
    " replaced without --force. Exit status: 0 something converted, 1 nothing converted or"
    " the file cannot be read or written, 2 usage error."
)

GIFT_HELP = (
    "Convert a Moodle GIFT question bank into a module file whose quiz holds the questions:"
    " multiple choice (single or multiple), true/false, short answer, matching (categorize"
    " when items share answers), ordering and numeric (value:tolerance and low..high ranges)"
    " map, with option feedback, general feedback and Moodle's [id:...] and [tag:...] marks;"
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
    """Add the `import` command and its `gift` and `moodle-xml` formats."""
    parser = subcommands.add_parser(
        "import", parents=[common],
        help="convert a Moodle question bank (GIFT or Moodle XML) into a module",
        description="Convert a question bank from another system into a module of the"
        " authoring format. Formats: gift and moodle-xml (Moodle).",
    )
    parser.set_defaults(handler=_missing_format)
    formats = parser.add_subparsers(dest="source_format", metavar="FORMAT")
    for name, what, help_text, handler in (
        ("gift", "a Moodle GIFT file", GIFT_HELP, import_gift),
        ("moodle-xml", "a Moodle XML file", MOODLE_XML_HELP, import_moodle_xml),
    ):
        kind = formats.add_parser(name, parents=[common], help=what, description=help_text)
        kind.add_argument("file", metavar="FILE",
                          help="the GIFT file (UTF-8 text)" if name == "gift"
                          else "the Moodle XML file")
        kind.add_argument("-o", "--output", metavar="OUT", required=True,
                          help="the module file to write, e.g. modules/03-imported.yaml;"
                          " - for standard output")
        kind.add_argument("--id", help="the module id (default: from the name of OUT)")
        kind.add_argument("--title", help="the module title (default: made from the id)")
        kind.add_argument("--force", action="store_true", help="replace OUT if it exists")
        kind.set_defaults(handler=handler)


def _missing_format(args: argparse.Namespace) -> int:
    raise UsageError("import: say which format: `ivstem import gift FILE -o module.yaml` or"
                     " `ivstem import moodle-xml FILE -o module.yaml`")


def import_gift(args: argparse.Namespace) -> int:
    """Convert a GIFT file and write the module."""
    return _import(args, "gift")


def import_moodle_xml(args: argparse.Namespace) -> int:
    """Convert a Moodle XML file and write the module."""
    return _import(args, "moodle-xml")


def _import(args: argparse.Namespace, fmt: str) -> int:
    """Read the file, convert it, report what did not convert, write the module."""
    from course.instructor.gift import module_document, module_yaml
    from course.instructor.scaffold import is_slug, slugify, title_from_slug
    from tui.cli.export import write_output

    command = f"import {fmt}"
    source = Path(args.file).expanduser()
    module_id = args.id if args.id is not None else _id_from_output(args.output)
    if not is_slug(module_id):
        raise UsageError(f"{command}: --id {module_id!r} is not a valid module id: use"
                         f" lowercase letters, digits and hyphens, for example"
                         f" {slugify(module_id, 'imported')!r}")
    title = args.title if args.title is not None else title_from_slug(module_id)
    if not title.strip():
        raise UsageError(f"{command}: --title cannot be empty")
    destination = None if args.output == "-" else Path(args.output).expanduser()
    if not source.exists():
        raise UsageError(f"{command}: {source} does not exist")
    if destination is not None and destination.exists() and not args.force:
        print(f"ivstem: {command}: {destination} already exists; nothing was written."
              " Give --force to replace it, or another -o file.", file=sys.stderr)
        return EXIT_PROBLEMS
    if destination is not None and not destination.parent.is_dir():
        print(f"ivstem: {command}: cannot write {destination}: the folder"
              f" {destination.parent} does not exist.", file=sys.stderr)
        return EXIT_PROBLEMS
    conversion = _convert(source, fmt, module_id, command)
    if conversion is None:
        return EXIT_PROBLEMS
    name = args.file
    messages = [(m.line, 0, m.text) for m in conversion.problems]
    messages += [(m.line, 1, f"note: {m.text}") for m in conversion.notes]
    for line, _, text in sorted(messages):
        print(f"{name}:{line}: {text}", file=sys.stderr)
    if not conversion.questions:
        print(f"ivstem: {command}: no question in {name} could be converted, so nothing was"
              " written.", file=sys.stderr)
        return EXIT_PROBLEMS

    document = module_document(conversion, module_id=module_id, title=title,
                               source=source.name)
    yaml_text = module_yaml(document, _header(source.name, conversion, command))
    _check_loads(yaml_text)
    if destination is None:
        sys.stdout.write(yaml_text)
        return EXIT_OK
    try:
        write_output(destination, yaml_text)
    except OSError as exc:
        print(f"ivstem: {command}: cannot write {destination}: {exc.strerror or exc}.",
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


def _convert(source: Path, fmt: str, module_id: str, command: str) -> Conversion | None:
    """The file converted, or None once a message says why it cannot be."""
    from course.instructor import gift, moodle_xml

    what = "GIFT" if fmt == "gift" else "Moodle XML"
    limit = moodle_xml.MAX_BYTES
    try:
        with source.open("rb") as handle:
            raw = handle.read(limit + 1)
    except IsADirectoryError:
        print(f"ivstem: {command}: {source} is a folder, not a {what} file.", file=sys.stderr)
        return None
    except OSError as exc:
        print(f"ivstem: {command}: cannot read {source}: {exc.strerror or exc}.",
              file=sys.stderr)
        return None
    if fmt == "moodle-xml":
        try:
            return moodle_xml.convert(raw, module_id=module_id)
        except moodle_xml.NotMoodleXml as exc:
            print(f"ivstem: {command}: {source} cannot be imported: {exc.message}. Export it"
                  " again from Moodle (Question bank > Export > Moodle XML format).",
                  file=sys.stderr)
            return None
    if len(raw) > limit:
        print(f"ivstem: {command}: {source} is over {limit // 2**20} MB, too large for a GIFT"
              " file; export fewer categories at a time.", file=sys.stderr)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        print(f"ivstem: {command}: {source} is not UTF-8 text (byte 0x{raw[exc.start]:02x}"
              f" on line {line}). Save it as UTF-8 (Moodle exports UTF-8) and try again.",
              file=sys.stderr)
        return None
    return gift.convert(text, module_id=module_id)


def _header(name: str, conversion: Conversion, command: str) -> str:
    from course.instructor.scaffold import SCHEMA_FOLDER

    lines = [
        f"# yaml-language-server: $schema=../{SCHEMA_FOLDER}/module.schema.json",
        "#",
        f"# Imported from {name} by `ivstem {command}`. Write the lesson, check the questions,",
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

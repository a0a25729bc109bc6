"""`ivstem new`: start a new course or module from a commented template."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError

COURSE_HELP = (
    "Write a new course into DIR: course.yaml, glossary.yaml, references.yaml, one example"
    " module (modules/01-first-module.yaml) and the JSON Schemas of the format (schema/), so"
    " editors with yaml-language-server complete and check as you type, offline. The module"
    " holds commented examples of every step kind and question type. Nothing is overwritten:"
    " if any of these files exists, nothing is written. Exit status: 0 written, 1 refused,"
    " 2 usage error."
)

MODULE_HELP = (
    "Write modules/NN-ID.yaml in COURSE_DIR (NN: the next number) from the commented template,"
    " and add it at the end of the `modules:` list of course.yaml. course.yaml is edited as"
    " text: its comments and layout stay as you wrote them. Exit status: 0 written, 1 refused,"
    " 2 usage error."
)


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `new` command and its `course` and `module` actions."""
    parser = subcommands.add_parser(
        "new", parents=[common], help="start a new course or module from a commented template",
        description="Start a new course, or add a module to one, from templates that pass"
        " `ivstem validate` and show every step kind and question type in comments.",
    )
    parser.set_defaults(handler=_missing_what)
    kinds = parser.add_subparsers(dest="what", metavar="WHAT")

    course = kinds.add_parser("course", parents=[common], help="a new course folder",
                              description=COURSE_HELP)
    course.add_argument("folder", metavar="DIR", help="the folder to create (or an empty one)")
    course.add_argument("--id", help="the course id (default: made from the folder name)")
    course.add_argument("--title", help="the course title (default: made from the folder name)")
    course.set_defaults(handler=new_course)

    module = kinds.add_parser("module", parents=[common], help="a new module in a course",
                              description=MODULE_HELP)
    module.add_argument("folder", metavar="COURSE_DIR", help="the course folder")
    module.add_argument("id", metavar="ID",
                        help="the module id: lowercase letters, digits and hyphens")
    module.add_argument("--title", help="the module title (default: made from the id)")
    module.set_defaults(handler=new_module)


def _missing_what(args: argparse.Namespace) -> int:
    raise UsageError("new: say what to create: `ivstem new course DIR` or"
                     " `ivstem new module COURSE_DIR ID`")


def new_course(args: argparse.Namespace) -> int:
    """Write a new course folder."""
    from course.instructor.scaffold import (
        ScaffoldError,
        is_slug,
        slugify,
        title_from_slug,
        write_course,
    )

    folder = Path(args.folder).expanduser()
    name = folder.resolve().name
    course_id = args.id if args.id is not None else slugify(name)
    if not is_slug(course_id):
        raise UsageError(f"new course: --id {course_id!r} is not a valid id: use lowercase"
                         f" letters, digits and hyphens, for example {slugify(course_id)!r}")
    title = args.title if args.title is not None else title_from_slug(slugify(name))
    if not title.strip():
        raise UsageError("new course: --title cannot be empty")
    try:
        written = write_course(folder, course_id, title)
    except ScaffoldError as exc:
        print(f"ivstem: new course: {exc}.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Created the course {course_id!r} in {folder}:")
    for path in written:
        print(f"  {path}")
    shown = shlex.quote(str(folder))
    print(f"Next: edit {folder / 'course.yaml'}, then check it with `ivstem validate {shown}`;"
          f" add modules with `ivstem new module {shown} ID`.")
    return EXIT_OK


def new_module(args: argparse.Namespace) -> int:
    """Write a new module file and list it in course.yaml."""
    from course.instructor.scaffold import (
        ScaffoldError,
        add_module,
        is_slug,
        slugify,
        title_from_slug,
    )
    from course.material.loader import load_course

    folder = Path(args.folder).expanduser()
    if folder.is_file() and folder.name == "course.yaml":
        folder = folder.parent
    if not folder.is_dir():
        raise UsageError(f"new module: {folder} is not a folder")
    if not is_slug(args.id):
        raise UsageError(f"new module: {args.id!r} is not a valid module id: use lowercase"
                         f" letters, digits and hyphens, for example"
                         f" {slugify(args.id, 'new-module')!r}")
    title = args.title if args.title is not None else title_from_slug(args.id)
    if not title.strip():
        raise UsageError("new module: --title cannot be empty")
    try:
        added = add_module(folder, args.id, title)
    except ScaffoldError as exc:
        print(f"ivstem: new module: {exc}.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Created {added.path} and added {added.relative} to {folder / 'course.yaml'}.")
    for schema in added.schemas:
        print(f"  also wrote {schema} (the module's schema comment points at it)")
    problems = load_course(folder).problems
    if problems:
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        print(f"Note: the course has {count} to mend;"
              f" `ivstem validate {shlex.quote(str(folder))}` lists them.")
    else:
        print(f"The course validates. Edit {added.path}; uncomment the examples you need.")
    return EXIT_OK

"""`ivstem preview`: a course as a learner would see it, with nothing kept, reloaded on save."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from course.material.problems import did_you_mean
from tui.cli.common import EXIT_OK, UsageError

if TYPE_CHECKING:
    from course.material.model import Course, Module


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `preview` command."""
    parser = subcommands.add_parser(
        "preview", parents=[common],
        help="open a course in the app as a learner would see it, reloading as you edit",
        description="Open a course in the app with every module open and a throwaway progress"
        " record, so an instructor can read and try everything. With --watch, saving a file"
        " reloads the course in place, keeping your position; problems in the files are listed"
        " in the app and clear when you mend them.",
    )
    parser.add_argument("folder", metavar="COURSE_DIR", help="the course folder")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--module", metavar="ID", help="open this module's first lesson")
    start.add_argument("--lesson", metavar="MODULE/LESSON",
                       help="open this lesson (a lesson id alone will do when one module has"
                       " it)")
    parser.add_argument("--watch", action="store_true",
                        help="reload whenever a file of the course changes")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Open the preview until the instructor quits."""
    from course.material.loader import load_course
    from course.record.progress import ProgressStore

    folder = Path(args.folder)
    if not (folder / "course.yaml").is_file():
        raise UsageError(f"preview: {folder} is not a course folder (it has no course.yaml)")
    module_id, lesson_id = args.module, None
    if args.lesson is not None:
        module_id, _, lesson_id = args.lesson.rpartition("/")
    if args.module is not None or args.lesson is not None:
        # A course with problems cannot be asked: the app lists them, and opens the lesson
        # once they are mended, if the course has it then.
        course = load_course(folder).course
        if course is not None and args.lesson is not None:
            module_id, lesson_id = known_lesson(course, args.lesson)
        elif course is not None and course.module(args.module) is None:
            ids = ", ".join(m.id for m in course.modules)
            raise UsageError(f"preview: the course has no module `{args.module}` (it has: {ids})")
    from tui.app import make_app
    from tui.cli.run import crash_status

    app = make_app(folder, learner="preview", store=ProgressStore.in_memory(), preview=True,
                   watch=args.watch, start_module=module_id or None, start_lesson=lesson_id,
                   data_dir=getattr(args, "data_dir", None))
    app.run()
    crashed = crash_status(app)
    return EXIT_OK if crashed is None else crashed


def known_lesson(course: Course, given: str) -> tuple[str, str]:
    """(module id, lesson id) for `--lesson MODULE/LESSON`, or for a lesson id that one module
    has; a usage error listing the lessons to choose from when it names none."""
    module_id, slash, lesson_id = given.rpartition("/")
    if not slash:
        owners = [m for m in course.modules if m.lesson(given) is not None]
        if len(owners) == 1:
            return owners[0].id, given
        if owners:
            raise UsageError(f"preview: several modules have a lesson `{given}`; give it as"
                             " MODULE/LESSON:" + _listing(owners, only=given))
        hint = did_you_mean(given, [x.id for m in course.modules for x in m.lessons])
        raise UsageError(f"preview: the course has no lesson `{given}`{_aside(hint)}. Its"
                         " lessons, as --lesson takes them:" + _listing(course.modules))
    module = course.module(module_id)
    if module is None:
        hint = did_you_mean(module_id, [m.id for m in course.modules])
        raise UsageError(f"preview: the course has no module `{module_id}`{_aside(hint)}. Its"
                         " lessons, as --lesson takes them:" + _listing(course.modules))
    if module.lesson(lesson_id) is None:
        hint = did_you_mean(lesson_id, [x.id for x in module.lessons])
        raise UsageError(f"preview: the module `{module_id}` has no lesson `{lesson_id}`"
                         f"{_aside(hint)}. Its lessons, as --lesson takes them:"
                         + _listing([module]))
    return module_id, lesson_id


def _aside(hint: str | None) -> str:
    return f" ({hint})" if hint else ""


def _listing(modules: Iterable[Module], *, only: str | None = None) -> str:
    """One line a lesson: `MODULE/LESSON` to copy, then the title a learner sees."""
    rows = [(f"{m.id}/{x.id}", x.title) for m in modules for x in m.lessons
            if only is None or x.id == only]
    width = max((len(name) for name, _ in rows), default=0)
    return "".join(f"\n  {name:<{width}}  {title}" for name, title in rows)

"""`ivstem preview`: a course as a learner would see it, with nothing kept, reloaded on save."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.cli.common import EXIT_OK, UsageError


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
    parser.add_argument("--module", metavar="ID", help="open this module's first lesson")
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
    if args.module is not None:
        course = load_course(folder).course
        if course is not None and course.module(args.module) is None:
            ids = ", ".join(m.id for m in course.modules)
            raise UsageError(f"preview: the course has no module `{args.module}` (it has: {ids})")
    from tui.app import make_app
    from tui.cli.run import crash_status

    app = make_app(folder, learner="preview", store=ProgressStore.in_memory(), preview=True,
                   watch=args.watch, start_module=args.module,
                   data_dir=getattr(args, "data_dir", None))
    app.run()
    crashed = crash_status(app)
    return EXIT_OK if crashed is None else crashed

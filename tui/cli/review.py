"""`ivstem review`: answer again the questions due for spaced review."""

from __future__ import annotations

import argparse

DESCRIPTION = (
    "Open the review: the questions you answered in quizzes and practice checks come back when"
    " you are about to forget them, scheduled by FSRS (the scheduler Anki uses). A question you"
    " missed is due the next day; one you got right comes back later, and later again each time"
    " you get it right. Each answer is saved before its feedback is shown. With --plain, the"
    " review is a line-by-line conversation, and when nothing is due it says when the next"
    " question is and exits. Exit status: 0 done, 1 the course has problems, 2 usage error."
)


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `review` command."""
    parser = subcommands.add_parser(
        "review", parents=[common], help="answer again the questions due for spaced review",
        description=DESCRIPTION,
    )
    # SUPPRESS: `ivstem --plain review` sets it before the command and must not be undone here.
    parser.add_argument("--plain", action="store_true", default=argparse.SUPPRESS,
                        help="a line-by-line conversation, for screen readers and pipes")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """The review in the plain mode, or the app opened on its review screen."""
    if getattr(args, "plain", False):
        from tui.cli.run import run_plain_mode

        return run_plain_mode(args, review=True)
    from tui.cli.run import run_app

    return run_app(args, start="review")

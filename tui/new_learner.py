"""A new learner profile, asked about before the app or the plain mode starts it.

Nothing here imports Textual, and nothing from the command line: the plain mode asks too.
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from course.record.progress import ProgressStore

EXIT_OK, EXIT_PROBLEMS = 0, 1


def check_new_learner(
    store: ProgressStore, name: str | None, *, stdin: IO[str], stdout: IO[str]
) -> int | None:
    """Before `--learner NAME` starts a profile that does not exist while others do, ask: a
    mistyped name would otherwise open an empty record, as if the learner's progress were lost.

    With a terminal, asks whether to create it; without one (a script, piped answers), says
    which profiles there are and how to create one, and refuses rather than wait. Returns None
    to go on (the profile exists, was created, or is the first in the data folder), else the
    exit status. `ivstem serve` creates its learners' profiles itself, before this is asked.
    """
    if name is None or not store.persistent or store.learner_name(name) is not None:
        return None
    existing = store.learners()
    if not existing:
        return None  # the first learner here: nothing to mistype
    import shlex

    assert store.path is not None
    listed = ", ".join(existing)
    there = (f"there is no learner profile {name!r} in {store.path.parent}; the profiles there"
             f" are: {listed}.")
    if not (stdin.isatty() and stdout.isatty()):
        print(f"ivstem: {there} Choose one of them with --learner NAME, or create the new"
              f" profile first with `ivstem learners add {shlex.quote(name)}`.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"ivstem: {there}", file=sys.stderr)
    stdout.write(f"Create a new profile {name!r}? [y/N] ")
    stdout.flush()
    reply = stdin.readline()
    if reply.strip().lower() not in ("y", "yes"):
        print("Nothing was created. Choose one of the profiles above with --learner NAME.",
              file=sys.stderr)
        return EXIT_OK
    from course.record.profile import Profile

    Profile(store, name).create()
    return None

"""Learning records sent to a lab's Learning Record Store (xAPI).

`config` reads where the LRS is and the credentials; `sending` posts statements and reads what
the LRS answers; `background` sends the store's outbox while the learner studies; `link` ties a
learner's session to all three. The statements themselves are made by `course.record.xapi`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from course.record.lrs.link import LrsLink
    from course.record.lrs.sending import SyncResult
    from course.record.progress import ProgressStore


def connect(store: ProgressStore, *, environ: Mapping[str, str] | None = None,
            path: Path | None = None,
            on_round: Callable[[SyncResult], None] | None = None) -> LrsLink | None:
    """The learner's link to the configured LRS (not yet sending), or None when no LRS is set.

    Sending brings in the standard library's HTTP client, which costs start-up time: it is
    imported only when an LRS is configured.
    """
    from course.record.lrs.config import configured

    if not configured(environ, path):
        return None
    from course.record.lrs.link import open_link

    return open_link(store, environ=environ, path=path, on_round=on_round)

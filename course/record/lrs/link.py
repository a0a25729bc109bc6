"""A learner's session linked to the lab's Learning Record Store.

`connect` is called by a front end (the app, the plain mode) when it opens the learner's store.
With no LRS configured it returns None and nothing is queued. With one, the study layer has each
act's statement queued with the act (`course.record.learner.Learner`), and a background sender
posts them. Settings that cannot be used (credentials that are not `user:password`, say) do
not stop the learner: statements are still queued, so that nothing is lost, and the problem is
said once; `ivstem progress sync` sends them once it is mended.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from course.material.model import Course
from course.record.lrs.background import BackgroundSender
from course.record.lrs.config import LrsConfig, LrsConfigError, load_config
from course.record.lrs.sending import SyncResult
from course.record.progress import ProgressStore
from course.record.xapi import XAPI_HOMEPAGE, Statements


class LinkStatus(NamedTuple):
    """What the learner may be told: statements waiting, set aside, and why they wait."""

    waiting: int
    refused: int
    problem: str | None

    def badge(self) -> str | None:
        """A few words for the course map (`⇡ 3 records to send`); None when nothing waits."""
        if not self.waiting and not self.refused:
            return None
        words = []
        if self.waiting:
            words.append(f"{self.waiting} record{'' if self.waiting == 1 else 's'} to send")
        if self.refused:
            words.append(f"{self.refused} refused")
        return "⇡ " + ", ".join(words)

    def line(self) -> str | None:
        """One line for a status bar or the map; None when nothing waits."""
        if not self.waiting and not self.refused:
            return None
        parts = []
        if self.waiting:
            parts.append(f"{self.waiting} learning record{'' if self.waiting == 1 else 's'}"
                         " waiting to be sent")
        if self.refused:
            parts.append(f"{self.refused} refused by the LRS (see `ivstem progress sync`)")
        text = "; ".join(parts)
        return f"{text}: {self.problem}" if self.problem and self.waiting else f"{text}."


class LrsLink:
    """Statements to queue with each act, and the sender that posts them."""

    def __init__(self, store: ProgressStore, config: LrsConfig | None,
                 problem: str | None = None, *,
                 on_round: Callable[[SyncResult], None] | None = None) -> None:
        self.store = store
        self.config = config
        self.problem = problem
        self._statements: Statements | None = None
        self.sender = (BackgroundSender(store, config, on_round=on_round)
                       if config is not None else None)

    def statements(self, course: Course) -> Statements:
        """The statement builder for `course` (made again when the course is reloaded)."""
        if self._statements is None or self._statements.course is not course:
            self._statements = Statements(course, homepage_for(course, self.config))
        return self._statements

    def start(self) -> None:
        """Start sending in the background (what is queued from before goes first)."""
        if self.sender is not None and not self.sender.running:
            self.sender.start()

    def queued(self) -> None:
        """A statement was queued: have it sent."""
        if self.sender is not None:
            self.sender.wake()

    def close(self, wait: float = 2.0) -> None:
        """Stop sending; what was not sent stays queued for next time."""
        if self.sender is not None:
            self.sender.stop(wait)

    def status(self) -> LinkStatus:
        """How many statements wait or were refused, and the fault that keeps them waiting."""
        outbox = self.store.outbox_status()
        problem = self.problem
        if problem is None and self.sender is not None:
            last = self.sender.last
            problem = self.sender.error or (last.fault if last is not None else None)
        return LinkStatus(outbox.waiting, outbox.refused, problem)


def homepage_for(course: Course, config: LrsConfig | None) -> str:
    """The account home page: the lab's (LRS settings), else the course's, else the default."""
    if config is not None and config.homepage:
        return config.homepage
    return course.manifest.settings.xapi_homepage or XAPI_HOMEPAGE


def open_link(store: ProgressStore, *, environ: Mapping[str, str] | None = None,
              path: Path | None = None,
              on_round: Callable[[SyncResult], None] | None = None) -> LrsLink | None:
    """The link to the configured LRS, not yet sending (`start` it); None when none is set.

    Front ends call `course.record.lrs.connect`, which imports this module only when an LRS
    is configured.
    """
    env = os.environ if environ is None else environ
    try:
        config = load_config(env, path)
    except LrsConfigError as exc:
        return LrsLink(store, None, f"the LRS settings cannot be used: {exc}", on_round=on_round)
    if config is None:  # the config file names no address
        return None
    return LrsLink(store, config, on_round=on_round)

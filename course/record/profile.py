"""A learner as such, whatever the course: their profile and the choices they made.

Kept apart from the study of a course (`course.record.learner`) because it is needed before any
course is read: to create a learner's profile when they first come, and to put back their theme
in the first frame.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from course.record.progress import LearnerExistsError, ProgressStore


class Profile:
    """One learner's profile in a progress store."""

    def __init__(self, store: ProgressStore, name: str) -> None:
        self.store = store
        self.name = name

    def exists(self) -> bool:
        """True when the store has this learner (any spelling the store takes as the same)."""
        return self.store.learner_name(self.name) is not None

    def create(self) -> None:
        """Make the profile; if another ivstem made it meanwhile, that one is the same."""
        with contextlib.suppress(LearnerExistsError):
            self.store.add_learner(self.name)

    def preferences(self) -> dict[str, str]:
        """What the learner chose last time (theme, contrast), by name."""
        return self.store.preferences(self.name)

    def keep_preferences(self, values: Mapping[str, str]) -> None:
        """Keep the learner's choices for the next start."""
        self.store.set_preferences(self.name, values)

"""A new edition of a course: what a learner of an earlier one is told, once.

An author describes a new version in `course.yaml` (`changes:`, Markdown). A learner who has a
record in the course but last studied another version (or studied before versions were noted)
is shown that text once; a learner new to the course is not, as everything is new to them. The
version each learner has been shown is kept with their preferences, one entry per course.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from course.material.model import Course
    from course.record.progress import ProgressStore

#: What the learner is told after the changes, in every interface.
PROGRESS_KEPT = ("Your progress is kept. Answers to questions that were replaced stay in your"
                 " record but no longer count.")


def _seen_key(course: Course) -> str:
    return f"edition-seen:{course.id}"


def news(course: Course, store: ProgressStore, learner: str) -> str | None:
    """The course's `changes` when this learner studied an earlier edition and was not told."""
    changes = course.manifest.changes
    if not changes or not changes.strip():
        return None
    seen = store.preferences(learner).get(_seen_key(course))
    if seen == course.manifest.version:
        return None
    if seen is None and course.id not in store.course_ids(learner):
        return None  # new to the course: no earlier edition to compare with
    return changes


def note_seen(course: Course, store: ProgressStore, learner: str) -> None:
    """Keep that this learner has met the course's current version (told of its changes)."""
    key = _seen_key(course)
    if store.preferences(learner).get(key) != course.manifest.version:
        store.set_preferences(learner, {key: course.manifest.version})

"""`ProgressStore`: the learner's record in one SQLite file, made of one part per idea.

- `course.progress.opening`: the file, recovery from damage, the errors, and transactions;
- `course.progress.learners`: learner profiles and preferences;
- `course.progress.record`: answers, steps, lessons, quizzes, position, time, and resets;
- `course.progress.overview`: what the record adds up to, for the dashboard and reports;
- `course.progress.cards`: review cards, scheduled with each answer;
- `course.progress.dump`: every record of a learner as plain data, and merging it back.
"""

from __future__ import annotations

from course.progress.cards import ReviewCards
from course.progress.dump import DumpAndMerge
from course.progress.learners import LearnerProfiles
from course.progress.overview import RecordOverview
from course.progress.record import LearnerRecord


class ProgressStore(LearnerProfiles, LearnerRecord, RecordOverview, ReviewCards, DumpAndMerge):
    """The learner's record, in one SQLite file (or in memory when that cannot be written).

    Open it with `ProgressStore.open()`, `ProgressStore.in_memory()` or `open_or_memory()`.
    `notices` holds messages the learner must see (a damaged file moved aside, progress not being
    saved); `persistent` is false for an in-memory store.
    """

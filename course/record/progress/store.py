"""`ProgressStore`: the learner's record in one SQLite file, made of one part per idea.

- `course.record.progress.opening`: the file, recovery from damage, the errors, and transactions;
- `course.record.progress.learners`: learner profiles and preferences;
- `course.record.progress.record`: answers, steps, lessons, quizzes, position, time, and resets;
- `course.record.progress.overview`: what the record adds up to, for the dashboard and reports;
- `course.record.progress.cards`: review cards, scheduled with each answer;
- `course.record.progress.dump`: every record of a learner as plain data, and merging it back;
- `course.record.progress.outbox`: xAPI statements waiting for a Learning Record Store.
"""

from __future__ import annotations

from course.record.progress.cards import ReviewCards
from course.record.progress.dump import DumpAndMerge
from course.record.progress.learners import LearnerProfiles
from course.record.progress.outbox import Outbox
from course.record.progress.overview import RecordOverview
from course.record.progress.record import LearnerRecord


class ProgressStore(LearnerProfiles, LearnerRecord, RecordOverview, ReviewCards, DumpAndMerge,
                    Outbox):
    """The learner's record, in one SQLite file (or in memory when that cannot be written).

    Open it with `ProgressStore.open()`, `ProgressStore.in_memory()` or `open_or_memory()`.
    `notices` holds messages the learner must see (a damaged file moved aside, progress not being
    saved); `persistent` is false for an in-memory store.
    """

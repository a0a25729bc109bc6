"""The learner's record: answers, steps, lessons, quizzes, position, time, review cards.

`ProgressStore` is the store (`store.py` lists its parts; `opening.py` says how it keeps answers
safe); `schema.py` holds the tables and their migrations; `scheduling.py` the spaced-review
scheduler; `transfer.py` the export file and the import merge.
"""

from course.record.progress.cards import DueCard, ReviewCard
from course.record.progress.dump import MergeReport
from course.record.progress.learners import (
    InvalidLearnerNameError,
    LearnerExistsError,
    LearnerNotFoundError,
    default_learner_name,
    validate_learner_name,
)
from course.record.progress.opening import (
    NewerStoreError,
    NotSavedError,
    StoreBusyError,
    StoreError,
    StoreFullError,
    StoreUnavailableError,
)
from course.record.progress.outbox import OutboxStatus, Queued
from course.record.progress.overview import ModuleSummary
from course.record.progress.record import Answer, QuizAttempt, StatementMaker, Where
from course.record.progress.store import ProgressStore

__all__ = [
    "Answer",
    "DueCard",
    "InvalidLearnerNameError",
    "LearnerExistsError",
    "LearnerNotFoundError",
    "MergeReport",
    "ModuleSummary",
    "NewerStoreError",
    "NotSavedError",
    "OutboxStatus",
    "ProgressStore",
    "Queued",
    "QuizAttempt",
    "ReviewCard",
    "StatementMaker",
    "StoreBusyError",
    "StoreError",
    "StoreFullError",
    "StoreUnavailableError",
    "Where",
    "default_learner_name",
    "validate_learner_name",
]

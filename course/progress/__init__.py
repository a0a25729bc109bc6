"""The learner's record: answers, steps, lessons, quizzes, position, time, review cards.

`ProgressStore` is the store (`store.py` lists its parts; `opening.py` says how it keeps answers
safe); `schema.py` holds the tables and their migrations; `scheduling.py` the spaced-review
scheduler; `transfer.py` the export file and the import merge.
"""

from course.progress.cards import DueCard, ReviewCard
from course.progress.dump import MergeReport
from course.progress.learners import (
    InvalidLearnerNameError,
    LearnerExistsError,
    LearnerNotFoundError,
    default_learner_name,
    validate_learner_name,
)
from course.progress.opening import (
    NewerStoreError,
    NotSavedError,
    StoreBusyError,
    StoreError,
    StoreFullError,
    StoreUnavailableError,
)
from course.progress.overview import ModuleSummary
from course.progress.record import Answer, QuizAttempt, Where
from course.progress.store import ProgressStore

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
    "ProgressStore",
    "QuizAttempt",
    "ReviewCard",
    "StoreBusyError",
    "StoreError",
    "StoreFullError",
    "StoreUnavailableError",
    "Where",
    "default_learner_name",
    "validate_learner_name",
]

"""The learner's record: answers, steps, lessons, quizzes, position, time, review cards.

`ProgressStore` is the store (see `store.py` for how it keeps answers safe); `schema.py` holds the
tables and their migrations; `transfer.py` the export file and the import merge.
"""

from course.progress.store import (
    Answer,
    DueCard,
    InvalidLearnerNameError,
    LearnerExistsError,
    LearnerNotFoundError,
    MergeReport,
    ModuleSummary,
    NewerStoreError,
    NotSavedError,
    ProgressStore,
    QuizAttempt,
    ReviewCard,
    StoreBusyError,
    StoreError,
    StoreFullError,
    StoreUnavailableError,
    Where,
    default_learner_name,
    validate_learner_name,
)

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

"""The learner's record: answers, steps, lessons, quizzes, position and time, kept in SQLite.

`ProgressStore` is the store (see `store.py` for how it keeps answers safe); `schema.py` holds the
tables and their migrations; `transfer.py` the export file and the import merge.
"""

from course.progress.store import (
    Answer,
    InvalidLearnerNameError,
    LearnerExistsError,
    LearnerNotFoundError,
    MergeReport,
    ModuleSummary,
    NewerStoreError,
    NotSavedError,
    ProgressStore,
    QuizAttempt,
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
    "InvalidLearnerNameError",
    "LearnerExistsError",
    "LearnerNotFoundError",
    "MergeReport",
    "ModuleSummary",
    "NewerStoreError",
    "NotSavedError",
    "ProgressStore",
    "QuizAttempt",
    "StoreBusyError",
    "StoreError",
    "StoreFullError",
    "StoreUnavailableError",
    "Where",
    "default_learner_name",
    "validate_learner_name",
]

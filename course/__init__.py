"""The course: content model, loader and validator, and the learner's progress store."""

__version__ = "0.1.0"

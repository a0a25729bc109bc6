"""Widgets that ask questions and show results; they post what the learner did, never grade."""

from tui.widgets.feedback import FeedbackView
from tui.widgets.questions import Mode, QuestionView

__all__ = ["FeedbackView", "Mode", "QuestionView"]

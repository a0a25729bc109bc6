"""Practice checks: ungraded questions inside a lesson, tried until right.

The learner sees feedback after every try. What would give the answer away (the options they
missed, the expected text, where an item belongs) and the explanation are held back until they
get it right or ask to see the answer; otherwise a retry would be copying, not practice. The
first try's result is kept: it is the honest measure of what the learner knew.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizzes.answers import Answer
from quizzes.grading import Feedback, Result, Verdict, correct_answer, grade
from quizzes.presentation import Presentation, present
from quizzes.questions import Question


class CheckOver(ValueError):
    """An answer given to a check that is already over (solved, or its answer shown)."""


@dataclass(frozen=True, slots=True)
class CheckFeedback:
    """What the learner is shown after one try at a check."""

    verdict: Verdict
    feedback: tuple[Feedback, ...]
    explanation: str | None
    can_retry: bool


class PracticeCheck:
    """One `check` step: retry until right, feedback each time, first-try result kept."""

    def __init__(self, question: Question, learner: str = "") -> None:
        self.question = question
        self.presentation: Presentation = present(question, learner)
        self.tries: list[Result] = []
        self.hint_used = False
        self.revealed = False

    @property
    def first_try(self) -> Result | None:
        """The result of the first try, or None before any."""
        return self.tries[0] if self.tries else None

    @property
    def solved(self) -> bool:
        """True once a try was right."""
        return any(result.is_right for result in self.tries)

    @property
    def over(self) -> bool:
        """True once solved or once the answer has been shown: no more tries."""
        return self.revealed or self.solved

    def use_hint(self) -> str | None:
        """The hint, if the question has one; its use is recorded with later tries."""
        if self.question.hint is not None and not self.over:
            self.hint_used = True
        return self.question.hint

    def attempt(self, answer: Answer) -> CheckFeedback:
        """Grade one try and say what to show.

        AnswerError (for an answer of the wrong shape) is not a try: nothing is recorded.
        CheckOver once the check is solved or its answer shown.
        """
        if self.over:
            raise CheckOver("this check is already over; move on to the next step")
        result = grade(self.question, answer, hint_used=self.hint_used)
        self.tries.append(result)
        return self._shown(result)

    def reveal(self) -> Answer | None:
        """The learner gives up: end the check and return the correct answer to show.

        None when no single answer can be written down (a `short` question matched by
        patterns); the explanation then says what was expected.
        """
        self.revealed = True
        return correct_answer(self.question)

    def feedback_with_answer(self) -> tuple[Feedback, ...]:
        """The last try's feedback as shown beside the answer once the learner asks for it.

        Everything the try held back about its parts comes out (where an item belongs, what
        goes with what, the options missed), but not what the shown answer says itself.
        """
        if not self.tries:
            return ()
        return tuple(item for item in self.tries[-1].feedback
                     if not (item.reveals_answer and item.ref == "answer"))

    def _shown(self, result: Result) -> CheckFeedback:
        if result.is_right:
            return CheckFeedback(result.verdict, result.feedback, result.explanation, False)
        kept = tuple(item for item in result.feedback if not item.reveals_answer)
        return CheckFeedback(result.verdict, kept, None, True)

    def to_data(self) -> dict[str, Any]:
        """What the progress store keeps: the first try, the number of tries, hint and reveal."""
        first = self.first_try
        return {
            "question": self.question.id,
            "first_try": None if first is None else first.to_data(),
            "tries": len(self.tries),
            "solved": self.solved,
            "hint_used": self.hint_used,
            "revealed": self.revealed,
        }

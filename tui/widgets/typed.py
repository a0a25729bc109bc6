"""Typed answers: a word or phrase (`short`) or a number with an optional unit (`numeric`)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from quizzes.answers import Answer, AnswerError, TextAnswer, parse_number
from tui.widgets.answer_input import AnswerInput


class TypedAnswer(AnswerInput, can_focus=False):
    """A text box; enter in it submits (the view listens for `Input.Submitted`).

    The Input takes the focus, not this widget. While locked the Input is disabled, so the text
    stays as typed.
    """

    DEFAULT_CSS = """
    TypedAnswer {
        layout: horizontal;
        height: auto;
        width: 1fr;
        & > Input { width: 1fr; max-width: 50; }
        & > .unit { width: auto; padding: 1 1 0 1; }
    }
    """

    def __init__(self, *, placeholder: str) -> None:
        super().__init__()
        self.input = Input(placeholder=placeholder, select_on_focus=False)

    def compose(self) -> ComposeResult:
        """The Input."""
        yield self.input

    @property
    def text(self) -> str:
        """What the learner typed, unchanged."""
        return self.input.value

    @property
    def focus_target(self) -> Widget:
        """The Input."""
        return self.input

    def watch_locked(self) -> None:
        """A locked answer cannot be edited."""
        super().watch_locked()
        self.input.disabled = self.locked

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.changed()

    def reset(self) -> None:
        """Empty the text box."""
        with self.input.prevent(Input.Changed):
            self.input.value = ""

    def load(self, answer: Answer) -> None:
        """Show a saved TextAnswer."""
        if isinstance(answer, TextAnswer):
            with self.input.prevent(Input.Changed):
                self.input.value = answer.text


class ShortAnswer(TypedAnswer):
    """A word or phrase, compared by the grader with the accepted answers."""

    def __init__(self) -> None:
        super().__init__(placeholder="Type your answer")

    def build(self) -> Answer:
        """The text as typed; nothing typed is not an answer."""
        if not self.text.strip():
            raise AnswerError("Type your answer first, then press enter.")
        return TextAnswer(self.text)


class NumericAnswer(TypedAnswer):
    """A number, read by `parse_number` before it is sent, so a typo is caught here."""

    def __init__(self, unit: str = "") -> None:
        super().__init__(placeholder="Type a number")
        self.unit = unit

    def compose(self) -> ComposeResult:
        """The Input, and the unit beside it."""
        yield self.input
        if self.unit:
            yield Static(Content(self.unit), classes="unit")

    def build(self) -> Answer:
        """The text as typed, once it reads as a number (AnswerError says how to type it)."""
        parse_number(self.text, unit=self.unit)
        return TextAnswer(self.text)

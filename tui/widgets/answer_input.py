"""The part of a question the learner answers with, and the rows and knobs it is built from.

Every question type has one `AnswerInput`: it keeps the learner's choices, builds an `Answer`
from them (or raises `AnswerError` saying what is missing), and shows the marks a `Result` puts
on its rows. It never judges the answer itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from quizzes.answers import Answer

RIGHT_MARK = "✓"
"""The mark of a part answered right; shown with a colour, but readable without one."""

WRONG_MARK = "✗"
"""The mark of a part answered wrong."""

POINTER = "›"
"""Drawn before the highlighted row while the list has focus, so focus shows without colour."""


def mark_text(right: bool | None) -> str:
    """The mark for a part of an answer: ✓ right, ✗ wrong, nothing when not judged."""
    if right is None:
        return ""
    return RIGHT_MARK if right else WRONG_MARK


class AnswerInput(Widget, can_focus=True):
    """Base of the widget that holds the learner's answer to one question.

    Subclasses implement `build` (the `Answer`, or `AnswerError` with what to do), `load` (show a
    saved answer) and `show_marks` (✓ / ✗ on the rows a result speaks of). While `locked`, the
    learner can look but not change anything.
    """

    locked: reactive[bool] = reactive(False, init=False)
    """True while a result is shown, or for a question shown read-only."""

    class Changed(Message):
        """The learner changed the answer (a stale inline message can go)."""

    class Noted(Message):
        """Something the learner should know about the change just made, to show under it."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def build(self) -> Answer:
        """The answer as it stands; AnswerError (its message for the learner) if incomplete."""
        raise NotImplementedError

    def load(self, answer: Answer) -> None:
        """Show a saved answer. An answer of another kind is ignored."""

    def reset(self) -> None:
        """Take back everything the learner entered: the question is as it was first shown.

        Before a retry, so the new try starts clean rather than from the last one's leftovers.
        """

    def show_marks(self, marks: Mapping[str, bool]) -> None:
        """Mark the rows named by feedback refs (`o2`, `i1`, `l0`...): True right, False wrong."""

    def show_verdict_mark(self, right: bool) -> None:
        """Mark the chosen row with the verdict, for types with one choice (single, true/false)."""

    def clear_marks(self) -> None:
        """Remove every mark (before a retry)."""
        self.show_marks({})

    @property
    def focus_target(self) -> Widget:
        """The widget to focus so the learner can answer."""
        return self

    def watch_locked(self) -> None:
        """Lock or unlock: the bindings that change the answer appear or go."""
        self.set_class(self.locked, "-locked")
        self.refresh_bindings()

    def changed(self) -> None:
        """Tell the view the answer changed."""
        self.post_message(self.Changed())

    def note(self, text: str) -> None:
        """Tell the view to show a remark about the change just made (after `changed`)."""
        self.post_message(self.Noted(text))


class Knob(Static):
    """A one-character button inside a row (▲ ▼ ◂ ▸), for the mouse; keys do the same."""

    DEFAULT_CSS = """
    Knob {
        width: 2;
        height: 1;
        color: $accent;
        text-style: bold;
        pointer: pointer;
        &:hover { background: $boost; color: $text-accent; }
    }
    """

    class Pressed(Message):
        """A knob was clicked."""

        def __init__(self, knob: Knob) -> None:
            super().__init__()
            self.knob = knob

    def __init__(self, glyph: str, action: str, *, tooltip: str) -> None:
        super().__init__(Content(glyph), classes=f"knob -{action}")
        self.action = action
        self.tooltip = tooltip

    def on_click(self, event: events.Click) -> None:
        """Report the click to the row; the row (not the list behind it) handles it."""
        event.stop()
        self.post_message(self.Pressed(self))


class AnswerRow(Widget):
    """One line of a list answer: a gutter (pointer, key, box), the text, and a mark.

    Texts from the course are shown literally, never read as markup.
    """

    DEFAULT_CSS = """
    AnswerRow {
        layout: horizontal;
        height: auto;
        width: 1fr;
        pointer: pointer;
        & > .head { width: auto; color: $foreground-muted; }
        & > .text { width: 1fr; }
        & > .mark { width: 2; margin-left: 1; text-style: bold; }
        & > .mark.-right { color: $text-success; }
        & > .mark.-wrong { color: $text-error; }
        &:hover { background: $block-hover-background; }
        &.-selected > .head { color: $text-accent; text-style: bold; }
        &.-selected > .text { text-style: bold; }
    }
    """

    class Clicked(Message):
        """The row was clicked."""

        def __init__(self, row: AnswerRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, position: int, text: str) -> None:
        super().__init__()
        self.position = position
        self.head = Static("", classes="head", markup=False)
        self.label = Static(Content(text), classes="text")
        self.mark = Static("", classes="mark", markup=False)

    def compose(self) -> ComposeResult:
        """Gutter, text, mark."""
        yield self.head
        yield self.label
        yield self.mark

    def set_text(self, text: str) -> None:
        """Show another text (an order row after a move)."""
        self.label.update(Content(text))

    def set_mark(self, right: bool | None) -> None:
        """Show ✓ (True), ✗ (False) or nothing (None)."""
        self.mark.update(mark_text(right))
        self.mark.set_class(right is True, "-right")
        self.mark.set_class(right is False, "-wrong")

    def on_click(self, event: events.Click) -> None:
        """Tell the list which row was clicked."""
        event.stop()
        self.post_message(self.Clicked(self))


class RowList(AnswerInput):
    """An answer made of rows with one highlighted: up and down move the highlight.

    The highlighted row is drawn in the cursor colours while the list has focus, with a pointer
    before it, so focus is visible in any theme and without colour.
    """

    DEFAULT_CSS = """
    RowList {
        height: auto;
        width: 1fr;
        padding: 0 1;
        & > AnswerRow.-highlight {
            background: $block-cursor-blurred-background;
        }
        &:focus > AnswerRow.-highlight {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
            & > .head { color: $block-cursor-foreground; }
        }
        /* Knobs move or change the answer: gone while it is locked. */
        &.-locked .knob { visibility: hidden; }
    }
    """

    highlighted: reactive[int] = reactive(0, init=False)
    """The display position of the highlighted row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AnswerRow] = []

    def compose(self) -> ComposeResult:
        """The rows."""
        yield from self.rows

    def on_mount(self) -> None:
        """Draw the gutters once the rows exist."""
        self.refresh_rows()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While locked no key applies here: arrows and the rest go on to the screen."""
        return not self.locked

    def reset(self) -> None:
        """Highlight the first row again."""
        self.highlighted = 0
        self.refresh_rows()

    def action_move(self, step: int) -> None:
        """Highlight the row before (-1) or after (+1), stopping at the ends."""
        if self.rows:
            self.highlighted = max(0, min(len(self.rows) - 1, self.highlighted + step))

    def watch_highlighted(self) -> None:
        """Redraw, and keep the highlighted row in view inside a scrolling screen."""
        self.refresh_rows()
        if self.rows:
            self.rows[self.highlighted].scroll_visible(animate=False)

    def on_focus(self) -> None:
        """Show the pointer."""
        self.refresh_rows()

    def on_blur(self) -> None:
        """Hide the pointer."""
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Redraw every row's gutter and highlight."""
        for row in self.rows:
            row.set_class(row.position == self.highlighted, "-highlight")
            row.head.update(self.head_text(row.position))

    def pointer(self, position: int) -> str:
        """The pointer (or a space) for the row at `position`."""
        # The screen's record, not `has_focus`: this is called from on_focus, before the base
        # class has updated `has_focus`.
        focused = self.is_mounted and self.screen.focused is self
        return POINTER if focused and position == self.highlighted else " "

    def head_text(self, position: int) -> str:
        """What the gutter of the row at `position` shows."""
        return f"{self.pointer(position)} "

"""An `order` answer: items the learner moves up and down until they are in order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from quizzes.answers import Answer, OrderAnswer
from tui.widgets.answer_input import AnswerRow, Knob, RowList


class OrderRow(AnswerRow):
    """An item with ▲ and ▼ knobs for moving it with the mouse."""

    DEFAULT_CSS = """
    OrderRow > .knob { margin-left: 1; }
    """

    def compose(self) -> ComposeResult:
        """Gutter, text, knobs, mark."""
        yield self.head
        yield self.label
        yield Knob("▲", "up", tooltip="Move this item up")
        yield Knob("▼", "down", tooltip="Move this item down")
        yield self.mark


class OrderList(RowList):
    """The items in the learner's order; the highlighted one moves with shift+up / shift+down.

    The start order is a valid answer: submitting it unchanged is allowed.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous item", show=False),
        Binding("down", "move(1)", "Next item", show=False),
        Binding(
            "shift+up", "shift(-1)", "Move up", key_display="⇧↑ [", id="order.move_up"
        ),
        Binding(
            "shift+down", "shift(1)", "Move down", key_display="⇧↓ ]", id="order.move_down"
        ),
        Binding("left_square_bracket", "shift(-1)", "Move up", show=False),
        Binding("right_square_bracket", "shift(1)", "Move down", show=False),
        Binding("ctrl+up", "shift(-1)", "Move up", show=False),
        Binding("ctrl+down", "shift(1)", "Move down", show=False),
    ]

    def __init__(self, items: Sequence[str], order: Sequence[int]) -> None:
        super().__init__()
        self.items = tuple(items)
        self.start = tuple(order)
        self.order = list(order)
        self.marks: Mapping[str, bool] = {}
        self.rows = [OrderRow(position, self.items[index]) for position, index in enumerate(order)]

    def head_text(self, position: int) -> str:
        """Pointer and place number."""
        return f"{self.pointer(position)}{position + 1:>2}. "

    def refresh_rows(self) -> None:
        """Redraw gutters, texts in the current order, and marks."""
        super().refresh_rows()
        for row in self.rows:
            index = self.order[row.position]
            row.set_text(self.items[index])
            row.set_mark(self.marks.get(f"i{index}"))

    def action_shift(self, step: int) -> None:
        """Move the highlighted item one place up (-1) or down (+1); the highlight follows."""
        self.shift(self.highlighted, step)

    def shift(self, position: int, step: int) -> None:
        """Move the item at `position` one place up or down, unless at the end or locked."""
        target = position + step
        if self.locked or not (0 <= position < len(self.order) and 0 <= target < len(self.order)):
            return
        self.order[position], self.order[target] = self.order[target], self.order[position]
        if self.highlighted == target:
            self.refresh_rows()
        else:
            self.highlighted = target
        self.changed()

    @on(AnswerRow.Clicked)
    def _row_clicked(self, event: AnswerRow.Clicked) -> None:
        self.highlighted = event.row.position

    @on(Knob.Pressed)
    def _knob_pressed(self, event: Knob.Pressed) -> None:
        event.stop()
        row = event.knob.parent
        if isinstance(row, AnswerRow):
            self.focus()
            self.shift(row.position, -1 if event.knob.action == "up" else 1)

    def reset(self) -> None:
        """Back to the order the items were first shown in."""
        self.order = list(self.start)
        super().reset()

    def build(self) -> Answer:
        """The items in the order shown, by authored index."""
        return OrderAnswer(self.order)

    def load(self, answer: Answer) -> None:
        """Show a saved OrderAnswer, if it still names every item once."""
        if isinstance(answer, OrderAnswer) and sorted(answer.item_indexes) == sorted(self.order):
            self.order = list(answer.item_indexes)
            self.refresh_rows()

    def show_marks(self, marks: Mapping[str, bool]) -> None:
        """✓ / ✗ beside the items the feedback speaks of (`i0`, `i1`...)."""
        self.marks = dict(marks)
        self.refresh_rows()

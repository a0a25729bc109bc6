"""Answers picked from a list: one option (single), several (multiple), true or false."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType

from quizzes.answers import Answer, AnswerError, BoolAnswer, ChoiceAnswer
from quizzes.presentation import option_id
from tui.widgets.answer_input import AnswerRow, RowList


def _digit_bindings(verb: str) -> list[BindingType]:
    """Keys 1-9 for the nth option shown; one entry in the footer stands for all nine."""
    bindings: list[BindingType] = [
        Binding("1", "pick(1)", verb, key_display="1-9", id="choice.pick")
    ]
    bindings += [
        Binding(str(n), f"pick({n})", f"{verb} option {n}", show=False) for n in range(2, 10)
    ]
    return bindings


class ChoiceList(RowList):
    """Options in display order, numbered 1..n; the learner picks one, or several.

    Holds authored option indexes, so the answer is the same however the options were shown.
    """

    DEFAULT_CSS = """
    ChoiceList { margin-bottom: 0; }
    """

    multiple = False
    """True when several options may be picked (a `multiple` question)."""

    def __init__(self, texts: Sequence[str], order: Sequence[int]) -> None:
        super().__init__()
        self.texts = tuple(texts)
        self.order = tuple(order)
        self.selected: set[int] = set()
        self.rows = [AnswerRow(position, self.texts[index]) for position, index in enumerate(order)]

    def key_label(self, position: int) -> str:
        """The key shown before the row at `position`."""
        return str(position + 1) if position < 9 else " "

    def head_text(self, position: int) -> str:
        """Pointer, key and a box: `(•)` / `( )` for one answer, `[x]` / `[ ]` for several."""
        chosen = self.order[position] in self.selected
        boxes = ("[ ]", "[x]") if self.multiple else ("( )", "(•)")
        box = boxes[chosen]
        return f"{self.pointer(position)}{self.key_label(position):>2} {box} "

    def refresh_rows(self) -> None:
        """Redraw gutters, highlight and the bold of chosen options."""
        super().refresh_rows()
        for row in self.rows:
            row.set_class(self.order[row.position] in self.selected, "-selected")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing applies while locked; digits beyond the options do not apply."""
        if action == "pick" and parameters:
            number = parameters[0]
            if not (isinstance(number, int) and number <= len(self.rows)):
                return False
        return super().check_action(action, parameters)

    def action_pick(self, number: int) -> None:
        """Pick the option shown at `number` (1-based) and highlight it."""
        if 1 <= number <= len(self.rows):
            self.highlighted = number - 1
            self.toggle(number - 1)

    def action_choose(self) -> None:
        """Pick (or, for several, tick and untick) the highlighted option."""
        self.toggle(self.highlighted)

    def toggle(self, position: int) -> None:
        """Select the option at `position`; in a multiple list, tick or untick it."""
        if self.locked or not 0 <= position < len(self.rows):
            return
        index = self.order[position]
        if self.multiple:
            self.selected ^= {index}
        else:
            self.selected = {index}
        self.refresh_rows()
        self.changed()

    @on(AnswerRow.Clicked)
    def _row_clicked(self, event: AnswerRow.Clicked) -> None:
        self.highlighted = event.row.position
        self.toggle(event.row.position)

    def build(self) -> Answer:
        """The options picked, by authored index."""
        if not self.selected:
            keys = f"1-{min(len(self.rows), 9)}"
            if self.multiple:
                raise AnswerError(
                    f"Tick at least one option first: press {keys} or space, or click it."
                )
            raise AnswerError(f"Choose an option first: press {keys} or click it.")
        return ChoiceAnswer(self.selected)

    def reset(self) -> None:
        """Nothing picked, the first option highlighted."""
        self.selected = set()
        super().reset()

    def load(self, answer: Answer) -> None:
        """Show the options of a saved ChoiceAnswer as picked."""
        if isinstance(answer, ChoiceAnswer):
            self.selected = {i for i in answer.option_indexes if i in self.order}
            if self.selected and self.rows:
                self.highlighted = min(self.order.index(i) for i in self.selected)
            self.refresh_rows()

    def show_marks(self, marks: Mapping[str, bool]) -> None:
        """✓ / ✗ beside the options the feedback speaks of (`o0`, `o1`...)."""
        for row in self.rows:
            row.set_mark(marks.get(option_id(self.order[row.position])))

    def show_verdict_mark(self, right: bool) -> None:
        """The chosen option of a single question is as right as the answer."""
        if not self.multiple:
            for row in self.rows:
                if self.order[row.position] in self.selected:
                    row.set_mark(right)


class SingleChoiceList(ChoiceList):
    """One option of several: 1-9 or space picks it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous option", show=False),
        Binding("down", "move(1)", "Next option", show=False),
        Binding("space", "choose", "Choose", id="choice.choose"),
        *_digit_bindings("Choose"),
    ]


class MultipleChoiceList(ChoiceList):
    """Any number of options: 1-9 or space ticks and unticks them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous option", show=False),
        Binding("down", "move(1)", "Next option", show=False),
        Binding("space", "choose", "Tick/untick", id="choice.toggle"),
        *_digit_bindings("Tick"),
    ]

    multiple = True


class TrueFalseChoice(ChoiceList, inherit_bindings=False):
    """Two buttons side by side, True and False: t and f pick them (so do the arrows and space)."""

    DEFAULT_CSS = """
    TrueFalseChoice {
        layout: horizontal;
        height: auto;
        & > AnswerRow {
            width: 20;
            margin-right: 2;
            background: $boost;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "pick(1)", "True", id="true_false.true"),
        Binding("f", "pick(2)", "False", id="true_false.false"),
        Binding("left", "move(-1)", "Previous", show=False),
        Binding("right", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("space", "choose", "Choose", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(("True", "False"), (0, 1))

    def key_label(self, position: int) -> str:
        """`t` before True, `f` before False."""
        return "tf"[position]

    def build(self) -> Answer:
        """True or false, as chosen."""
        if not self.selected:
            raise AnswerError("Choose true or false first: press t or f, or click one.")
        return BoolAnswer(0 in self.selected)

    def load(self, answer: Answer) -> None:
        """Show a saved BoolAnswer."""
        if isinstance(answer, BoolAnswer):
            self.selected = {0 if answer.value else 1}
            self.highlighted = 0 if answer.value else 1
            self.refresh_rows()

    def show_marks(self, marks: Mapping[str, bool]) -> None:
        """The feedback on a true/false answer is about the answer as a whole (`answer`)."""
        right = marks.get("answer")
        for row in self.rows:
            row.set_mark(right if row.position in self.selected else None)

    def show_verdict_mark(self, right: bool) -> None:
        """Mark the chosen button."""
        for row in self.rows:
            if row.position in self.selected:
                row.set_mark(right)

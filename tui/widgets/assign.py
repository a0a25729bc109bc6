"""Answers that give each item one of a few targets: `match` (a partner) and `categorize`.

The targets are listed once, numbered, above the items. For the highlighted item, a number key
picks a target (and moves on to the next item, as the question's instruction says), left and
right step through the targets, and backspace clears. With the mouse: click an item, then a
target in the list; or click ◂ ▸. A match partner goes with one item: given to a second item, it
leaves the first, and the learner is told so, never silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from quizzes.answers import Answer, AnswerError, CategorizeAnswer, MatchAnswer
from tui.widgets.answer_input import AnswerRow, Knob, RowList

NO_TARGET = "—"
"""Shown in place of a target not yet picked."""


class TargetRow(AnswerRow):
    """One target in the numbered list; clicking it gives it to the highlighted item."""

    DEFAULT_CSS = """
    TargetRow { padding-left: 1; }
    """

    def __init__(self, position: int, text: str) -> None:
        super().__init__(position, text)
        self.head.update(f"{position + 1:>2} " if position < 9 else "   ")


class ItemRow(AnswerRow):
    """An item and the target picked for it, between ◂ and ▸ knobs."""

    DEFAULT_CSS = """
    ItemRow {
        & > .target { width: 1fr; }
        & > .target.-empty { color: $foreground-muted; }
        & > .knob { margin-left: 1; }
    }
    """

    def __init__(self, position: int, text: str) -> None:
        super().__init__(position, text)
        self.target = Static(NO_TARGET, classes="target -empty", markup=False)

    def compose(self) -> ComposeResult:
        """Gutter, item, ◂ target ▸, mark."""
        yield self.head
        yield self.label
        yield Knob("◂", "previous", tooltip="Previous choice")
        yield self.target
        yield Knob("▸", "next", tooltip="Next choice")
        yield self.mark

    def show_target(self, number: int | None, text: str) -> None:
        """Show the picked target (with its number) or the empty dash."""
        empty = number is None
        self.target.update(Content(NO_TARGET if empty else f"{number} {text}"))
        self.target.set_class(empty, "-empty")


def _number_bindings() -> list[BindingType]:
    bindings: list[BindingType] = [
        Binding("1", "pick(1)", "Pick", key_display="1-9", id="assign.pick")
    ]
    bindings += [Binding(str(n), f"pick({n})", f"Pick {n}", show=False) for n in range(2, 10)]
    return bindings


class AssignList(RowList):
    """Items in display order, each given at most one target; subclasses make the Answer."""

    DEFAULT_CSS = """
    AssignList {
        & > .targets { height: auto; margin-bottom: 1; }
        & > .targets > .title { color: $foreground-muted; text-style: italic; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous item", show=False),
        Binding("down", "move(1)", "Next item", show=False),
        *_number_bindings(),
        Binding("right", "cycle(1)", "Next choice", key_display="← →", id="assign.cycle"),
        Binding("left", "cycle(-1)", "Previous choice", show=False),
        Binding("backspace", "clear", "Clear", id="assign.clear"),
        Binding("delete", "clear", "Clear", show=False),
    ]

    title = "Choices"
    """The heading of the numbered target list."""

    incomplete = "Give every item a target first: “{}” has none yet."
    """What to do when an item has no target; `{}` is the item's text."""

    exclusive = False
    """True when a target goes with one item at most (match): picking a taken one moves it."""

    moved = "“{target}” was paired with “{before}”; it now goes with “{now}”."
    """Said when an exclusive target moves from one item to another."""

    def __init__(
        self,
        items: Sequence[tuple[int, str]],
        targets: Sequence[str],
    ) -> None:
        """`items`: (authored index, text) in display order; `targets`: texts in display order."""
        super().__init__()
        self.item_indexes = [index for index, _ in items]
        self.item_texts = [text for _, text in items]
        self.target_texts = tuple(targets)
        self.assigned: dict[int, int] = {}  # row position -> target position
        self.marks: Mapping[str, bool] = {}
        self.rows = [ItemRow(position, text) for position, (_, text) in enumerate(items)]
        self.targets = [TargetRow(position, text) for position, text in enumerate(targets)]

    def compose(self) -> ComposeResult:
        """The numbered targets, then the items."""
        with Vertical(classes="targets"):
            yield Static(Content(self.title), classes="title")
            yield from self.targets
        yield from self.rows

    def ref(self, position: int) -> str:
        """The feedback ref of the item at row `position`."""
        raise NotImplementedError

    def refresh_rows(self) -> None:
        """Redraw gutters, picked targets and marks."""
        super().refresh_rows()
        for row in self.rows:
            if isinstance(row, ItemRow):
                target = self.assigned.get(row.position)
                if target is None:
                    row.show_target(None, "")
                else:
                    row.show_target(target + 1, self.target_texts[target])
            row.set_mark(self.marks.get(self.ref(row.position)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing applies while locked; numbers beyond the targets do not apply."""
        if action == "pick" and parameters:
            number = parameters[0]
            if not (isinstance(number, int) and number <= len(self.target_texts)):
                return False
        return super().check_action(action, parameters)

    def assign(self, position: int, target: int | None) -> None:
        """Give the item at row `position` the target (None: take it away)."""
        if self.locked or not 0 <= position < len(self.rows):
            return
        moved_from: int | None = None
        if target is None:
            self.assigned.pop(position, None)
        else:
            if self.exclusive:
                for other, taken in list(self.assigned.items()):
                    if taken == target and other != position:
                        del self.assigned[other]
                        moved_from = other
            self.assigned[position] = target
        self.refresh_rows()
        self.changed()
        if moved_from is not None and target is not None:
            self.note(self.moved.format(target=self.target_texts[target],
                                        before=self.item_texts[moved_from],
                                        now=self.item_texts[position]))

    def action_pick(self, number: int) -> None:
        """Give the highlighted item target `number` (1-based), then highlight the next item."""
        self.pick(number - 1)

    def pick(self, target: int) -> None:
        """Give the highlighted item `target` and move on to the next item."""
        if not 0 <= target < len(self.target_texts) or self.locked:
            return
        self.assign(self.highlighted, target)
        self.action_move(1)

    def action_cycle(self, step: int) -> None:
        """Step the highlighted item's target forward (+1) or back (-1), through 'none'."""
        self.cycle(self.highlighted, step)

    def cycle(self, position: int, step: int) -> None:
        """Step the target of the item at `position`; taken targets are skipped when exclusive."""
        taken = {t for p, t in self.assigned.items() if p != position} if self.exclusive else set()
        stops: list[int | None] = [None]
        stops += [t for t in range(len(self.target_texts)) if t not in taken]
        current = self.assigned.get(position)
        here = stops.index(current) if current in stops else 0
        self.assign(position, stops[(here + step) % len(stops)])

    def action_clear(self) -> None:
        """Take the target away from the highlighted item."""
        self.assign(self.highlighted, None)

    @on(AnswerRow.Clicked)
    def _row_clicked(self, event: AnswerRow.Clicked) -> None:
        if isinstance(event.row, TargetRow):
            self.pick(event.row.position)
        else:
            self.highlighted = event.row.position

    @on(Knob.Pressed)
    def _knob_pressed(self, event: Knob.Pressed) -> None:
        event.stop()
        row = event.knob.parent
        if isinstance(row, ItemRow):
            self.focus()
            self.highlighted = row.position
            self.cycle(row.position, -1 if event.knob.action == "previous" else 1)

    def reset(self) -> None:
        """No item has a target; the first item is highlighted."""
        self.assigned = {}
        super().reset()

    def require_all(self) -> None:
        """AnswerError naming the first item (in display order) without a target, if any."""
        for position, text in enumerate(self.item_texts):
            if position not in self.assigned:
                raise AnswerError(self.incomplete.format(text))

    def show_marks(self, marks: Mapping[str, bool]) -> None:
        """✓ / ✗ beside the items the feedback speaks of."""
        self.marks = dict(marks)
        self.refresh_rows()


class MatchList(AssignList):
    """A `match` answer: each left item gets one partner from the right column."""

    title = "Choices (each goes with one item at most):"
    incomplete = "Pair every item first: “{}” has no partner yet (press a number or click ◂ ▸)."
    exclusive = True

    def __init__(self, lefts: Sequence[str], right_ids: Sequence[str], rights: Sequence[str]):
        """Left items in authored order; right choices by id and text, in display order."""
        super().__init__(list(enumerate(lefts)), rights)
        self.right_ids = tuple(right_ids)

    def ref(self, position: int) -> str:
        """`l0`, `l1`...: the left item's authored index."""
        return f"l{self.item_indexes[position]}"

    def build(self) -> Answer:
        """Each left item with the id of the right choice picked for it."""
        self.require_all()
        return MatchAnswer(
            {self.item_indexes[p]: self.right_ids[t] for p, t in self.assigned.items()}
        )

    def load(self, answer: Answer) -> None:
        """Show a saved MatchAnswer."""
        if isinstance(answer, MatchAnswer):
            self.assigned = {
                self.item_indexes.index(left): self.right_ids.index(right)
                for left, right in answer.pairs
                if left in self.item_indexes and right in self.right_ids
            }
            self.refresh_rows()


class CategorizeList(AssignList):
    """A `categorize` answer: each item gets one category; categories may hold many."""

    title = "Categories:"
    incomplete = (
        "Put every item in a category first: “{}” has none yet (press a number or click ◂ ▸)."
    )

    def __init__(self, items: Sequence[tuple[int, str]], categories: Sequence[str]):
        """Items as (authored index, text) in display order; categories in authored order."""
        super().__init__(items, categories)

    def ref(self, position: int) -> str:
        """`i0`, `i1`...: the item's authored index."""
        return f"i{self.item_indexes[position]}"

    def build(self) -> Answer:
        """Each item with the index of the category picked for it."""
        self.require_all()
        return CategorizeAnswer({self.item_indexes[p]: t for p, t in self.assigned.items()})

    def load(self, answer: Answer) -> None:
        """Show a saved CategorizeAnswer."""
        if isinstance(answer, CategorizeAnswer):
            self.assigned = {
                self.item_indexes.index(item): category
                for item, category in answer.placements
                if item in self.item_indexes and 0 <= category < len(self.target_texts)
            }
            self.refresh_rows()

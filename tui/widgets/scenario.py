"""A branching scenario: read a situation, choose, step back, reach an ending."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Markdown, Static

from quizzes.scenario import Scenario, ScenarioWalk


class ScenarioView(Widget, can_focus=True):
    """Walks a learner through a scenario; the walk itself (quizzes.scenario) keeps the path."""

    DEFAULT_CSS = """
    ScenarioView {
        height: auto;
        border: round $secondary;
        padding: 0 1;
    }
    ScenarioView:focus-within, ScenarioView:focus {
        border: round $accent;
    }
    ScenarioView #scenario-title { text-style: bold; }
    ScenarioView #scenario-path { color: $text-muted; }
    ScenarioView #scenario-ending-label { text-style: bold; color: $success; margin-top: 1; }
    ScenarioView .choice { width: 100%; margin: 0; }
    ScenarioView #scenario-choices { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"choose({n - 1})", f"Choice {n}", show=False) for n in range(1, 10)),
        Binding("backspace", "back", "Step back", id="scenario-back",
                tooltip="Take back your last choice"),
        Binding("r", "restart", "Start again", id="scenario-restart",
                tooltip="Go back to the start of the scenario"),
    ]

    class Moved(Message):
        """The learner chose, stepped back or started again."""

        def __init__(self, view: ScenarioView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.walk = ScenarioWalk(scenario)

    def compose(self) -> ComposeResult:
        yield Static(self.walk.scenario.title, id="scenario-title", markup=False)
        yield Static("", id="scenario-path", markup=False)
        yield Markdown("", id="scenario-text", open_links=False)
        yield Static("", id="scenario-ending-label", markup=False)
        yield Vertical(id="scenario-choices")

    async def on_mount(self) -> None:
        """Draw the start node."""
        await self.show_node()

    async def show_node(self) -> None:
        """Draw the node the learner is at: its text and choices, or the ending.

        The old buttons are removed, and that removal awaited, before the new ones are mounted,
        so the choices on screen are always those of one node.
        """
        walk = self.walk
        node = walk.node
        labels = [step.label for step in walk.steps]
        self.query_one("#scenario-path", Static).update(
            "Your path: " + " → ".join(labels) if labels else "Choose with the number keys,"
            " or click a choice.")
        text = node.end if walk.at_end else node.text
        self.query_one("#scenario-text", Markdown).update(text or "")
        self.query_one("#scenario-ending-label", Static).update(
            "■ The end of this path. Step back (backspace) to try another choice, or start"
            " again (r)." if walk.at_end else "")
        choices = self.query_one("#scenario-choices", Vertical)
        await choices.remove_children()
        place = self._place()
        buttons: list[Button] = [ChoiceButton(n - 1, choice.label, place)
                                 for n, choice in enumerate(node.choices, start=1)]
        if walk.can_go_back:
            buttons.append(BackButton(place))
        await choices.mount_all(buttons)
        self.refresh_bindings()

    def _place(self) -> tuple[str, int]:
        """Where the walk is: the node and how many choices led there."""
        return self.walk.node_id, len(self.walk.steps)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            index = parameters[0]
            return isinstance(index, int) and index < len(self.walk.node.choices)
        if action == "back":
            return self.walk.can_go_back
        if action == "restart":
            return self.walk.can_go_back
        return True

    async def action_choose(self, index: int) -> None:
        """Take a choice (0-based, in authored order)."""
        if index < len(self.walk.node.choices):
            self.walk.choose(index)
            await self._moved()

    async def action_back(self) -> None:
        """Take back the last choice."""
        if self.walk.can_go_back:
            self.walk.back()
            await self._moved()

    async def action_restart(self) -> None:
        """Go back to the start."""
        self.walk.restart()
        await self._moved()

    async def _moved(self) -> None:
        await self.show_node()
        self.focus()
        self.post_message(self.Moved(self))

    @on(Button.Pressed, ".choice")
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        if not isinstance(button, ChoiceButton | BackButton) or button.place != self._place():
            # A click on a button of a node the walk has already left (two quick clicks):
            # its index would mean another choice here.
            return
        if isinstance(button, BackButton):
            await self.action_back()
        else:
            await self.action_choose(button.index)


class ChoiceButton(Button):
    """One choice of a node; it knows its index, as buttons are redrawn at every move."""

    def __init__(self, index: int, label: str, place: tuple[str, int]) -> None:
        super().__init__(Text(f"{index + 1}. {label}"), classes="choice")
        self.index = index
        self.place = place


class BackButton(Button):
    """Takes back the last choice."""

    def __init__(self, place: tuple[str, int]) -> None:
        super().__init__("‹ Step back  (backspace)", classes="choice scenario-back")
        self.place = place

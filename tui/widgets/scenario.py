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

    def on_mount(self) -> None:
        self.show_node()

    def show_node(self) -> None:
        """Draw the node the learner is at: its text and choices, or the ending."""
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
        choices.remove_children()
        buttons = [Button(Text(f"{n}. {choice.label}"), id=f"choice-{n - 1}", classes="choice")
                   for n, choice in enumerate(node.choices, start=1)]
        if walk.can_go_back:
            buttons.append(Button("‹ Step back  (backspace)", id="scenario-back-button",
                                  classes="choice"))
        choices.mount_all(buttons)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            index = parameters[0]
            return isinstance(index, int) and index < len(self.walk.node.choices)
        if action == "back":
            return self.walk.can_go_back
        if action == "restart":
            return self.walk.can_go_back
        return True

    def action_choose(self, index: int) -> None:
        """Take a choice (0-based, in authored order)."""
        if index < len(self.walk.node.choices):
            self.walk.choose(index)
            self._moved()

    def action_back(self) -> None:
        """Take back the last choice."""
        if self.walk.can_go_back:
            self.walk.back()
            self._moved()

    def action_restart(self) -> None:
        """Go back to the start."""
        self.walk.restart()
        self._moved()

    def _moved(self) -> None:
        self.show_node()
        self.focus()
        self.post_message(self.Moved(self))

    @on(Button.Pressed, ".choice")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        ident = event.button.id or ""
        if ident == "scenario-back-button":
            self.action_back()
        elif ident.startswith("choice-"):
            self.action_choose(int(ident.removeprefix("choice-")))

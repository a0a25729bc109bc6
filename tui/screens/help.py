"""Every key that works where the learner is, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from tui.screens.base import IvstemModal

GENERAL = [
    ("up / down, enter", "Move through a list and open or choose what is highlighted"),
    ("tab / shift+tab", "Move between parts of the screen"),
    ("ctrl+p", "Command palette: jump to any module, lesson or glossary term"),
    ("?", "This help"),
    ("g", "The glossary, with search"),
    ("f2", "Switch the high-contrast theme on or off"),
    ("ctrl+q", "Quit (your progress is saved as you go)"),
    ("mouse", "Every button, option and link can also be clicked"),
]


def keys_table(rows: list[tuple[str, str]]) -> Table:
    """Keys and what they do, in two columns; a long description wraps within the width."""
    table = Table(box=None, expand=True, pad_edge=False, header_style="bold")
    table.add_column("Key", no_wrap=True, style="bold")
    table.add_column("What it does", ratio=1, overflow="fold")
    for key, description in rows:
        table.add_row(Text(key), Text(description))
    return table


def declared_here(node_type: type, binding: Binding) -> bool:
    """True when `binding` comes from ivstem's own code, not from a Textual class it extends.

    Textual's own widgets bring scrolling keys that would bury the course's keys, also when
    ivstem subclasses one of them (the map's tree).
    """
    for cls in node_type.__mro__:
        for declared in cls.__dict__.get("BINDINGS", ()):
            if (isinstance(declared, Binding) and declared.action == binding.action
                    and binding.key in declared.key.split(",")):
                return cls.__module__.startswith("tui.")
    return False


def key_name(key: str) -> str:
    """A key as a person would write it."""
    names = {"question_mark": "?", "escape": "esc", "left_square_bracket": "[",
             "right_square_bracket": "]", "space": "space"}
    return ", ".join(names.get(k, k) for k in key.split(","))


class HelpScreen(IvstemModal[None]):
    """The keys of the screen underneath (and of its focused widget), then the general ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close-help"),
        Binding("question_mark", "close", "Close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76;
        max-width: 98%;
        height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help-title { text-style: bold; color: $accent; margin-top: 1; }
    HelpScreen .help-keys { height: auto; }
    HelpScreen Button { margin-top: 1; }
    """

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        here: dict[str, str] = {}
        for key, active in self.under.active_bindings.items():
            binding = active.binding
            description = binding.tooltip or binding.description
            ours = declared_here(type(active.node), binding)
            if ours and description and binding.action not in ("help", "quit"):
                here.setdefault(description, key_name(key))
        with VerticalScroll():
            yield Static("Keys on this screen", classes="help-title", markup=False)
            rows = [(key, description) for description, key in here.items()]
            yield Static(keys_table(rows), classes="help-keys")
            yield Static("Everywhere", classes="help-title", markup=False)
            yield Static(keys_table(GENERAL), classes="help-keys")
            yield Button("Close  (esc)", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss()

    def action_close(self) -> None:
        """Back to where the learner was."""
        self.dismiss()

"""A boxed note: key point, note, warning or myth, told apart by a label as well as a colour."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static

from course.material.model import Callout

LABELS = {
    "key": "★ Key point",
    "note": "ℹ Note",
    "warning": "⚠ Warning",
    "myth": "✗ Myth and fact",
}


class CalloutBox(Vertical):
    """A callout step, styled by its kind."""

    DEFAULT_CSS = """
    CalloutBox {
        height: auto;
        border: round $primary;
        padding: 0 1;
    }
    CalloutBox.-key { border: round $accent; }
    CalloutBox.-note { border: round $primary; }
    CalloutBox.-warning { border: round $warning; }
    CalloutBox.-myth { border: round $error; }
    CalloutBox .callout-label { text-style: bold; }
    CalloutBox.-key .callout-label { color: $accent; }
    CalloutBox.-warning .callout-label { color: $warning; }
    CalloutBox.-myth .callout-label { color: $error; }
    """

    def __init__(self, callout: Callout) -> None:
        super().__init__(classes=f"-{callout.kind}")
        self.callout = callout

    def compose(self) -> ComposeResult:
        label = LABELS[self.callout.kind]
        if self.callout.title:
            label += f": {self.callout.title}"
        yield Static(label, classes="callout-label", markup=False)
        yield Markdown(self.callout.text, open_links=False)

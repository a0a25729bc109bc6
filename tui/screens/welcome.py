"""The first screen a learner sees: what the course is, and what it is not."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Markdown, Static

from course.model import Course


class WelcomeScreen(Screen[None]):
    """Course summary and disclaimer, shown before the first lesson."""

    CSS_PATH = "welcome.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", id="start", tooltip="Go to the course map"),
        Binding("escape", "start", "Start", show=False),
    ]

    def __init__(self, course: Course) -> None:
        super().__init__()
        self.course = course

    def compose(self) -> ComposeResult:
        manifest = self.course.manifest
        yield Header()
        with VerticalScroll(id="welcome-body"):
            yield Static(manifest.title, id="welcome-title", markup=False)
            yield Static(f"Version {manifest.version}", classes="muted", markup=False)
            yield Markdown(manifest.summary, open_links=False)
            if manifest.disclaimer:
                with VerticalScroll(id="disclaimer"):
                    yield Static("Before you start", classes="callout-title", markup=False)
                    yield Markdown(manifest.disclaimer, open_links=False)
            credits = []
            if manifest.authors:
                credits.append("By " + ", ".join(manifest.authors))
            if manifest.license:
                credits.append(f"Licence: {manifest.license}")
            if credits:
                yield Static(" · ".join(credits), classes="muted", markup=False)
        with Horizontal(id="welcome-buttons"):
            yield Button("Start the course  (enter)", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus(scroll_visible=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_start()

    def action_start(self) -> None:
        """Leave the welcome for the course map."""
        self.dismiss()

"""The first screen a learner sees: what the course is, and what it is not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Markdown, Static

if TYPE_CHECKING:
    from course.model import Manifest


@dataclass(frozen=True)
class Intro:
    """What the welcome shows: read from course.yaml alone, before the whole course loads."""

    id: str
    title: str
    version: str
    summary: str
    disclaimer: str | None = None
    authors: tuple[str, ...] = ()
    license: str | None = None

    @classmethod
    def from_manifest(cls, manifest: Manifest) -> Intro:
        """From a validated manifest."""
        return cls(manifest.id, manifest.title, manifest.version, manifest.summary,
                   manifest.disclaimer, manifest.authors, manifest.license)

    @classmethod
    def from_data(cls, data: Any) -> Intro | None:
        """From course.yaml as parsed; None when its fields are not yet what the format says
        (the full load then reports the problems)."""
        if not isinstance(data, dict):
            return None
        text = {k: data.get(k) for k in ("id", "title", "version", "summary")}
        if not all(isinstance(v, str) and v for v in text.values()):
            return None
        disclaimer, license_ = data.get("disclaimer"), data.get("license")
        authors = data.get("authors") or []
        return cls(text["id"], text["title"], text["version"], text["summary"],  # type: ignore[arg-type]
                   disclaimer if isinstance(disclaimer, str) else None,
                   tuple(a for a in authors if isinstance(a, str))
                   if isinstance(authors, list) else (),
                   license_ if isinstance(license_, str) else None)


class WelcomeScreen(Screen[None]):
    """Course summary and disclaimer, shown before the first lesson."""

    CSS_PATH = "welcome.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", id="start", tooltip="Go to the course map"),
        Binding("escape", "start", "Start", show=False),
    ]

    def __init__(self, intro: Intro) -> None:
        super().__init__()
        self.intro = intro

    def compose(self) -> ComposeResult:
        manifest = self.intro
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

"""The first screen a learner sees: what the course is, and what it is not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from course.styled import Runs, styled_runs

if TYPE_CHECKING:
    from course.model import Manifest


@dataclass(frozen=True)
class Intro:
    """What the welcome shows: read from course.yaml alone, before the whole course loads."""

    id: str
    title: str
    version: str
    summary: Runs
    disclaimer: Runs = ()
    authors: tuple[str, ...] = ()
    license: str | None = None

    @classmethod
    def from_manifest(cls, manifest: Manifest) -> Intro:
        """From a validated manifest."""
        return cls(manifest.id, manifest.title, manifest.version, styled_runs(manifest.summary),
                   styled_runs(manifest.disclaimer or ""), manifest.authors, manifest.license)

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
        return cls(text["id"], text["title"], text["version"],  # type: ignore[arg-type]
                   styled_runs(text["summary"]),  # type: ignore[arg-type]
                   styled_runs(disclaimer) if isinstance(disclaimer, str) else (),
                   tuple(a for a in authors if isinstance(a, str))
                   if isinstance(authors, list) else (),
                   license_ if isinstance(license_, str) else None)


def _content(runs: Runs) -> Content:
    return Content.assemble(*((text, style) if style else text for text, style in runs))


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
            # Runs of styled text, not Markdown widgets: this is the first screen, drawn before
            # a Markdown parser is loaded. Course text is never read as markup here.
            # The disclaimer first, so that it is on screen at 80x24 without scrolling.
            if manifest.disclaimer:
                with Vertical(id="disclaimer"):
                    yield Static("Before you start", classes="callout-title", markup=False)
                    yield Static(_content(manifest.disclaimer))
            yield Static(_content(manifest.summary), id="welcome-summary")
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

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_start()

    def action_start(self) -> None:
        """Leave the welcome for the course map."""
        self.dismiss()

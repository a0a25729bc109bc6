"""The first screen a learner sees: what the course is, and what it is not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Header, Static

from course.material.styled import Runs, styled_runs
from tui.screens.base import IvstemScreen

if TYPE_CHECKING:
    from course.material.model import Manifest


class Intro(NamedTuple):
    """What the welcome shows: from the snapshot of a course checked before
    (`course.material.snapshot.INTRO_FIELDS`), or, for a course not checked yet, from
    course.yaml alone while the rest of the course is checked behind the welcome."""

    id: str
    title: str
    version: str
    summary: Runs
    disclaimer: Runs = ()
    authors: tuple[str, ...] = ()
    license: str | None = None

    @classmethod
    def from_manifest(cls, manifest: Manifest) -> Intro:
        """From a validated manifest, as a snapshot keeps it."""
        from course.material.snapshot import intro_of

        return cls(**intro_of(manifest))

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


def runs_content(runs: Runs) -> Content:
    """Runs of styled text as Textual content (never read as markup)."""
    return Content.assemble(*((text, style) if style else text for text, style in runs))


class WelcomeScreen(IvstemScreen[None]):
    """Course summary and disclaimer, shown before the first lesson.

    This is the first screen a learner sees, so it is kept to a few plain widgets: each widget
    class costs its stylesheet at start. The way on is a footer key, which a click works too;
    it posts `Started`, and the app moves on (the welcome stays as the bottom screen).
    """

    CSS_PATH = "welcome.tcss"

    class Started(Message):
        """The learner is ready to start the course."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start the course", id="start",
                tooltip="Go to the course map"),
        Binding("escape", "start", "Start the course", show=False),
    ]

    def __init__(self, intro: Intro) -> None:
        super().__init__()
        self.intro = intro

    def compose(self) -> ComposeResult:
        intro = self.intro
        yield Header()
        with VerticalScroll(id="welcome-body"):
            # Styled text, not Markdown widgets, and few of them: this is the first screen,
            # drawn before a Markdown parser is loaded. Course text is never read as markup.
            yield Static(Content.assemble((intro.title, "bold $accent"), "\n",
                                          (f"Version {intro.version}", "$foreground-muted")),
                         id="welcome-title")
            # The disclaimer first, so that it is on screen at 80x24 without scrolling.
            if intro.disclaimer:
                disclaimer = Static(runs_content(intro.disclaimer), id="disclaimer")
                disclaimer.border_title = "Before you start"
                yield disclaimer
            credits = []
            if intro.authors:
                credits.append("By " + ", ".join(intro.authors))
            if intro.license:
                credits.append(f"Licence: {intro.license}")
            summary = runs_content(intro.summary)
            if credits:
                summary = Content.assemble(summary, "\n\n",
                                           (" · ".join(credits), "$foreground-muted"))
            yield Static(summary, id="welcome-summary")
        yield Footer()

    def action_start(self) -> None:
        """Leave the welcome for the course map."""
        self.post_message(self.Started())


class WelcomeAgainScreen(WelcomeScreen):
    """The welcome, opened again from the course map, which it returns to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Back to the map", id="start",
                tooltip="Go back to the course map"),
        Binding("escape", "start", "Back to the map", show=False),
    ]

    def action_start(self) -> None:
        """Back to the course map."""
        self.dismiss()

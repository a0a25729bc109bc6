"""Shown instead of the course when its files have problems: where each one is, and a hint."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from course.material.problems import Problem
from course.printable import printable
from tui.screens.base import IvstemScreen


class ProblemsScreen(IvstemScreen[None]):
    """Every content problem as `path:line:col`, with its hint; never a traceback."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit", id="quit-problems")]
    DEFAULT_CSS = """
    ProblemsScreen VerticalScroll { padding: 1 2; }
    ProblemsScreen .problem { margin-bottom: 1; }
    ProblemsScreen .hint { color: $text-muted; }
    ProblemsScreen #problems-intro { text-style: bold; margin-bottom: 1; }
    """

    def __init__(self, problems: list[Problem], course_dir: Path | None, *,
                 waiting: bool = False) -> None:
        """`waiting`: a preview that reloads by itself once the files are mended."""
        super().__init__()
        self.problems = problems
        self.course_dir = course_dir
        self.waiting = waiting

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="problems-list")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show(self.problems)

    async def show(self, problems: list[Problem]) -> None:
        """List these problems (again, after a reload that still finds some).

        The old list is gone before the new one is mounted: its widgets share the new one's
        ids."""
        self.problems = problems
        count = len(problems)
        folder = printable(str(self.course_dir), one_line=True)
        where = f" in {folder}" if self.course_dir else ""
        then = ("save the files: this preview reloads by itself" if self.waiting else
                "then run ivstem again (`ivstem validate` lists the same problems)")
        intro = (f"The course{where} cannot be opened: {count} problem"
                 f"{'' if count == 1 else 's'} to mend first. Fix them in the files named"
                 f" below, {then}.")
        widgets = [Static(intro, id="problems-intro", markup=False)]
        for problem in problems:
            text = f"{problem.location()}: {problem.shown_message()}"
            widgets.append(Static(text, classes="problem", markup=False))
            if problem.hint:
                widgets.append(Static(f"    hint: {problem.shown_hint()}", classes="hint",
                                      markup=False))
        body = self.query_one("#problems-list", VerticalScroll)
        await body.remove_children()
        await body.mount_all(widgets)

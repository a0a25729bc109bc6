"""The dashboard: where the learner stands, in figures and small charts.

Per module: a bar of the share done, the best and latest quiz score, the time spent. Then the
days studied in a row, answers per day over four weeks (a sparkline), the questions due for
review, and the weakest tags with the lessons that teach them, to open from here. At the end,
the completion record: written when every module is passed, otherwise what remains.

The figures come from `course.record.dashboard`; this screen only lays them out.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from course.record import dashboard, review
from course.record.dashboard import Dashboard
from course.record.study import ModuleState, Place
from quizzes.points import percent
from tui.screens.scrolling import ScrollingScreen

MARKS = {
    ModuleState.PASSED: "✓",
    ModuleState.IN_PROGRESS: "◐",
    ModuleState.OPEN: "○",
    ModuleState.LOCKED: "⊘",
}

#: Width of a share bar, in cells.
BAR = 10

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(share: float, width: int = BAR) -> Text:
    """A horizontal bar of `share` (0 to 1) drawn with block characters, on a dim track."""
    share = min(max(share, 0.0), 1.0)
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    text = Text("█" * full, style="bold")
    if part and full < width:
        text.append(_EIGHTHS[part], style="bold")
        full += 1
    text.append("░" * (width - full), style="dim")
    return text


NO_SCORE = "—"
"""What the table shows for a quiz with no finished attempt."""


class DashboardScreen(ScrollingScreen):
    """Figures and charts of the learner's progress; jumps to weak topics; the record."""

    CSS_PATH = "dashboard.tcss"
    BODY = "#dashboard-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Map", id="dashboard-leave", tooltip="Back to the course map"),
        Binding("r", "review", "Review", id="dashboard-review",
                tooltip="Answer the questions due for review"),
        Binding("p", "certificate", "Completion record", id="dashboard-certificate",
                tooltip="Write your completion record (when every module is passed)"),
    ]

    def __init__(self, certificate_dir: Path | None = None) -> None:
        super().__init__()
        #: Where the completion record is written: the folder ivstem was started in.
        self.certificate_dir = certificate_dir
        self.figures: Dashboard | None = None
        self._places: dict[str, Place] = {}  # option id -> the lesson it opens

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard-body"):
            yield Static("", id="dashboard-title", markup=False)
            yield Static("", id="dashboard-summary", markup=False)
            yield Static("", id="dashboard-modules")
            yield Static("Answers per day, the last four weeks", classes="dashboard-heading",
                         markup=False)
            with Horizontal(id="dashboard-activity"):
                yield Static("4 weeks ago", classes="muted", markup=False)
                yield Sparkline([], id="dashboard-sparkline")
                yield Static("today", id="dashboard-today", classes="muted", markup=False)
            yield Static("", id="dashboard-activity-note", classes="muted", markup=False)
            yield Static("Weakest topics", classes="dashboard-heading", markup=False)
            yield Static("", id="dashboard-weakest-note", classes="muted", markup=False)
            yield OptionList(id="dashboard-weakest")
            yield Static("Completion record", classes="dashboard-heading", markup=False)
            yield Static("", id="dashboard-remaining", markup=False)
            with Horizontal(id="dashboard-buttons"):
                yield Button("Write my completion record  (p)", id="dashboard-certificate-button",
                             variant="primary")
                yield Button("Review  (r)", id="dashboard-review-button")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_figures()
        self.query_one("#dashboard-body", VerticalScroll).focus()

    def on_screen_resume(self) -> None:
        self.refresh_figures()

    @work(exclusive=True, group="figures")
    async def refresh_figures(self) -> None:
        """Read the figures again (off the event loop: a long record takes a moment)."""
        app = self.app
        course = app.course
        assert course is not None

        def read() -> Dashboard:
            return dashboard.build(course, app.store, app.learner, standing=app.standings())

        self.show_figures(await asyncio.to_thread(read))

    def show_figures(self, figures: Dashboard) -> None:
        """Show the figures read."""
        self.figures = figures
        course = self.app.course
        assert course is not None
        self.query_one("#dashboard-title", Static).update(
            f"Your progress in “{course.title}”")
        self.query_one("#dashboard-summary", Static).update(self.summary_text(figures))
        self.query_one("#dashboard-modules", Static).update(self.module_table(figures))
        self.query_one("#dashboard-sparkline", Sparkline).data = list(figures.days)
        busiest = max(figures.days)
        self.query_one("#dashboard-activity-note", Static).update(
            f"Most in one day: {review.plural(busiest, 'answer')}; today:"
            f" {review.plural(figures.days[-1], 'answer')}." if busiest else
            "No answers in the last four weeks yet.")
        self.show_weakest(figures)
        self.show_completion(figures)
        self.refresh_bindings()

    def summary_text(self, figures: Dashboard) -> Text:
        """Two lines of headline figures: modules, streak and time; then the review."""
        first = [f"{figures.passed} of {len(figures.modules)} modules passed",
                 dashboard.streak_text(figures), dashboard.studied_text(figures)]
        return Text(" · ".join(first) + "\n" + dashboard.review_text(figures, "press r"))

    def module_table(self, figures: Dashboard) -> Table:
        """One row per module: mark, title, a bar of the share done, scores, time."""
        table = Table(box=None, expand=True, pad_edge=False, show_edge=False,
                      header_style="bold")
        table.add_column("", no_wrap=True)
        table.add_column("Module", ratio=1, overflow="fold")
        table.add_column("Done", no_wrap=True)
        table.add_column("Best", justify="right", no_wrap=True)
        table.add_column("Last", justify="right", no_wrap=True)
        table.add_column("Time", justify="right", no_wrap=True)
        for number, row in enumerate(figures.modules, start=1):
            standing = row.standing
            mark = Text(f"{MARKS[standing.state]} {number}.")
            title = Text(row.module.title)
            done = bar(standing.share_done)
            done.append(f" {percent(standing.share_done):>4}")
            has_quiz = row.module.quiz is not None
            best, latest = standing.best_score, row.latest_score
            table.add_row(
                mark,
                title,
                done,
                (NO_SCORE if best is None else percent(best)) if has_quiz else "no quiz",
                (NO_SCORE if latest is None else percent(latest)) if has_quiz else "",
                dashboard.duration_text(row.seconds),
            )
        return table

    def show_weakest(self, figures: Dashboard) -> None:
        """The weakest topics (tags, by the names the course gives them), each with a bar of its
        share right and the lessons to open."""
        options = self.query_one("#dashboard-weakest", OptionList)
        options.clear_options()
        self._places = {}
        note = self.query_one("#dashboard-weakest-note", Static)
        if not figures.weakest:
            note.update("None yet: topics show here once some of your answers to their"
                        " questions are wrong.")
            options.display = False
            return
        note.update("Share of your answers right, lowest first. Choose a lesson to go over it.")
        options.display = True
        for tag in figures.weakest:
            heading = Text(f"{tag.name}  ", style="bold")
            heading.append_text(bar(tag.share))
            heading.append(f" {dashboard.share_text(tag)}")
            options.add_option(Option(heading, disabled=True))
            for (module, lesson), place in zip(tag.lessons, tag.places, strict=True):
                ident = f"go-{len(self._places)}"
                self._places[ident] = place
                options.add_option(Option(Text(f"  → {module.title} › {lesson.title}"),
                                          id=ident))

    def show_completion(self, figures: Dashboard) -> None:
        """The record's button, enabled when every module is passed; otherwise what remains."""
        from course.record.certificate import what_remains

        course = self.app.course
        assert course is not None
        button = self.query_one("#dashboard-certificate-button", Button)
        button.disabled = not figures.complete
        remaining = self.query_one("#dashboard-remaining", Static)
        if figures.complete:
            remaining.update("Every module is passed. Write your completion record, in"
                             " Markdown and HTML: self-reported, not signed. For a signed one,"
                             " give your instructor your progress (`ivstem progress export`).")
        else:
            lines = what_remains(course, [m.standing for m in figures.modules])
            remaining.update("To finish the course:\n" + "\n".join(f"• {x}" for x in lines))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "certificate":
            return self.figures is not None and self.figures.complete
        return super().check_action(action, parameters)

    @on(OptionList.OptionSelected, "#dashboard-weakest")
    def _open_lesson(self, event: OptionList.OptionSelected) -> None:
        place = self._places.get(event.option.id or "")
        if place is None:
            return
        standing = next((s for s in self.app.standings() if s.module.id == place.module_id),
                        None)
        if standing is not None and standing.state is ModuleState.LOCKED:
            self.notify(standing.opens_when, title="Locked", severity="warning")
            return
        self.open_place(place)

    @work(exclusive=True, group="navigate")
    async def open_place(self, place: Place) -> None:
        """Open a lesson (in a worker, so the screen stays responsive while it loads)."""
        await self.app.go_to(place)

    @on(Button.Pressed, "#dashboard-review-button")
    def action_review(self) -> None:
        """Open the review of the questions due."""
        from tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    @on(Button.Pressed, "#dashboard-certificate-button")
    async def action_certificate(self) -> None:
        """Write the completion record (Markdown and HTML) and say where it is."""
        from course.record.certificate import (
            CertificateError,
            NotCompleteError,
            build_record,
            write,
        )

        app = self.app
        assert app.course is not None
        try:
            record = build_record(app.course, app.store, app.learner,
                                  standing=app.standings())
        except NotCompleteError as exc:
            self.notify("\n".join(exc.remaining), title="Not every module is passed yet",
                        severity="warning", timeout=10)
            return
        except CertificateError as exc:
            self.notify(str(exc), title="Completion record", severity="error")
            return
        folder = self.certificate_dir or Path.cwd()
        try:
            paths = await asyncio.to_thread(write, record, folder)
        except OSError as exc:
            self.notify(f"Cannot write in {folder}: {exc.strerror or exc}.",
                        title="Completion record not written", severity="error", timeout=20)
            return
        names = "\n".join(str(path) for path in paths)
        self.query_one("#dashboard-remaining", Static).update(
            f"Written (self-reported, not signed):\n{names}\nVerification code: {record.code}")
        self.notify(f"{names}\nCode: {record.code}", title="Completion record written",
                    timeout=20)

    def action_leave(self) -> None:
        """Back to the course map."""
        self.dismiss()


"""A finished quiz: score against the pass mark, and every question with its answer explained."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Markdown, Static

from course.material.model import Module
from course.record.study import Place
from quizzes.answers import describe
from quizzes.points import percent, points_text, score_text
from quizzes.session import QuizSession
from tui.screens.scrolling import ScrollingScreen
from tui.widgets.feedback import verdict_text


class ResultsScreen(ScrollingScreen):
    """Score, pass mark, pass or fail; each question with the answer given and why."""

    CSS_PATH = "results.tcss"
    BODY = "#results-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Map", id="results-map", tooltip="Back to the course map"),
        Binding("t", "retake", "Retake", id="retake", tooltip="Take the quiz again"),
        # Read like a pager, whether the results or a button below them has the focus.
        Binding("down", "scroll_body('down')", "Line down", show=False),
        Binding("up", "scroll_body('up')", "Line up", show=False),
        Binding("j", "scroll_body('down')", "Line down", show=False),
        Binding("k", "scroll_body('up')", "Line up", show=False),
        Binding("space", "scroll_body('page_down')", "Page down", show=False),
    ]

    def __init__(self, module: Module, session: QuizSession) -> None:
        super().__init__()
        self.module = module
        self.session = session

    def compose(self) -> ComposeResult:
        outcome = self.session.outcome()
        verdict = "✓ Passed" if outcome.passed else "✗ Not passed yet"
        yield Header()
        with VerticalScroll(id="results-body"):
            yield Static(f"{self.module.title}: quiz results", id="results-title", markup=False)
            yield Static(f"{verdict}: {percent(outcome.fraction)}"
                         f" ({score_text(outcome.score, outcome.total)});"
                         f" the pass mark is {percent(outcome.pass_mark)}.",
                         id="results-verdict", classes="-passed" if outcome.passed else "-failed",
                         markup=False)
            yield Static(self._next_words(outcome.passed), id="results-next", markup=False)
            for number, entry in enumerate(self.session.entries, start=1):
                question = self.session.question(entry.question_id)
                result = entry.result
                with Vertical(classes="result-item"):
                    mark_text = verdict_text(result.verdict) if result else "— Not answered"
                    points = (f" ({points_text(result.score)}/{points_text(result.points)})"
                              if result else "")
                    yield Static(f"{number}. {mark_text}{points}", classes="result-mark",
                                 markup=False)
                    yield Markdown(question.prompt, open_links=False)
                    if entry.answer is not None:
                        yield Static("Your answer: " + describe(question, entry.answer),
                                     classes="muted", markup=False)
                    if question.explanation:
                        yield Markdown(question.explanation, open_links=False)
        with Horizontal(id="results-buttons"):
            yield Button("Back to the map", id="to-map", variant="primary")
            yield Button("Retake the quiz  (t)", id="retake-button")
        yield Footer()

    def _next_words(self, passed: bool) -> str:
        if not passed:
            return "Review the explanations below, revisit the lessons, and try again."
        opened = [m.title for m in self.app.study.opened_by(self.module)]
        if opened:
            return "Now open: " + ", ".join(f"“{t}”" for t in opened) + "."
        return "Well done."

    def on_mount(self) -> None:
        self.query_one("#retake-button", Button).disabled = not self._can_retake()
        # The results have the focus, so that the scroll keys read them from the first line.
        self.body.focus()

    def _can_retake(self) -> bool:
        return self.app.study.can_take_quiz_again(self.module)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retake":
            return self._can_retake()
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#to-map")
    def action_leave(self) -> None:
        """Back to the course map."""
        self.dismiss()

    @on(Button.Pressed, "#retake-button")
    def action_retake(self) -> None:
        """Start a new attempt at the quiz, if the settings allow one."""
        if self._can_retake():
            self.start_again()

    @work(exclusive=True, group="retake")
    async def start_again(self) -> None:
        """Open a fresh attempt."""
        self.dismiss()
        await self.app.go_to(Place(self.module.id, quiz=True))

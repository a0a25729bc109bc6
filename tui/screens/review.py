"""Spaced review: the questions due now, asked again one at a time, with the usual feedback.

Which questions and when is decided in `course.record.review` (FSRS). Each question is shown through
the same `QuestionView` as a quiz, in mode "quiz" (mode "review" is read-only from the start:
it shows an answer, it does not ask), shuffled afresh. Each answer is saved, with the
question's new review date, before its feedback is shown.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from course.record import review
from quizzes.answers import AnswerError
from quizzes.grading import grade
from tui.screens.scrolling import ScrollingScreen
from tui.widgets.questions import QuestionView


class ReviewScreen(ScrollingScreen):
    """Asks every question due for review; says how it went and when the next one is due."""

    CSS_PATH = "review.tcss"
    BODY = "#review-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next", "Next question", id="review-next",
                tooltip="Go on once you have read the feedback"),
        Binding("escape", "leave", "Map", id="review-leave",
                tooltip="Stop reviewing; every answer so far is saved"),
        # Not in the footer, which would be cut at 80 columns; `?` lists it.
        Binding("l", "links", "Links", id="review-links", show=False,
                tooltip="Open a glossary term or source linked from this question"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[review.ReviewItem] = []
        self.index = -1  # the item asked now
        self.graded = False  # the current question shows its feedback
        self.asked = 0
        self.right = 0
        self.now = datetime.now(UTC)  # read from the store's clock on mount

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Review", id="review-where", markup=False)
        yield VerticalScroll(id="review-body")
        with Horizontal(id="review-nav"):
            yield Static("", id="review-counter", markup=False)
            yield Button("Next question ›", id="review-next-button", variant="primary",
                         disabled=True)
        yield Footer()

    async def on_mount(self) -> None:
        app = self.app
        assert app.course is not None
        self.now = app.study.now()
        self.items = app.study.due_for_review(self.now)
        if not self.items:
            await self.show_end()
            return
        await self.show_question()

    @property
    def current(self) -> review.ReviewItem | None:
        """The item being asked, or None before the first and after the last."""
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    async def show_question(self) -> None:
        """Ask the next due question, or show the summary after the last."""
        self.index += 1
        item = self.current
        if item is None:
            await self.show_end()
            return
        self.graded = False
        self.query_one("#review-where", Static).update(f"Review › {item.asked.where}")
        self.query_one("#review-counter", Static).update(
            f"question {self.index + 1} of {len(self.items)}")
        button = self.query_one("#review-next-button", Button)
        button.disabled = True
        button.label = "Next question ›"
        body = self.query_one("#review-body", VerticalScroll)
        await body.remove_children()
        presentation = self.app.study.review_presentation(item, self.now)
        view = QuestionView(item.question, presentation, mode="quiz", cite=self.app.cite)
        await body.mount(view, Static("", id="review-note", classes="muted", markup=False))
        body.scroll_home(animate=False)
        view.focus()
        self.refresh_bindings()

    async def show_end(self) -> None:
        """Nothing (more) to ask: how it went, what is still due, when the next is due."""
        app = self.app
        assert app.course is not None
        self.index = len(self.items)
        self.graded = False
        lines = app.study.review_summary(self.asked, self.right)
        self.query_one("#review-where", Static).update("Review")
        self.query_one("#review-counter", Static).update("")
        body = self.query_one("#review-body", VerticalScroll)
        await body.remove_children()
        await body.mount(Static("\n\n".join(lines), id="review-summary", markup=False))
        button = self.query_one("#review-next-button", Button)
        button.label = "Back to the map"
        button.disabled = False
        button.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.graded
        if action == "links":
            return self.current is not None
        return super().check_action(action, parameters)

    @on(QuestionView.Answered)
    async def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        item = self.current
        app = self.app
        assert app.course is not None
        if item is None or self.graded:
            return
        view = self.query_one(QuestionView)
        try:
            result = grade(item.question, event.answer, hint_used=event.hint_used)
        except AnswerError as exc:
            view.show_error(exc.message)
            return
        app.record_time(item.asked.module.id)  # the time spent over the question counts
        # Saved, with the question's next review date, before the learner sees the feedback.
        saved, _ = await app.save(app.study.record_review, item, event.answer, result,
                                  answer=True)
        self.asked += 1
        self.right += result.is_right
        await view.show_result(result)
        self.graded = True
        following = app.study.next_review(item.question.id)
        if saved and following is not None:
            self.query_one("#review-note", Static).update(
                f"Next review of this question: {review.when_text(following, self.now)}.")
        button = self.query_one("#review-next-button", Button)
        button.disabled = False
        last = self.index == len(self.items) - 1
        button.label = "Finish review ›" if last else "Next question ›"
        button.focus(scroll_visible=False)
        self.refresh_bindings()

    async def action_next(self) -> None:
        """The next due question, or the summary after the last."""
        if self.graded:
            item = self.current
            if item is not None:
                self.app.record_time(item.asked.module.id)
            await self.show_question()

    @on(Button.Pressed, "#review-next-button")
    async def _next_pressed(self) -> None:
        if self.current is None:
            self.dismiss()
        else:
            await self.action_next()

    def action_leave(self) -> None:
        """Back to the map; every answer given is already saved."""
        item = self.current
        if item is not None:
            self.app.record_time(item.asked.module.id)
        self.dismiss()

    def action_links(self) -> None:
        """List the terms and sources linked from the question (sources once it is answered)."""
        from tui.screens.modals import LinksModal, links_in

        item = self.current
        if item is None:
            return
        question = item.question
        texts = [question.prompt, question.hint or ""]
        refs: tuple[str, ...] = ()
        if self.graded:
            texts.append(question.explanation or "")
            refs = question.refs
        self.app.push_screen(LinksModal(links_in(texts, refs, self.app.course)))

"""A module quiz: one question at a time, each answer saved as given, resumable."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from course.material.model import Module
from course.record.learner import UNREADABLE_QUIZ
from course.record.study import Place, quiz_intro
from quizzes.answers import AnswerError
from quizzes.session import QuizSession
from tui.screens.scrolling import ScrollingScreen
from tui.widgets.questions import QuestionView


class QuizScreen(ScrollingScreen):
    """Asks the quiz's questions through the engine; shows the results at the end."""

    CSS_PATH = "quiz.tcss"
    BODY = "#quiz-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Over the focused Start button too, so the footer names the key.
        Binding("enter", "start", "Start", id="start-quiz", priority=True,
                tooltip="Start the quiz"),
        Binding("n", "next", "Next question", id="next-question",
                tooltip="Go on once you have read the feedback"),
        Binding("escape", "leave", "Map", id="leave-quiz",
                tooltip="Leave the quiz; it is saved and waits for you"),
        Binding("l", "links", "Links", id="quiz-links", show=False,
                tooltip="Open a glossary term or source linked from this question"),
    ]

    def __init__(self, module: Module) -> None:
        super().__init__()
        self.module = module
        self.session: QuizSession | None = None
        self.graded = False  # the current question shows its feedback
        self.introducing = False  # the intro is shown; the new attempt is not saved yet

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.module.title} › Module quiz", id="quiz-where", markup=False)
        yield Static("", id="notice", markup=False)
        yield VerticalScroll(id="quiz-body")
        with Horizontal(id="quiz-nav"):
            yield Static("", id="quiz-counter", markup=False)
            yield Button("Next question ›", id="next-question-button", variant="primary",
                         disabled=True)
        yield Footer()

    async def on_mount(self) -> None:
        app = self.app
        study = app.study
        opened = study.open_quiz(self.module)
        if opened.unreadable:
            app.notify(UNREADABLE_QUIZ, title="Quiz", severity="warning")
        for change in opened.changes:
            app.notify(change, title="The course changed", timeout=10)
        self.session = opened.session
        if self.session is None:
            await self.show_no_attempts_left(opened.no_attempts_left)
            return
        # A new attempt is drawn now, to say how many questions it has; kept once started.
        self.introducing = not opened.resumed
        await app.save(study.go_to, Place(self.module.id, quiz=True))
        if self.introducing:
            await self.show_intro()
        else:
            await self.show_question()

    def show_notice(self, text: str) -> None:
        """Say something above the intro (that the last lesson is done) until question 1.

        A line of its own rather than a toast: a toast would cover the buttons below.
        """
        notice = self.query_one("#notice", Static)
        notice.update(text)
        notice.display = True

    async def show_intro(self) -> None:
        """Before question 1: how many questions, the pass mark, the attempts left."""
        session = self.session
        course = self.app.course
        assert session is not None and course is not None
        intro = quiz_intro(len(session.question_ids), session.pass_mark,
                           attempt=session.attempt,
                           attempts_allowed=course.settings.quiz_attempts)
        self.query_one("#quiz-counter", Static).update("")
        self.query_one("#next-question-button", Button).display = False
        body = self.query_one("#quiz-body", VerticalScroll)
        start = Button("Start the quiz ⏎", id="quiz-start", variant="primary")
        await body.mount(Static(intro, id="quiz-intro", markup=False), start)
        start.focus()
        self.refresh_bindings()

    async def action_start(self) -> None:
        """Start the attempt the intro describes: save it, then ask question 1."""
        session = self.session
        app = self.app
        if not self.introducing or session is None or app.course is None:
            return
        self.introducing = False
        app.mark_activity()
        await app.save(app.study.start_quiz, self.module, session)
        self.query_one("#next-question-button", Button).display = True
        await self.show_question()

    @on(Button.Pressed, "#quiz-start")
    async def _start_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_start()

    async def show_no_attempts_left(self, why: str) -> None:
        """Say that the settings allow no more attempts."""
        body = self.query_one("#quiz-body", VerticalScroll)
        await body.mount(Static(why, markup=False))

    async def show_question(self) -> None:
        """Show the first unanswered question, or finish when none is left."""
        session = self.session
        assert session is not None
        question = session.current
        if question is None:
            self.finish()
            return
        number = session.question_ids.index(question.id) + 1
        self.query_one("#quiz-counter", Static).update(
            f"question {number} of {len(session.question_ids)}")
        self.graded = False
        self.query_one("#notice", Static).display = False
        self.query_one("#next-question-button", Button).disabled = True
        body = self.query_one("#quiz-body", VerticalScroll)
        await body.remove_children()
        view = QuestionView(question, session.presentation(question.id), mode="quiz",
                            cite=self.app.cite)
        await body.mount(view)
        body.scroll_home(animate=False)
        view.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.graded
        if action == "start":
            return self.introducing
        if action == "links":
            return not self.introducing
        return super().check_action(action, parameters)

    @on(QuestionView.HintShown)
    async def _hint(self, event: QuestionView.HintShown) -> None:
        if self.session is not None:
            await self.app.save(self.app.study.use_quiz_hint, self.module, self.session,
                                event.question_id)

    @on(QuestionView.Answered)
    async def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        session = self.session
        app = self.app
        assert session is not None and app.course is not None
        if self.graded or session.entry(event.question_id).answered:
            return
        view = self.query_one(QuestionView)
        if event.hint_used:
            session.use_hint(event.question_id)
        try:
            result = session.answer(event.question_id, event.answer)
        except AnswerError as exc:
            view.show_error(exc.message)
            return
        app.record_time(self.module.id)  # the time spent over the question counts
        # Saved before the learner sees the feedback: what is shown has been kept.
        await app.save(app.study.record_quiz_answer, self.module, session, event.answer, result,
                       event.question_id, answer=True)
        await view.show_result(result)
        self.graded = True
        button = self.query_one("#next-question-button", Button)
        button.disabled = False
        button.label = "See results ›" if session.finished else "Next question ›"
        button.focus(scroll_visible=False)
        self.refresh_bindings()

    def action_links(self) -> None:
        """List the terms and sources linked from the question (sources once it is answered)."""
        from tui.screens.modals import LinksModal, links_in

        session = self.session
        if session is None or (session.current is None and not self.graded):
            return
        views = self.query(QuestionView)
        if not views:
            return
        question = views.first().question
        texts = [question.prompt, question.hint or ""]
        refs: tuple[str, ...] = ()
        if self.graded:
            texts.append(question.explanation or "")
            refs = question.refs
        self.app.push_screen(LinksModal(links_in(texts, refs, self.app.course)))

    async def action_next(self) -> None:
        """The next question, or the results after the last."""
        if self.graded:
            self.app.record_time(self.module.id)
            await self.show_question()

    @on(Button.Pressed, "#next-question-button")
    async def _next_pressed(self) -> None:
        await self.action_next()

    def action_leave(self) -> None:
        """Back to the map; the quiz is saved as it stands."""
        self.app.record_time(self.module.id)
        self.dismiss()

    @work(exclusive=True, group="finish")
    async def finish(self) -> None:
        """Record the finished attempt, then show the results."""
        from tui.screens.results import ResultsScreen

        session = self.session
        app = self.app
        assert session is not None and app.course is not None
        await app.save(app.study.finish_quiz, self.module, session)
        self.dismiss()
        await app.push_screen(ResultsScreen(self.module, session))

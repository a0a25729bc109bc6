"""The lesson reader: one step at a time, with practice checks and scenarios in place."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Markdown, Static

from course.material.model import CalloutStep, CheckStep, Lesson, Module, ScenarioStep, TextStep
from quizzes.answers import AnswerError
from quizzes.grading import Result
from quizzes.practice import PracticeCheck
from quizzes.wording import answer_line
from tui.screens.quiz import QuizScreen
from tui.screens.scrolling import ScrollingScreen
from tui.widgets.callout import CalloutBox
from tui.widgets.questions import QuestionView
from tui.widgets.scenario import ScenarioView


class LessonScreen(ScrollingScreen):
    """Shows a lesson step by step: "step k of n", back and next, and records each step."""

    CSS_PATH = "lesson.tcss"
    BODY = "#step"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next", "Next", id="next", tooltip="The next step"),
        Binding("right", "next", "Next", show=False),
        Binding("b", "back", "Back", id="back", tooltip="The step before"),
        Binding("left", "back", "Back", show=False),
        Binding("escape", "leave", "Map", id="map", tooltip="Back to the course map"),
        Binding("a", "reveal", "Answer", id="reveal",
                tooltip="Give up on this check and see the answer"),
        Binding("r", "retry", "Retry", id="retry-check",
                tooltip="Answer this check again (from anywhere on the step)"),
        Binding("l", "links", "Links", id="links", show=False,
                tooltip="Open a glossary term or source linked from this step"),
    ]

    def __init__(self, module: Module, lesson: Lesson, step: int = 0) -> None:
        super().__init__()
        self.module = module
        self.lesson = lesson
        self.step = max(0, min(step, len(lesson.steps) - 1))
        self.check: PracticeCheck | None = None
        self.awaiting_retry = False  # a check shows a wrong try and waits for r or a

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="where", markup=False)
        yield Static("", id="notice", markup=False)
        yield VerticalScroll(id="step")
        with Horizontal(id="nav"):
            yield Button("‹ Back", id="back-button")
            yield Static("", id="counter", markup=False)
            yield Button("Next ›", id="next-button", variant="primary")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show_step()

    async def show_step(self) -> None:
        """Draw the current step and record that the learner reached it."""
        total = len(self.lesson.steps)
        self.query_one("#where", Static).update(f"{self.module.title} › {self.lesson.title}")
        self.query_one("#counter", Static).update(f"step {self.step + 1} of {total}")
        last = self.step == total - 1
        self.query_one("#next-button", Button).label = "Finish lesson ✓" if last else "Next ›"
        # Hidden rather than dimmed at the first step: dimming says it by colour alone.
        self.query_one("#back-button", Button).display = self.step > 0
        self.query_one("#notice", Static).display = False  # it was about the step before
        body = self.query_one("#step", VerticalScroll)
        await body.remove_children()
        self.check = None
        self.awaiting_retry = False
        step = self.lesson.steps[self.step]
        if isinstance(step, TextStep):
            await body.mount(Markdown(step.text, open_links=False))
        elif isinstance(step, CalloutStep):
            await body.mount(CalloutBox(step.callout))
        elif isinstance(step, CheckStep):
            self.check = PracticeCheck(step.check, self.app.learner)
            view = QuestionView(step.check, self.check.presentation, mode="check",
                                cite=self.app.cite)
            await body.mount(Static("Practice question: not graded, try as often as you"
                                    " like.", classes="muted", markup=False), view,
                             Static("", id="check-note", markup=False))
            view.focus()
        elif isinstance(step, ScenarioStep):
            walk = ScenarioView(step.scenario)
            await body.mount(walk)
            walk.focus()
        body.scroll_home(animate=False)
        self.refresh_bindings()
        self.remember()

    def show_notice(self, text: str) -> None:
        """Say something above the step (that the lesson before is done) until the next step.

        A line of its own rather than a toast: a toast would cover the Next button.
        """
        notice = self.query_one("#notice", Static)
        notice.update(text)
        notice.display = True

    @work(group="save")
    async def remember(self) -> None:
        """Save the step reached and the place to continue from (off the event loop)."""
        app = self.app
        assert app.course is not None
        app.mark_activity()
        await app.save(app.study.reach_step, self.module, self.lesson, self.step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.step > 0
        if action == "reveal":
            check = self.check
            return check is not None and bool(check.tries) and not check.over
        if action == "retry":
            return self.awaiting_retry
        return super().check_action(action, parameters)

    def action_retry(self) -> None:
        """Try the check again, wherever the focus is: the note under it says to press r."""
        for view in self.query(QuestionView):
            view.action_retry()

    def note(self, text: str) -> None:
        """Say what the learner can do next with the check."""
        self.query_one("#check-note", Static).update(text)

    async def action_next(self) -> None:
        """The next step, or finish the lesson after the last one."""
        self.app.record_time(self.module.id)
        if self.step < len(self.lesson.steps) - 1:
            self.step += 1
            await self.show_step()
        else:
            await self.finish()

    async def action_back(self) -> None:
        """The step before."""
        if self.step > 0:
            self.app.record_time(self.module.id)
            self.step -= 1
            await self.show_step()

    def action_leave(self) -> None:
        """Back to the course map; the place is already saved."""
        self.app.record_time(self.module.id)
        self.dismiss()

    async def finish(self) -> None:
        """Record the lesson as completed and go on to what `course.record.study` says follows it:
        a lesson still to read, the next lesson, or the quiz once every lesson is done."""
        app = self.app
        study = app.study
        await app.save(study.complete_lesson, self.module, self.lesson)
        done = study.after_lesson(self.module, self.lesson)
        await app.save(study.go_on, done.next_place)
        notice, next_place = done.notice, done.next_place
        if next_place is None:
            # Nothing opens next to carry the line: the map says it in a toast.
            app.notify(notice, title="✓ Lesson complete")
            self.dismiss()
            return
        self.dismiss()
        await app.go_to(next_place)
        opened = app.screen
        if isinstance(opened, LessonScreen | QuizScreen):
            opened.show_notice(notice)

    # --- practice checks -----------------------------------------------------------------

    @on(QuestionView.HintShown)
    def _hint(self, event: QuestionView.HintShown) -> None:
        if self.check is not None:
            self.check.use_hint()

    @on(QuestionView.Answered)
    async def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        check = self.check
        if check is None or check.over:
            return
        view = self.query_one(QuestionView)
        if event.hint_used:
            check.use_hint()
        try:
            shown = check.attempt(event.answer)
        except AnswerError as exc:
            view.show_error(exc.message)
            return
        result = check.tries[-1]
        app = self.app
        app.record_time(self.module.id)  # the time spent over the question counts
        # Saved before the learner sees the feedback: what is shown has been kept.
        await app.save(app.study.record_check, self.module, self.lesson, check, event.answer,
                       answer=True)
        await view.show_result(Result(result.score, result.points, shown.verdict,
                                      shown.feedback, shown.explanation,
                                      result.refs if not shown.can_retry else (),
                                      result.hint_used))
        self.awaiting_retry = shown.can_retry
        self.note("Not quite. Press r to try again, or a to see the answer." if shown.can_retry
                  else "")
        self.refresh_bindings()

    @on(QuestionView.RetryStarted)
    def _retrying(self, event: QuestionView.RetryStarted) -> None:
        self.awaiting_retry = False
        self.note("")
        self.refresh_bindings()

    async def action_reveal(self) -> None:
        """End the check and show its answer, labelled as such, with the explanation.

        The learner's tries stay recorded as they were: seeing the answer is not answering.
        """
        check = self.check
        if check is None or check.over:
            return
        check.reveal()
        self.awaiting_retry = False
        view = self.query_one(QuestionView)
        feedback = check.feedback_with_answer() if view.result is not None else None
        await view.show_answer(answer_line(check.question, check.presentation), feedback)
        self.note("Press n for the next step.")
        self.refresh_bindings()

    def action_links(self) -> None:
        """List the terms and sources linked from this step, to open one from the keyboard."""
        from tui.screens.modals import LinksModal, links_in

        step = self.lesson.steps[self.step]
        refs: tuple[str, ...] = ()
        if isinstance(step, TextStep):
            texts = [step.text]
        elif isinstance(step, CalloutStep):
            texts = [step.callout.text]
        elif isinstance(step, CheckStep):
            question = step.check
            texts = [question.prompt, question.hint or ""]
            if self.check is not None and self.check.over:
                texts.append(question.explanation or "")
                refs = question.refs
        else:
            texts = [n.text or n.end or "" for n in step.scenario.nodes.values()]
        self.app.push_screen(LinksModal(links_in(texts, refs, self.app.course)))

    @on(Button.Pressed, "#next-button")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#back-button")
    async def _back_pressed(self) -> None:
        await self.action_back()

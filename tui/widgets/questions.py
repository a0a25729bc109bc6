"""QuestionView: one question of any of the eight types, asked, answered and shown back.

The view never grades. It builds an Answer from what the learner did and posts
`QuestionView.Answered`; the screen grades it and calls `show_result`. When the answer is not
complete yet (nothing chosen, an item without a partner, a number that cannot be read) the view
says what to do, inline, and posts nothing.

Keys (each also has a button or a click):

- all types: enter submits, h shows the hint, r tries again (practice checks, after a miss);
- single: 1-9 choose the nth option shown, up/down highlight, space chooses;
- multiple: 1-9 or space tick and untick;
- true_false: t or f (or left/right and space);
- short, numeric: type, enter submits (in the text box h types an h: use the Hint button);
- order: up/down highlight, shift+up/shift+down (also [ ] and ctrl+up/ctrl+down) move the item;
- match, categorize: up/down highlight an item, 1-9 pick its partner or category and go to the
  next item, left/right step through the choices, backspace clears. A match partner already
  taken moves to the new item, and the view says so.
"""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.widgets import Button, Input, Markdown, Static

from quizzes.answers import Answer, AnswerError
from quizzes.grading import Feedback, Result, Verdict
from quizzes.presentation import Presentation, right_ids
from quizzes.questions import (
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from tui.widgets.answer_input import AnswerInput
from tui.widgets.assign import CategorizeList, MatchList
from tui.widgets.choices import MultipleChoiceList, SingleChoiceList, TrueFalseChoice
from tui.widgets.feedback import Cite, FeedbackView, Shown
from tui.widgets.ordering import OrderList
from tui.widgets.typed import NumericAnswer, ShortAnswer

Mode = Literal["check", "quiz", "review"]
"""check: a practice question that may be retried; quiz: answered once; review: read-only."""


def _display_order(order: tuple[int, ...], count: int) -> tuple[int, ...]:
    """The presentation's order when it fits `count` items, otherwise the authored order."""
    return order if sorted(order) == list(range(count)) else tuple(range(count))


def instruction_for(question: Question) -> str:
    """One short line saying how to answer this type of question."""
    if isinstance(question, SingleQuestion):
        return "Choose one answer: press its number or click it, then enter."
    if isinstance(question, MultipleQuestion):
        return "Choose all that apply: press their numbers (or click), then enter."
    if isinstance(question, TrueFalseQuestion):
        return "True or false? Press t or f (or click), then enter."
    if isinstance(question, ShortQuestion):
        return "Type your answer and press enter."
    if isinstance(question, NumericQuestion):
        unit = f" (in {question.unit})" if question.unit else ""
        return f"Type a number{unit} and press enter."
    if isinstance(question, OrderQuestion):
        return "Order the items: shift+↑ ↓ or [ ] moves the highlighted one (or click ▲ ▼)."
    if isinstance(question, MatchQuestion):
        return ("Pair each item: a choice's number pairs the highlighted item and moves to the"
                " next; ↑ ↓ pick an item, ← → (or ◂ ▸) step through the choices.")
    return ("Sort the items: a category's number puts the highlighted item there and moves to the"
            " next; ↑ ↓ pick an item, ← → (or ◂ ▸) step through categories.")


def answer_input_for(question: Question, presentation: Presentation) -> AnswerInput:
    """The answering widget for the question's type, in the presentation's display order."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        texts = [option.text for option in question.options]
        order = _display_order(presentation.order, len(texts))
        if isinstance(question, MultipleQuestion):
            return MultipleChoiceList(texts, order)
        return SingleChoiceList(texts, order)
    if isinstance(question, TrueFalseQuestion):
        return TrueFalseChoice()
    if isinstance(question, ShortQuestion):
        return ShortAnswer()
    if isinstance(question, NumericQuestion):
        return NumericAnswer(question.unit)
    if isinstance(question, OrderQuestion):
        return OrderList(question.items, _display_order(presentation.order, len(question.items)))
    if isinstance(question, MatchQuestion):
        ids = right_ids(question)
        column = presentation.right_column
        if sorted(column) != sorted(ids):
            column = ids
        rights = [right for _, right in question.pairs] + list(question.distractors)
        text_of = dict(zip(ids, rights, strict=True))
        lefts = [left for left, _ in question.pairs]
        return MatchList(lefts, column, [text_of[i] for i in column])
    order = _display_order(presentation.order, len(question.items))
    items = [(index, question.items[index].text) for index in order]
    return CategorizeList(items, question.categories)


class QuestionView(Vertical):
    """One question: prompt, hint on request, the answer, Submit and Hint buttons, the result.

    mode "check": after a result that is not right the learner may try again (r); "quiz" and
    "review": once a result is shown the view is read-only. `answered=(answer, result)` shows
    a question answered before, read-only. `cite` turns a reference id into its label.
    """

    DEFAULT_CSS = """
    QuestionView {
        height: auto;
        width: 1fr;
        padding: 0 1;
        & > .prompt { padding: 0; margin: 0 0 0 0; }
        & > .prompt > MarkdownParagraph:last-child { margin-bottom: 0; }
        & > .instruction { color: $foreground-muted; text-style: italic; margin-bottom: 1; }
        & > .hint {
            display: none;
            height: auto;
            margin-bottom: 1;
            padding: 0 1;
            border-left: outer $accent;
            & > .title { color: $text-accent; text-style: bold; }
            & > Markdown { padding: 0; }
            & > Markdown > MarkdownParagraph:last-child { margin-bottom: 0; }
        }
        & > .hint.-shown { display: block; }
        & > .message { display: none; color: $text-error; text-style: bold; margin-top: 1; }
        & > .message.-shown { display: block; }
        & > .message.-note { color: $text-warning; text-style: none; }
        & > .actions { height: auto; margin-top: 1; }
        & > .actions > Button { margin-right: 2; min-width: 10; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Submit", id="question.submit"),
        Binding("h", "hint", "Hint", id="question.hint"),
        Binding("r", "retry", "Retry", id="question.retry", tooltip="Answer this check again"),
    ]

    hint_used: var[bool] = var(False)
    """True once the hint has been shown; sent with the answer."""

    class Answered(Message):
        """The learner submitted a complete answer; the screen grades it."""

        def __init__(
            self,
            question_id: str,
            answer: Answer,
            hint_used: bool,
            *,
            view: QuestionView | None = None,
        ) -> None:
            super().__init__()
            self.question_id = question_id
            self.answer = answer
            self.hint_used = hint_used
            self.view = view

        @property
        def control(self) -> QuestionView | None:
            """The view, so `@on(QuestionView.Answered, "#id")` can select it."""
            return self.view

    class HintShown(Message):
        """The learner asked for the hint, which is now shown."""

        def __init__(self, question_id: str, *, view: QuestionView | None = None) -> None:
            super().__init__()
            self.question_id = question_id
            self.view = view

        @property
        def control(self) -> QuestionView | None:
            """The view."""
            return self.view

    class RetryStarted(Message):
        """The learner chose to try a practice check again; the result has been cleared."""

        def __init__(self, question_id: str, *, view: QuestionView | None = None) -> None:
            super().__init__()
            self.question_id = question_id
            self.view = view

        @property
        def control(self) -> QuestionView | None:
            """The view."""
            return self.view

    def __init__(
        self,
        question: Question,
        presentation: Presentation | None = None,
        *,
        mode: Mode = "check",
        answered: tuple[Answer, Shown] | None = None,
        cite: Cite | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.question = question
        self.presentation = presentation or Presentation()  # the order the learner sees
        self.mode: Mode = mode
        self.answered = answered
        self.read_only = answered is not None or mode == "review"
        self.result: Shown | None = None
        self.waiting = False  # Answered posted, no result or error back yet
        self.following = False  # the new feedback is kept in view while it is laid out
        self.answer_input = answer_input_for(question, self.presentation)
        self.hint_box = Vertical(
            Static(Content("Hint"), classes="title"),
            Markdown(question.hint or "", open_links=False),
            classes="hint",
        )
        self.message = Static("", classes="message", markup=False)
        self.submit_button = Button(
            Content("Submit ⏎"), compact=True, variant="primary", classes="submit",
            tooltip="Submit your answer (enter)",
        )
        self.hint_button = Button(
            Content("Hint (h)"), compact=True, classes="hint-button",
            tooltip="Show the hint (h)",
        )
        self.retry_button = Button(
            Content("Try again (r)"), compact=True, variant="warning", classes="retry",
            tooltip="Answer this check again (r)",
        )
        self.actions = Horizontal(
            self.submit_button, self.hint_button, self.retry_button, classes="actions"
        )
        self.feedback = FeedbackView(cite=cite, show_score=mode != "check", question=question,
                                     presentation=self.presentation)

    def compose(self) -> ComposeResult:
        """Prompt, instruction, hint, answer, message, buttons, result."""
        yield Markdown(self.question.prompt, open_links=False, classes="prompt")
        yield Static(Content(instruction_for(self.question)), classes="instruction")
        yield self.hint_box
        yield self.answer_input
        yield self.message
        yield self.actions
        yield self.feedback

    def on_mount(self) -> None:
        """Show a question answered before, or make it ready to answer."""
        if self.answered is not None:
            answer, result = self.answered
            self.answer_input.load(answer)
            self.show_result(result, scroll=False)
        elif self.read_only:
            self.answer_input.locked = True
        self._sync()

    # --- State -------------------------------------------------------------------------------

    @property
    def answerable(self) -> bool:
        """True while the learner may change and submit the answer."""
        return not self.read_only and self.result is None

    @property
    def has_hint(self) -> bool:
        """True when the question has a hint to show."""
        return bool(self.question.hint and self.question.hint.strip())

    @property
    def can_retry(self) -> bool:
        """True for a practice check whose shown result allows another try."""
        result = self.result
        if self.mode != "check" or self.read_only or result is None:
            return False
        if isinstance(result, Result):
            return result.verdict is not Verdict.RIGHT
        return result.can_retry

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer submit and hint only while answering, and try-again only when allowed."""
        if action == "submit":
            return self.answerable and not self.waiting
        if action == "hint":
            # In a text box h types an h; the footer should not promise otherwise.
            typing = isinstance(self.screen.focused, Input)
            return self.answerable and self.has_hint and not self.hint_used and not typing
        if action == "retry":
            return self.can_retry
        return True

    def _sync(self) -> None:
        """Show the buttons that apply now, and tell the footer."""
        self.submit_button.display = self.answerable
        self.hint_button.display = self.answerable and self.has_hint and not self.hint_used
        self.retry_button.display = self.can_retry
        self.actions.display = any(
            button.display for button in (self.submit_button, self.hint_button, self.retry_button)
        )
        self.refresh_bindings()

    def _say(self, text: str | None, *, note: bool = False) -> None:
        """Show (or, with None, hide) the inline message: a problem, or with `note` a remark."""
        self.message.update(Content(text if note else f"! {text}") if text else "")
        self.message.set_class(bool(text), "-shown")
        self.message.set_class(bool(text) and note, "-note")

    def _refocus(self, had_focus: bool) -> None:
        """Keep the focus in the view if it was there and its widget has gone or been locked."""
        if not had_focus:
            return
        focused = self.screen.focused
        if (
            focused is not None
            and self in focused.ancestors
            and focused.display
            and focused.focusable
        ):
            return
        target = self.answer_input.focus_target
        if target.focusable:
            target.focus()
        elif self.retry_button.display:
            self.retry_button.focus()

    # --- What the screen calls ---------------------------------------------------------------

    def focus(self, scroll_visible: bool = True) -> Self:
        """Focus the part the learner answers with (the list, or the text box).

        The view itself never takes focus; `view.focus()` puts it where keys answer.
        """
        target = self.answer_input.focus_target
        if target.focusable:
            target.focus(scroll_visible)
        return self

    def focus_answer(self) -> None:
        """Focus the part the learner answers with (the same as `focus()`)."""
        self.focus()

    def show_result(self, result: Shown, *, scroll: bool = True) -> AwaitComplete:
        """Show the grade of the answer: verdict, marks on the rows, feedback, explanation.

        Accepts a `Result` or a practice check's `CheckFeedback`. The answer is locked; in a
        check whose result allows it, the learner may then try again. The scrolling area is
        scrolled to bring the feedback into view unless `scroll` is False. Await the returned
        object to wait until the feedback is mounted.
        """
        had_focus = self.has_focus_within
        self.result = result
        self.waiting = False
        self.following = scroll
        self._say(None)
        self.answer_input.locked = True
        marks: dict[str, bool] = {}
        for item in result.feedback:
            marks[item.ref] = marks.get(item.ref, True) and item.right
        self.answer_input.show_marks(marks)
        one_choice = isinstance(self.question, SingleQuestion | TrueFalseQuestion)
        if one_choice and result.verdict is not Verdict.PARTLY:
            self.answer_input.show_verdict_mark(result.verdict is Verdict.RIGHT)
        self._sync()
        self._refocus(had_focus)
        shown = self.feedback.show(result)

        async def _show_and_scroll() -> None:
            await shown
            if scroll:
                self.call_after_refresh(self._scroll_to_feedback)

        return AwaitComplete(_show_and_scroll())

    def show_answer(
        self, line: str, feedback: tuple[Feedback, ...] | None = None
    ) -> AwaitComplete:
        """Show the accepted answer of a check the learner gave up on, with the explanation.

        `line` words the answer ("The answer: ..."). The learner's last try stays, with its
        marks and verdict: it is what they answered; `feedback` replaces what was said about it
        (now that nothing need be held back). Nothing can be changed afterwards. Await the
        returned object to wait until the answer is mounted and scrolled into view.
        """
        had_focus = self.has_focus_within
        self.read_only = True
        self.waiting = False
        self._say(None)
        self.answer_input.locked = True
        self._sync()
        self._refocus(had_focus)
        question = self.question
        shown = self.feedback.show_answer(line, question.explanation, question.refs, feedback)

        async def _show_and_scroll() -> None:
            await shown
            # After the next refresh, once the explanation below it has its height: the answer
            # at the top, with as much of what follows as fits.
            for answer in self.feedback.query(".answer"):
                self.call_after_refresh(answer.scroll_visible, animate=False, top=True)

        return AwaitComplete(_show_and_scroll())

    def _scroll_to_feedback(self) -> None:
        """Bring the feedback into view: all of it, or its top when it is taller than the view.

        Called after each layout while the feedback settles: it takes more than one, as the
        scroll bar it brings narrows the text, which then wraps onto more lines.
        """
        if not self.following:
            return
        self.feedback.scroll_visible(animate=False)
        self.call_after_refresh(self._stop_following, self.size)

    def _stop_following(self, size: Size) -> None:
        """Stop keeping the feedback in view once a refresh has left the view's size alone."""
        if self.size == size:
            self.following = False

    def on_resize(self) -> None:
        """Keep new feedback in view while it is laid out."""
        if self.following:
            self.call_after_refresh(self._scroll_to_feedback)

    def show_error(self, message: str) -> None:
        """Show a problem with the answer (an AnswerError from grading) and let it be changed."""
        self.waiting = False
        self._say(message)
        self._sync()

    def reset_for_retry(self) -> AwaitComplete:
        """Clear the result and let the learner answer again (practice checks only).

        Ignored in quiz and review modes, and for a question shown read-only: there an answer
        is final. What the last try entered is cleared: the new try starts as the question
        first did, not from the last one's text, ticks, pairings or order.
        """
        if self.mode != "check" or self.read_only:
            return AwaitComplete.nothing()
        had_focus = self.has_focus_within
        self.result = None
        self.waiting = False
        self.following = False
        self._say(None)
        self.answer_input.reset()
        self.answer_input.locked = False
        self.answer_input.clear_marks()
        self._sync()
        cleared = self.feedback.clear()
        self._refocus(had_focus)
        return cleared

    # --- What the learner does ---------------------------------------------------------------

    def action_submit(self) -> None:
        """Build the answer and post it, or say what is missing."""
        if not self.answerable or self.waiting:
            return
        try:
            answer = self.answer_input.build()
        except AnswerError as error:
            self._say(error.message)
            return
        self._say(None)
        self.waiting = True
        self._sync()
        self.post_message(self.Answered(self.question.id, answer, self.hint_used, view=self))

    def action_hint(self) -> None:
        """Show the hint, once, and tell the screen (the hint's use is recorded)."""
        if not self.has_hint or self.hint_used or not self.answerable:
            return
        self.hint_used = True
        had_focus = self.has_focus_within
        self.hint_box.add_class("-shown")
        self._sync()
        self._refocus(had_focus)
        self.post_message(self.HintShown(self.question.id, view=self))
        self.call_after_refresh(self.hint_box.scroll_visible, animate=False)

    def action_retry(self) -> None:
        """Try a practice check again: clear the result and what the last try entered."""
        if not self.can_retry:
            return
        self.reset_for_retry()
        # The learner asked to answer again: what they type next goes into the answer,
        # wherever the focus was (a wrong try locks the answer, and the focus may have left).
        target = self.answer_input.focus_target
        if target.focusable:
            target.focus()
        self.post_message(self.RetryStarted(self.question.id, view=self))

    @on(Button.Pressed, ".submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, ".hint-button")
    def _hint_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_hint()

    @on(Button.Pressed, ".retry")
    def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_retry()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(AnswerInput.Changed)
    def _answer_changed(self, event: AnswerInput.Changed) -> None:
        event.stop()
        self._say(None)

    @on(AnswerInput.Noted)
    def _answer_noted(self, event: AnswerInput.Noted) -> None:
        event.stop()
        self._say(event.text, note=True)


__all__ = ["Mode", "QuestionView", "answer_input_for", "instruction_for"]

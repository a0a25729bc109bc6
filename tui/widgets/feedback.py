"""The result of one answer as the learner sees it: verdict, feedback, explanation and sources.

The verdict is shown by a mark and a word as well as a colour (✓ Right, ✗ Wrong, ◐ Partly
right), so it reads the same with NO_COLOR or a monochrome theme. Feedback and explanation are
Markdown; the texts they are about (an option, an item) are escaped so they show literally.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown, Static

from course.material.markdown_text import escape_markdown
from quizzes.grading import Feedback, Result, Verdict
from quizzes.points import score_text
from quizzes.practice import CheckFeedback
from quizzes.presentation import Presentation
from quizzes.questions import Question
from quizzes.wording import VERDICT_WORDS, feedback_lines
from tui.widgets.answer_input import mark_text

Shown = Result | CheckFeedback
"""What a view can show: a full Result, or the filtered feedback of a practice check."""

Cite = Callable[[str], str]
"""Turns a reference id into its short citation, e.g. `fda-ryoncil-2024` -> `FDA, 2024`."""

VERDICT_MARKS = {Verdict.RIGHT: "✓", Verdict.WRONG: "✗", Verdict.PARTLY: "◐"}
"""The mark of each verdict."""


def verdict_text(verdict: Verdict) -> str:
    """`✓ Right`, `✗ Wrong` or `◐ Partly right`."""
    return f"{VERDICT_MARKS[verdict]} {VERDICT_WORDS[verdict]}"


def sources_markdown(refs: Iterable[str], cite: Cite | None = None) -> str:
    """A Markdown line of `ref:` links, each labelled by `cite` (default: the id itself)."""
    links = [f"[{escape_markdown(cite(ref) if cite else ref)}](ref:{ref})" for ref in refs]
    return f"Sources: {' · '.join(links)}" if links else ""


class FeedbackLine(Widget):
    """One piece of feedback: a ✓ or ✗ mark, then what it is about and what it says."""

    DEFAULT_CSS = """
    FeedbackLine {
        layout: horizontal;
        height: auto;
        & > .mark { width: 2; text-style: bold; }
        & > .mark.-right { color: $text-success; }
        & > .mark.-wrong { color: $text-error; }
        & > Markdown { width: 1fr; }
    }
    """

    def __init__(self, about: str, right: bool, body: str) -> None:
        super().__init__()
        self.right = right
        self.markdown = f"**{escape_markdown(about)}**: {body}" if about else body

    def compose(self) -> ComposeResult:
        """Mark and Markdown."""
        yield Static(
            mark_text(self.right), classes="mark -right" if self.right else "mark -wrong"
        )
        yield Markdown(self.markdown, open_links=False)


class FeedbackView(Vertical):
    """Shows a Result (or a practice check's CheckFeedback); hidden while there is none.

    Links in the feedback, explanation and sources (`glossary:`, `ref:`) are not opened here:
    `Markdown.LinkClicked` bubbles up for the app to handle. Given the question and how it was
    shown, feedback is listed in the order the learner saw the options and items.
    """

    DEFAULT_CSS = """
    FeedbackView {
        height: auto;
        display: none;
        margin-top: 1;
        &.-shown { display: block; }
        & > .verdict { width: 1fr; padding: 0 1; text-style: bold; }
        & > .verdict.-right { color: $text-success; background: $success-muted; }
        & > .verdict.-wrong { color: $text-error; background: $error-muted; }
        & > .verdict.-partly { color: $text-warning; background: $warning-muted; }
        & > .feedback { height: auto; margin-top: 1; padding-left: 1; }
        & > .answer {
            width: 1fr;
            margin-top: 1;
            padding: 0 1;
            text-style: bold;
            color: $text-accent;
            background: $accent-muted;
        }
        & > .explanation { margin-top: 1; }
        & > .sources { margin-top: 1; color: $foreground-muted; }
        Markdown { padding: 0; margin: 0; }
        Markdown > MarkdownParagraph { margin: 0; }
        Markdown > MarkdownParagraph:last-child { margin: 0; }
    }
    """

    def __init__(
        self,
        *,
        cite: Cite | None = None,
        show_score: bool = True,
        question: Question | None = None,
        presentation: Presentation | None = None,
    ) -> None:
        super().__init__()
        self.cite = cite
        self.show_score = show_score
        self.question = question
        self.presentation = presentation
        self.shown: Shown | None = None
        self._lock = asyncio.Lock()

    def show(self, result: Shown) -> AwaitComplete:
        """Show `result` in place of anything shown before; await it to wait for the mount."""
        self.shown = result
        return AwaitComplete(self._replace(self._widgets(result)))

    def show_answer(
        self,
        line: str,
        explanation: str | None,
        refs: tuple[str, ...] = (),
        feedback: tuple[Feedback, ...] | None = None,
    ) -> AwaitComplete:
        """Show the accepted answer, labelled, under the learner's last try (if one is shown).

        For a learner who gave up on a practice check: `line` says the answer ("The answer:
        ..."); no verdict is given for it, since showing an answer is not answering. The last
        try keeps its own verdict, with `feedback` in place of what it showed when given. Await
        it to wait for the mount.
        """
        widgets: list[Widget] = []
        last = self.shown
        if last is not None:
            if feedback is not None:
                last = CheckFeedback(last.verdict, feedback, None, False)
            widgets = self._widgets(last, notes=False)
        widgets.append(Static(Content(line), classes="answer"))
        widgets += self._notes(explanation, refs)
        return AwaitComplete(self._replace(widgets))

    def clear(self) -> AwaitComplete:
        """Show nothing, and hide."""
        self.shown = None
        return AwaitComplete(self._replace([]))

    async def _replace(self, widgets: list[Widget]) -> None:
        # show() and clear() may be called without being awaited, one right after the other:
        # the lock keeps their mounts and removals in the order they were asked for.
        async with self._lock:
            await self.remove_children()
            if widgets:
                await self.mount_all(widgets)
            self.set_class(bool(widgets), "-shown")

    def _widgets(self, result: Shown, *, notes: bool = True) -> list[Widget]:
        """Verdict, feedback lines, and (with `notes`) the explanation and sources."""
        verdict = result.verdict
        line = verdict_text(verdict)
        if self.show_score and isinstance(result, Result):
            line += f" · {score_text(result.score, result.points)}"
        widgets: list[Widget] = [Static(Content(line), classes=f"verdict -{verdict.value}")]
        lines = [
            FeedbackLine(*line)
            for line in feedback_lines(result.feedback, self.question, self.presentation)
        ]
        if lines:
            widgets.append(Vertical(*lines, classes="feedback"))
        if notes:
            refs = result.refs if isinstance(result, Result) else ()
            widgets += self._notes(result.explanation, refs)
        return widgets

    def _notes(self, explanation: str | None, refs: tuple[str, ...]) -> list[Widget]:
        """The explanation and the sources, when there are any."""
        widgets: list[Widget] = []
        if explanation and explanation.strip():
            widgets.append(Markdown(explanation, open_links=False, classes="explanation"))
        if refs:
            sources = sources_markdown(refs, self.cite)
            widgets.append(Markdown(sources, open_links=False, classes="sources"))
        return widgets

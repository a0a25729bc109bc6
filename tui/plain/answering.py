"""Asking a question in the plain mode: the question shown, an answer read, the result said.

Used by practice checks (`tui.plain.lessons`), the module quiz (`tui.plain.quiz`) and the review
(`tui.plain.review`), so a question reads and is answered the same way everywhere. What is typed
for each type of question is read by `tui.plain.questions`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from course.material.markdown_text import escape_markdown
from quizzes.answers import Answer, AnswerError
from quizzes.grading import Feedback, Verdict
from quizzes.points import score_text
from quizzes.presentation import Presentation
from quizzes.questions import Question
from quizzes.wording import VERDICT_WORDS, feedback_lines
from tui.plain.core import Conversation, Nav
from tui.plain.questions import (
    answer_from_picks,
    instruction,
    is_one_at_a_time,
    item_labels,
    item_prompt,
    listing,
    read_all_picks,
    read_line,
    read_pick,
)


class Answering(Conversation):
    """The conversation, able to ask a question and say how the answer went."""

    def show_question(self, question: Question, presentation: Presentation) -> None:
        """The prompt (Markdown), the numbered options or items, and what to type."""
        sources: list[str] = []
        self.markdown(question.prompt, sources)
        self.show_sources(sources)
        for line in listing(question, presentation):
            self.out.line(line)
        self.out.line(instruction(question, presentation))

    def read_answer(
        self,
        question: Question,
        presentation: Presentation,
        actions: Mapping[str, Nav],
        commands: Mapping[str, str],
        hint: Callable[[], None],
    ) -> Answer | Nav:
        """Read an answer by the type's syntax; malformed lines are explained and asked again.

        A line that is exactly one of `actions` (`""` is Enter) returns that action instead;
        `h` shows the hint and asks again.
        """
        if is_one_at_a_time(question):
            labels = item_labels(question, presentation)
            picks: list[int] = []
            while len(picks) < len(labels):
                first = not picks
                text = self.ask(item_prompt(question, labels[len(picks)], presentation), commands)
                key = text.casefold()
                if key == "h":
                    hint()
                    continue
                if key in actions and (key or first):
                    return actions[key]
                try:
                    every = read_all_picks(question, text, len(labels)) if first else None
                    if every is not None:
                        return answer_from_picks(question, presentation, every)
                    picks.append(read_pick(question, text))
                except AnswerError as exc:
                    self.out.line(exc.message)
            return answer_from_picks(question, presentation, picks)
        while True:
            text = self.ask("Your answer: ", commands)
            key = text.casefold()
            if key == "h":
                hint()
                continue
            if key in actions:
                return actions[key]
            try:
                return read_line(question, presentation, text)
            except AnswerError as exc:
                self.out.line(exc.message)

    def show_hint(self, question: Question) -> None:
        """The hint, or that there is none."""
        if question.hint:
            sources: list[str] = []
            self.out.line("Hint:")
            self.markdown(question.hint, sources)
            self.show_sources(sources)
        else:
            self.out.line("This question has no hint.")

    def show_result(
        self,
        verdict: Verdict,
        feedback: Sequence[Feedback],
        explanation: str | None,
        refs: Sequence[str],
        score: tuple[float, float] | None = None,
        *,
        asked: tuple[Question, Presentation] | None = None,
    ) -> None:
        """Verdict in words (with the score in a quiz), each piece of feedback, explanation.

        Given the question and how it was `asked`, feedback follows the order options were shown.
        """
        line = f"{VERDICT_WORDS[verdict]}."
        if score is not None:
            line += f" {score_text(*score)}."
        self.out.verdict(line, verdict)
        sources: list[str] = []
        # The right answer given as a whole after feedback on each part (the correct order) is
        # no part of the learner's answer: it gets no right-or-not mark of its own.
        parts, solution = list(feedback), []
        if any(f.ref != "answer" for f in parts):
            solution = [f for f in parts if f.ref == "answer" and f.reveals_answer]
            parts = [f for f in parts if f not in solution]
        for about, right, text in feedback_lines(parts, *(asked or ())):
            mark = "right" if right else "not right"
            lead = f"- {escape_markdown(about)} ({mark}): " if about else "- "
            self.markdown(lead + text.strip(), sources)
        for item in solution:
            self.markdown(f"- {escape_markdown(item.about)}: {item.text.strip()}", sources)
        if explanation and explanation.strip():
            self.markdown(explanation, sources)
        for ref in refs:
            if ref not in sources:
                sources.append(ref)
        self.show_sources(sources)

    def command_line(self, question: Question, *, check: bool, back: bool = False) -> str:
        """The short reminder of the commands under a question."""
        parts = []
        if question.hint:
            parts.append("h hint")
        if check:
            parts += ["a answer (after a try)", "Enter skips"]
            if back:
                parts.append("b back")
        parts += ["r repeat", "m map", "q quit", "? help"]
        return "Also: " + ", ".join(parts) + "."

"""Lessons in the plain mode: each step in turn, practice checks and scenarios answered in place."""

from __future__ import annotations

from typing import Any

from course.material.markdown_text import escape_markdown
from course.material.model import CalloutStep, CheckStep, Lesson, Module, ScenarioStep
from course.words import sentence
from quizzes.answers import AnswerError
from quizzes.practice import PracticeCheck
from quizzes.questions import Question
from quizzes.scenario import Scenario, ScenarioWalk
from quizzes.wording import answer_line, feedback_lines
from tui.plain.answering import Answering
from tui.plain.core import Nav, Target, span
from tui.plain.questions import instruction

CALLOUT_LABELS = {"key": "Key point", "note": "Note", "warning": "Warning", "myth": "Myth and fact"}


class Lessons(Answering):
    """The conversation, able to walk a lesson."""

    def lesson(self, module: Module, lesson: Lesson, step: int) -> Target:
        """Read a lesson step by step; checks and scenarios are answered in place."""
        total = len(lesson.steps)
        step = max(0, min(step, total - 1))
        self.study.start_studying()  # the time on the map and menus is not study of the module
        self.out.heading(f"{module.title}: {lesson.title}")
        while True:
            nav = self.show_step(module, lesson, step)
            if nav is Nav.MAP:
                self.record_time(module.id)
                return None
            if nav is Nav.BACK:
                self.record_time(module.id)
                if step > 0:
                    step -= 1
                continue
            self.record_time(module.id)
            if step < total - 1:
                step += 1
            else:
                return self.finish_lesson(module, lesson)

    def show_step(self, module: Module, lesson: Lesson, step: int) -> Nav:
        """Show one step, save that it was reached, and return where the learner goes next."""
        total = len(lesson.steps)
        content = lesson.steps[step]
        while True:
            self.out.heading(f"Step {step + 1} of {total}")
            self.save(self.study.reach_step, module, lesson, step)
            nav: Nav | None = None
            if isinstance(content, CheckStep):
                nav = self.practice(module, lesson, content.check, first=step == 0)
            elif isinstance(content, ScenarioStep):
                nav = self.scenario(content.scenario, first=step == 0)
            else:
                self.show_content(content)
            if nav is None:
                nav = self.step_prompt(step, total)
            if nav is not Nav.REPEAT:
                return nav

    def show_content(self, content: Any) -> None:
        """A text or callout step, with the sources it cites listed after it."""
        sources: list[str] = []
        if isinstance(content, CalloutStep):
            callout = content.callout
            label = CALLOUT_LABELS[callout.kind]
            self.out.line(f"{label}: {callout.title}" if callout.title else f"{label}:")
            self.markdown(callout.text, sources)
        else:
            self.markdown(content.text, sources)
        self.show_sources(sources)

    def step_prompt(self, step: int, total: int) -> Nav:
        """After a step: Enter for next, b back, m map, r read it again."""
        forward = "to finish the lesson" if step == total - 1 else "for the next step"
        commands = {"Enter or n": forward.removeprefix("to ").removeprefix("for "),
                    # Listed at the first step too: b is understood there, and says so.
                    "b": "the step before" if step > 0
                    else "the step before (there is none: this is the first step)",
                    "r": "read this step again", "m": "the course map"}
        back = ", b back" if step > 0 else ""
        prompt = f"Enter {forward}{back}, m map, q quit: "
        while True:
            text = self.ask(prompt, commands).casefold()
            if text in ("", "n"):
                return Nav.NEXT
            if text == "b":
                if step > 0:
                    return Nav.BACK
                self.out.line("This is the first step of the lesson.")
            elif text == "m":
                return Nav.MAP
            elif text == "r":
                return Nav.REPEAT
            else:
                self.out.line(f"Press Enter {forward}, or type b, m, r, ? or q.")

    def finish_lesson(self, module: Module, lesson: Lesson) -> Target:
        """Record the lesson as done and go on to the next lesson or the quiz (as the app does)."""
        self.save(self.study.complete_lesson, module, lesson)
        done = self.study.after_lesson(module, lesson)
        self.out.line()
        self.out.line(done.complete)
        if done.module_passed:
            self.out.line(sentence(f"Module passed: {module.title}") + self.opened_words(module))
        if done.note:
            self.out.line(done.note)
        self.save(self.study.go_on, done.next_place)
        return done.next_place

    # --- practice checks ---------------------------------------------------------------

    def practice(
        self, module: Module, lesson: Lesson, question: Question, *, first: bool
    ) -> Nav | None:
        """A practice check: feedback after each try, retry until right or `a` shows the answer.

        Returns a Nav when the learner moved on before the check was over, None once it is.
        """
        check = PracticeCheck(question, self.learner)
        self.out.line("Practice question: not graded, try as often as you like.")
        self.show_question(question, check.presentation)
        actions = {"": Nav.NEXT, "a": Nav.REVEAL, "m": Nav.MAP, "r": Nav.REPEAT}
        commands = {"your answer": instruction(question, check.presentation),
                    "h": "the hint" if question.hint else "the hint (this question has none)",
                    "a": "give up and see the answer (after a try)",
                    "r": "read the question again",
                    "Enter": "skip this question and go to the next step",
                    "m": "the course map"}
        if not first:
            actions["b"] = Nav.BACK
            commands["b"] = "the step before"

        def hint() -> None:
            check.use_hint()
            self.show_hint(question)

        self.out.line(self.command_line(question, check=True, back=not first))
        while True:
            got = self.read_answer(question, check.presentation, actions, commands, hint)
            if got is Nav.REPEAT:
                self.show_question(question, check.presentation)
                continue
            if got is Nav.REVEAL:
                if not check.tries:
                    self.out.line("Have a try first; after a try, a shows the answer.")
                    continue
                self.reveal(check)
                return None
            if isinstance(got, Nav):
                return got
            try:
                shown = check.attempt(got)
            except AnswerError as exc:
                self.out.line(exc.message)
                continue
            result = check.tries[-1]
            # Saved before the learner sees the feedback: what is shown has been kept.
            # Only the first try schedules the question for review (see course.record.review).
            self.save(self.study.record_check, module, lesson, check, got, answer=True)
            self.record_time(module.id)
            self.show_result(shown.verdict, shown.feedback, shown.explanation,
                             result.refs if not shown.can_retry else (),
                             asked=(question, check.presentation))
            if not shown.can_retry:
                return None
            self.out.line("Not quite. Type another answer to try again, a to see the answer,"
                          " or Enter to move on.")

    def reveal(self, check: PracticeCheck) -> None:
        """End a check and show its answer, labelled as such, with the explanation.

        The learner's tries stay recorded as they were: seeing the answer is not answering.
        """
        question = check.question
        check.reveal()
        sources: list[str] = []
        # What the last try's feedback held back about its parts, now the answer is out.
        held_back = [item for item in check.feedback_with_answer() if item.reveals_answer]
        for about, right, text in feedback_lines(held_back, question, check.presentation):
            mark = "right" if right else "not right"
            self.markdown(f"- {escape_markdown(about)} ({mark}): {text}", sources)
        self.out.line(answer_line(question, check.presentation))
        if question.explanation:
            self.markdown(question.explanation, sources)
        for ref in question.refs:
            if ref not in sources:
                sources.append(ref)
        self.show_sources(sources)

    # --- scenarios ---------------------------------------------------------------------

    def scenario(self, scenario: Scenario, *, first: bool) -> Nav:
        """Walk a branching scenario: numbered choices, b to take one back, r to start again."""
        walk = ScenarioWalk(scenario)
        self.out.line(f"Scenario: {scenario.title}")
        while True:
            sources: list[str] = []
            if walk.steps:
                self.out.line("Your path: " + " → ".join(s.label for s in walk.steps))
            node = walk.node
            if walk.at_end:
                self.out.line("An ending:")
                self.markdown(walk.ending or "", sources)
                self.show_sources(sources)
                nav = self.scenario_ending(walk)
                if nav is not None:
                    return nav
                continue
            self.markdown(node.text or "", sources)
            self.show_sources(sources)
            for number, choice in enumerate(node.choices, start=1):
                self.out.line(f"{number}. {choice.label}")
            count = len(node.choices)
            back = "b step back, " if walk.can_go_back or not first else ""
            commands = {"a number": "take that choice", "Enter": "skip to the next step",
                        "b": "take back your last choice (at the start: the step before)",
                        "r": "start the scenario again", "m": "the course map"}
            while True:
                text = self.ask(f"Choice ({span(count)}), {back}Enter skips, m map, q quit: ",
                                commands).casefold()
                if text == "":
                    return Nav.NEXT
                if text == "m":
                    return Nav.MAP
                if text == "b":
                    if walk.can_go_back:
                        walk.back()
                        break
                    if not first:
                        return Nav.BACK
                    self.out.line("This is the start of the scenario and of the lesson.")
                    continue
                if text == "r":
                    walk.restart()
                    break
                if text.isdigit() and 1 <= int(text) <= count:
                    walk.choose(int(text) - 1)
                    break
                self.out.line(f"Type the number of a choice ({span(count)}).")

    def scenario_ending(self, walk: ScenarioWalk) -> Nav | None:
        """At an ending: NEXT or MAP to leave, None after stepping back or starting again."""
        commands = {"Enter or n": "the next step", "b": "take back your last choice",
                    "r": "start the scenario again", "m": "the course map"}
        while True:
            text = self.ask("Enter for the next step, b take back your last choice,"
                            " r start again, m map, q quit: ", commands).casefold()
            if text in ("", "n"):
                return Nav.NEXT
            if text == "m":
                return Nav.MAP
            if text == "b":
                walk.back()
                return None
            if text == "r":
                walk.restart()
                return None
            self.out.line("Press Enter for the next step, or type b, r, m, ? or q.")

"""A learner's walk through a whole course in the real app, planned from the course's YAML.

The walk presses only the keys a learner presses and reads only the screen. It knows what to
press from the course itself (see journey_answers), so it stays true when the content changes and
can walk any course an author writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from journey_answers import Plan, keys, opening, right, wrong
from journey_terminal import Terminal, contains_words, words_of

from course.material.model import (
    CalloutStep,
    CheckStep,
    Course,
    Lesson,
    Module,
    ScenarioStep,
    TextStep,
)
from course.record.review import questions_of, review_presentation
from quizzes.grading import Verdict, grade
from quizzes.presentation import present
from quizzes.questions import OrderQuestion, Question
from quizzes.scenario import Scenario
from quizzes.session import QuizSession
from quizzes.wording import feedback_lines

ROW = re.compile(r"^\W*?(?P<pointer>›)?\s*(?P<number>\d+)\.\s+(?P<text>\S.*?)\s*[✓✗]?\s*$")
VERDICTS = {Verdict.RIGHT: "✓ Right", Verdict.WRONG: "✗ Wrong", Verdict.PARTLY: "◐ Partly"}


@dataclass
class Tally:
    """What the walk did, to say in the test's output how much of the course it covered."""

    steps: int = 0
    checks: int = 0
    types: set[str] = field(default_factory=set)
    endings: int = 0
    quiz_answers: int = 0

    def __str__(self) -> str:
        return (f"{self.steps} steps, {self.checks} checks ({len(self.types)} types), "
                f"{self.endings} scenario endings, {self.quiz_answers} quiz answers")


class AppWalk:
    """Walks `course` in the app running in `term`, as `learner`."""

    def __init__(self, term: Terminal, course: Course, learner: str) -> None:
        self.term = term
        self.course = course
        self.learner = learner
        self.tally = Tally()
        self.attempts: dict[str, int] = {}
        self.give_up: set[str] = set()
        """Checks to give up on after the wrong try: `a` shows the answer instead of a retry."""

    # --- the way in ------------------------------------------------------------------------

    def start_fresh(self) -> None:
        """The welcome of a first visit, then the map."""
        self.term.wait_for("Start the course")
        self.term.press("enter", expect="Continue where you left off")

    def continue_(self, where: str) -> None:
        """`c` on the map: back to the place to continue, which must show `where`."""
        self.term.wait_for("Continue where you left off")
        self.term.press("c", expect=where)

    # --- lessons ---------------------------------------------------------------------------

    def lesson(self, lesson: Lesson, *, first_step: int = 0, stop_at: int | None = None) -> None:
        """Read a lesson from `first_step` to its end (or up to step `stop_at`, not taken)."""
        total = len(lesson.steps)
        for number in range(first_step, total):
            counter = f"step {number + 1} of {total}"
            self.term.wait_for(counter)
            if number == stop_at:
                return
            self.step(lesson.steps[number])
            self.tally.steps += 1
            self.term.press("n")

    def step(self, step: object) -> None:
        """Check the step is shown, and do what it asks."""
        term = self.term
        if isinstance(step, TextStep):
            term.wait_for(opening(step.text))
        elif isinstance(step, CalloutStep):
            term.wait_for(opening(step.callout.text))
        elif isinstance(step, CheckStep):
            self.check(step.check)
        elif isinstance(step, ScenarioStep):
            self.scenario(step.scenario)

    def check(self, question: Question) -> None:
        """A practice check answered wrong, then tried again and answered right."""
        term = self.term
        term.wait_for(opening(question.prompt))
        shown = present(question, self.learner)
        missed = wrong(question, shown)
        self.answer(missed)
        self.feedback(missed, practice=True)
        if question.id in self.give_up:
            term.press("a", expect="answer")
            # Showing the answer is not answering it: no verdict of right, no points.
            assert not term.shows("✓ Right"), term.text()
            assert not term.shows("1 of 1 point"), term.text()
            self.tally.checks += 1
            self.tally.types.add(question.type)
            return
        term.press("r")
        # As a person would: type again once the last try's verdict has gone from the screen.
        shown_verdict = VERDICTS[missed.verdict()]
        term.wait_until(lambda: not term.shows(shown_verdict), "the check ready to try again")
        hit = right(question, shown)
        self.answer(hit)
        self.feedback(hit, practice=True)
        self.tally.checks += 1
        self.tally.types.add(question.type)

    def answer(self, plan: Plan) -> None:
        """Give the planned answer and submit it."""
        if isinstance(plan.question, OrderQuestion):
            self.reorder(plan.question, list(plan.order))
            self.term.press("enter")
        else:
            self.term.press(*keys(plan))

    def reorder(self, question: OrderQuestion, target: list[int]) -> None:
        """Move the items, reading their order and the highlight off the screen each time."""
        term = self.term
        for _ in range(4 * len(target) ** 2):
            current, highlight = self.order_on_screen(question)
            if current == target:
                return
            place = next(i for i, (a, b) in enumerate(zip(current, target, strict=True))
                         if a != b)
            at = current.index(target[place])
            if highlight != at:
                term.press("down" if at > highlight else "up")
            else:
                term.press("shift+up")
        raise AssertionError(f"could not put the items in order:\n{term.text()}")

    def order_on_screen(self, question: OrderQuestion) -> tuple[list[int], int]:
        """The items' authored indexes in the order shown, and the highlighted place, once
        every item is drawn."""
        self.term.wait_until(lambda: self._order_drawn(question) is not None,
                             "every item of the order question", seconds=10)
        found = self._order_drawn(question)
        assert found is not None
        return found

    def _order_drawn(self, question: OrderQuestion) -> tuple[list[int], int] | None:
        """The order and highlight as the screen shows them; None while an item is missing."""
        rows: dict[int, int] = {}
        highlight = 0
        by_length = sorted(enumerate(question.items), key=lambda pair: -len(pair[1]))
        for line in self.term.text().splitlines():
            found = ROW.match(line)
            if not found:
                continue
            text = " ".join(found["text"].split())
            for index, item in by_length:
                if text.startswith(" ".join(item.split())[:40]):
                    place = int(found["number"]) - 1
                    rows[place] = index
                    if found["pointer"]:
                        highlight = place
                    break
        order = [rows[place] for place in sorted(rows)]
        if sorted(order) != list(range(len(question.items))):
            return None
        return order, highlight

    def feedback(self, plan: Plan, *, practice: bool) -> None:
        """The verdict, each piece of feedback and the explanation, reached by scrolling."""
        result = grade(plan.question, plan.answer())
        term = self.term
        term.wait_for(VERDICTS[result.verdict])
        kept = [item for item in result.feedback
                if not (practice and not result.is_right and item.reveals_answer)]
        # In the order the learner sees them: the parts as shown, one line a part.
        wanted = [line.text for line in feedback_lines(kept, plan.question, plan.shown)]
        if result.explanation and (result.is_right or not practice):
            wanted.append(result.explanation)
        for text in wanted:
            term.scroll_to(opening(text, 3))

    def scenario(self, scenario: Scenario) -> None:
        """Every ending of the scenario, reached by choosing and stepping back."""
        term = self.term
        term.wait_for(scenario.title)
        explored: set[str] = set()

        def visit(name: str, depth: int) -> None:
            node = scenario.nodes[name]
            if node.end is not None and not node.choices:
                term.scroll_to(opening(node.end))
                self.tally.endings += 1
                return
            term.scroll_to(opening(node.text or ""))
            for number, choice in enumerate(node.choices, start=1):
                if choice.goto in explored:
                    continue
                term.press(str(number))
                visit(choice.goto, depth + 1)
                explored.add(choice.goto)
                term.press("backspace")
                term.scroll_to(opening(node.text or ""), key="pageup")
            explored.add(name)

        visit(scenario.start, 0)

    # --- quizzes ---------------------------------------------------------------------------

    def session(self, module: Module) -> QuizSession:
        """The quiz as the app starts it for this learner, attempt by attempt."""
        quiz = module.quiz
        assert quiz is not None
        attempt = self.attempts.get(module.id, 0) + 1
        return QuizSession.start(quiz.questions, quiz_id=f"{self.course.id}/{module.id}",
                                 learner=self.learner, pass_mark=self.course.pass_mark(module),
                                 draw=quiz.draw, shuffle=quiz.shuffle, attempt=attempt)

    def quiz(self, module: Module, *, answer_right: bool, stop_after: int | None = None) -> None:
        """Take the module quiz from its start; all right or all wrong; then the results."""
        session = self.session(module)
        self.quiz_questions(module, session, 0, answer_right=answer_right, stop_after=stop_after)

    def quiz_questions(self, module: Module, session: QuizSession, first: int, *,
                       answer_right: bool, stop_after: int | None = None) -> None:
        """Answer the quiz's questions from number `first` (0-based) on."""
        term = self.term
        total = len(session.question_ids)
        if first == 0:
            term.wait_until(lambda: term.shows(f"question 1 of {total}") or term.shows("quiz"),
                            "the quiz")
            if not term.shows(f"question 1 of {total}"):
                term.press("enter")  # the quiz's introduction
        for index in range(first, total):
            question = session.questions[index]
            term.wait_for(f"question {index + 1} of {total}")
            if index == stop_after:
                return
            term.wait_for(opening(question.prompt))
            shown = session.presentation(question.id)
            plan = right(question, shown) if answer_right else wrong(question, shown)
            self.answer(plan)
            self.feedback(plan, practice=False)
            self.tally.quiz_answers += 1
            term.press("n")
        self.attempts[module.id] = self.attempts.get(module.id, 0) + 1
        term.wait_for(f"{module.title}: quiz results" if len(module.title) < 40
                      else "quiz results")
        passed = "Passed" if answer_right else "Not passed"
        term.wait_for(passed)
        # Every question is reviewed on the results screen, each reached with the scroll keys.
        for question in session.questions:
            term.scroll_to(opening(question.prompt, 3))


    # --- review ----------------------------------------------------------------------------

    def review(self, moment: datetime, most: int) -> int:
        """Answer the questions due (at most `most`), each right, on the study day of `moment`;
        how many were due.

        Which question is asked is read off the screen (its prompt); the options' order is the
        review's own for that day (`course.record.review.review_presentation`).
        """
        term = self.term
        term.wait_until(lambda: term.shows("question 1 of") or term.shows("Nothing is due"),
                        "the review")
        found = re.search(r"question 1 of (\d+)", term.text())
        total = int(found.group(1)) if found else 0
        asked = questions_of(self.course)
        candidates = [item.question for item in asked.values()]
        for number in range(1, min(total, most) + 1):
            term.wait_for(f"question {number} of {total}")
            term.wait_until(lambda: self.prompt_words(self.best_match(candidates)) >= 3,
                            "the question's prompt")
            question = self.best_match(candidates)
            plan = right(question, review_presentation(question, self.learner, moment))
            self.answer(plan)
            self.feedback(plan, practice=False)
            term.press("n")
        return total

    def prompt_words(self, question: Question) -> int:
        """How many of the first words of the question's prompt the screen shows, in order."""
        screen = self.term.words()
        words = words_of(opening(question.prompt, 12))
        count = len(words)
        while count and not contains_words(screen, words[:count]):
            count -= 1
        return count

    def best_match(self, questions: list[Question]) -> Question:
        """The question whose prompt the screen shows (the longest match of its opening)."""
        return max(questions, key=self.prompt_words)


def course_at(path: Path) -> Course:
    """The course model, as the app reads it."""
    from course.material.loader import load_course

    result = load_course(path)
    assert result.course is not None, result.problems
    return result.course

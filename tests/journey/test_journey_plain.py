"""The whole journey through `ivstem --plain`, with the learner's answers piped in.

The lines typed are planned from the course's YAML (journey_answers), as the app's journey plans
its keys; the transcript is then read for every verdict, explanation, ending and result.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from journey_answers import Plan, lines, opening, right, wrong
from journey_terminal import IVSTEM, contains_words, words_of
from journey_walk import course_at

from course.material.model import CheckStep, Course, Lesson, Module, ScenarioStep
from quizzes.grading import grade
from quizzes.presentation import present
from quizzes.scenario import Scenario
from quizzes.session import QuizSession
from quizzes.wording import feedback_lines

SHIPPED = Path(__file__).parents[2] / "course" / "content" / "iv-stem-cell-therapy"
LEARNER = "walker"


class Script:
    """The lines a learner types, and the words each answer must bring to the transcript."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.typed: list[str] = []
        self.expected: list[str] = []
        self.attempts: dict[str, int] = {}

    def lesson(self, lesson: Lesson, *, first_step: int = 0, stop_at: int | None = None) -> None:
        """Every step from `first_step`; Enter after each; stops before step `stop_at`."""
        for number in range(first_step, len(lesson.steps)):
            if number == stop_at:
                return
            step = lesson.steps[number]
            if isinstance(step, CheckStep):
                self.check(step)
            elif isinstance(step, ScenarioStep):
                self.scenario(step.scenario)
                continue  # Enter at the scenario's first node already moved on
            else:
                self.expected.append(opening(getattr(step, "text", None)
                                             or step.callout.text))  # type: ignore[union-attr]
            self.typed.append("")

    def check(self, step: CheckStep) -> None:
        """Wrong first, then right: the plain mode asks again after a miss."""
        question = step.check
        shown = present(question, LEARNER)
        self.answer(wrong(question, shown), practice=True)
        self.answer(right(question, shown), practice=True)

    def answer(self, plan: Plan, *, practice: bool) -> None:
        """Type the plan; expect its verdict, feedback and (when shown) the explanation."""
        self.typed += lines(plan)
        result = grade(plan.question, plan.answer())
        self.expected.append(result.verdict.value.capitalize() if result.verdict.value != "partly"
                             else "Partly right")
        kept = [item for item in result.feedback
                if not (practice and not result.is_right and item.reveals_answer)]
        for line in feedback_lines(kept, plan.question, plan.shown):
            self.expected.append(opening(line.text, 3))
        if result.explanation and (result.is_right or not practice):
            self.expected.append(opening(result.explanation))

    def scenario(self, scenario: Scenario) -> None:
        """Every ending, by choosing and taking back; Enter at the start moves on."""
        explored: set[str] = set()

        def visit(name: str) -> None:
            node = scenario.nodes[name]
            if node.end is not None and not node.choices:
                self.expected += ["An ending", opening(node.end)]
                return
            self.expected.append(opening(node.text or ""))
            for number, choice in enumerate(node.choices, start=1):
                if choice.goto in explored:
                    continue
                self.typed.append(str(number))
                visit(choice.goto)
                explored.add(choice.goto)
                self.typed.append("b")
            explored.add(name)

        visit(scenario.start)
        self.typed.append("")

    def quiz(self, module: Module, *, answer_right: bool, first: int = 0,
             stop_after: int | None = None) -> QuizSession:
        """The quiz's questions from `first`, Enter after each, and the results' words."""
        quiz = module.quiz
        assert quiz is not None
        attempt = self.attempts.get(module.id, 0) + 1
        session = QuizSession.start(quiz.questions, quiz_id=f"{self.course.id}/{module.id}",
                                    learner=LEARNER, pass_mark=self.course.pass_mark(module),
                                    draw=quiz.draw, shuffle=quiz.shuffle, attempt=attempt)
        for index in range(first, len(session.question_ids)):
            if index == stop_after:
                return session
            question = session.questions[index]
            shown = session.presentation(question.id)
            plan = right(question, shown) if answer_right else wrong(question, shown)
            self.expected.append(f"Question {index + 1} of {len(session.question_ids)}")
            self.answer(plan, practice=False)
            self.typed.append("")
        self.attempts[module.id] = attempt
        self.expected += [f"{module.title}: quiz results",
                          "Passed" if answer_right else "Not passed yet"]
        return session


def converse(data_dir: Path, typed: list[str]) -> str:
    """Run `ivstem --plain` with these lines piped in; the transcript, after a clean exit."""
    run = subprocess.run([IVSTEM, "--plain", "--learner", LEARNER, "--data-dir", str(data_dir)],
                         input="".join(f"{line}\n" for line in typed), capture_output=True,
                         text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert "\x1b[" not in run.stdout
    return run.stdout


def assert_said(transcript: str, expected: list[str]) -> None:
    """Every expected phrase is in the transcript, in the order expected."""
    said = words_of(transcript)
    at = 0
    for phrase in expected:
        needle = words_of(phrase)
        found = next((i for i in range(at, len(said) - len(needle) + 1)
                      if said[i:i + len(needle)] == needle), None)
        assert found is not None, (f"{phrase!r} is not said after word {at}; near there:\n"
                                   f"{' '.join(said[max(0, at - 40):at + 80])}")
        at = found + len(needle)


def test_the_whole_shipped_course_through_the_plain_mode(tmp_path: Path) -> None:
    course = course_at(SHIPPED)
    first = Script(course)
    first.typed.append("")  # the map: Enter continues (to the first lesson)
    mid_lesson = course.modules[0].lessons[1]
    for lesson in course.modules[0].lessons[:1]:
        first.lesson(lesson)
    first.lesson(mid_lesson, stop_at=2)
    first.typed.append("q")
    transcript = converse(tmp_path, first.typed)
    assert_said(transcript, first.expected)

    # The next day: Enter continues at the step where the learner quit.
    again = Script(course)
    again.attempts = first.attempts
    again.typed.append("")
    again.expected.append(f"Step 3 of {len(mid_lesson.steps)}")
    again.lesson(mid_lesson, first_step=2)
    for number, module in enumerate(course.modules):
        lessons = module.lessons[2:] if number == 0 else module.lessons
        for lesson in lessons:
            again.lesson(lesson)
        if number == 0:
            again.quiz(module, answer_right=False)
            again.typed.append("t")
            again.quiz(module, answer_right=True)
        elif number == 1:
            again.quiz(module, answer_right=True, stop_after=3)
            again.typed.append("q")
            break
        else:  # pragma: no cover - the loop stops at the second module's quiz
            raise AssertionError
        again.typed.append("")  # the results: Enter for the map
        again.typed.append("")  # the map: Enter continues
    transcript = converse(tmp_path, again.typed)
    assert_said(transcript, again.expected)

    # And back to the middle of the quiz, then to the end of the course.
    last = Script(course)
    last.attempts = again.attempts
    last.typed.append("")
    last.expected.append("Welcome back: 3 of")
    last.quiz(course.modules[1], answer_right=True, first=3)
    last.typed += ["", ""]
    for module in course.modules[2:]:
        for lesson in module.lessons:
            last.lesson(lesson)
        if module.quiz is not None:
            last.quiz(module, answer_right=True)
            last.typed += ["", ""]
    last.expected.append("Every module is passed")
    last.typed.append("q")
    transcript = converse(tmp_path, last.typed)
    assert_said(transcript, last.expected)
    assert contains_words(words_of(transcript), ["Every", "module", "is", "passed"])

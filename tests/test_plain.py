"""`ivstem --plain`: the course as a conversation, answered by typing, driven through a pipe.

The expected option numbers are worked out here from the engine's own seeded presentation
(`present(question, learner)`), never from the plain mode's code, so a mix-up between the order
shown and the order typed would show up as a wrong answer in the store.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.markdown_text import markdown_text
from course.material.model import CheckStep, Course, Module
from course.record.progress import ProgressStore
from quizzes.answers import AnswerError, BoolAnswer, ChoiceAnswer, OrderAnswer, TextAnswer
from quizzes.presentation import Presentation, present
from quizzes.questions import (
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from quizzes.session import QuizSession
from tui.plain.output import RichOutput, wants_plain_text
from tui.plain.questions import read_all_picks, read_line, read_pick
from tui.plain.run import Start, run_plain

ROOT = Path(__file__).parent.parent
COURSE_DIR = Path(__file__).parent / "data" / "courses" / "plain"
BROKEN = Path(__file__).parent / "data" / "courses" / "broken" / "duplicate-key"
LEARNER = "t"
GOODBYE = "Your progress is saved; run ivstem --plain to continue."


@pytest.fixture(scope="module")
def course() -> Course:
    """The small course with every step kind, a scenario and every question type."""
    result = load_course(COURSE_DIR)
    assert result.course is not None, result.problems
    return result.course


def first_module(course: Course) -> Module:
    """The module that has everything."""
    return course.modules[0]


def check(course: Course, question_id: str) -> Question:
    """A practice check of the first module, by id."""
    for lesson in first_module(course).lessons:
        for step in lesson.steps:
            if isinstance(step, CheckStep) and step.check.id == question_id:
                return step.check
    raise KeyError(question_id)


def quiz_session(course: Course, attempt: int = 1) -> QuizSession:
    """The quiz as the plain mode starts it for LEARNER: same draw, order and presentations."""
    module = first_module(course)
    assert module.quiz is not None
    return QuizSession.start(module.quiz.questions, quiz_id=f"{course.id}/{module.id}",
                             learner=LEARNER, pass_mark=course.pass_mark(module),
                             draw=module.quiz.draw, shuffle=module.quiz.shuffle, attempt=attempt)


def right_lines(question: Question, shown: Presentation) -> list[str]:
    """What a learner types to answer right, computed from the presentation alone."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        numbers = sorted(shown.order.index(i) + 1 for i in question.correct_indexes)
        return [",".join(str(n) for n in numbers)]
    if isinstance(question, TrueFalseQuestion):
        return ["true" if question.answer else "false"]
    if isinstance(question, ShortQuestion):
        return [question.accept[0]]
    if isinstance(question, NumericQuestion):
        return [f"{question.answer:g}"]
    if isinstance(question, OrderQuestion):
        return [" ".join(str(shown.order.index(i) + 1) for i in range(len(question.items)))]
    if isinstance(question, MatchQuestion):
        return [str(shown.right_column.index(f"r{i}") + 1) for i in range(len(question.pairs))]
    assert isinstance(question, CategorizeQuestion)
    return [str(question.categories.index(question.items[i].category) + 1) for i in shown.order]


def wrong_lines(question: Question, shown: Presentation) -> list[str]:
    """A well-formed answer that earns nothing."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        wrong = next(i for i, o in enumerate(question.options) if not o.correct)
        return [str(shown.order.index(wrong) + 1)]
    if isinstance(question, TrueFalseQuestion):
        return ["f" if question.answer else "t"]
    if isinstance(question, ShortQuestion | NumericQuestion):
        return ["1999"]
    if isinstance(question, OrderQuestion):
        return [" ".join(str(shown.order.index(i) + 1)
                         for i in reversed(range(len(question.items))))]
    if isinstance(question, MatchQuestion):
        return [str(shown.right_column.index("d0") + 1),
                *(str(shown.right_column.index(f"r{i - 1}") + 1)
                  for i in range(1, len(question.pairs)))]
    assert isinstance(question, CategorizeQuestion)
    count = len(question.categories)
    return [str((question.categories.index(question.items[i].category) + 1) % count + 1)
            for i in shown.order]


def said(output: str) -> str:
    """The output with its wrapping undone, to look for sentences in it."""
    return " ".join(output.split())


def pipe(data_dir: Path, lines: Iterable[str], *, course: Path = COURSE_DIR
         ) -> subprocess.CompletedProcess[str]:
    """The real command, answers piped in."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--plain", "--course", str(course), "--learner",
         LEARNER, "--data-dir", str(data_dir)],
        input="".join(f"{line}\n" for line in lines), capture_output=True, text=True,
        env=env, cwd=ROOT, timeout=60, check=False,
    )


def converse(data_dir: Path, lines: Iterable[str], *, course: Path = COURSE_DIR
             ) -> tuple[int, str]:
    """The same conversation in this process (faster), for the finer points."""
    start = Start(course_dir=course, learner=LEARNER, data_dir=str(data_dir))
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    stdout = io.StringIO()
    status = run_plain(start, stdin=stdin, stdout=stdout)
    return status, stdout.getvalue()


def store(data_dir: Path) -> ProgressStore:
    """The learner's store, opened as the app opens it."""
    return ProgressStore.open(data_dir)


# The first lesson: text, callout, a single check, a scenario; the map's Enter continues.
OPEN_FIRST_LESSON = ["1", ""]


def whole_module_lines(course: Course) -> list[str]:
    """Every step of the first module, checks answered wrong then right, then the quiz."""
    single = check(course, "check-single")
    single_shown = present(single, LEARNER)
    order = check(course, "check-order")
    order_shown = present(order, LEARNER)
    match = check(course, "check-match")
    match_shown = present(match, LEARNER)
    lines = [
        *OPEN_FIRST_LESSON,
        "",  # step 1, text
        "",  # step 2, callout
        *wrong_lines(single, single_shown), "h", *right_lines(single, single_shown), "",
        "1", "b", "2", "1", "",  # scenario: Yes, take it back, No, Yes: an ending
        "",  # lesson 2, step 1
        "1 1 2", *right_lines(order, order_shown), "",  # malformed, then right
        # One pair right and one wrong: partly right; then give up and see the answer.
        right_lines(match, match_shown)[0], str(match_shown.right_column.index("d0") + 1), "a", "",
    ]
    session = quiz_session(course)
    for question in session.questions:
        shown = session.presentation(question.id)
        if isinstance(question, ShortQuestion):
            lines += ["h", *wrong_lines(question, shown), ""]
        else:
            lines += [*right_lines(question, shown), ""]
    return [*lines, "", "q"]  # results: Enter for the map; the map: q


# --- Through a pipe ---------------------------------------------------------------------------


def test_a_whole_module_piped_in_records_every_answer_and_opens_the_next_module(
    tmp_path: Path, course: Course
) -> None:
    run = pipe(tmp_path, whole_module_lines(course))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    out = said(run.stdout)
    assert "\x1b[" not in run.stdout
    assert "Practice question: not graded" in out
    assert "Wrong." in out and "Right." in out and "Partly right." in out
    assert "Hint: Think of signals." in out
    assert "Your path: No → Yes An ending: Perhaps a 361 HCT/P." in out
    assert "Item 1 is given twice: give each number once." in out
    assert "The answer: Autologous → From the patient's own body" in out
    assert "Lesson complete: Reading." in out and "Lesson complete: Practising." in out
    assert "Question 8 of 8" in out
    assert "Passed: " in out and "the pass mark is 50%" in out
    assert "Now open: “After the first”." in out
    assert "2. After the first: open, 0% done." in out
    assert "Continue where you left off: After the first, The only lesson, step 1 of 1." in out
    assert out.endswith(GOODBYE)

    with store(tmp_path) as record:
        checks = record.answers(LEARNER, course.id, where="check")
        assert [(a.question_id, a.score) for a in checks] == [
            ("check-single", 0.0), ("check-single", 1.0), ("check-order", 1.0),
            ("check-match", 0.5)]
        assert checks[1].hints_used == 1
        assert {(a.module_id, a.lesson_id) for a in checks} == {
            ("everything", "reading"), ("everything", "practising")}
        quiz = record.answers(LEARNER, course.id, where="quiz")
        assert len(quiz) == 8
        assert {a.question_id: a.score for a in quiz}["quiz-short"] == 0.0
        assert {a.question_id: a.hints_used for a in quiz}["quiz-short"] == 1
        assert all(a.score == 1.0 for a in quiz if a.question_id != "quiz-short")
        [attempt] = record.quiz_attempts(LEARNER, course.id, "everything")
        assert attempt.passed and attempt.points == 8.0
        assert record.passed_modules(LEARNER, course.id) == {"everything"}
        assert record.completed_lessons(LEARNER, course.id) == {
            ("everything", "reading"), ("everything", "practising")}
        assert record.steps_reached(LEARNER, course.id, "everything", "reading") == {0, 1, 2, 3}
        assert record.load_quiz_state(LEARNER, course.id, "everything") is None


def test_quitting_in_a_lesson_and_running_again_resumes_at_the_same_step(
    tmp_path: Path
) -> None:
    first = pipe(tmp_path, [*OPEN_FIRST_LESSON, "", "", "q"])  # quits at step 3, the check
    assert first.returncode == 0
    assert said(first.stdout).endswith(GOODBYE)
    with store(tmp_path) as record:
        position = record.position(LEARNER, "plain-course")
    assert position == {"module": "everything", "lesson": "reading", "step": 2}

    again = pipe(tmp_path, ["c", "q"])
    assert again.returncode == 0
    out = said(again.stdout)
    assert "A plain course Version 1.0" not in out  # the welcome is for the first visit
    assert "Continue where you left off: Everything at once, Reading, step 3 of 4." in out
    after_continue = out.split("continue, w welcome, q quit: c ", 1)[1]
    assert after_continue.startswith("Everything at once: Reading Step 3 of 4 Practice question")


def test_quitting_in_the_quiz_and_running_again_asks_the_next_question(
    tmp_path: Path, course: Course
) -> None:
    session = quiz_session(course)
    questions = session.questions
    opening = ["1", "3"]  # the module, then its quiz (the third entry)
    first_answer = right_lines(questions[0], session.presentation(questions[0].id))
    first = pipe(tmp_path, [*opening, *first_answer, "", "q"])
    assert first.returncode == 0
    assert "Question 2 of 8" in first.stdout
    with store(tmp_path) as record:
        assert len(record.answers(LEARNER, course.id, where="quiz")) == 1
        assert record.load_quiz_state(LEARNER, course.id, "everything") is not None

    rest: list[str] = []
    for question in questions[1:]:
        rest += [*right_lines(question, session.presentation(question.id)), ""]
    again = pipe(tmp_path, ["c", *rest, "", "q"])
    assert again.returncode == 0, again.stderr
    out = said(again.stdout)
    assert "Welcome back: 1 of 8 questions answered. Question 2 of 8" in out
    assert "Question 1 of 8" not in out
    assert "Passed: 100% (9 of 9 points)" in out
    with store(tmp_path) as record:
        assert len(record.answers(LEARNER, course.id, where="quiz")) == 8
        [attempt] = record.quiz_attempts(LEARNER, course.id, "everything")
        assert attempt.score == 1.0


def test_plain_mode_does_not_import_textual() -> None:
    code = "import sys, tui.plain.run; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


# --- Quitting -----------------------------------------------------------------------------------

PROMPTS = {
    "the map": [],
    "a module": ["1"],
    "a step": OPEN_FIRST_LESSON,
    "a check": [*OPEN_FIRST_LESSON, "", ""],
    "a scenario": [*OPEN_FIRST_LESSON, "", "", "", "1"],
    "a match item": ["1", "2", "", "", ""],
    "a quiz question": ["1", "3"],
    "after quiz feedback": ["1", "3", "2"],
}


@pytest.mark.parametrize("where", PROMPTS)
@pytest.mark.parametrize("how", ["q", "end of input"])
def test_q_or_the_end_of_the_input_quits_cleanly_at_every_prompt(
    tmp_path: Path, where: str, how: str
) -> None:
    lines = PROMPTS[where] + (["q", "this line is never read"] if how == "q" else [])
    status, out = converse(tmp_path, lines)
    assert status == 0
    assert out.rstrip().endswith(GOODBYE)
    assert "Traceback" not in out


def test_nothing_answered_before_quitting_is_lost(tmp_path: Path, course: Course) -> None:
    single = check(course, "check-single")
    lines = [*OPEN_FIRST_LESSON, "", "", *right_lines(single, present(single, LEARNER)), "q"]
    status, _ = converse(tmp_path, lines)
    assert status == 0
    with store(tmp_path) as record:
        [answer] = record.answers(LEARNER, course.id)
        assert (answer.question_id, answer.where, answer.score) == ("check-single", "check", 1.0)
        assert record.position(LEARNER, course.id) == {
            "module": "everything", "lesson": "reading", "step": 2}


# --- Malformed answers ------------------------------------------------------------------------

MALFORMED = {
    "single": (["7", "x"], ["There is no option 7: type a number from 1 to 3.",
                            "“x” is not a number: type the number of the option, 1 to 3."]),
    "multiple": (["1 9", ""], ["There is no option 9", "Type a number from 1 to 3."]),
    "true_false": (["maybe"], ["Type t for true or f for false."]),
    "short": ([""], ["Type your answer."]),
    "numeric": (["20,24,1", "abc"], ["group digits in threes", "“abc” is not a number"]),
    "order": (["1 2", "1 2 5", ""], ["Give all 3 numbers, first to last; missing: 3.",
                                     "There is no item 5",
                                     "Type all 3 item numbers, from first to last, for"
                                     " example 1 2 3."]),
    "match": (["0", "1 2", "1", "1", "1"],
              ["There is no choice 0", "Type one number for each of the 3 items",
               "is paired with both"]),
    "categorize": (["4", "one"], ["There is no category 4", "“one” is not a number"]),
}


def test_malformed_answers_are_explained_and_asked_again_without_being_recorded(
    tmp_path: Path, course: Course
) -> None:
    session = quiz_session(course)
    lines = ["1", "3"]
    for question in session.questions:
        typed, _ = MALFORMED[question.type]
        lines += [*typed, *right_lines(question, session.presentation(question.id)), ""]
    status, out = converse(tmp_path, [*lines, "", "q"])
    assert status == 0
    text = said(out)
    for _, messages in MALFORMED.values():
        for message in messages:
            assert message in text
    assert "Passed: 100%" in text
    with store(tmp_path) as record:
        answers = record.answers(LEARNER, course.id, where="quiz")
        assert len(answers) == 8 and all(a.score == 1.0 for a in answers)


def test_match_and_categorize_accept_every_pick_on_one_line(
    tmp_path: Path, course: Course
) -> None:
    session = quiz_session(course)
    lines = ["1", "3"]
    for question in session.questions:
        typed = right_lines(question, session.presentation(question.id))
        lines += [" ".join(typed) if len(typed) > 1 else typed[0], ""]
    status, out = converse(tmp_path, [*lines, "", "q"])
    assert status == 0
    assert "Passed: 100%" in said(out)


# --- Commands at any prompt ---------------------------------------------------------------------


def test_glossary_and_help_answer_at_any_prompt_and_ask_again(tmp_path: Path) -> None:
    status, out = converse(tmp_path, ["g msc", "g", "g nothing-like-it", "?", "q"])
    assert status == 0
    text = said(out)
    assert ("Glossary: Mesenchymal stromal cell (MSC) Also called: mesenchymal stem cell"
            " A cell grown from tissue such as bone marrow or fat; see also IND [glossary:"
            " Investigational New Drug application].") in text
    assert "- Investigational New Drug application (IND) - Mesenchymal stromal cell (MSC)" in text
    assert "No glossary term matches “nothing-like-it”." in text
    assert "What you can type here" in text and "Enter or c: continue where you left off" in text


def test_links_read_aloud_and_sources_are_listed_after_the_step(tmp_path: Path) -> None:
    status, out = converse(tmp_path, [*OPEN_FIRST_LESSON, "", "q"])
    assert status == 0
    text = said(out)
    assert ("An MSC [glossary: Mesenchymal stromal cell] is studied in trials (FDA, 2024"
            " [source 1]). - first point - second point Sources: 1. U.S. Food and Drug"
            " Administration. A test citation. 2024. (https://www.fda.gov/)") in text
    assert "**" not in out
    assert "Myth and fact: A common claim" in text


def test_a_failed_quiz_can_be_retaken_until_the_attempts_run_out(
    tmp_path: Path, course: Course
) -> None:
    lines = ["1", "3"]
    for attempt in (1, 2):
        session = quiz_session(course, attempt)
        for question in session.questions:
            lines += [*wrong_lines(question, session.presentation(question.id)), ""]
        lines.append("t" if attempt == 1 else "")
    status, out = converse(tmp_path, [*lines, "1", "3", "q"])
    assert status == 0
    text = said(out)
    assert text.count("Not passed yet: 0%") == 2
    assert "You have used every attempt this course allows at this quiz." in text
    assert "You have used all 2 attempts this course allows at this quiz." in text
    with store(tmp_path) as record:
        assert len(record.quiz_attempts(LEARNER, course.id, "everything")) == 2
        assert record.passed_modules(LEARNER, course.id) == frozenset()


def test_a_module_without_a_quiz_is_passed_when_its_lessons_are_done(tmp_path: Path) -> None:
    with store(tmp_path) as record:
        record.mark_module_passed(LEARNER, "plain-course", "everything")
    status, out = converse(tmp_path, ["2", "", "", "q"])
    assert status == 0
    assert "Module passed: After the first." in said(out)
    with store(tmp_path) as record:
        assert record.passed_modules(LEARNER, "plain-course") == {"everything", "after"}


def test_a_locked_module_says_what_opens_it(tmp_path: Path) -> None:
    status, out = converse(tmp_path, ["2", "1", "q"])
    assert status == 0
    assert "This module is locked. Opens when you pass “Everything at once”." in said(out)


# --- Problems and notices -----------------------------------------------------------------------


def test_a_course_with_problems_is_reported_at_its_lines_with_exit_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = converse(tmp_path, [], course=BROKEN)
    assert status == 1
    assert out == ""
    err = capsys.readouterr().err
    assert "modules/01-basics.yaml:3:1: error: the key `title` is written twice" in err
    assert "hint: " in err


def test_a_folder_that_is_not_a_course_is_a_usage_error(tmp_path: Path) -> None:
    from tui.cli import main

    assert main(["--plain", "--course", str(tmp_path), "--data-dir", str(tmp_path)]) == 2


def test_a_store_that_cannot_be_written_is_said_at_the_start_and_at_the_end(
    tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    status, out = converse(blocked, ["q"])
    assert status == 0
    text = said(out)
    assert "Progress: Your progress is NOT being saved in this session." in text
    assert text.endswith("Your progress was NOT saved in this session.")


# --- Output -------------------------------------------------------------------------------------


def test_output_is_plain_when_piped_dumb_or_asked_for_no_colour(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert wants_plain_text(io.StringIO())
    assert not wants_plain_text(Terminal())
    monkeypatch.setenv("TERM", "dumb")
    assert wants_plain_text(Terminal())
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("NO_COLOR", "1")
    assert wants_plain_text(Terminal())


def test_course_text_is_never_read_as_rich_markup() -> None:
    stream = io.StringIO()
    out = RichOutput(stream)
    out.line("[bold]Paired[/bold] with [red]x[/red]")
    out.markdown("A [link] and [b]text[/b]")
    assert "[bold]Paired[/bold] with [red]x[/red]" in stream.getvalue()
    assert "[b]text[/b]" in stream.getvalue()


def test_rich_markdown_draws_no_bars_or_rules_and_pads_no_lines() -> None:
    stream = io.StringIO()
    RichOutput(stream).markdown("# Heading\n\n> quoted\n\n---\n\n- item\n\nend")
    shown = stream.getvalue()
    assert "▌" not in shown and "─" not in shown and "---" not in shown
    assert shown.split("\n")[0] == "Heading"
    assert all(line == line.rstrip() for line in shown.split("\n"))


def test_markdown_loses_its_marks_but_keeps_lists_links_and_code() -> None:
    text = markdown_text(
        "# Title\n\n**Bold** and *em* and `code`.\n\n1. one\n2. two\n\n"
        "- a [site](https://example.org)\n  - nested\n\n> quoted\n\n---\n\n```\nkeep  this\n```\n"
        "\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert text.split("\n") == [
        "Title", "", "Bold and em and code.", "", "1. one", "2. two", "",
        "- a site (https://example.org)", "  - nested", "", "quoted", "", "    keep  this", "",
        "a; b", "1; 2",
    ]


def test_markdown_paragraphs_are_wrapped_and_list_items_hang() -> None:
    text = markdown_text("- " + "word " * 20, width=40)
    lines = text.split("\n")
    assert all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("- word") and lines[1].startswith("  word")


# --- Reading typed answers ------------------------------------------------------------------------


def test_typed_answers_name_options_by_the_number_shown(course: Course) -> None:
    single = check(course, "check-single")
    assert isinstance(single, SingleQuestion)
    shown = Presentation(order=(2, 0, 1))
    assert read_line(single, shown, " 2 ") == ChoiceAnswer({0})
    with pytest.raises(AnswerError, match="only one"):
        read_line(single, shown, "1,2")
    order = check(course, "check-order")
    assert read_line(order, Presentation(order=(1, 2, 0)), "3, 1 2") == OrderAnswer((0, 1, 2))
    session = quiz_session(course)
    true_false = session.question("quiz-true-false")
    assert read_line(true_false, Presentation(), "Yes") == BoolAnswer(True)
    assert read_line(true_false, Presentation(), "n") == BoolAnswer(False)
    numeric = session.question("quiz-numeric")
    assert read_line(numeric, Presentation(), "2,024") == TextAnswer("2,024")


def test_picks_are_read_one_at_a_time_or_all_at_once(course: Course) -> None:
    match = check(course, "check-match")
    assert read_pick(match, "3") == 3
    assert read_all_picks(match, "3", 2) is None
    assert read_all_picks(match, "3, 1", 2) == [3, 1]
    with pytest.raises(AnswerError, match="one number for each of the 2 items"):
        read_all_picks(match, "3 1 2", 2)
    with pytest.raises(AnswerError, match="no choice 4"):
        read_pick(match, "4")


def test_continuing_after_the_last_module_is_passed_does_not_reopen_its_quiz(
    tmp_path: Path, course: Course
) -> None:
    with store(tmp_path) as record:
        record.finish_quiz(LEARNER, course.id, "everything", 1.0, 9.0, True, "{}")
        record.mark_module_passed(LEARNER, course.id, "after")
        record.set_position(LEARNER, course.id, {"module": "everything", "quiz": True})
    status, out = converse(tmp_path, ["", "q"])
    assert status == 0
    text = said(out)
    assert "Every module is passed: well done." in text
    assert "There is nothing left to continue" in text
    assert "module quiz" not in text


# --- Feedback on every type (a course with one practice check of each) --------------------------

ALL_CHECKS = Path(__file__).parent / "data" / "courses" / "all-checks"


@pytest.fixture(scope="module")
def checks() -> Course:
    """The course whose one lesson is a practice check of each type, open from the start."""
    result = load_course(ALL_CHECKS)
    assert result.course is not None, result.problems
    return result.course


def check_of(course: Course, question_id: str) -> Question:
    """A practice check of that course, by id."""
    for step in course.modules[0].lessons[0].steps:
        if isinstance(step, CheckStep) and step.check.id == question_id:
            return step.check
    raise KeyError(question_id)


def to_step(number: int) -> list[str]:
    """From the map to step `number` of the lesson, skipping the checks before it."""
    return ["1", "", *[""] * (number - 1)]


def test_plain_feedback_is_listed_in_the_order_the_options_were_shown(
    tmp_path: Path, checks: Course
) -> None:
    question = check_of(checks, "check-multiple")
    assert isinstance(question, MultipleQuestion)
    shown = present(question, LEARNER)
    picks = [i for i, option in enumerate(question.options)
             if option.text in ("Blood clots", "Eternal youth")]
    assert sorted(picks, key=shown.order.index) != picks  # shown in another order than written
    typed = " ".join(str(shown.order.index(i) + 1) for i in picks)
    status, out = converse(tmp_path, [*to_step(2), typed, "q"], course=ALL_CHECKS)
    assert status == 0
    text = said(out)
    first, second = (question.options[i].text for i in sorted(picks, key=shown.order.index))
    assert text.index(f"- {first} (") < text.index(f"- {second} (")


def test_plain_showing_the_answer_labels_it_gives_the_range_and_keeps_the_wrong_try(
    tmp_path: Path, checks: Course
) -> None:
    status, out = converse(tmp_path, [*to_step(5), "60", "a", "q"], course=ALL_CHECKS)
    assert status == 0
    text = said(out)
    tried = text[text.index("Your answer: 60"):]
    assert tried.index("- 60 (not right): Too high.") < tried.index(
        "The answer: 55 (54 to 56 accepted) The trial enrolled 55 people.")
    assert "Right." not in text
    with store(tmp_path) as record:
        assert [(a.question_id, a.score) for a in record.answers(LEARNER, checks.id)] == [
            ("check-numeric", 0.0)]


def test_plain_a_short_answer_with_a_typo_is_accepted_in_the_same_words_as_the_app(
    tmp_path: Path, checks: Course
) -> None:
    status, out = converse(tmp_path, [*to_step(4), "placbo", "q"], course=ALL_CHECKS)
    assert status == 0
    assert "Right. - Accepted: “placebo” (you typed “placbo”)." in said(out)


def test_plain_with_the_answer_each_wrongly_sorted_item_says_where_it_belongs(
    tmp_path: Path, checks: Course
) -> None:
    question = check_of(checks, "check-categorize")
    wrong = wrong_lines(question, present(question, LEARNER))
    status, out = converse(tmp_path, [*to_step(8), *wrong, "a", "q"], course=ALL_CHECKS)
    assert status == 0
    text = said(out)
    shown = text[text.index("Not quite."):]
    assert "- Bone marrow (not right): Belongs in “Adult tissue”." in shown
    assert "The answer: Adult tissue: " in shown

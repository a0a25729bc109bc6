"""Before question 1 of a module quiz: how many questions, the pass mark, the attempts left."""

from __future__ import annotations

import io
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Static

from course.record.progress import ProgressStore
from course.record.study import Place, quiz_intro
from tui.app import IvstemApp, make_app
from tui.plain.run import Start, run_plain
from tui.screens.course_map import CourseMapScreen
from tui.screens.quiz import QuizScreen
from tui.screens.results import ResultsScreen
from tui.widgets.questions import QuestionView

DATA = Path(__file__).parent / "data" / "courses"
LONG = DATA / "long"  # six questions, pass mark 50%, three attempts
SIZE = (80, 24)


def test_the_intro_names_the_questions_pass_mark_and_attempts_left() -> None:
    assert quiz_intro(6, 0.5, attempt=1, attempts_allowed=3) == (
        "6 questions; the pass mark is 50%. Attempts left: 3 of 3 (this one included)."
        " Each answer is saved as you give it.")
    assert quiz_intro(1, 0.8, attempt=4, attempts_allowed=0) == (
        "1 question; the pass mark is 80%. Attempts left: unlimited."
        " Each answer is saved as you give it.")
    assert "Attempts left: 1 of 3" in quiz_intro(6, 0.5, attempt=3, attempts_allowed=3)


def shown_text(app: IvstemApp) -> str:
    """Everything the learner can read on the screen right now."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


async def open_quiz(pilot: Pilot[None], app: IvstemApp) -> QuizScreen:
    """From the welcome to the module quiz of the long course."""
    await app.loaded.wait()
    await pilot.press("enter")
    await pilot.pause()
    await app.go_to(Place("long", quiz=True))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, QuizScreen)
    return screen


async def test_a_quiz_opens_on_its_intro_and_enter_starts_it() -> None:
    store = ProgressStore.in_memory()
    app = make_app(LONG, learner="ana", store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, app)
        text = shown_text(app)
        assert quiz_intro(6, 0.5, attempt=1, attempts_allowed=3) in text
        assert not screen.query(QuestionView)
        assert store.load_quiz_state("ana", "long-course", "long") is None
        footer = [(key.key_display, key.description) for key in screen.query("FooterKey")]
        assert ("⏎", "Start") in footer
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(QuestionView).question.id == "long-quiz-1"
        assert "question 1 of 6" in shown_text(app)
        assert store.load_quiz_state("ana", "long-course", "long") is not None


async def test_the_start_button_starts_the_quiz() -> None:
    app = make_app(LONG, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, app)
        await pilot.click("#quiz-start")
        await pilot.pause()
        assert screen.query_one(QuestionView).question.id == "long-quiz-1"


async def test_escape_on_the_intro_goes_back_without_starting_an_attempt() -> None:
    store = ProgressStore.in_memory()
    app = make_app(LONG, learner="ana", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_quiz(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        assert store.load_quiz_state("ana", "long-course", "long") is None
        assert store.quiz_attempts("ana", "long-course", "long") == []


async def test_a_quiz_in_progress_goes_straight_back_to_its_question() -> None:
    store = ProgressStore.in_memory()
    app = make_app(LONG, learner="ana", store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("t", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await app.go_to(Place("long", quiz=True))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert screen.query_one(QuestionView).question.id == "long-quiz-2"
        assert "Attempts left" not in shown_text(app)


async def test_a_retake_says_how_many_attempts_are_left() -> None:
    app = make_app(LONG, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        while isinstance(app.screen, QuizScreen):
            await pilot.press("f", "enter")
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert quiz_intro(6, 0.5, attempt=2, attempts_allowed=3) in shown_text(app)
        assert screen.query_one("#quiz-start", Button).has_focus


def test_the_plain_mode_starts_a_quiz_with_the_same_words(tmp_path: Path) -> None:
    start = Start(course_dir=DATA / "plain", learner="t", data_dir=str(tmp_path))
    stdout = io.StringIO()
    # The first module's quiz from the map, then quit.
    status = run_plain(start, stdin=io.StringIO("1\n3\nq\n"), stdout=stdout)
    assert status == 0
    said = " ".join(stdout.getvalue().split())
    assert quiz_intro(8, 0.5, attempt=1, attempts_allowed=2) in said

"""The app as a learner uses it, driven from the keyboard with Textual's Pilot."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from textual.widgets import Static, Tree

from course.record.progress import ProgressStore
from tui.app import IvstemApp, make_app
from tui.screens.course_map import CourseMapScreen
from tui.screens.problems import ProblemsScreen
from tui.screens.welcome import WelcomeScreen

COURSES = Path(__file__).parent / "data" / "courses"
VALID = COURSES / "valid"
SIZE = (80, 24)


def screen_text(app: IvstemApp) -> str:
    """Everything the learner can read on the screen right now."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


async def test_first_run_shows_the_welcome_with_the_disclaimer_then_the_map(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        assert isinstance(app.screen, WelcomeScreen)
        disclaimer = "\n".join(str(w.render()) for w in app.screen.query("#disclaimer"))
        assert "Education only; not medical advice." in disclaimer
        await pilot.press("enter")
        assert isinstance(app.screen, CourseMapScreen)


async def test_a_returning_learner_goes_straight_to_the_map_and_clicks_to_continue(
        tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path)
    store.set_position("ana", "test-course", {"module": "basics", "lesson": "first-lesson",
                                               "step": 1})
    store.close()
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        assert isinstance(app.screen, CourseMapScreen)
        await pilot.click("#continue", offset=(20, 0))  # anywhere on the line, not only its text
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert "step 2 of 4" in screen_text(app)


async def test_the_map_shows_each_module_state_and_what_opens_a_locked_one(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")
        tree = app.screen.query_one(Tree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels == ["○ 1. The basics  0%", "⊘ 2. More  0%"]
        tree.cursor_line = tree.root.children[1].line
        await pilot.pause()
        assert "⊘ Locked. Opens when you pass “The basics”." in screen_text(app)


async def test_a_course_with_problems_opens_a_screen_listing_them_not_a_traceback() -> None:
    broken = COURSES / "broken" / "many-mistakes"
    app = make_app(broken, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=SIZE):
        await app.loaded.wait()
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "5 problems to mend first" in text
        assert "course.yaml:17:5: `modules/03-missing.yaml` does not exist" in text
        assert "    hint: did you mean `order`?" in text


async def test_markup_in_course_text_is_shown_as_written(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "01-basics.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace(
        "title: The basics", 'title: "[bold]Basics[/bold] [link=https://x.invalid]y[/link]"'),
        encoding="utf-8")
    app = make_app(course, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")
        tree = app.screen.query_one(Tree)
        assert str(tree.root.children[0].label).startswith(
            "○ 1. [bold]Basics[/bold] [link=https://x.invalid]y[/link]")
        assert "[bold]Basics[/bold] [link=https://x.invalid]y[/link]" in screen_text(app)


async def test_an_unwritable_data_folder_runs_on_memory_behind_a_visible_warning(
        tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    app = make_app(VALID, learner="ana", data_dir=blocker / "data")
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")
        assert not app.store.persistent
        assert "progress NOT saved" in app.sub_title
        assert any("NOT being saved" in str(n.message) for n in app._notifications)


async def test_the_app_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("the network is not to be used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        for key in ("enter", "down", "enter", "question_mark", "escape", "g", "escape"):
            await pilot.press(key)
    assert attempts == []


# --- lessons, checks, quizzes: the whole way through ------------------------------------------

from quizzes.questions import (  # noqa: E402
    MultipleQuestion,
    NumericQuestion,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from tui.screens.lesson import LessonScreen  # noqa: E402
from tui.screens.modals import TermModal  # noqa: E402
from tui.screens.quiz import QuizScreen  # noqa: E402
from tui.screens.results import ResultsScreen  # noqa: E402
from tui.widgets.questions import QuestionView  # noqa: E402


def keys_for_right_answer(view: QuestionView) -> list[str]:
    """The keys a learner who knows the answer presses, reading the options as shown."""
    question = view.question
    if isinstance(question, SingleQuestion | MultipleQuestion):
        order = list(view.presentation.order) or list(range(len(question.options)))
        picks = [str(order.index(i) + 1) for i in question.correct_indexes]
        return [*picks, "enter"]
    if isinstance(question, TrueFalseQuestion):
        return ["t" if question.answer else "f", "enter"]
    if isinstance(question, ShortQuestion):
        return [*question.accept[0], "enter"]
    if isinstance(question, NumericQuestion):
        return [*f"{question.answer:g}", "enter"]
    raise AssertionError(f"no keys for {question.type}")


async def answer(pilot: object, view: QuestionView, keys: list[str]) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for key in keys:
        await pilot.press("space" if key == " " else key)
    await pilot.pause()


async def open_first_lesson(pilot: object, app: IvstemApp) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("enter")  # welcome -> map
    await pilot.press("c")  # continue: the first lesson of the first open module
    await pilot.pause()
    assert isinstance(app.screen, LessonScreen)


async def test_reading_a_lesson_shows_each_step_and_records_the_lesson(tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await open_first_lesson(pilot, app)
        assert "step 1 of 4" in screen_text(app)
        assert "The basics › First lesson" in screen_text(app)
        await pilot.press("n")
        assert "✗ Myth and fact" in screen_text(app)
        await pilot.press("n", "n")
        assert "step 4 of 4" in screen_text(app)
        assert app.store.steps_reached("ana", "test-course", "basics", "first-lesson") == {
            0, 1, 2, 3}
        await pilot.press("n")  # finish: on to the quiz, the module's last part
        await pilot.pause()
        assert app.store.completed_lessons("ana", "test-course", "basics") == {
            ("basics", "first-lesson")}
        assert isinstance(app.screen, QuizScreen)


async def test_a_practice_check_answered_wrong_then_right_keeps_every_try(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await open_first_lesson(pilot, app)
        await pilot.press("n", "n")
        view = app.screen.query_one(QuestionView)
        order = list(view.presentation.order)
        wrong = str(order.index(1) + 1)  # "Becoming new tissue"
        await answer(pilot, view, [wrong, "enter"])
        assert "✗ Wrong" in screen_text(app)
        assert "Not quite. Press r to try again, or a to see the answer." in screen_text(app)
        await pilot.press("r")
        await answer(pilot, view, keys_for_right_answer(view))
        assert "✓ Right" in screen_text(app)
        assert "Not quite" not in screen_text(app)
        tries = app.store.answers("ana", "test-course")
        assert [(a.question_id, a.where, a.score) for a in tries] == [
            ("basics-check-single", "check", 0.0), ("basics-check-single", "check", 1.0)]


async def test_a_glossary_link_opens_the_term_and_returns_to_the_same_place(
        tmp_path: Path) -> None:
    from textual.widgets import Markdown

    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await open_first_lesson(pilot, app)
        lesson = app.screen
        markdown = lesson.query_one(Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "glossary:msc"))
        await pilot.pause()
        assert isinstance(app.screen, TermModal)
        assert app.screen.term.id == "msc"
        await pilot.press("escape")
        assert app.screen is lesson and lesson.step == 0


async def test_links_can_be_opened_from_the_keyboard(tmp_path: Path) -> None:
    from tui.screens.modals import LinksModal, ReferenceModal

    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await open_first_lesson(pilot, app)
        await pilot.press("l")
        assert isinstance(app.screen, LinksModal)
        assert [link[:2] for link in app.screen.links] == [("glossary", "msc"),
                                                           ("ref", "fda-2024")]
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ReferenceModal)
        assert "A test citation" in app.screen.reference.citation


async def pass_the_basics(pilot: object, app: IvstemApp) -> None:
    """Read the lesson, then answer every quiz question right."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await open_first_lesson(pilot, app)
    await pilot.press("n", "n", "n", "n")
    await pilot.pause()
    assert isinstance(app.screen, QuizScreen)
    await pilot.press("enter")  # the intro: start
    await pilot.pause()
    for number in range(1, 5):
        assert f"question {number} of 4" in screen_text(app)
        view = app.screen.query_one(QuestionView)
        await answer(pilot, view, keys_for_right_answer(view))
        assert "✓ Right" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()


async def test_a_whole_module_from_the_map_to_a_passed_quiz_opens_the_next(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pass_the_basics(pilot, app)
        assert isinstance(app.screen, ResultsScreen)
        text = screen_text(app)
        assert "✓ Passed: 100% (5 of 5 points); the pass mark is 50%." in text
        assert "Now open: “More”." in text
        assert "Your answer: 2024" in text
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)
        labels = [str(n.label) for n in app.screen.query_one(Tree).root.children]
        assert labels == ["✓ 1. The basics  100%", "○ 2. More  0%"]
        assert app.store.passed_modules("ana", "test-course") == {"basics"}


async def test_quit_and_relaunch_lands_on_the_same_step(tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await open_first_lesson(pilot, app)
        await pilot.press("n", "n", "n")
        await pilot.pause()
        await app.workers.wait_for_complete()
    again = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await again.loaded.wait()
        assert isinstance(again.screen, CourseMapScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(again.screen, LessonScreen)
        assert "step 4 of 4" in screen_text(again)


async def test_quit_midway_through_a_quiz_and_come_back_to_the_same_question(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await open_first_lesson(pilot, app)
        await pilot.press("n", "n", "n", "n")
        await pilot.pause()
        await pilot.press("enter")  # the intro: start
        await pilot.pause()
        first = app.screen.query_one(QuestionView)
        first_id = first.question.id
        await answer(pilot, first, keys_for_right_answer(first))
        await pilot.press("n")
        await pilot.pause()
        second_id = app.screen.query_one(QuestionView).question.id
        assert "question 2 of 4" in screen_text(app)
    again = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await again.loaded.wait()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(again.screen, QuizScreen)
        assert "question 2 of 4" in screen_text(again)
        assert again.screen.query_one(QuestionView).question.id == second_id != first_id


async def test_continue_after_passing_a_module_goes_on_to_the_next_not_a_new_attempt(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pass_the_basics(pilot, app)
        await pilot.press("escape", "c")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.module.id == "more"


async def test_the_welcome_is_left_by_a_click_on_its_footer_key(tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        start = next(key for key in app.screen.query("FooterKey")
                     if getattr(key, "action", None) == "start")
        assert "Start the course" in str(start.render())
        await pilot.click(start)
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)


async def test_the_welcome_opened_again_from_the_map_goes_back_to_it(tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert "Back to the map" in "\n".join(
            str(w.render()) for w in app.screen.query("FooterKey"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        await pilot.press("escape")  # the first visit's welcome, beneath, stays out of sight
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)


async def test_starting_before_the_course_has_loaded_waits_for_it_then_shows_the_map(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")  # before the course has loaded, as an eager learner would
        await app.loaded.wait()
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_a_terminal_shrunk_too_small_says_so_and_the_place_returns_when_it_grows(
        tmp_path: Path) -> None:
    from tui.screens.too_small import TooSmallScreen

    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)

"""When a module's quiz opens, through both front ends: the app and the plain mode.

A learner who reads only the last lesson of a module is not told every lesson is done, and the
quiz stays closed, saying what opens it, until the module's lessons are all read (unless the
course lets its quizzes be taken at any time).
"""

from __future__ import annotations

import io
from pathlib import Path

from textual.widgets import Static, Tree

from course.material.loader import load_course
from course.record.progress import ProgressStore
from tests.open_course import open_copy
from tui.app import IvstemApp, make_app
from tui.plain.run import Start, run_plain
from tui.screens.course_map import CourseMapScreen
from tui.screens.lesson import LessonScreen
from tui.screens.quiz import QuizScreen

SIZE = (80, 24)
COURSE_ID = "iv-stem-cell-therapy"


def screen_text(app: IvstemApp) -> str:
    """Everything the learner can read on the screen right now."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


def toasts(app: IvstemApp) -> list[str]:
    """The messages of the notifications shown."""
    return [str(n.message) for n in app._notifications]


async def settle(pilot: object, app: IvstemApp, done: object) -> None:
    """Wait (a little at a time, at most ten seconds on a loaded machine) until `done()` holds:
    finishing a lesson saves, then opens what follows, over several turns of the event loop."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot) and callable(done)
    for _ in range(200):
        await app.workers.wait_for_complete()
        if done():
            return
        await pilot.pause(0.05)


async def open_on_map(pilot: object, app: IvstemApp, module: int, entry: int) -> None:
    """From the map, move to a module, open it, and choose one of its entries (-1: the quiz)."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    assert isinstance(app.screen, CourseMapScreen)
    tree = app.screen.query_one(Tree)
    for node in tree.root.children:
        node.collapse()
    await pilot.pause()
    node = tree.root.children[module]
    await pilot.press("home", *["down"] * node.line, "enter")  # move there, open it
    await pilot.pause()
    count = len(node.children)
    await pilot.press(*["down"] * (entry % count + 1), "enter")
    await pilot.pause()


async def test_finishing_only_a_modules_last_lesson_leads_back_to_its_first_lesson(
        tmp_path: Path) -> None:
    app = make_app(open_copy(tmp_path), learner="ana", data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")  # the welcome, to the map
        await open_on_map(pilot, app, module=1, entry=-2)  # the last lesson of module 2
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        module = screen.module
        assert screen.lesson.id == module.lessons[-1].id
        # Next on every step; a click that lands while a step is still being drawn is
        # clicked again, as a person would, until the lesson is finished.
        for _ in range(2 * len(screen.lesson.steps)):
            if app.screen is not screen:
                break
            await pilot.click("#next-button")
            await pilot.pause()
        await settle(pilot, app, lambda: app.screen is not screen)
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == module.lessons[0].id
        # Said in a line over the lesson opened (a toast would cover its Next button).
        said = str(app.screen.query_one("#notice", Static).render())
        assert "Every lesson of this module is done" not in said
        assert (f"Next, a lesson of this module you have not finished: “"
                f"{module.lessons[0].title}”.") in said
        assert app.store.load_quiz_state("ana", COURSE_ID, module.id) is None


async def test_the_map_says_why_a_quiz_is_closed_and_does_not_open_it(tmp_path: Path) -> None:
    app = make_app(open_copy(tmp_path), learner="ana", data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")
        await open_on_map(pilot, app, module=1, entry=-1)  # the quiz of module 2
        assert isinstance(app.screen, CourseMapScreen)
        assert any("The quiz opens once every lesson of this module is done" in t
                   for t in toasts(app))
        tree = app.screen.query_one(Tree)
        assert "Module quiz  after the lessons" in str(tree.root.children[1].children[-1].label)
        assert "The quiz opens once every lesson of this module is done" in screen_text(app)
        assert app.store.load_quiz_state("ana", COURSE_ID, "mechanisms") is None


async def test_a_course_that_allows_it_opens_a_quiz_before_any_lesson(tmp_path: Path) -> None:
    app = make_app(open_copy(tmp_path, quiz_after_lessons=False), learner="ana",
                   data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.press("enter")
        await open_on_map(pilot, app, module=1, entry=-1)
        await settle(pilot, app, lambda: isinstance(app.screen, QuizScreen))
        assert isinstance(app.screen, QuizScreen)


def converse(course: Path, data_dir: Path, lines: list[str]) -> str:
    """A plain-mode conversation, the output with its wrapping undone."""
    start = Start(course_dir=course, learner="ana", data_dir=str(data_dir))
    stdout = io.StringIO()
    status = run_plain(start, stdin=io.StringIO("".join(f"{x}\n" for x in lines)),
                       stdout=stdout)
    assert status == 0
    return " ".join(stdout.getvalue().split())


def test_the_plain_mode_sends_a_learner_who_read_only_the_last_lesson_back(
        tmp_path: Path) -> None:
    course = open_copy(tmp_path)
    data = tmp_path / "data"
    last = load_course(course).course.modules[1].lessons[-1]  # type: ignore[union-attr]
    with ProgressStore.open(data) as store:  # every step but the last lesson's last one read
        store.set_position("ana", COURSE_ID, {"module": "mechanisms",
                                              "lesson": last.id, "step": len(last.steps) - 1})
    out = converse(course, data, ["c", "", "q"])
    assert "Lesson complete: The IV journey: lungs, survival, blood and dose." in out
    assert "Every lesson of this module is done" not in out
    assert "Next, a lesson of this module you have not finished: “What are MSCs?”." in out
    with ProgressStore.open(data) as store:
        assert store.position("ana", COURSE_ID) == {
            "module": "mechanisms", "lesson": "what-are-mscs", "step": 0}
        assert store.load_quiz_state("ana", COURSE_ID, "mechanisms") is None


def test_the_plain_menu_says_why_a_quiz_is_closed(tmp_path: Path) -> None:
    out = converse(open_copy(tmp_path), tmp_path / "data", ["2", "5", "m", "q"])
    assert "5. Module quiz (opens once every lesson above is done, pass mark 80%)" in out
    assert ("The quiz opens once every lesson of this module is done: finish the 4 lessons"
            " left first, starting with “What are MSCs?”.") in out
    assert "module quiz" not in out.split("Number (1-5)", 1)[1].split("q quit: m")[0].casefold()


def test_the_plain_mode_opens_a_quiz_before_any_lesson_when_the_course_allows_it(
        tmp_path: Path) -> None:
    out = converse(open_copy(tmp_path, quiz_after_lessons=False), tmp_path / "data",
                   ["2", "5", "m", "q"])
    assert "module quiz" in out and "Question 1 of" in out

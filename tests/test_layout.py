"""Layout at 80x24 and 120x40: help that wraps, map titles cut with "…", notices that cover
nothing, and a footer that offers Back when there is a step to go back to."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static
from widget_harness import screen_text

from course.record.progress import ProgressStore
from tui.app import IvstemApp, make_app
from tui.screens.course_map import CourseMapScreen
from tui.screens.help import GENERAL, HelpScreen
from tui.screens.lesson import LessonScreen
from tui.screens.quiz import QuizScreen

COURSES = Path(__file__).parent / "data" / "courses"
LONG = COURSES / "long"
PLAIN = COURSES / "plain"  # its first module has two lessons


def words(text: str) -> str:
    """The text with box borders and line breaks gone, to look for sentences in it."""
    for border in "█▀▄▌▐│":
        text = text.replace(border, " ")
    return " ".join(text.split())


async def to_map(pilot: Pilot[None], app: IvstemApp) -> None:
    await app.loaded.wait()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CourseMapScreen)


async def test_help_wraps_to_80_columns_and_scrolls_to_its_end() -> None:
    app = make_app(LONG, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=(80, 24)) as pilot:
        await to_map(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        pages = [screen_text(app)]
        for _ in range(10):
            await pilot.press("pagedown")
            await pilot.pause()
            pages.append(screen_text(app))
        seen = words("\n".join(pages))
        for key, description in GENERAL:
            assert f"{key} {description}" in seen
        assert "Your figures: scores, time, days in a row, weakest topics" in seen
        assert "Cursor Up" not in seen  # the map tree's own keys would bury the course's


async def test_a_long_module_title_is_cut_with_an_ellipsis_and_shown_whole_beside() -> None:
    app = make_app(LONG, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=(120, 40)) as pilot:
        await to_map(pilot, app)
        await pilot.press("down", "down", "down")  # lesson, quiz, then the second module
        await pilot.pause()
        line = next(row for row in screen_text(app).splitlines() if "2. A module" in row)
        tree_part = line.split("│")[0].rstrip()
        assert "…" in tree_part
        assert tree_part.endswith("0%")
        detail = str(app.screen.query_one("#detail-text", Static).render())
        title = ("A module whose title is far too long to fit beside the details pane of the"
                 " course map at any width")
        assert title in " ".join(detail.split())


async def test_finishing_a_lesson_says_so_in_a_line_over_nothing_needed() -> None:
    app = make_app(PLAIN, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=(80, 24)) as pilot:
        await to_map(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, LessonScreen)
        while app.screen is first:
            await pilot.press("n")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        second = app.screen
        assert isinstance(second, LessonScreen) and second.lesson.id == "practising"
        assert not app._notifications  # no toast over the Next button
        notice = second.query_one("#notice", Static)
        assert notice.display
        assert "✓ Lesson complete: Reading." in str(notice.render())
        await pilot.press("n")
        await pilot.pause()
        assert not notice.display


async def test_finishing_the_last_lesson_says_the_quiz_is_next_on_the_intro() -> None:
    app = make_app(LONG, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=(80, 24)) as pilot:
        await to_map(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        lesson = app.screen
        assert isinstance(lesson, LessonScreen)
        while app.screen is lesson:
            await pilot.press("n")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert not app._notifications
        notice = str(quiz.query_one("#notice", Static).render())
        assert "Every lesson of this module is done: the quiz is next." in notice


def footer_keys(app: IvstemApp) -> list[tuple[str, str]]:
    return [(str(key.key_display), str(key.description)) for key in app.screen.query("FooterKey")]


async def test_the_footer_offers_back_only_when_there_is_a_step_to_go_back_to() -> None:
    app = make_app(LONG, learner="ana", store=ProgressStore.in_memory())
    async with app.run_test(size=(120, 24)) as pilot:
        await to_map(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert ("b", "Back") not in footer_keys(app)
        await pilot.press("n")
        await pilot.pause()
        assert ("b", "Back") in footer_keys(app)
        await pilot.press("b")
        await pilot.pause()
        assert ("b", "Back") not in footer_keys(app)

"""Every screen at 80x24 scrolls to its newest feedback; its scroll keys work whatever has focus.

The course in tests/data/courses/long has checks, a quiz and explanations long enough to run
past the bottom of a small terminal.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button

from course.record.progress import ProgressStore
from course.record.study import Place
from quizzes.questions import CategorizeQuestion, MatchQuestion, MultipleQuestion
from tui.app import IvstemApp, make_app
from tui.screens.lesson import LessonScreen
from tui.screens.quiz import QuizScreen
from tui.screens.results import ResultsScreen
from tui.screens.review import ReviewScreen
from tui.widgets.assign import CategorizeList, MatchList
from tui.widgets.questions import QuestionView


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


LONG = Path(__file__).parent / "data" / "courses" / "long"
SIZE = (80, 24)


def long_app() -> IvstemApp:
    """The long-feedback course, for a learner with nothing saved."""
    return make_app(LONG, learner="ana", store=ProgressStore.in_memory())


def in_view(widget: Widget, body: VerticalScroll) -> bool:
    """True when the whole of `widget` is inside what `body` shows now."""
    return body.scrollable_content_region.contains_region(widget.region)


def feedback_placed(view: QuestionView, body: VerticalScroll) -> bool:
    """True when all the feedback is in view or, taller than the view, starts at its top.

    The feedback's top margin may stay above the verdict.
    """
    verdict = view.feedback.query_one(".verdict")
    at_top = 0 <= verdict.region.y - body.region.y <= 1
    return in_view(verdict, body) and (in_view(view.feedback, body) or at_top)


def right_keys(view: QuestionView) -> list[str]:
    """The keys that answer a match, multiple or categorize question right, as shown."""
    question = view.question
    answer_input = view.answer_input
    if isinstance(question, MatchQuestion):
        assert isinstance(answer_input, MatchList)
        return [str(answer_input.right_ids.index(f"r{left}") + 1)
                for left in answer_input.item_indexes]
    if isinstance(question, CategorizeQuestion):
        assert isinstance(answer_input, CategorizeList)
        return [str(question.categories.index(question.items[index].category) + 1)
                for index in answer_input.item_indexes]
    assert isinstance(question, MultipleQuestion)
    order = list(view.presentation.order) or list(range(len(question.options)))
    return [str(order.index(i) + 1) for i in question.correct_indexes]


async def open_lesson_at(pilot: Pilot[None], app: IvstemApp, step: int) -> LessonScreen:
    """From the welcome to the lesson's step `step` (0-based)."""
    await app.loaded.wait()
    await pilot.press("enter", "c")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    for _ in range(step):
        await pilot.press("n")
        await pilot.pause()
    return screen


async def submit_right(pilot: Pilot[None], view: QuestionView) -> None:
    """Answer the question right from the keyboard and let the feedback be laid out."""
    await pilot.press(*right_keys(view), "enter")
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("step", [1, 2, 3], ids=["match", "multiple", "categorize"])
async def test_a_lesson_check_scrolls_its_feedback_into_view_after_a_submit(step: int) -> None:
    app = long_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson_at(pilot, app, step)
        view = screen.query_one(QuestionView)
        await submit_right(pilot, view)
        body = screen.query_one("#step", VerticalScroll)
        assert feedback_placed(view, body)


@pytest.mark.parametrize("focus", ["answer", "back-button"])
async def test_page_keys_scroll_a_lesson_whatever_has_focus(focus: str) -> None:
    app = long_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson_at(pilot, app, 1)
        view = screen.query_one(QuestionView)
        await submit_right(pilot, view)
        if focus == "back-button":
            screen.query_one("#back-button", Button).focus()
        else:
            view.focus()
        await pilot.pause()
        body = screen.query_one("#step", VerticalScroll)
        await pilot.press("home")
        assert body.scroll_y == 0
        await pilot.press("pagedown")
        assert body.scroll_y > 0
        await pilot.press("end")
        sources = view.feedback.query_one(".sources")
        assert body.scroll_y == body.max_scroll_y
        assert in_view(sources, body)


async def test_the_footer_shows_the_scroll_keys_while_there_is_something_to_scroll() -> None:
    app = long_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson_at(pilot, app, 0)

        def shown() -> list[tuple[str, str]]:
            return [(str(key.key_display), str(key.description))
                    for key in screen.query("FooterKey")]

        assert ("PgUp PgDn", "Scroll") not in shown()  # one short paragraph
        await pilot.press("n")
        await pilot.pause()
        await submit_right(pilot, screen.query_one(QuestionView))
        assert ("PgUp PgDn", "Scroll") in shown()


async def start_quiz(pilot: Pilot[None], app: IvstemApp) -> QuizScreen:
    """From the welcome to the first question of the module quiz."""
    await app.loaded.wait()
    await pilot.press("enter")
    await pilot.pause()
    await app.go_to(Place("long", quiz=True))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, QuizScreen)
    await pilot.press("enter")  # the intro: start
    await pilot.pause()
    return screen


async def test_a_quiz_answer_scrolls_its_feedback_into_view_and_page_keys_scroll() -> None:
    app = long_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_quiz(pilot, app)
        view = screen.query_one(QuestionView)
        await pilot.press("t", "enter")
        await pilot.pause()
        await pilot.pause()
        body = screen.query_one("#quiz-body", VerticalScroll)
        assert feedback_placed(view, body)
        # The Next button has the focus now; the page keys still scroll the question.
        assert isinstance(app.focused, Button)
        await pilot.press("home")
        assert body.scroll_y == 0 < body.max_scroll_y
        await pilot.press("pagedown")
        assert body.scroll_y > 0
        await pilot.press("end")
        assert in_view(view.feedback.query_one(".sources"), body)


async def finish_quiz(pilot: Pilot[None], app: IvstemApp) -> ResultsScreen:
    """Answer every question of the quiz (all true) and land on the results."""
    screen = await start_quiz(pilot, app)
    while isinstance(app.screen, QuizScreen):
        await pilot.press("t", "enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert screen is not app.screen
    results = app.screen
    assert isinstance(results, ResultsScreen)
    return results


@pytest.mark.parametrize("key", ["pagedown", "down", "space", "j"])
async def test_every_result_is_reached_by_pressing_a_scroll_key(key: str) -> None:
    app = long_app()
    async with app.run_test(size=SIZE) as pilot:
        results = await finish_quiz(pilot, app)
        body = results.query_one("#results-body", VerticalScroll)
        last = results.query(".result-item").last()
        assert not in_view(last, body)
        for _ in range(100):
            before = body.scroll_y
            await pilot.press(key)
            if body.scroll_y == before:
                break
        assert body.scroll_y == body.max_scroll_y > 0
        assert in_view(last, body)


async def test_end_shows_the_last_result_and_home_the_first() -> None:
    app = long_app()
    async with app.run_test(size=SIZE) as pilot:
        results = await finish_quiz(pilot, app)
        body = results.query_one("#results-body", VerticalScroll)
        await pilot.press("end")
        assert in_view(results.query(".result-item").last(), body)
        await pilot.press("home")
        assert body.scroll_y == 0
        await pilot.press("up", "k")
        assert body.scroll_y == 0


async def test_a_review_answer_scrolls_its_feedback_into_view_and_page_keys_scroll() -> None:
    clock = Clock(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    store = ProgressStore.in_memory(clock=clock)
    store.set_position("ana", "long-course", {"module": "long", "lesson": "checks", "step": 0})
    store.record_answer("ana", "long-course", "long-quiz-1", "quiz", "{}", 0.0, 0.0, 0, "long",
                        None)
    clock.now += timedelta(days=3)
    app = make_app(LONG, learner="ana", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        view = screen.query_one(QuestionView)
        await pilot.press("t", "enter")
        await pilot.pause()
        await pilot.pause()
        body = screen.query_one("#review-body", VerticalScroll)
        assert feedback_placed(view, body)
        assert isinstance(app.focused, Button)
        await pilot.press("home")
        assert body.scroll_y == 0 < body.max_scroll_y
        await pilot.press("pagedown")
        assert body.scroll_y > 0
        await pilot.press("end")
        assert in_view(view.feedback.query_one(".sources"), body)

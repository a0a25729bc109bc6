"""Spaced review in the app: a question missed in a quiz comes back the next day."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_app import SIZE, VALID, answer, keys_for_right_answer, screen_text
from textual.pilot import Pilot
from textual.widgets import Static

from course.record.progress import ProgressStore
from quizzes.questions import (
    MultipleQuestion,
    NumericQuestion,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from tui.app import IvstemApp, make_app
from tui.screens.course_map import CourseMapScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.quiz import QuizScreen
from tui.screens.review import ReviewScreen
from tui.widgets.questions import QuestionView

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Study days depend on local time: run these tests in UTC, wherever the machine is."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def keys_for_wrong_answer(view: QuestionView) -> list[str]:
    """The keys of a learner who gets the question wrong, reading the options as shown."""
    question = view.question
    if isinstance(question, SingleQuestion | MultipleQuestion):
        order = list(view.presentation.order) or list(range(len(question.options)))
        wrong = next(i for i in range(len(question.options))
                     if i not in question.correct_indexes)
        return [str(order.index(wrong) + 1), "enter"]
    if isinstance(question, TrueFalseQuestion):
        return ["f" if question.answer else "t", "enter"]
    if isinstance(question, ShortQuestion):
        return ["x", "y", "z", "enter"]
    if isinstance(question, NumericQuestion):
        return ["1", "enter"]
    raise AssertionError(f"no keys for {question.type}")


def review_label(app: IvstemApp) -> str:
    """The review link on the map's line of links (the dashboard's link follows it)."""
    line = str(app.screen.query_one("#map-links", Static).content)
    review, dashboard = line.split("   ")
    assert dashboard == "Dashboard  (d)"
    return review


async def open_the_basics_quiz(pilot: Pilot[None], app: IvstemApp) -> None:
    # The quiz opens once the module's lesson is read.
    app.store.complete_lesson("ana", "test-course", "basics", "first-lesson")
    await pilot.press("enter")  # welcome -> map
    await pilot.pause()
    assert isinstance(app.screen, CourseMapScreen)
    await pilot.press("down", "down", "enter")  # The basics › Module quiz
    await pilot.pause()
    assert isinstance(app.screen, QuizScreen)
    await pilot.press("enter")  # the intro: start
    await pilot.pause()


async def test_a_quiz_question_missed_today_is_reviewed_in_the_app_tomorrow(
        tmp_path: Path) -> None:
    clock = Clock(NOON)
    store = ProgressStore.open(tmp_path, clock=clock)
    app = make_app(VALID, learner="ana", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_the_basics_quiz(pilot, app)
        view = app.screen.query_one(QuestionView)
        missed = view.question.id
        await answer(pilot, view, keys_for_wrong_answer(view))
        assert "✗ Wrong" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        assert review_label(app) == "No questions due for review  (r)"

        clock.now += timedelta(days=1)
        await pilot.press("d", "escape")  # the map reads the record again when it returns
        await pilot.pause()
        assert review_label(app) == "1 question due for review  (r)"

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "question 1 of 1" in screen_text(app)
        assert "Review › The basics › Module quiz" in screen_text(app)
        view = app.screen.query_one(QuestionView)
        assert view.question.id == missed
        await answer(pilot, view, keys_for_right_answer(view))
        assert "✓ Right" in screen_text(app)
        reviews = store.answers("ana", "test-course", where="review")
        assert [(a.question_id, a.score) for a in reviews] == [(missed, 1.0)]
        assert "Next review of this question: on Friday 13 March." in screen_text(app)

        await pilot.press("n")
        await pilot.pause()
        assert "Reviewed 1 question: 1 right." in screen_text(app)
        assert "the next question is due on Friday 13 March" in screen_text(app)
        await pilot.press("enter")  # Back to the map
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        assert review_label(app) == "No questions due for review  (r)"


async def test_a_wrong_review_answer_is_due_again_the_next_day(tmp_path: Path) -> None:
    clock = Clock(NOON)
    store = ProgressStore.open(tmp_path, clock=clock)
    store.set_position("ana", "test-course", {"module": "basics", "quiz": True})
    store.record_answer("ana", "test-course", "basics-true-false", "quiz", "{}", 0.0, 0.0, 0,
                        "basics")
    clock.now += timedelta(days=1)
    app = make_app(VALID, learner="ana", store=store, start="review")  # `ivstem review`
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        view = app.screen.query_one(QuestionView)
        await answer(pilot, view, keys_for_wrong_answer(view))
        assert "✗ Wrong" in screen_text(app)
        assert "Next review of this question: tomorrow." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        assert review_label(app) == "No questions due for review  (r)"
    card = store.review_card("ana", "test-course", "basics-true-false")
    assert card is not None and card.due_at == datetime(2026, 3, 12, 4, 0, tzinfo=UTC)


async def test_with_nothing_due_the_review_says_so_and_goes_back(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path, clock=Clock(NOON))
    store.set_position("ana", "test-course", {"module": "basics", "quiz": True})
    app = make_app(VALID, learner="ana", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await pilot.click("#map-links", offset=(3, 0))  # on the review link, which comes first
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Nothing is due for review yet" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)


async def test_the_dashboard_opens_from_the_map_with_d_and_its_button(tmp_path: Path) -> None:
    store = ProgressStore.open(tmp_path, clock=Clock(NOON))
    store.set_position("ana", "test-course", {"module": "basics", "quiz": True})
    app = make_app(VALID, learner="ana", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await pilot.press("d")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("escape")
        # The dashboard's link follows the review's: "No questions due for review  (r)   ".
        await pilot.click("#map-links", offset=(len("No questions due for review  (r)   ") + 3, 0))
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)

"""The dashboard: figures from a seeded store, the screen at 80x24, jumps to weak topics."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_app import SIZE, VALID, screen_text
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Button, OptionList

from course.material.loader import load_course
from course.material.model import Course
from course.record import dashboard, review
from course.record.progress import ProgressStore
from course.record.study import ModuleState
from tui.app import IvstemApp, make_app
from tui.screens.dashboard import DashboardScreen, bar
from tui.screens.lesson import LessonScreen

COURSE = "test-course"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

#: Tags added to the test course's questions: (question id, tags).
TAGS = {
    "basics-check-single": "[mechanisms]",
    "basics-multiple": "[safety, mechanisms]",
    "basics-true-false": "[evidence]",
    "basics-short": "[regulation]",
    "basics-numeric": "[evidence]",
    "more-order": "[trials]",
    "more-regex": "[regulation]",
}


class Clock:
    """A clock that stands still unless the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Days are local days: run these tests in UTC, wherever the machine is."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def tagged_course(folder: Path) -> Path:
    """The valid test course with tags on its questions."""
    target = folder / "tagged"
    shutil.copytree(VALID, target)
    for path in (target / "modules").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for question, tags in TAGS.items():
            marker = f"id: {question}\n"
            at = text.find(marker)
            if at < 0:
                continue
            indent = text.rfind("\n", 0, at) + 1
            pad = " " * (at - indent)
            text = text.replace(marker, f"{marker}{pad}tags: {tags}\n", 1)
        path.write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    return tagged_course(tmp_path)


@pytest.fixture
def course(course_dir: Path) -> Course:
    loaded = load_course(course_dir)
    assert loaded.course is not None, loaded.problems
    return loaded.course


def seed(store: ProgressStore, clock: Clock) -> None:
    """Three days of study ending today: lessons, two quiz attempts, answers, time."""
    def at(days_ago: int, hour: int = 10) -> None:
        clock.now = (NOW - timedelta(days=days_ago)).replace(hour=hour)

    def answer(question: str, score: float, module: str = "basics",
               lesson: str | None = None) -> None:
        store.record_answer("ana", COURSE, question, "check" if lesson else "quiz", "{}",
                            score, score, 0, module, lesson)

    at(2)
    store.reach_step("ana", COURSE, "basics", "first-lesson", 0)
    answer("basics-check-single", 0.0, lesson="first-lesson")
    store.complete_lesson("ana", COURSE, "basics", "first-lesson")
    store.add_time("ana", COURSE, "basics", 600)
    at(1)
    for question, score in (("basics-multiple", 0.5), ("basics-true-false", 1.0),
                            ("basics-short", 0.0), ("basics-numeric", 1.0)):
        answer(question, score)
    store.finish_quiz("ana", COURSE, "basics", 0.9, 4.5, True, "{}")
    at(0, hour=9)
    for question, score in (("basics-multiple", 1.0), ("basics-true-false", 1.0),
                            ("basics-short", 0.0), ("basics-numeric", 0.0)):
        answer(question, score)
    store.finish_quiz("ana", COURSE, "basics", 0.6, 3.0, True, "{}")
    store.add_time("ana", COURSE, "basics", 300)
    store.set_position("ana", COURSE, {"module": "more", "lesson": "sorting", "step": 0})
    clock.now = NOW


@pytest.fixture
def seeded() -> tuple[ProgressStore, Clock]:
    clock = Clock(NOW)
    store = ProgressStore.in_memory(clock=clock)
    seed(store, clock)
    return store, clock


# -- the figures --------------------------------------------------------------------------------


def test_per_module_share_done_best_and_latest_score_and_time(
        course: Course, seeded: tuple[ProgressStore, Clock]) -> None:
    store, _ = seeded
    figures = dashboard.build(course, store, "ana")
    basics, more = figures.modules
    assert basics.standing.state is ModuleState.PASSED
    assert basics.standing.share_done == 1.0
    assert (basics.standing.best_score, basics.latest_score) == (0.9, 0.6)
    assert basics.seconds == 900
    assert more.standing.state is ModuleState.OPEN
    assert (more.standing.share_done, more.standing.best_score, more.latest_score,
            more.seconds) == (0.0, None, None, 0.0)
    assert (figures.passed, figures.complete, figures.seconds) == (1, False, 900)


def test_days_in_a_row_and_answers_per_day(
        course: Course, seeded: tuple[ProgressStore, Clock]) -> None:
    store, _ = seeded
    figures = dashboard.build(course, store, "ana")
    assert (figures.streak, figures.studied_today) == (3, True)
    assert len(figures.days) == dashboard.ACTIVITY_DAYS
    assert figures.days[-3:] == (1, 4, 4) and sum(figures.days) == 9
    # the next day, before studying, the streak still stands; a day later it is gone
    tomorrow = dashboard.build(course, store, "ana", NOW + timedelta(days=1))
    assert (tomorrow.streak, tomorrow.studied_today) == (3, False)
    assert tomorrow.days[-1] == 0 and tomorrow.days[-2] == 4
    assert dashboard.build(course, store, "ana", NOW + timedelta(days=2)).streak == 0


def test_questions_due_for_review(course: Course, seeded: tuple[ProgressStore, Clock]) -> None:
    store, _ = seeded
    figures = dashboard.build(course, store, "ana")
    # missed two days ago and due since yesterday: the practice check
    assert figures.due == 1
    assert figures.next_due == datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
    tomorrow = NOW + timedelta(days=1)
    due = {item.question.id for item in review.due_items(course, store, "ana", tomorrow)}
    assert {"basics-short", "basics-numeric", "basics-check-single"} <= due  # missed
    assert "basics-true-false" not in due  # right both times
    assert dashboard.build(course, store, "ana", tomorrow).due == len(due)


def test_the_weakest_tags_are_those_with_the_lowest_share_right(
        course: Course, seeded: tuple[ProgressStore, Clock]) -> None:
    store, _ = seeded
    weakest = dashboard.build(course, store, "ana").weakest
    assert [(t.tag, t.right, t.answered) for t in weakest] == [
        ("regulation", 0, 2), ("mechanisms", 1, 3), ("safety", 1, 2)]
    regulation, mechanisms, safety = weakest
    # taught by checks where one carries the tag; else the first lesson of the quiz's module
    assert [(m.id, lesson.id) for m, lesson in mechanisms.lessons] == [
        ("basics", "first-lesson")]
    assert [(m.id, lesson.id) for m, lesson in regulation.lessons] == [
        ("basics", "first-lesson"), ("more", "sorting")]
    assert [p.to_position() for p in safety.places] == [
        {"module": "basics", "lesson": "first-lesson", "step": 0}]


def test_a_tag_whose_answers_are_all_right_is_not_weak(course: Course) -> None:
    tallies = {"basics-true-false": (2, 2), "basics-numeric": (1, 1)}
    assert dashboard.weakest_tags(course, tallies) == ()


def test_time_and_bars_read_at_a_glance() -> None:
    assert [dashboard.duration_text(s) for s in (0, 20, 600, 3900)] == [
        "—", "<1 min", "10 min", "1 h 05 min"]
    assert bar(0.0).plain == "░" * 10
    assert bar(1.0).plain == "█" * 10
    assert bar(0.55).plain == "█████▌░░░░"


# -- the screen -----------------------------------------------------------------------------------


def app_for(course_dir: Path, store: ProgressStore) -> IvstemApp:
    return make_app(course_dir, learner="ana", store=store)


async def open_dashboard(pilot: Pilot[None], app: IvstemApp) -> None:
    await app.loaded.wait()
    await pilot.pause()
    await pilot.press("d")
    await app.workers.wait_for_complete()  # the figures are read in a worker
    await pilot.pause()
    assert isinstance(app.screen, DashboardScreen)


async def test_the_dashboard_shows_the_figures(
        course_dir: Path, seeded: tuple[ProgressStore, Clock]) -> None:
    store, _ = seeded
    app = app_for(course_dir, store)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        text = screen_text(app)
        assert "1 of 2 modules passed · 3 days in a row · 15 min studied" in text
        assert "1 question due for review: press r." in text
        assert "Most in one day: 4 answers; today: 4 answers." in text
        table = app.screen.query_one("#dashboard-modules").render()
        assert table is not None
        assert "To finish the course:" in text
        assert "“More”: read 1 more lesson and pass the quiz (pass mark 80%)." in text
        assert app.screen.query_one("#dashboard-certificate-button", Button).disabled


async def test_a_weak_topic_opens_the_lesson_that_teaches_it(
        course_dir: Path, seeded: tuple[ProgressStore, Clock]) -> None:
    store, _ = seeded
    app = app_for(course_dir, store)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        options = app.screen.query_one("#dashboard-weakest", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert prompts[0].startswith("Regulation  ░░░░░░░░░░ 0% (0 of 2 right)")
        assert prompts[1:3] == ["  → The basics › First lesson", "  → More › Sorting things"]
        options.focus()
        options.highlighted = 2
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == "sorting"


async def test_a_weak_topic_in_a_locked_module_says_what_opens_it(
        course_dir: Path, tmp_path: Path) -> None:
    clock = Clock(NOW)
    store = ProgressStore.in_memory(clock=clock)
    store.set_position("ana", COURSE, {"module": "basics", "lesson": "first-lesson", "step": 0})
    store.record_answer("ana", COURSE, "more-regex", "quiz", "{}", 0.0, 0.0, 0, "more")
    app = app_for(course_dir, store)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        options = app.screen.query_one("#dashboard-weakest", OptionList)
        options.focus()
        options.highlighted = 2  # More › Sorting things
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert any("Opens when you pass “The basics”." in str(n.message)
                   for n in app._notifications)


def test_the_dashboard_at_80x24(snap_compare: Any, course_dir: Path,
                                seeded: tuple[ProgressStore, Clock]) -> None:
    store, _ = seeded

    async def open_it(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, IvstemApp)
        await open_dashboard(pilot, app)

    # The tagged course is copied to a temporary folder each run; the course's folder is
    # nowhere on the screen, and the clock and time zone are fixed.
    assert snap_compare(app_for(course_dir, store), run_before=open_it, terminal_size=SIZE)


async def test_page_keys_scroll_the_dashboard_even_from_the_topics_list(
        course_dir: Path, seeded: tuple[ProgressStore, Clock]) -> None:
    store, _ = seeded
    app = app_for(course_dir, store)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot, app)
        body = app.screen.query_one("#dashboard-body", VerticalScroll)
        options = app.screen.query_one("#dashboard-weakest", OptionList)
        options.focus()
        await pilot.pause()
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        assert body.scroll_y > 0
        await pilot.press("end")
        assert body.scroll_y == body.max_scroll_y
        buttons = app.screen.query_one("#dashboard-buttons")
        assert body.scrollable_content_region.contains_region(buttons.region)
        await pilot.press("home")
        assert body.scroll_y == 0
        assert app.focused is options

"""Practice checks in a lesson as a learner meets them: a wrong try, the answer on request, a retry.

The course has one lesson whose eight steps are a practice check of each question type. Every
test opens the lesson at one check, as a returning learner would, and drives it from the keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from widget_harness import screen_text

from course.record.progress import ProgressStore
from quizzes.presentation import Presentation
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
from tui.app import IvstemApp, make_app
from tui.screens.lesson import LessonScreen
from tui.widgets.questions import QuestionView

COURSE = Path(__file__).parent / "data" / "courses" / "all-checks"
SIZE = (80, 24)
LEARNER = "ana"
STEPS = {"single": 0, "multiple": 1, "true_false": 2, "short": 3, "numeric": 4, "order": 5,
         "match": 6, "categorize": 7}
"""The step of the lesson that holds the check of each type."""


async def open_check(pilot: Pilot[None], app: IvstemApp, kind: str) -> QuestionView:
    """From the map, continue to the check of type `kind`; its answer has the focus."""
    await app.loaded.wait()
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, LessonScreen)
    view = app.screen.query_one(QuestionView)
    assert view.question.type == kind
    return view


def app_at(tmp_path: Path, kind: str) -> IvstemApp:
    """The app for a learner who stopped at the check of type `kind`."""
    with ProgressStore.open(tmp_path) as store:
        store.set_position(LEARNER, "all-checks", {"module": "checks", "lesson": "every-type",
                                                   "step": STEPS[kind]})
    return make_app(COURSE, learner=LEARNER, data_dir=tmp_path)


def wrong_keys(question: Question, shown: Presentation) -> list[str]:
    """Keys that answer the check wrong (no part right), reading it as the learner sees it."""
    if isinstance(question, SingleQuestion | MultipleQuestion):
        wrong = next(i for i, option in enumerate(question.options) if not option.correct)
        return [str(shown.order.index(wrong) + 1), "enter"]
    if isinstance(question, TrueFalseQuestion):
        return ["f" if question.answer else "t", "enter"]
    if isinstance(question, ShortQuestion):
        return [*"nocebo", "enter"]
    if isinstance(question, NumericQuestion):
        return ["1", "0", "enter"]
    if isinstance(question, OrderQuestion):
        return ["enter"]  # the start order is never the right one
    if isinstance(question, MatchQuestion):
        column = shown.right_column
        return [str(column.index("r1") + 1), str(column.index("r0") + 1), "enter"]
    assert isinstance(question, CategorizeQuestion)
    count = len(question.categories)
    return [*(str((question.categories.index(question.items[i].category) + 1) % count + 1)
              for i in shown.order), "enter"]


def stored(app: IvstemApp) -> list[tuple[str, float]]:
    """Every try recorded: question and score."""
    return [(a.question_id, a.score) for a in app.store.answers(LEARNER, "all-checks")]


@pytest.mark.parametrize("kind", list(STEPS))
async def test_showing_the_answer_after_a_wrong_try_labels_it_and_never_says_right(
    tmp_path: Path, kind: str
) -> None:
    app = app_at(tmp_path, kind)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_check(pilot, app, kind)
        await pilot.press(*wrong_keys(view.question, view.presentation))
        await pilot.pause()
        assert "✗ Wrong" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "The answer: " in text
        assert "Right" not in text and "1 of 1 point" not in text
        assert stored(app) == [(view.question.id, 0.0)]
        assert app.screen.query_one(QuestionView).question.explanation is not None
        assert "Press n for the next step." in text


async def test_the_answer_shown_for_a_numeric_check_gives_the_range_accepted(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, "numeric")
    async with app.run_test(size=SIZE) as pilot:
        await open_check(pilot, app, "numeric")
        await pilot.press("6", "0", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Too high." in text and "The answer" not in text  # a retry must still mean it
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "The answer: 55 (54 to 56 accepted)" in text
        assert "The trial enrolled 55 people." in text


@pytest.mark.parametrize("kind", ["numeric", "short"])
async def test_a_retry_starts_from_an_empty_text_box(tmp_path: Path, kind: str) -> None:
    app = app_at(tmp_path, kind)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_check(pilot, app, kind)
        await pilot.press("6", "enter")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("8")
        await pilot.pause()
        assert view.query_one(Input).value == "8"
        assert "▊  8 " in screen_text(app)


async def test_a_short_answer_with_a_typo_is_accepted_and_the_spelling_shown(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, "short")  # the course allows typos
    async with app.run_test(size=SIZE) as pilot:
        await open_check(pilot, app, "short")
        await pilot.press(*"placbo", "enter")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "✓ Right" in text
        assert "Accepted: “placebo” (you typed “placbo”)." in text
        assert stored(app) == [("check-short", 1.0)]


async def test_with_the_answer_each_wrongly_sorted_item_says_where_it_belongs(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, "categorize")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_check(pilot, app, "categorize")
        await pilot.press(*wrong_keys(view.question, view.presentation))
        await pilot.pause()
        assert "Belongs in" not in screen_text(app)  # held back while a retry may follow
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "✗ Bone marrow: Put in “Birth tissue”. Belongs in “Adult tissue”." in text
        assert "Right" not in text


@pytest.mark.parametrize("kind", ["numeric", "short"])
async def test_try_again_puts_the_keys_in_the_answer_wherever_the_focus_was(
    tmp_path: Path, kind: str
) -> None:
    app = app_at(tmp_path, kind)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_check(pilot, app, kind)
        await pilot.press("6", "enter")
        await pilot.pause()
        app.screen.query_one("#next-button").focus()  # the learner tabbed away, say
        await pilot.pause()
        await pilot.press("r", "8")
        await pilot.pause()
        assert view.query_one(Input).value == "8"

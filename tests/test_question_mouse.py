"""QuestionView with the mouse, and where the focus goes: every type can be answered by clicks,
and focusing the view puts the keys where they answer.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Markdown
from widget_harness import (
    SAMPLES,
    SINGLE,
    QuestionHarness,
    cite,
    make_app,
    settle,
    verdict_shown,
)

from quizzes.answers import (
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
)
from tui.widgets.answer_input import AnswerRow, Knob
from tui.widgets.assign import TargetRow
from tui.widgets.choices import ChoiceList

SIZE = (80, 24)
TYPES = list(SAMPLES)


# --- The mouse ---------------------------------------------------------------------------------


async def test_clicking_an_option_then_submit_answers():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = list(app.view.query(AnswerRow))
        await pilot.click(rows[1])
        await pilot.click(app.view.submit_button)
        await settle(pilot)
        assert app.answers[-1].answer == ChoiceAnswer({0})
        assert verdict_shown(app).startswith("✓ Right")


async def test_clicking_ticks_and_unticks_in_a_multiple():
    app = make_app("multiple")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = list(app.view.query(AnswerRow))
        for row in (rows[0], rows[1], rows[1], rows[3]):
            await pilot.click(row)
        await pilot.click(app.view.submit_button)
        await settle(pilot)
        assert app.answers[-1].answer == ChoiceAnswer({3, 0})


async def test_clicking_true_and_false():
    app = make_app("true_false")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = list(app.view.query(AnswerRow))
        await pilot.click(rows[1])
        await pilot.click(rows[0])
        await pilot.click(app.view.submit_button)
        await settle(pilot)
        assert app.answers[-1].answer == BoolAnswer(True)


async def test_order_knobs_move_an_item_with_the_mouse():
    app = make_app("order")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first_down = app.view.query(Knob).filter(".-down").first()
        await pilot.click(first_down)
        await pilot.click(app.view.submit_button)
        await settle(pilot)
        assert app.answers[-1].answer == OrderAnswer((0, 1, 2, 3))


async def test_match_with_the_mouse_click_an_item_then_a_choice():
    app = make_app("match")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        targets = list(app.view.query(TargetRow))
        await pilot.click(targets[2])  # Autologous (highlighted) -> own body; moves on
        await pilot.click(targets[1])  # Allogeneic -> From a donor
        await pilot.click(app.view.submit_button)
        await settle(pilot)
        assert app.answers[-1].answer == MatchAnswer({0: "r0", 1: "r1"})


async def test_categorize_with_the_mouse_knobs_step_through_categories():
    app = make_app("categorize")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        nexts = list(app.view.query(Knob).filter(".-next"))
        previous = list(app.view.query(Knob).filter(".-previous"))
        await pilot.click(previous[0])  # autism: none -> Unsupported (backwards)
        await pilot.click(nexts[1])  # HSCT: -> Approved use
        await pilot.click(nexts[2])
        await pilot.click(nexts[2])  # IV MSCs: -> Investigational
        await pilot.click(app.view.submit_button)
        await settle(pilot)
        assert app.answers[-1].answer == CategorizeAnswer({2: 2, 0: 0, 1: 1})


async def test_a_sources_link_click_bubbles_up_to_the_app():
    app = QuestionHarness(SINGLE, SAMPLES["single"].presentation, cite=cite)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        sources = app.view.feedback.query_one(".sources", Markdown)
        await pilot.click(sources, offset=(len("Sources: ") + 2, 0))
        await settle(pilot)
        assert app.links == ["ref:galipeau-2018"]


# --- Focus -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TYPES)
async def test_focusing_the_view_focuses_where_the_keys_answer(name: str):
    app = make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        focused = app.focused
        assert focused is not None and app.view in focused.ancestors
        expected = Input if name in ("short", "numeric") else ChoiceList
        if name in ("order", "match", "categorize"):
            expected = type(app.view.answer_input)
        assert isinstance(focused, expected)


async def test_focus_moves_off_a_hidden_submit_button_to_the_answer():
    app = make_app("single", mode="quiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        app.view.submit_button.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, ChoiceList)

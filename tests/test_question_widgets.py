"""QuestionView: each of the eight types answered from the keyboard and the mouse, hints, retries.

Every test runs the view in a tiny harness app that grades what the view posts, as a screen does,
and asserts on what the learner sees.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input
from widget_harness import (
    CATEGORIZE,
    SAMPLES,
    SHORT,
    SINGLE,
    QuestionHarness,
    cite,
    make_app,
    screen_text,
    settle,
    verdict_shown,
)

from quizzes.answers import (
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
)
from quizzes.grading import Verdict, grade
from quizzes.practice import CheckFeedback
from quizzes.presentation import Presentation
from quizzes.questions import NumericQuestion, Option, SingleQuestion
from tui.widgets.answer_input import AnswerRow
from tui.widgets.choices import ChoiceList

SIZE = (80, 24)
TYPES = list(SAMPLES)


def message_shown(app: QuestionHarness) -> str:
    """The inline message under the answer, as text ('' when hidden)."""
    message = app.view.message
    return str(message.render()) if message.has_class("-shown") else ""


# --- Each type, right and wrong, from the keyboard ---------------------------------------------


@pytest.mark.parametrize("name", TYPES)
async def test_each_type_answered_right_from_the_keyboard_shows_right_with_a_mark(name: str):
    sample = SAMPLES[name]
    app = make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*sample.right_keys)
        await settle(pilot)
        assert [event.answer for event in app.answers] == [sample.right_answer]
        assert app.results[-1].verdict is Verdict.RIGHT
        assert verdict_shown(app).startswith("✓ Right")
        assert "✓ Right" in screen_text(app)


@pytest.mark.parametrize("name", TYPES)
async def test_each_type_answered_wrong_from_the_keyboard_shows_wrong_with_a_mark(name: str):
    sample = SAMPLES[name]
    app = make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*sample.wrong_keys)
        await settle(pilot)
        assert [event.answer for event in app.answers] == [sample.wrong_answer]
        assert app.results[-1].verdict is Verdict.WRONG
        assert verdict_shown(app).startswith("✗ Wrong")
        assert "✗ Wrong" in screen_text(app)


async def test_multiple_with_some_right_picks_shows_partly_right():
    app = make_app("multiple", mode="quiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")  # Tumour formation only: 1 of 3
        await settle(pilot)
        assert app.answers[-1].answer == ChoiceAnswer({3})
        assert verdict_shown(app) == "◐ Partly right · 0.33 of 1 point"


async def test_per_option_feedback_explanation_and_cited_sources_are_shown():
    app = QuestionHarness(SINGLE, SAMPLES["single"].presentation, cite=cite)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "✗ Becoming new tissue at the injury: Engraftment is low." in text
        assert "Most infused cells are caught in the lungs" in text
        assert "Sources: Galipeau & Sensébé, 2018" in text


async def test_the_chosen_row_carries_the_mark_of_the_verdict():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        rows = list(app.view.query(AnswerRow))
        assert [str(row.mark.render()) for row in rows] == ["", "✓", ""]


async def test_order_rows_are_marked_in_place_or_not():
    app = make_app("order")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        marks = [str(row.mark.render()) for row in app.view.query(AnswerRow)]
        assert marks == ["✗", "✗", "✓", "✓"]


async def test_multiple_feedback_is_listed_in_the_order_the_options_are_shown():
    app = make_app("multiple", mode="quiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # shown: 1 Tumour formation, 2 A guaranteed cure, 3 Pulmonary embolism, 4 Infection
        await pilot.press("2", "4", "enter")
        await settle(pilot)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        firsts = [line[2:].split(":")[0] for line in lines
                  if line[:2] in ("✓ ", "✗ ") and ":" in line]
        assert firsts == ["Tumour formation", "A guaranteed cure", "Pulmonary embolism",
                          "Infection"]


# --- Keys of each type -------------------------------------------------------------------------


async def test_single_picks_one_option_only():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "3", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == ChoiceAnswer({2})


async def test_single_arrows_and_space_choose_the_highlighted_option():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "space", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == ChoiceAnswer({0})


async def test_multiple_number_twice_unticks():
    app = make_app("multiple")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "2", "2", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == ChoiceAnswer({3})


async def test_number_beyond_the_options_does_nothing():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("7", "enter")
        await settle(pilot)
        assert app.answers == []
        assert "Choose an option first" in message_shown(app)


async def test_order_moves_items_with_brackets_and_ctrl_arrows():
    app = make_app("order")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Phase II, Phase I, Phase III, Approval: move Approval to the top, then back down one.
        await pilot.press("down", "down", "down", "left_square_bracket", "ctrl+up", "shift+up")
        await pilot.press("right_square_bracket", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == OrderAnswer((1, 3, 0, 2))


async def test_match_left_right_cycle_skips_partners_already_taken():
    app = make_app("match")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # Autologous -> From a donor (r1); Allogeneic highlighted
        await pilot.press("right", "right", "enter")  # skips r1: d0, then r0
        await settle(pilot)
        assert app.answers[-1].answer == MatchAnswer({0: "r1", 1: "r0"})


async def test_match_picking_a_taken_partner_moves_it_and_says_so():
    app = make_app("match")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "2")  # both want From a donor: the second keeps it
        await settle(pilot)
        said = "“From a donor” was paired with “Autologous”; it now goes with “Allogeneic”."
        assert message_shown(app) == said
        assert said in " ".join(screen_text(app).split())
        await pilot.press("enter")
        await settle(pilot)
        assert app.answers == []
        assert "“Autologous” has no partner yet" in message_shown(app)


async def test_categorize_puts_many_items_in_one_category_without_a_word():
    app = make_app("categorize", mode="quiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "1")
        await settle(pilot)
        assert message_shown(app) == ""
        await pilot.press("1", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == CategorizeAnswer({2: 0, 0: 0, 1: 0})


@pytest.mark.parametrize(("name", "says"), [
    ("match", "a choice's number pairs the highlighted item and moves to the next"),
    ("categorize", "a category's number puts the highlighted item there and moves to the next"),
])
async def test_a_number_does_what_the_instruction_says_and_goes_on_to_the_next_item(
    name: str, says: str
):
    app = make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert says in " ".join(screen_text(app).split())
        await pilot.press("2")
        await settle(pilot)
        rows = [line.strip() for line in screen_text(app).splitlines() if "◂ 2 " in line]
        assert len(rows) == 1 and not rows[0].startswith("›")  # given, and left behind
        assert app.view.answer_input.highlighted == 1


async def test_categorize_backspace_clears_an_item():
    app = make_app("categorize")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "1", "2", "backspace", "enter")  # the last item stays highlighted
        await settle(pilot)
        assert app.answers == []
        assert "“IV MSCs for multiple sclerosis” has none yet" in message_shown(app)


async def test_true_false_arrows_and_space_choose():
    app = make_app("true_false")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right", "space", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == BoolAnswer(False)


# --- Incomplete answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("single", "Choose an option first: press 1-3 or click it."),
        ("multiple", "Tick at least one option first"),
        ("true_false", "Choose true or false first"),
        ("short", "Type your answer first"),
        ("numeric", "Type a number"),
        ("match", "Pair every item first: “Autologous” has no partner yet"),
        ("categorize", "Put every item in a category first: “Stem cells cure autism”"),
    ],
)
async def test_an_incomplete_answer_says_what_to_do_and_posts_nothing(name: str, expected: str):
    app = make_app(name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.answers == []
        assert expected in message_shown(app)
        assert expected.split(":")[0] in screen_text(app)


async def test_the_message_goes_once_the_learner_changes_the_answer():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert message_shown(app)
        await pilot.press("1")
        assert message_shown(app) == ""


async def test_an_untouched_order_is_a_valid_answer():
    app = make_app("order")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.answers[-1].answer == OrderAnswer((1, 0, 2, 3))
        assert message_shown(app) == ""


async def test_a_partly_paired_match_posts_nothing():
    app = make_app("match")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "1", "enter")
        await settle(pilot)
        assert app.answers == []
        assert "“Autologous” has no partner yet" in message_shown(app)


async def test_numeric_with_a_decimal_comma_is_refused_inline_and_the_text_kept():
    app = make_app("numeric")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "comma", "5", "enter")
        await settle(pilot)
        assert app.answers == []
        assert "“1,5” is ambiguous: use a point for decimals (1.5)" in message_shown(app)
        assert app.view.query_one(Input).value == "1,5"
        assert "is ambiguous" in screen_text(app)


async def test_numeric_with_its_unit_typed_is_accepted():
    question = NumericQuestion(id="dose", type="numeric", prompt="Dose?", answer=5.0, unit="mL")
    app = QuestionHarness(question)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "space", "m", "L", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == TextAnswer("5 mL")
        assert verdict_shown(app).startswith("✓ Right")
        assert "mL" in screen_text(app)


async def test_a_grading_error_passed_back_is_shown_and_the_answer_can_be_sent_again():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.view.show_error("There is no option 7 in this question; choose one shown.")
        await settle(pilot)
        assert message_shown(app) == "! There is no option 7 in this question; choose one shown."
        await pilot.press("2", "enter")
        await settle(pilot)
        assert len(app.answers) == 1


# --- Hints -------------------------------------------------------------------------------------


async def test_h_shows_the_hint_once_and_the_answer_records_it():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Think about what the cells" not in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        assert "Think about what the cells release." in screen_text(app)
        assert app.hints == ["msc-main-mechanism"]
        await pilot.press("h", "2", "enter")
        await settle(pilot)
        assert app.hints == ["msc-main-mechanism"]
        assert app.answers[-1].hint_used is True
        assert app.results[-1].hint_used is True


async def test_the_hint_button_shows_the_hint():
    app = make_app("single")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(app.view.hint_button)
        await settle(pilot)
        assert app.hints == ["msc-main-mechanism"]
        assert not app.view.hint_button.display


async def test_without_a_hint_there_is_no_hint_button_and_h_does_nothing():
    app = make_app("multiple")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.view.hint_button.display
        await pilot.press("h")
        assert app.hints == []


async def test_in_a_text_box_h_is_typed_not_a_hint_request():
    question = replace(SHORT, hint="Three letters.")
    app = QuestionHarness(question)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        assert app.view.query_one(Input).value == "h"
        assert app.hints == []
        assert app.view.hint_button.display


# --- Retry and modes ---------------------------------------------------------------------------


async def test_a_check_answered_wrong_can_be_retried_with_r():
    app = make_app("single", mode="check")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")
        await settle(pilot)
        assert verdict_shown(app).startswith("✗ Wrong")
        assert app.view.retry_button.display
        await pilot.press("3")  # locked: the answer does not change before retrying
        await pilot.press("r")
        await settle(pilot)
        assert app.retries == ["msc-main-mechanism"]
        assert not app.view.feedback.has_class("-shown")
        assert "✗ Wrong" not in screen_text(app)
        await pilot.press("2", "enter")
        await settle(pilot)
        assert [event.answer for event in app.answers] == [ChoiceAnswer({1}), ChoiceAnswer({0})]
        assert verdict_shown(app).startswith("✓ Right")
        assert not app.view.retry_button.display


async def test_the_try_again_button_retries_a_check():
    app = make_app("true_false", mode="check")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", "enter")
        await settle(pilot)
        await pilot.click(app.view.retry_button)
        await settle(pilot)
        await pilot.press("t", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == BoolAnswer(True)
        assert verdict_shown(app).startswith("✓ Right")


async def test_the_screen_may_reset_a_check_itself_and_the_text_box_is_emptied():
    app = make_app("short", mode="check")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b", "l", "a", "enter")
        await settle(pilot)
        await app.view.reset_for_retry()
        app.view.focus()
        await settle(pilot)
        text_box = app.view.query_one(Input)
        assert text_box.value == "" and not text_box.disabled
        await pilot.press("I", "N", "D", "enter")
        await settle(pilot)
        assert app.answers[-1].answer == TextAnswer("IND")


@pytest.mark.parametrize("name", TYPES)
async def test_retrying_a_check_clears_everything_the_last_try_entered(name: str):
    sample = SAMPLES[name]
    app = make_app(name, mode="check")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = screen_text(app)
        # An order is wrong as it starts; move two items so there is something to undo.
        keys = ("down", "down", "shift+down", "enter") if name == "order" else sample.wrong_keys
        await pilot.press(*keys)
        await settle(pilot)
        assert verdict_shown(app).startswith("✗ Wrong")
        await pilot.press("r")
        await settle(pilot)
        # Typed text, ticks, pairings and moved items are gone: the question is as first shown.
        assert screen_text(app) == before
        await pilot.press("enter")
        await settle(pilot)
        if name == "order":  # the start order is an answer of its own
            assert app.answers[-1].answer == OrderAnswer(sample.presentation.order)
        else:
            assert len(app.answers) == 1
            assert message_shown(app).startswith("! ")


async def test_a_quiz_answer_is_final():
    app = make_app("single", mode="quiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")
        await settle(pilot)
        assert verdict_shown(app) == "✗ Wrong · 0 of 1 point"
        assert not app.view.retry_button.display and not app.view.submit_button.display
        await pilot.press("r", "2", "enter")
        await app.view.reset_for_retry()
        await settle(pilot)
        assert len(app.answers) == 1
        assert verdict_shown(app).startswith("✗ Wrong")
        assert app.view.query_one(ChoiceList).selected == {1}


async def test_a_check_that_says_no_retry_offers_none():
    app = make_app("single", mode="check")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = CheckFeedback(Verdict.WRONG, (), None, can_retry=False)
        await app.view.show_result(shown)
        await settle(pilot)
        assert verdict_shown(app) == "✗ Wrong"
        assert not app.view.retry_button.display


async def test_a_question_answered_before_is_shown_read_only():
    answer = CategorizeAnswer({0: 0, 1: 1, 2: 0})
    result = grade(CATEGORIZE, answer)
    app = QuestionHarness(CATEGORIZE, SAMPLES["categorize"].presentation,
                          mode="review", answered=(answer, result))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert verdict_shown(app).startswith("◐ Partly right")
        text = screen_text(app)
        assert "Stem cells cure autism" in text and "1 Approved use" in text
        assert not app.view.submit_button.display
        await pilot.press("2", "enter")
        await settle(pilot)
        assert app.answers == []


async def test_enter_is_left_to_the_screen_once_a_quiz_question_is_answered():
    app = make_app("single", mode="quiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        assert app.view.check_action("submit", ()) is False
        assert app.view.check_action("hint", ()) is False
        assert app.view.check_action("retry", ()) is False
        # Arrows and digits go on to the screen (for scrolling, next and back).
        assert app.view.answer_input.check_action("move", (1,)) is False
        assert app.view.answer_input.check_action("pick", (1,)) is False


async def test_without_colour_right_and_wrong_still_read_by_their_marks(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("order")
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "✗ Wrong" in text
        assert "✓ Phase III: In the right place." in text
        assert "✗ Phase II: Not in the right place." in text


# --- Text from the course is shown as written ----------------------------------------------------


async def test_markup_in_a_prompt_and_options_is_shown_literally():
    question = SingleQuestion(
        id="markup",
        type="single",
        prompt="Is [bold]this[/bold] or [link=https://x.example]that[/link] shown?",
        options=(
            Option(text="[red]Literal[/red] text", correct=True, feedback="[b]kept[/b]"),
            Option(text="[link=x]click[/link]"),
        ),
    )
    app = QuestionHarness(question, Presentation(order=(0, 1)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Is [bold]this[/bold] or [link=https://x.example]that[/link] shown?" in text
        assert "[red]Literal[/red] text" in text
        assert "[link=x]click[/link]" in text
        await pilot.press("1", "enter")
        await settle(pilot)
        assert "✓ [red]Literal[/red] text: [b]kept[/b]" in screen_text(app)

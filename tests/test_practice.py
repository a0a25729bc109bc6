"""Practice checks: retry until right, feedback each time, the first try kept."""

from __future__ import annotations

import pytest

from quizzes.answers import AnswerError, ChoiceAnswer, MatchAnswer, TextAnswer
from quizzes.grading import Verdict
from quizzes.practice import CheckOver, PracticeCheck
from quizzes.questions import MatchQuestion, MultipleQuestion, Option, ShortQuestion

MULTIPLE = MultipleQuestion(
    type="multiple",
    id="msc-risks",
    prompt="Which are documented risks?",
    options=(
        Option(text="Infection", correct=True, feedback="Contaminated products."),
        Option(text="Embolism", correct=True, feedback="Cells clump in the lungs."),
        Option(text="Telepathy", feedback="No."),
    ),
    explanation="Both are reported after clinic infusions.",
    hint="Think of what goes into a vein.",
)


def test_a_wrong_try_shows_feedback_on_the_picks_but_holds_back_the_answer() -> None:
    check = PracticeCheck(MULTIPLE, "ada")
    shown = check.attempt(ChoiceAnswer({0, 2}))
    assert shown.verdict is Verdict.WRONG
    assert [item.text for item in shown.feedback] == ["Contaminated products.", "No."]
    assert shown.explanation is None
    assert shown.can_retry


def test_retrying_until_right_shows_the_explanation_and_keeps_the_first_try() -> None:
    check = PracticeCheck(MULTIPLE, "ada")
    check.attempt(ChoiceAnswer({0}))
    check.attempt(ChoiceAnswer({0, 2}))
    shown = check.attempt(ChoiceAnswer({0, 1}))
    assert shown.verdict is Verdict.RIGHT
    assert shown.explanation == "Both are reported after clinic infusions."
    assert not shown.can_retry
    assert check.solved and check.over
    assert len(check.tries) == 3
    assert check.first_try is not None
    assert check.first_try.verdict is Verdict.PARTLY
    assert check.first_try.score == 0.5


def test_a_malformed_answer_is_not_a_try() -> None:
    check = PracticeCheck(MULTIPLE)
    with pytest.raises(AnswerError):
        check.attempt(ChoiceAnswer(set()))
    assert check.tries == []
    assert check.first_try is None


def test_a_solved_check_takes_no_more_answers() -> None:
    check = PracticeCheck(MULTIPLE)
    check.attempt(ChoiceAnswer({0, 1}))
    with pytest.raises(CheckOver):
        check.attempt(ChoiceAnswer({0}))
    assert len(check.tries) == 1


def test_asking_for_the_answer_ends_the_check_and_gives_the_correct_answer() -> None:
    check = PracticeCheck(MULTIPLE)
    check.attempt(ChoiceAnswer({2}))
    assert check.reveal() == ChoiceAnswer({0, 1})
    assert check.over and not check.solved
    with pytest.raises(CheckOver):
        check.attempt(ChoiceAnswer({0, 1}))
    assert check.first_try is not None and check.first_try.verdict is Verdict.WRONG


def test_a_regex_check_without_a_plain_answer_reveals_none() -> None:
    question = ShortQuestion(
        type="short", id="ind", prompt="Which?", accept=(r"I\.?N\.?D\.?",), match="regex"
    )
    check = PracticeCheck(question)
    shown = check.attempt(TextAnswer("NDA"))
    assert [item.text for item in shown.feedback] == ["Not accepted."]
    assert check.reveal() is None


def test_per_item_feedback_says_which_pairs_are_wrong_without_saying_the_right_ones() -> None:
    question = MatchQuestion(
        type="match",
        id="terms",
        prompt="Match.",
        pairs=(("Autologous", "Own body"), ("Allogeneic", "Donor")),
    )
    shown = PracticeCheck(question).attempt(MatchAnswer({0: "r1", 1: "r0"}))
    assert [(item.about, item.right) for item in shown.feedback] == [
        ("Autologous", False),
        ("Allogeneic", False),
    ]
    assert not any("Goes with" in item.text for item in shown.feedback)


def test_a_hint_is_recorded_with_the_tries_that_follow() -> None:
    check = PracticeCheck(MULTIPLE)
    assert check.use_hint() == "Think of what goes into a vein."
    check.attempt(ChoiceAnswer({0, 1}))
    assert check.first_try is not None and check.first_try.hint_used
    assert check.to_data()["hint_used"] is True


def test_the_saved_record_keeps_the_first_try_and_the_number_of_tries() -> None:
    check = PracticeCheck(MULTIPLE)
    check.attempt(ChoiceAnswer({2}))
    check.attempt(ChoiceAnswer({0, 1}))
    data = check.to_data()
    assert data["question"] == "msc-risks"
    assert data["tries"] == 2
    assert data["solved"] is True
    assert data["first_try"]["verdict"] == "wrong"


def test_with_the_answer_the_last_try_says_what_it_held_back_about_its_parts() -> None:
    check = PracticeCheck(MULTIPLE, "ada")
    assert check.feedback_with_answer() == ()
    check.attempt(ChoiceAnswer({2}))
    check.attempt(ChoiceAnswer({0, 2}))
    check.reveal()
    assert [item.text for item in check.feedback_with_answer()] == [
        "Contaminated products.", "You missed this correct option. Cells clump in the lungs.",
        "No."]


def test_with_the_answer_a_typed_try_does_not_repeat_it() -> None:
    question = ShortQuestion(type="short", id="s", prompt="?", accept=("IND",))
    check = PracticeCheck(question, "ada")
    check.attempt(TextAnswer("NDA"))
    check.reveal()
    assert check.feedback_with_answer() == ()

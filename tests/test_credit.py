"""Part credit: options, typed answers and numbers worth a share of a question's points."""

from __future__ import annotations

from typing import Any

import pytest

from course.record.progress.scheduling import Rating, rating_for_result
from quizzes.answers import ChoiceAnswer, TextAnswer
from quizzes.grading import Verdict, correct_answer, grade, shown_accept
from quizzes.practice import PracticeCheck
from quizzes.questions import (
    MultipleQuestion,
    NumericQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    validated,
)
from quizzes.wording import answer_text, feedback_lines


def question(**data: Any) -> Any:
    """A question checked as the course loader checks it."""
    return validated(Question, {"id": "q", "prompt": "?", **data})


# Moodle's own example of a one-answer question whose wrong answers earn part of the mark.
NAZARETH: SingleQuestion = question(type="single", points=4, options=[
    {"text": "Jerusalem"},
    {"text": "Bethlehem", "credit": 0.25, "feedback": "He was born there."},
    {"text": "Galilee", "credit": 0.5},
    {"text": "Nazareth", "correct": True},
])


def test_a_wrong_option_with_credit_earns_its_share_and_is_partly_right() -> None:
    result = grade(NAZARETH, ChoiceAnswer([1]))
    assert (result.score, result.points, result.verdict) == (1.0, 4, Verdict.PARTLY)
    assert [f.text for f in result.feedback] == ["Part credit: 25% of the points.",
                                                 "He was born there."]
    assert not any(f.right for f in result.feedback)
    assert grade(NAZARETH, ChoiceAnswer([2])).score == 2.0


def test_the_correct_option_earns_full_points_and_options_without_credit_nothing() -> None:
    assert grade(NAZARETH, ChoiceAnswer([3])).verdict is Verdict.RIGHT
    wrong = grade(NAZARETH, ChoiceAnswer([0]))
    assert (wrong.score, wrong.verdict) == (0.0, Verdict.WRONG)
    assert correct_answer(NAZARETH) == ChoiceAnswer([3])


def test_the_answer_in_words_names_the_part_credit() -> None:
    assert answer_text(NAZARETH) == "Nazareth; part credit for Bethlehem (25%), Galilee (50%)"


def by_credit(**changes: Any) -> MultipleQuestion:
    data: dict[str, Any] = {"type": "multiple", "points": 2, "options": [
        {"text": "Infection", "correct": True, "credit": 0.5},
        {"text": "Blood clots", "correct": True, "credit": 0.5},
        {"text": "Eternal youth", "credit": -1, "feedback": "No such effect."},
        {"text": "Hair loss"},
    ]}
    data.update(changes)
    built: MultipleQuestion = question(**data)
    return built


@pytest.mark.parametrize(("picked", "score", "verdict"), [
    ([0, 1], 2.0, Verdict.RIGHT),
    ([0], 1.0, Verdict.PARTLY),
    ([0, 1, 3], 2.0, Verdict.RIGHT),  # an option with no credit costs nothing
    ([0, 1, 2], 0.0, Verdict.WRONG),  # 0.5 + 0.5 - 1
    ([0, 2], 0.0, Verdict.WRONG),  # below 0 is 0
    ([3], 0.0, Verdict.WRONG),
])
def test_multiple_by_credit_adds_up_the_credits_picked_between_0_and_1(
        picked: list[int], score: float, verdict: Verdict) -> None:
    result = grade(by_credit(), ChoiceAnswer(picked))
    assert (result.score, result.verdict) == (score, verdict)


def test_a_negative_credit_picked_says_what_it_cost() -> None:
    result = grade(by_credit(), ChoiceAnswer([0, 1, 2]))
    lines = feedback_lines(result.feedback)
    assert ("Eternal youth", False, "Takes back 100% of the points. No such effect.") in lines


def test_thirds_as_moodle_writes_them_add_up_to_full_points() -> None:
    thirds = question(type="multiple", options=[
        {"text": t, "correct": True, "credit": 0.3333333} for t in ("A", "B", "C")
    ] + [{"text": "D", "credit": -0.3333333}])
    assert grade(thirds, ChoiceAnswer([0, 1, 2])).verdict is Verdict.RIGHT
    assert grade(thirds, ChoiceAnswer([0, 1])).score == pytest.approx(2 / 3)


def test_multiple_without_credit_scores_right_picks_less_wrong_picks_as_before() -> None:
    plain = by_credit(options=[{"text": "A", "correct": True}, {"text": "B", "correct": True},
                               {"text": "C"}])
    assert not plain.by_credit
    assert grade(plain, ChoiceAnswer([0, 2])).score == 0.0
    assert grade(plain, ChoiceAnswer([0])).score == 1.0


IND: ShortQuestion = question(
    type="short",
    accept=["IND", {"text": "Investigational New Drug", "feedback": "Yes: the IND."},
            {"text": "drug application", "credit": 0.5, "feedback": "Which one?"},
            {"text": "new drug", "credit": 0.25}],
    wrong=[{"text": "NDA", "feedback": "An NDA asks to sell a drug, not to test it."}],
)


def test_a_short_answer_with_part_credit_earns_it_and_shows_its_feedback() -> None:
    result = grade(IND, TextAnswer("Drug application."))
    assert (result.score, result.verdict) == (0.5, Verdict.PARTLY)
    assert [(f.text, f.reveals_answer) for f in result.feedback] == [
        ("Part credit: 50% of the points.", False), ("Which one?", False),
        ("Expected: IND", True)]


def test_a_fully_right_answer_shows_its_own_feedback() -> None:
    result = grade(IND, TextAnswer("investigational new drug"))
    assert result.verdict is Verdict.RIGHT
    assert [(f.text, f.right) for f in result.feedback] == [("Yes: the IND.", True)]
    assert grade(IND, TextAnswer("IND")).feedback == ()


def test_an_expected_wrong_answer_gets_its_feedback_before_the_answer() -> None:
    result = grade(IND, TextAnswer("nda"))
    assert (result.score, result.verdict) == (0.0, Verdict.WRONG)
    assert [f.text for f in result.feedback] == [
        "An NDA asks to sell a drug, not to test it.", "Expected: IND"]
    assert [f.text for f in grade(IND, TextAnswer("BLA")).feedback] == ["Expected: IND"]


def test_an_answer_matching_several_entries_earns_the_highest_credit() -> None:
    overlapping = question(type="short", match="regex", accept=[
        {"text": "(?i).*drug.*", "credit": 0.25}, {"text": "(?i)new drug", "credit": 0.5},
        "IND"])
    assert grade(overlapping, TextAnswer("new drug")).score == 0.5
    assert grade(overlapping, TextAnswer("a drug")).score == 0.25
    assert shown_accept(overlapping) == "IND"


def test_the_answer_shown_is_the_first_worth_full_credit() -> None:
    first_partial = question(type="short", accept=[{"text": "drug", "credit": 0.5}, "IND"])
    assert shown_accept(first_partial) == "IND"
    assert correct_answer(first_partial) == TextAnswer("IND")
    assert answer_text(IND) == ("IND (also accepted: Investigational New Drug); part credit for"
                                " drug application (50%), new drug (25%)")


def test_a_typo_in_a_part_credit_answer_earns_the_part() -> None:
    typo = question(type="short", allow_typo=True,
                    accept=["placebo", {"text": "dummy tablet", "credit": 0.5}])
    result = grade(typo, TextAnswer("dummy tablett"))
    assert (result.score, result.verdict) == (0.5, Verdict.PARTLY)


DOSE: NumericQuestion = question(type="numeric", unit="million", answers=[
    {"answer": 2, "tolerance": 0.5, "feedback": "Right: about 2 million per kilogram."},
    {"answer": 2, "tolerance": 1, "credit": 0.5, "feedback": "Close."},
    {"answer": 10, "credit": 0.1},
])


def test_a_number_within_a_part_credit_answer_earns_its_share() -> None:
    result = grade(DOSE, TextAnswer("2.8"))
    assert (result.score, result.verdict) == (0.5, Verdict.PARTLY)
    assert [(f.text, f.reveals_answer) for f in result.feedback] == [
        ("Part credit: 50% of the points.", False), ("Close.", False),
        ("The answer: 2 million (1.5 to 2.5 million accepted).", True)]


def test_a_number_within_several_answers_earns_the_highest_credit() -> None:
    result = grade(DOSE, TextAnswer("2.4"))
    assert result.verdict is Verdict.RIGHT
    assert [f.text for f in result.feedback] == [
        "Accepted: the exact answer is 2 million.", "Right: about 2 million per kilogram."]
    assert grade(DOSE, TextAnswer("10")).score == pytest.approx(0.1)


def test_a_number_far_off_every_answer_is_too_high_or_low_of_the_full_credit_one() -> None:
    result = grade(DOSE, TextAnswer("5"))
    assert result.verdict is Verdict.WRONG
    assert result.feedback[0].text == "Too high."


def test_the_full_credit_number_is_the_right_one_however_it_is_written() -> None:
    assert DOSE.full_credit.answer == 2 and DOSE.full_credit.tolerance == 0.5
    assert correct_answer(DOSE) == TextAnswer("2")
    one = question(type="numeric", answer=2024)
    assert (one.full_credit.answer, one.full_credit.tolerance) == (2024, 0)
    assert answer_text(DOSE) == ("2 million (1.5 to 2.5 million accepted); part credit for"
                                 " 1 to 3 million (50%), 10 million (10%)")


def test_part_credit_counts_as_not_fully_right_in_review_scheduling() -> None:
    assert rating_for_result(grade(NAZARETH, ChoiceAnswer([1]))) is Rating.Hard
    assert rating_for_result(grade(NAZARETH, ChoiceAnswer([3]))) is Rating.Good
    assert rating_for_result(grade(NAZARETH, ChoiceAnswer([0]))) is Rating.Again


def test_a_practice_check_keeps_the_answer_back_after_part_credit() -> None:
    check = PracticeCheck(IND, "ana")
    shown = check.attempt(TextAnswer("drug application"))
    assert shown.verdict is Verdict.PARTLY and shown.can_retry
    assert [f.text for f in shown.feedback] == ["Part credit: 50% of the points.", "Which one?"]

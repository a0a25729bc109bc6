"""How results are put into words: feedback in the order shown, and the answer when shown."""

from __future__ import annotations

import pytest

from quizzes.answers import CategorizeAnswer, ChoiceAnswer, TextAnswer
from quizzes.grading import Feedback, grade
from quizzes.presentation import Presentation
from quizzes.questions import (
    CategorizedItem,
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from quizzes.wording import FeedbackLine, answer_line, answer_text, feedback_lines

MULTIPLE = MultipleQuestion(
    type="multiple",
    id="risks",
    prompt="Which are documented risks?",
    options=(
        Option(text="Infection", correct=True, feedback="Contamination."),
        Option(text="Blood clots", correct=True, feedback="Clots."),
        Option(text="Eternal youth", feedback="No such effect."),
        Option(text="Tumours", correct=True, feedback="Case reports."),
    ),
)

CATEGORIZE = CategorizeQuestion(
    type="categorize",
    id="sources",
    prompt="Sort each source of cells.",
    categories=("Adult tissue", "Birth tissue"),
    items=(
        CategorizedItem(text="Bone marrow", category="Adult tissue"),
        CategorizedItem(text="Umbilical cord", category="Birth tissue"),
        CategorizedItem(text="Adipose tissue", category="Adult tissue"),
    ),
)


def abouts(lines: list[FeedbackLine]) -> list[str]:
    """What each line is about, in order."""
    return [line.about for line in lines]


def test_multiple_feedback_is_listed_in_the_order_the_options_were_shown() -> None:
    shown = Presentation(order=(3, 2, 1, 0))  # Tumours, Eternal youth, Blood clots, Infection
    result = grade(MULTIPLE, ChoiceAnswer({2, 0}))
    assert abouts(feedback_lines(result.feedback)) == [
        "Infection", "Blood clots", "Eternal youth", "Tumours"]
    assert abouts(feedback_lines(result.feedback, MULTIPLE, shown)) == [
        "Tumours", "Eternal youth", "Blood clots", "Infection"]


def test_categorize_feedback_is_listed_in_the_order_the_items_were_shown() -> None:
    shown = Presentation(order=(1, 0, 2))
    result = grade(CATEGORIZE, CategorizeAnswer({0: 1, 1: 1, 2: 0}))
    lines = feedback_lines(result.feedback, CATEGORIZE, shown)
    assert abouts(lines) == ["Umbilical cord", "Bone marrow", "Adipose tissue"]
    assert lines[1] == FeedbackLine(
        "Bone marrow", False, "Put in “Birth tissue”. Belongs in “Adult tissue”.")


def test_a_presentation_that_no_longer_fits_leaves_the_authored_order() -> None:
    result = grade(MULTIPLE, ChoiceAnswer({2}))
    lines = feedback_lines(result.feedback, MULTIPLE, Presentation(order=(1, 0)))
    assert abouts(lines) == ["Infection", "Blood clots", "Eternal youth", "Tumours"]


def test_pieces_about_one_part_are_joined_into_one_line_marked_wrong_if_any_is() -> None:
    pieces = [Feedback("l0", "Autologous", "Paired with “A”.", False),
              Feedback("l0", "Autologous", "Goes with “B”.", False, True),
              Feedback("l1", "Allogeneic", "Paired with “C”.", True)]
    assert feedback_lines(pieces) == [
        FeedbackLine("Autologous", False, "Paired with “A”. Goes with “B”."),
        FeedbackLine("Allogeneic", True, "Paired with “C”.")]


def numeric(tolerance: float = 0, unit: str = "") -> NumericQuestion:
    """A numeric question whose answer is 55."""
    return NumericQuestion(type="numeric", id="n", prompt="How many?", answer=55,
                           tolerance=tolerance, unit=unit)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (SingleQuestion(type="single", id="s", prompt="?", options=(
            Option(text="Paracrine signalling", correct=True), Option(text="Fusion"))),
         "Paracrine signalling"),
        (TrueFalseQuestion(type="true_false", id="t", prompt="?", answer=False), "False"),
        (ShortQuestion(type="short", id="sh", prompt="?",
                       accept=("IND", "Investigational New Drug")),
         "IND (also accepted: Investigational New Drug)"),
        (ShortQuestion(type="short", id="sh", prompt="?", accept=("placebo",)), "placebo"),
        (numeric(), "55"),
        (numeric(1), "55 (54 to 56 accepted)"),
        (numeric(0.5, "mL"), "55 mL (54.5 to 55.5 mL accepted)"),
        (OrderQuestion(type="order", id="o", prompt="?", items=("Phase I", "Phase II")),
         "Phase I → Phase II"),
        (MatchQuestion(type="match", id="m", prompt="?",
                       pairs=(("Auto", "Self"), ("Allo", "Donor")), distractors=("Animal",)),
         "Auto → Self; Allo → Donor"),
    ],
)
def test_the_answer_is_worded_for_each_type(question: Question, expected: str) -> None:
    assert answer_text(question) == expected
    assert answer_line(question) == f"The answer: {expected}"


def test_the_answer_names_options_and_items_in_the_order_they_were_shown() -> None:
    assert answer_text(MULTIPLE, Presentation(order=(3, 2, 1, 0))) == (
        "Tumours, Blood clots, Infection")
    assert answer_text(CATEGORIZE, Presentation(order=(2, 1, 0))) == (
        "Adult tissue: Adipose tissue, Bone marrow; Birth tissue: Umbilical cord")


def test_a_short_answer_of_patterns_only_has_no_answer_to_write_down() -> None:
    question = ShortQuestion(type="short", id="r", prompt="?", accept=(r"I\.?N\.?D\.?",),
                             match="regex")
    assert answer_text(question) is None
    assert answer_line(question) == "No single answer can be written down here."
    assert grade(question, TextAnswer("IND")).is_right

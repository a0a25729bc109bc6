"""grade(question, answer): right, wrong, partly right and malformed answers for every type."""

from __future__ import annotations

import pytest

from quizzes.answers import (
    Answer,
    AnswerError,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
)
from quizzes.grading import Feedback, Result, Verdict, correct_answer, grade
from quizzes.questions import (
    CategorizedItem,
    CategorizeQuestion,
    ContentError,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseFeedback,
    TrueFalseQuestion,
)

SINGLE = SingleQuestion(
    type="single",
    id="msc-main-mechanism",
    prompt="What is the main proposed mechanism of IV-infused MSCs?",
    options=(
        Option(
            text="Paracrine signalling", correct=True, feedback="They act by what they secrete."
        ),
        Option(text="Becoming new tissue", feedback="Engraftment is low."),
        Option(text="Cell fusion"),
    ),
    explanation="Most infused cells are trapped in the lungs.",
    refs=("galipeau-2018",),
)


def multiple(scoring: str = "partial", points: float = 3) -> MultipleQuestion:
    """Three correct options (0, 1, 2) and one wrong one (3)."""
    return MultipleQuestion(
        type="multiple",
        id="msc-risks",
        prompt="Which are documented risks of unapproved IV cell products?",
        options=(
            Option(text="Infection", correct=True, feedback="Contaminated products."),
            Option(text="Pulmonary embolism", correct=True, feedback="Cells clump in the lungs."),
            Option(text="Tumour formation", correct=True),
            Option(text="Telepathy", feedback="No."),
        ),
        scoring=scoring,
        points=points,
    )


TRUE_FALSE = TrueFalseQuestion(
    type="true_false",
    id="hsct-approved",
    prompt="HSCT is approved for some blood cancers.",
    answer=True,
    feedback=TrueFalseFeedback(true="Yes, for decades.", false="It is approved."),
)


def short(
    match: str = "normalized", accept: tuple[str, ...] = ("IND",), **extra: bool
) -> ShortQuestion:
    """A short question with the given accepted answers."""
    return ShortQuestion(
        type="short",
        id="ind-expansion",
        prompt="Which FDA application lets a sponsor test an unapproved biologic?",
        accept=accept,
        match=match,
        **extra,
    )


def numeric(answer: float = 2024, tolerance: float = 0, unit: str = "") -> NumericQuestion:
    """A numeric question."""
    return NumericQuestion(
        type="numeric",
        id="ryoncil-year",
        prompt="In what year?",
        answer=float(answer),
        tolerance=float(tolerance),
        unit=unit,
    )


def order(scoring: str = "all_or_nothing") -> OrderQuestion:
    """Four items, written in the correct order."""
    return OrderQuestion(
        type="order",
        id="trial-phases",
        prompt="Put the phases in order.",
        items=("Phase I", "Phase II", "Phase III", "Approval decision"),
        scoring=scoring,
    )


def match(scoring: str = "partial") -> MatchQuestion:
    """Two pairs and one distractor."""
    return MatchQuestion(
        type="match",
        id="match-terms",
        prompt="Match each term to its meaning.",
        pairs=(("Autologous", "From the patient's own body"), ("Allogeneic", "From a donor")),
        distractors=("From an animal",),
        scoring=scoring,
    )


def categorize(scoring: str = "partial", points: float = 2) -> CategorizeQuestion:
    """Four items in three categories."""
    return CategorizeQuestion(
        type="categorize",
        id="claim-triage",
        prompt="Sort each claim by its evidence.",
        categories=("Approved use", "Investigational", "Unsupported"),
        items=(
            CategorizedItem(text="HSCT for leukaemia", category="Approved use"),
            CategorizedItem(text="IV MSCs for MS", category="Investigational"),
            CategorizedItem(text="Stem cells reverse ageing", category="Unsupported"),
            CategorizedItem(text="Cord blood cures autism", category="Unsupported"),
        ),
        scoring=scoring,
        points=points,
    )


def texts(result: Result) -> list[str]:
    """The feedback texts of a result, in order."""
    return [item.text for item in result.feedback]


# --- Every type -------------------------------------------------------------------------------

EVERY_TYPE: list[Question] = [
    SINGLE,
    multiple(),
    TRUE_FALSE,
    short(),
    numeric(),
    order(),
    match(),
    categorize(),
]


@pytest.mark.parametrize("question", EVERY_TYPE, ids=lambda q: q.type)
def test_the_correct_answer_of_every_type_is_right_with_full_points(question: Question) -> None:
    answer = correct_answer(question)
    assert answer is not None
    result = grade(question, answer)
    assert result.verdict is Verdict.RIGHT
    assert result.score == question.points


ASKED_FOR = {
    "single": "Choose one option.",
    "multiple": "Choose one or more options.",
    "true_false": "Answer true or false.",
    "short": "Type an answer.",
    "numeric": "Type a number.",
    "order": "Put the items in order.",
    "match": "Pair each item on the left with one on the right.",
    "categorize": "Put each item in a category.",
}
"""What the learner is told to give, by question type, when the answer is of another kind."""


@pytest.mark.parametrize("question", EVERY_TYPE, ids=lambda q: q.type)
def test_an_answer_of_another_type_is_an_answer_error_saying_what_to_give(
        question: Question) -> None:
    wrong_kind: Answer = TextAnswer("x") if question.type != "short" else BoolAnswer(True)
    if question.type == "numeric":
        wrong_kind = OrderAnswer((0, 1))
    with pytest.raises(AnswerError) as caught:
        grade(question, wrong_kind)
    assert caught.value.message == ASKED_FOR[question.type]


def test_the_result_carries_the_explanation_the_references_and_the_hint_use() -> None:
    result = grade(SINGLE, ChoiceAnswer({1}), hint_used=True)
    assert result.explanation == "Most infused cells are trapped in the lungs."
    assert result.refs == ("galipeau-2018",)
    assert result.hint_used is True


def test_a_hint_does_not_lower_the_score() -> None:
    assert grade(SINGLE, ChoiceAnswer({0}), hint_used=True).score == SINGLE.points


def test_a_result_survives_a_round_trip_through_plain_data() -> None:
    result = grade(multiple(), ChoiceAnswer({0, 3}), hint_used=True)
    assert Result.from_data(result.to_data()) == result


# --- single -----------------------------------------------------------------------------------


def test_single_right_option_scores_full_points_with_its_feedback_marked_right() -> None:
    result = grade(SINGLE, ChoiceAnswer({0}))
    assert (result.score, result.verdict) == (1.0, Verdict.RIGHT)
    assert result.feedback == (
        Feedback("o0", "Paracrine signalling", "They act by what they secrete.", True),
    )


def test_single_wrong_option_scores_zero_with_that_options_feedback_marked_wrong() -> None:
    result = grade(SINGLE, ChoiceAnswer({1}))
    assert (result.score, result.verdict) == (0.0, Verdict.WRONG)
    assert result.feedback == (Feedback("o1", "Becoming new tissue", "Engraftment is low.", False),)


def test_single_option_without_feedback_gives_no_feedback_item() -> None:
    assert grade(SINGLE, ChoiceAnswer({2})).feedback == ()


@pytest.mark.parametrize(
    ("chosen", "says"),
    [(set(), "Choose one option"), ({0, 1}, "only one"), ({3}, "no option 3"), ({-1}, "no option")],
)
def test_single_with_no_two_or_unknown_options_is_an_answer_error(
    chosen: set[int], says: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        grade(SINGLE, ChoiceAnswer(chosen))
    assert says in caught.value.message


# --- multiple ---------------------------------------------------------------------------------


def test_multiple_all_correct_options_and_nothing_else_scores_full_points() -> None:
    result = grade(multiple(), ChoiceAnswer({0, 1, 2}))
    assert (result.score, result.verdict) == (3.0, Verdict.RIGHT)


def test_multiple_partial_gives_a_share_per_right_pick() -> None:
    result = grade(multiple(), ChoiceAnswer({0, 1}))
    assert (result.score, result.verdict) == (2.0, Verdict.PARTLY)


def test_multiple_partial_subtracts_wrong_picks_and_never_goes_below_zero() -> None:
    assert grade(multiple(), ChoiceAnswer({0, 1, 3})).score == 1.0
    assert grade(multiple(), ChoiceAnswer({0, 1, 2, 3})).score == 2.0
    one_right_one_wrong = grade(multiple(), ChoiceAnswer({0, 3}))
    assert (one_right_one_wrong.score, one_right_one_wrong.verdict) == (0.0, Verdict.WRONG)
    only_wrong = grade(multiple(), ChoiceAnswer({3}))
    assert only_wrong.score == 0.0


def test_multiple_all_or_nothing_gives_nothing_for_a_partly_right_answer() -> None:
    question = multiple("all_or_nothing")
    assert grade(question, ChoiceAnswer({0, 1})).score == 0.0
    assert grade(question, ChoiceAnswer({0, 1, 2, 3})).score == 0.0
    assert grade(question, ChoiceAnswer({0, 1, 2})).score == 3.0


def test_multiple_feedback_covers_each_pick_and_notes_each_missed_correct_option() -> None:
    result = grade(multiple(), ChoiceAnswer({0, 3}))
    assert result.feedback == (
        Feedback("o0", "Infection", "Contaminated products.", True),
        Feedback(
            "o1",
            "Pulmonary embolism",
            "You missed this correct option. Cells clump in the lungs.",
            False,
            reveals_answer=True,
        ),
        Feedback("o2", "Tumour formation", "You missed this correct option.", False, True),
        Feedback("o3", "Telepathy", "No.", False),
    )


@pytest.mark.parametrize("chosen", [set(), {4}, {0, 9}])
def test_multiple_with_no_option_or_an_unknown_one_is_an_answer_error(chosen: set[int]) -> None:
    with pytest.raises(AnswerError):
        grade(multiple(), ChoiceAnswer(chosen))


# --- true_false -------------------------------------------------------------------------------


def test_true_false_right_answer_scores_full_points_with_its_feedback() -> None:
    result = grade(TRUE_FALSE, BoolAnswer(True))
    assert (result.score, result.verdict) == (1.0, Verdict.RIGHT)
    assert texts(result) == ["Yes, for decades."]


def test_true_false_wrong_answer_scores_zero_with_the_feedback_for_that_answer() -> None:
    result = grade(TRUE_FALSE, BoolAnswer(False))
    assert (result.score, result.verdict) == (0.0, Verdict.WRONG)
    assert result.feedback == (Feedback("answer", "False", "It is approved.", False),)


def test_true_false_choice_answer_is_an_answer_error() -> None:
    with pytest.raises(AnswerError):
        grade(TRUE_FALSE, ChoiceAnswer({0}))


# --- short ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["IND", " ind ", "I.N.D.", "Investigational  New Drug!", "investigational new drug"]
)
def test_short_normalized_accepts_case_spacing_and_punctuation_variants(typed: str) -> None:
    question = short(accept=("IND", "Investigational New Drug"))
    assert grade(question, TextAnswer(typed)).verdict is Verdict.RIGHT


def test_short_wrong_answer_says_the_first_accepted_answer_was_expected() -> None:
    question = short(accept=("IND", "Investigational New Drug"))
    result = grade(question, TextAnswer("NDA"))
    assert (result.score, result.verdict) == (0.0, Verdict.WRONG)
    assert result.feedback == (Feedback("answer", "NDA", "Expected: IND", False, True),)


def test_short_accents_count_unless_the_author_turns_ignore_accents_on() -> None:
    assert grade(short(accept=("Café",)), TextAnswer("cafe")).verdict is Verdict.WRONG
    lenient = short(accept=("Café",), ignore_accents=True)
    assert grade(lenient, TextAnswer("CAFE")).verdict is Verdict.RIGHT


def test_short_exact_needs_the_same_characters_but_forgives_spaces_at_the_ends() -> None:
    question = short("exact", accept=("IND",))
    assert grade(question, TextAnswer(" IND ")).verdict is Verdict.RIGHT
    assert grade(question, TextAnswer("ind")).verdict is Verdict.WRONG
    assert grade(question, TextAnswer("IND.")).verdict is Verdict.WRONG


def test_short_regex_must_match_the_whole_answer() -> None:
    question = short("regex", accept=(r"IND|I\.N\.D\.",))
    assert grade(question, TextAnswer("I.N.D.")).verdict is Verdict.RIGHT
    assert grade(question, TextAnswer("INDIA")).verdict is Verdict.WRONG
    assert grade(question, TextAnswer("the IND")).verdict is Verdict.WRONG


def test_short_regex_shows_a_plain_accept_entry_but_never_a_pattern() -> None:
    plain_second = short("regex", accept=(r"I\.?N\.?D\.?", "IND"))
    assert texts(grade(plain_second, TextAnswer("NDA"))) == ["Expected: IND"]
    only_patterns = short("regex", accept=(r"I\.?N\.?D\.?",))
    result = grade(only_patterns, TextAnswer("NDA"))
    assert result.feedback == (Feedback("answer", "NDA", "Not accepted.", False),)


def test_short_typos_are_not_forgiven_unless_the_author_allows_them() -> None:
    assert grade(short(accept=("placebo",)), TextAnswer("placbo")).verdict is Verdict.WRONG
    assert grade(short(accept=("placebo",), allow_typo=False),
                 TextAnswer("placbo")).verdict is Verdict.WRONG


@pytest.mark.parametrize("typed", ["placbo", "placeb0", "plazebo", "placeboo", "PLACEBOs"])
def test_short_allowing_typos_forgives_one_slip_in_a_long_word(typed: str) -> None:
    result = grade(short(accept=("placebo",), allow_typo=True), TextAnswer(typed))
    assert (result.score, result.verdict) == (1.0, Verdict.RIGHT)


def test_short_an_answer_accepted_with_a_typo_says_so_and_shows_the_spelling() -> None:
    result = grade(short(accept=("placebo",), allow_typo=True), TextAnswer(" placbo "))
    assert result.feedback == (
        Feedback("answer", "", "Accepted: “placebo” (you typed “placbo”).", True, True),)


def test_short_an_exact_answer_says_nothing_of_typos_when_they_are_allowed() -> None:
    assert grade(short(accept=("placebo",), allow_typo=True), TextAnswer("Placebo")).feedback == ()


@pytest.mark.parametrize(
    "typed",
    ["plcbo", "pacebos", "IDN", "NDA", "CD35+", "15 mg", "New Drg", "investigational new"],
)
def test_short_allowing_typos_forgives_no_more_than_one_slip_per_long_word(typed: str) -> None:
    question = short(accept=("placebo", "IND", "CD34+", "1.5 mg", "Investigational New Drug"),
                     allow_typo=True)
    assert grade(question, TextAnswer(typed)).verdict is Verdict.WRONG


def test_short_allowing_typos_forgives_a_slip_in_each_long_word_of_a_phrase() -> None:
    question = short(accept=("IND", "Investigational New Drug"), allow_typo=True)
    result = grade(question, TextAnswer("investigatonal new drug"))
    assert result.verdict is Verdict.RIGHT
    assert texts(result) == [
        "Accepted: “Investigational New Drug” (you typed “investigatonal new drug”)."]


def test_short_allowing_typos_keeps_ignoring_accents_when_asked() -> None:
    question = short(accept=("pénicilline",), allow_typo=True, ignore_accents=True)
    assert grade(question, TextAnswer("penicillin")).verdict is Verdict.RIGHT


@pytest.mark.parametrize("match", ["exact", "regex"])
def test_short_typos_can_only_be_allowed_with_normalized_matching(match: str) -> None:
    with pytest.raises(ContentError, match="allow_typo works with match: normalized only"):
        short(match, accept=("placebo",), allow_typo=True)


@pytest.mark.parametrize("typed", ["", "   "])
def test_short_empty_answer_is_an_answer_error_asking_for_an_answer(typed: str) -> None:
    with pytest.raises(AnswerError) as caught:
        grade(short(), TextAnswer(typed))
    assert caught.value.message == "Type an answer."


# --- numeric ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2024", " 2024 ", "2,024", "2024.0", "2.024e3"])
def test_numeric_accepts_the_number_however_it_is_typed(typed: str) -> None:
    assert grade(numeric(), TextAnswer(typed)).verdict is Verdict.RIGHT


def test_numeric_tolerance_is_inclusive_and_the_exact_answer_is_shown() -> None:
    question = numeric(answer=5, tolerance=0.5, unit="mL")
    edge = grade(question, TextAnswer("5.5 mL"))
    assert edge.verdict is Verdict.RIGHT
    assert texts(edge) == ["Accepted: the exact answer is 5 mL."]
    assert grade(question, TextAnswer("4.4")).verdict is Verdict.WRONG


def test_numeric_forgives_float_rounding() -> None:
    assert grade(numeric(answer=0.1 + 0.2), TextAnswer("0.3")).verdict is Verdict.RIGHT


def test_numeric_wrong_answer_says_too_high_then_the_answer_with_its_accepted_range() -> None:
    result = grade(numeric(answer=55, tolerance=1), TextAnswer("60"))
    assert (result.score, result.verdict) == (0.0, Verdict.WRONG)
    assert result.feedback == (
        Feedback("answer", "60", "Too high.", False),
        Feedback("answer", "60", "The answer: 55 (54 to 56 accepted).", False, True),
    )


def test_numeric_wrong_answer_below_the_range_says_too_low() -> None:
    assert texts(grade(numeric(answer=55, tolerance=1), TextAnswer("53.9")))[0] == "Too low."
    assert texts(grade(numeric(), TextAnswer("2023"))) == ["Too low.", "The answer: 2024."]


def test_numeric_the_answer_shows_the_unit_once_at_the_end_of_the_range() -> None:
    result = grade(numeric(answer=5, tolerance=0.5, unit="mL"), TextAnswer("6"))
    assert texts(result) == ["Too high.", "The answer: 5 mL (4.5 to 5.5 mL accepted)."]


def test_numeric_the_accepted_range_is_shown_without_rounding_noise() -> None:
    result = grade(numeric(answer=0.3, tolerance=0.1), TextAnswer("1"))
    assert texts(result)[-1] == "The answer: 0.3 (0.2 to 0.4 accepted)."


def test_numeric_too_high_or_low_is_kept_for_a_retry_and_the_answer_held_back() -> None:
    result = grade(numeric(answer=55, tolerance=1), TextAnswer("10"))
    kept = [item.text for item in result.feedback if not item.reveals_answer]
    assert kept == ["Too low."]


@pytest.mark.parametrize(("typed", "says"), [("1,5", "point"), ("abc", "not a number"), ("", "")])
def test_numeric_unreadable_answer_is_an_answer_error_the_learner_can_act_on(
    typed: str, says: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        grade(numeric(), TextAnswer(typed))
    assert says in caught.value.message
    assert caught.value.message


# --- order ------------------------------------------------------------------------------------


def test_order_in_the_authored_order_is_right() -> None:
    result = grade(order(), OrderAnswer((0, 1, 2, 3)))
    assert (result.score, result.verdict) == (1.0, Verdict.RIGHT)
    assert all(item.right for item in result.feedback)


def test_order_all_or_nothing_gives_nothing_for_one_swap() -> None:
    result = grade(order(), OrderAnswer((0, 2, 1, 3)))
    assert (result.score, result.verdict) == (0.0, Verdict.WRONG)


def test_order_partial_scores_the_share_of_items_in_their_place() -> None:
    result = grade(order("partial"), OrderAnswer((0, 2, 1, 3)))
    assert (result.score, result.verdict) == (0.5, Verdict.PARTLY)
    assert [item.right for item in result.feedback if item.ref != "answer"] == [
        True,
        False,
        False,
        True,
    ]


def test_order_partial_gives_nothing_when_every_item_is_shifted() -> None:
    assert grade(order("partial"), OrderAnswer((3, 0, 1, 2))).score == 0.0


def test_order_wrong_answer_reveals_the_correct_order() -> None:
    result = grade(order(), OrderAnswer((1, 0, 2, 3)))
    assert result.feedback[-1] == Feedback(
        "answer",
        "The correct order",
        "Phase I → Phase II → Phase III → Approval decision",
        False,
        True,
    )


@pytest.mark.parametrize(
    ("placed", "says"),
    [
        ((0, 1, 1, 3), "“Phase II” is placed twice"),
        ((0, 1, 2), "not placed yet: “Approval decision”"),
        ((0, 1, 2, 4), "no item 4"),
        ((0, 1, 2, 3, 0), "placed twice"),
    ],
)
def test_order_with_an_item_twice_missing_or_unknown_is_an_answer_error(
    placed: tuple[int, ...], says: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        grade(order(), OrderAnswer(placed))
    assert says in caught.value.message


# --- match ------------------------------------------------------------------------------------


def test_match_every_pair_right_scores_full_points() -> None:
    result = grade(match(), MatchAnswer({0: "r0", 1: "r1"}))
    assert (result.score, result.verdict) == (1.0, Verdict.RIGHT)


def test_match_partial_scores_the_share_of_pairs_and_a_distractor_counts_as_wrong() -> None:
    result = grade(match(), MatchAnswer({0: "r0", 1: "d0"}))
    assert (result.score, result.verdict) == (0.5, Verdict.PARTLY)
    assert result.feedback == (
        Feedback("l0", "Autologous", "Paired with “From the patient's own body”.", True),
        Feedback("l1", "Allogeneic", "Paired with “From an animal”.", False),
        Feedback("l1", "Allogeneic", "Goes with “From a donor”.", False, True),
    )


def test_match_swapped_pairs_score_nothing() -> None:
    assert grade(match(), MatchAnswer({0: "r1", 1: "r0"})).verdict is Verdict.WRONG


def test_match_all_or_nothing_gives_nothing_for_one_wrong_pair() -> None:
    assert grade(match("all_or_nothing"), MatchAnswer({0: "r0", 1: "d0"})).score == 0.0


@pytest.mark.parametrize(
    ("pairs", "says"),
    [
        ([(0, "r0"), (2, "r1")], "no item 2 on the left"),
        ([(0, "r0"), (1, "r7")], "no choice 'r7'"),
        ([(0, "r0"), (0, "r1"), (1, "d0")], "“Autologous” is paired twice"),
        ([(0, "r0"), (1, "r0")], "paired with both “Autologous” and “Allogeneic”"),
        ([(0, "r0")], "not paired yet: “Allogeneic”"),
    ],
)
def test_match_with_unknown_repeated_or_missing_pairings_is_an_answer_error(
    pairs: list[tuple[int, str]], says: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        grade(match(), MatchAnswer(pairs))
    assert says in caught.value.message


# --- categorize -------------------------------------------------------------------------------


def test_categorize_every_item_in_its_category_scores_full_points() -> None:
    result = grade(categorize(), CategorizeAnswer({0: 0, 1: 1, 2: 2, 3: 2}))
    assert (result.score, result.verdict) == (2.0, Verdict.RIGHT)


def test_categorize_partial_scores_the_share_of_items_in_the_right_category() -> None:
    result = grade(categorize(), CategorizeAnswer({0: 0, 1: 1, 2: 2, 3: 1}))
    assert (result.score, result.verdict) == (1.5, Verdict.PARTLY)
    assert result.feedback[-2:] == (
        Feedback("i3", "Cord blood cures autism", "Put in “Investigational”.", False),
        Feedback("i3", "Cord blood cures autism", "Belongs in “Unsupported”.", False, True),
    )


def test_categorize_all_or_nothing_gives_nothing_for_one_misplaced_item() -> None:
    answer = CategorizeAnswer({0: 0, 1: 1, 2: 2, 3: 1})
    assert grade(categorize("all_or_nothing"), answer).verdict is Verdict.WRONG


def test_categorize_everything_in_one_wrong_category_scores_nothing() -> None:
    answer = CategorizeAnswer({0: 1, 1: 0, 2: 0, 3: 0})
    assert grade(categorize(), answer).verdict is Verdict.WRONG


@pytest.mark.parametrize(
    ("placements", "says"),
    [
        ({0: 0, 1: 1, 2: 2}, "not placed yet: “Cord blood cures autism”"),
        ({0: 0, 1: 1, 2: 2, 3: 3}, "no category 3"),
        ({0: 0, 1: 1, 2: 2, 4: 2}, "no item 4"),
        ([(0, 0), (0, 1), (1, 1), (2, 2), (3, 2)], "placed twice"),
    ],
)
def test_categorize_with_a_missing_unknown_or_repeated_item_is_an_answer_error(
    placements: dict[int, int] | list[tuple[int, int]], says: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        grade(categorize(), CategorizeAnswer(placements))
    assert says in caught.value.message

"""Typed answers: reading what learners type, JSON round trips, and the readable rendering."""

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
    answer_from_json,
    describe,
    format_number,
    normalize_text,
    parse_number,
)
from quizzes.grading import correct_answer
from quizzes.questions import (
    CategorizedItem,
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderQuestion,
    SingleQuestion,
)

# --- Numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        (" 2024 ", 2024.0),
        ("2,024", 2024.0),
        ("1,000,000.25", 1_000_000.25),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e6", 1_000_000.0),
        ("2.5E-3", 0.0025),
        ("-3", -3.0),
        ("+7", 7.0),
        ("−3", -3.0),  # the Unicode minus sign a phone keyboard may give
        ("２０２４", 2024.0),  # full-width digits
    ],
)
def test_parse_number_reads_the_ways_people_type_numbers(typed: str, value: float) -> None:
    assert parse_number(typed) == value


def test_a_decimal_comma_is_refused_as_ambiguous_and_the_message_asks_for_a_point() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_number("1,5")
    assert "ambiguous" in caught.value.message
    assert "1.5" in caught.value.message
    assert "point" in caught.value.message


@pytest.mark.parametrize("typed", ["2,02,4", "1,0000,000", "1.234,5", "12,34,567"])
def test_commas_that_do_not_group_thousands_are_refused_as_malformed(typed: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_number(typed)
    assert "threes" in caught.value.message


@pytest.mark.parametrize("typed", ["abc", "", "   ", ".", "-", "12abc", "1/2"])
def test_text_that_is_not_a_number_is_refused_with_an_example_of_a_number(typed: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_number(typed)
    assert "2024" in caught.value.message


def test_two_decimal_points_are_refused_with_advice_to_use_one() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_number("1.2.3")
    assert "one point" in caught.value.message


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-Infinity", "1e999"])
def test_nan_infinity_and_overflow_are_refused(typed: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_number(typed)
    assert "ordinary number" in caught.value.message


def test_digits_split_by_spaces_are_refused_with_advice_to_remove_the_spaces() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_number("1 000")
    assert "without spaces" in caught.value.message


def test_the_questions_unit_may_follow_the_number_in_any_case() -> None:
    assert parse_number("5 mL", unit="mL") == 5.0
    assert parse_number("5ml", unit="mL") == 5.0
    assert parse_number("50 %", unit="%") == 50.0


def test_a_unit_the_question_does_not_use_is_not_a_number() -> None:
    with pytest.raises(AnswerError):
        parse_number("5 mL")
    with pytest.raises(AnswerError):
        parse_number("5 kg", unit="mL")


@pytest.mark.parametrize(
    ("value", "text"), [(2024.0, "2024"), (-3.0, "-3"), (1.5, "1.5"), (1e20, "1e+20")]
)
def test_format_number_writes_numbers_as_a_learner_would_type_them(value: float, text: str) -> None:
    assert format_number(value) == text
    assert parse_number(format_number(value)) == value


def test_a_whole_number_held_as_an_int_is_written_the_same() -> None:
    # A question built in code keeps the int it was given; on Python 3.11 an int has no
    # `is_integer`, which once stopped the grading bench.
    assert format_number(2024) == "2024"
    assert format_number(-3) == "-3"
    question = NumericQuestion(type="numeric", id="year", prompt="Year?", answer=2024)
    assert correct_answer(question) == TextAnswer("2024")


# --- Typed text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("IND", "ind"),
        ("IND.", " ind "),
        ("Investigational   New Drug", "investigational new drug"),
        ("“IND”!", "IND"),
        ("ＩＮＤ", "IND"),  # full-width letters, folded by NFKC
        ("straße", "STRASSE"),  # Unicode case folding, not just lower()
        ("non-homologous", "non homologous"),
        ("Crohn's disease", "Crohns disease"),
        ("COVID-19", "covid 19"),
    ],
)
def test_normalized_text_ignores_case_spacing_and_punctuation(one: str, other: str) -> None:
    assert normalize_text(one) == normalize_text(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("1.5 mg", "15 mg"),
        ("-80 °C", "80 °C"),
        ("CD34+", "CD34"),
        ("café", "cafe"),
    ],
)
def test_normalized_text_keeps_what_changes_the_meaning(one: str, other: str) -> None:
    assert normalize_text(one) != normalize_text(other)


def test_accents_are_ignored_only_when_asked() -> None:
    assert normalize_text("Café Ñandú", ignore_accents=True) == normalize_text("cafe nandu")
    assert normalize_text("Café") != normalize_text("cafe")


# --- JSON -------------------------------------------------------------------------------------

ALL_KINDS: list[Answer] = [
    ChoiceAnswer({2, 0}),
    BoolAnswer(False),
    TextAnswer("  Investigational New Drug “IND” "),
    OrderAnswer((2, 0, 1)),
    MatchAnswer({1: "d0", 0: "r1"}),
    CategorizeAnswer({0: 1, 1: 0, 2: 1}),
]


@pytest.mark.parametrize("answer", ALL_KINDS, ids=lambda a: type(a).__name__)
def test_every_kind_of_answer_survives_a_json_round_trip(answer: Answer) -> None:
    assert answer_from_json(answer.to_json()) == answer


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"kind": "nope"}',
        '{"kind": "choice", "options": ["a"]}',
        '{"kind": "choice", "options": [true]}',
        '{"kind": "bool", "value": 1}',
        '{"kind": "text"}',
        '{"kind": "match", "pairs": [[0, 1]]}',
        '{"kind": "categorize", "placements": [[0]]}',
    ],
)
def test_a_saved_answer_that_cannot_be_read_is_an_answer_error(text: str) -> None:
    with pytest.raises(AnswerError) as caught:
        answer_from_json(text)
    assert "could not be read" in caught.value.message


def test_a_match_answer_is_the_same_whether_built_from_a_mapping_or_pairs_in_any_order() -> None:
    assert MatchAnswer({0: "r1", 1: "r0"}) == MatchAnswer([(1, "r0"), (0, "r1")])


# --- Rendering --------------------------------------------------------------------------------

SINGLE = SingleQuestion(
    type="single",
    id="mechanism",
    prompt="Main mechanism?",
    options=(Option(text="Paracrine signalling", correct=True), Option(text="Engraftment")),
)


def test_describe_shows_the_text_of_the_chosen_option() -> None:
    assert describe(SINGLE, ChoiceAnswer({0})) == "Paracrine signalling"


def test_describe_lists_multiple_choices_in_authored_order() -> None:
    question = MultipleQuestion(
        type="multiple",
        id="risks",
        prompt="Risks?",
        options=(Option(text="Infection", correct=True), Option(text="Embolism", correct=True)),
    )
    assert describe(question, ChoiceAnswer({1, 0})) == "Infection, Embolism"


def test_describe_lists_order_items_in_the_learners_order() -> None:
    question = OrderQuestion(
        type="order", id="phases", prompt="Order.", items=("Phase I", "Phase II", "Phase III")
    )
    assert describe(question, OrderAnswer((1, 0, 2))) == "Phase II, Phase I, Phase III"


def test_describe_shows_each_match_pairing() -> None:
    question = MatchQuestion(
        type="match",
        id="terms",
        prompt="Match.",
        pairs=(("Autologous", "Own body"), ("Allogeneic", "Donor")),
        distractors=("Animal",),
    )
    assert describe(question, MatchAnswer({0: "r0", 1: "d0"})) == (
        "Autologous → Own body; Allogeneic → Animal"
    )


def test_describe_groups_categorized_items_by_category() -> None:
    question = CategorizeQuestion(
        type="categorize",
        id="claims",
        prompt="Sort.",
        categories=("Approved", "Unsupported"),
        items=(
            CategorizedItem(text="HSCT", category="Approved"),
            CategorizedItem(text="Ageing", category="Unsupported"),
            CategorizedItem(text="Autism", category="Unsupported"),
        ),
    )
    answer = CategorizeAnswer({0: 1, 1: 1, 2: 0})
    assert describe(question, answer) == "Approved: Autism; Unsupported: HSCT, Ageing"


def test_describe_adds_the_unit_to_a_bare_number() -> None:
    question = NumericQuestion(type="numeric", id="dose", prompt="Dose?", answer=5.0, unit="mL")
    assert describe(question, TextAnswer(" 5 ")) == "5 mL"
    assert describe(question, TextAnswer("5 mL")) == "5 mL"


def test_describe_shows_a_question_mark_for_a_position_that_does_not_exist() -> None:
    assert describe(SINGLE, ChoiceAnswer({0, 7})) == "Paracrine signalling, ?"

"""Presentation: stable option ids and seeded shuffles that a resumed quiz shows again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from quizzes.answers import AnswerError
from quizzes.presentation import (
    Presentation,
    option_id,
    option_index,
    present,
    right_ids,
    seed_bytes,
    seeded_order,
)
from quizzes.questions import (
    CategorizedItem,
    CategorizeQuestion,
    MatchQuestion,
    NumericQuestion,
    Option,
    OrderQuestion,
    SingleQuestion,
)

LEARNERS = [f"learner-{n}" for n in range(60)]


def single(shuffle: bool = True) -> SingleQuestion:
    """Six options, so a shuffle almost never lands on the authored order by chance."""
    return SingleQuestion(
        type="single",
        id="six-options",
        prompt="Which?",
        options=tuple(Option(text=f"Option {n}", correct=n == 0) for n in range(6)),
        shuffle=shuffle,
    )


MATCH = MatchQuestion(
    type="match",
    id="terms",
    prompt="Match.",
    pairs=(("Autologous", "Own body"), ("Allogeneic", "Donor"), ("Xenogeneic", "Animal")),
    distractors=("Plant", "Machine"),
)

CATEGORIZE = CategorizeQuestion(
    type="categorize",
    id="claims",
    prompt="Sort.",
    categories=("Approved", "Unsupported"),
    items=tuple(
        CategorizedItem(text=f"Claim {n}", category="Approved" if n % 2 else "Unsupported")
        for n in range(6)
    ),
)


def test_the_same_learner_sees_the_same_option_order_every_time() -> None:
    assert present(single(), "ada") == present(single(), "ada")


def test_different_learners_see_different_option_orders() -> None:
    orders = {present(single(), learner).order for learner in LEARNERS}
    assert len(orders) > len(LEARNERS) // 2


def test_a_new_attempt_may_show_a_new_order_but_the_same_attempt_never_does() -> None:
    first = present(single(), "ada", attempt=1)
    assert present(single(), "ada", attempt=1) == first
    assert any(present(single(), "ada", attempt=n) != first for n in range(2, 6))


def test_options_are_shuffled_into_a_permutation_of_the_authored_indexes() -> None:
    for learner in LEARNERS:
        assert sorted(present(single(), learner).order) == list(range(6))


def test_shuffle_false_keeps_the_authored_option_order() -> None:
    for learner in LEARNERS:
        assert present(single(shuffle=False), learner).order == tuple(range(6))


@pytest.mark.parametrize("count", [2, 3, 4])
def test_an_order_question_never_starts_in_its_correct_order(count: int) -> None:
    question = OrderQuestion(
        type="order", id="phases", prompt="Order.", items=tuple(f"Step {n}" for n in range(count))
    )
    starts = [present(question, learner).order for learner in LEARNERS]
    assert all(sorted(start) == list(range(count)) for start in starts)
    assert tuple(range(count)) not in starts


def test_match_shuffles_the_right_column_with_its_distractors_and_keeps_the_left() -> None:
    presentation = present(MATCH, "ada")
    assert presentation.order == ()
    assert sorted(presentation.right_column) == ["d0", "d1", "r0", "r1", "r2"]
    columns = {present(MATCH, learner).right_column for learner in LEARNERS}
    assert len(columns) > 1


def test_categorize_shuffles_its_items() -> None:
    orders = {present(CATEGORIZE, learner).order for learner in LEARNERS}
    assert all(sorted(order) == list(range(6)) for order in orders)
    assert len(orders) > 1


def test_a_question_with_nothing_to_arrange_has_an_empty_presentation() -> None:
    question = NumericQuestion(type="numeric", id="year", prompt="Year?", answer=2024.0)
    assert present(question, "ada") == Presentation()


def test_the_shuffle_is_the_same_in_another_process_with_another_hash_seed() -> None:
    program = (
        "import json; from quizzes.presentation import present; from quizzes.questions import *;"
        "q = SingleQuestion(type='single', id='six-options', prompt='Which?', options=tuple("
        "Option(text=f'Option {n}', correct=n == 0) for n in range(6)));"
        "print(json.dumps([present(q, f'learner-{n}').order for n in range(20)]))"
    )
    here = [list(present(single(), f"learner-{n}").order) for n in range(20)]
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
        )
        assert json.loads(out.stdout) == here


def test_the_seed_is_sha256_of_learner_subject_and_purpose_so_each_part_changes_it() -> None:
    base = seed_bytes("ada", "q1", "options")
    assert len(base) == 32
    assert base == seed_bytes("ada", "q1", "options")
    assert base != seed_bytes("bob", "q1", "options")
    assert base != seed_bytes("ada", "q2", "options")
    assert base != seed_bytes("ada", "q1", "items")
    # The separator keeps ("ab", "c") apart from ("a", "bc").
    assert seed_bytes("ab", "c", "x") != seed_bytes("a", "bc", "x")


def test_adding_a_label_keeps_the_relative_order_of_the_others() -> None:
    seed = seed_bytes("ada", "quiz", "draw")
    before = seeded_order([f"q{n}" for n in range(10)], seed)
    after = seeded_order([f"q{n}" for n in range(11)], seed)
    assert [label for label in after if label != "q10"] == list(before)


def test_option_ids_name_authored_positions_and_read_back() -> None:
    question = single()
    assert [option_id(i) for i in range(3)] == ["o0", "o1", "o2"]
    assert option_index(question, "o5") == 5


@pytest.mark.parametrize("ident", ["o6", "x1", "o", "o-1", "1"])
def test_an_option_id_the_question_does_not_have_is_an_answer_error(ident: str) -> None:
    with pytest.raises(AnswerError):
        option_index(single(), ident)


def test_right_ids_number_pairs_and_distractors_apart() -> None:
    assert right_ids(MATCH) == ("r0", "r1", "r2", "d0", "d1")


def test_a_presentation_survives_a_round_trip_through_plain_data() -> None:
    presentation = present(MATCH, "ada")
    assert Presentation.from_data(presentation.to_data()) == presentation


def test_a_presentation_no_longer_fits_a_question_whose_options_changed() -> None:
    presentation = present(single(), "ada")
    assert presentation.fits(single())
    fewer = replace(single(), options=single().options[:4])
    assert not presentation.fits(fewer)

"""Item analysis arithmetic, checked against a worked example done by hand.

The worked example: five attempts at a quiz of three one-point questions.

    attempt   q1  q2  q3   total
    A          1   1   1     3
    B          1   1   0     2
    C          1   0   1     2
    D          0   1   0     1
    E          0   0   0     0

Facility (mean mark / max × 100): q1 3/5 = 60%, q2 3/5 = 60%, q3 2/5 = 40%.

Discrimination of q1: the rest of the quiz (q2 + q3) is 2, 1, 1, 1, 0, mean 1.
  q1's deviations from its mean 0.6:  0.4, 0.4, 0.4, -0.6, -0.6  (squares sum to 1.2)
  the rest's deviations from 1:       1,   0,   0,    0,   -1   (squares sum to 2)
  products sum to 0.4 + 0.6 = 1.0, so r = 1.0 / √(1.2 × 2) = 0.6455: 64.55%.
Discrimination of q2: the rest (q1 + q3) is 2, 1, 2, 0, 0, mean 1, deviations 1, 0, 1, -1, -1;
  q2's deviations 0.4, 0.4, -0.6, 0.4, -0.6; products sum to 0.4 - 0.6 - 0.4 + 0.6 = 0: 0%.
Discrimination of q3: the rest (q1 + q2) is 2, 2, 1, 1, 0, mean 1.2,
  deviations 0.8, 0.8, -0.2, -0.2, -1.2 (squares sum to 2.8);
  q3's deviations from 0.4: 0.6, -0.4, 0.6, -0.4, -0.4 (squares sum to 1.2);
  products sum to 0.48 - 0.32 - 0.12 + 0.08 + 0.48 = 0.6, r = 0.6 / √3.36 = 0.3273: 32.73%.

Internal consistency: each question's sample variance is 1.2 / 4 = 0.3, summing to 0.9; the
totals 3, 2, 2, 1, 0 have mean 1.6 and squared deviations 1.96 + 0.16 + 0.16 + 0.36 + 2.56
= 5.2, variance 5.2 / 4 = 1.3; alpha = 3/2 × (1 − 0.9 / 1.3) = 0.6 / 1.3 = 0.4615: 46.15%.
"""

from __future__ import annotations

import math

import pytest

from course.instructor.item_analysis import (
    NO_ATTEMPTS,
    SAME_MARK,
    SAME_REST,
    SAME_TOTAL,
    TOO_FEW_ATTEMPTS,
    TOO_FEW_QUESTIONS,
    Mark,
    Undefined,
    correlation,
    discrimination_index,
    facility_index,
    internal_consistency,
    sample_variance,
)

ROWS = [
    [1.0, 1.0, 1.0],
    [1.0, 1.0, 0.0],
    [1.0, 0.0, 1.0],
    [0.0, 1.0, 0.0],
    [0.0, 0.0, 0.0],
]
TOTALS = [sum(row) for row in ROWS]


def column(j: int) -> list[float]:
    return [row[j] for row in ROWS]


def test_facility_is_the_mean_mark_as_a_percentage_of_the_maximum() -> None:
    assert [facility_index([Mark(m, 1) for m in column(j)]) for j in range(3)] == [
        pytest.approx(60), pytest.approx(60), pytest.approx(40)]


def test_facility_of_a_two_point_question_with_part_marks() -> None:
    # 2 + 1 + 0 + 2 = 5 of 4 × 2 = 8 points: 62.5%.
    assert facility_index([Mark(2, 2), Mark(1, 2), Mark(0, 2), Mark(2, 2)]) == pytest.approx(62.5)


def test_facility_takes_each_mark_as_a_share_of_what_it_was_worth_then() -> None:
    # Worth 1 point in one attempt and 2 in another (the course changed): 100% and 50%.
    assert facility_index([Mark(1, 1), Mark(1, 2)]) == pytest.approx(75)


def test_discrimination_correlates_the_question_with_the_rest_of_the_quiz() -> None:
    figures = [discrimination_index(column(j), TOTALS) for j in range(3)]
    assert figures[0] == pytest.approx(100 / math.sqrt(2.4))
    assert figures[0] == pytest.approx(64.55, abs=0.005)
    assert figures[1] == pytest.approx(0, abs=1e-9)
    assert figures[2] == pytest.approx(60 / math.sqrt(3.36))
    assert figures[2] == pytest.approx(32.73, abs=0.005)


def test_internal_consistency_is_cronbachs_alpha_in_percent() -> None:
    assert sample_variance(TOTALS) == pytest.approx(1.3)
    assert sample_variance(column(0)) == pytest.approx(0.3)
    assert internal_consistency(ROWS) == pytest.approx(60 / 1.3)
    assert internal_consistency(ROWS) == pytest.approx(46.15, abs=0.005)


def test_a_question_that_rises_as_the_rest_falls_discriminates_negatively() -> None:
    # The two who did worst elsewhere got it right: r = -1.
    marks, rest = [0.0, 0.0, 1.0, 1.0], [3.0, 3.0, 1.0, 1.0]
    totals = [m + r for m, r in zip(marks, rest, strict=True)]
    assert discrimination_index(marks, totals) == pytest.approx(-100)


def test_a_question_nobody_attempted_has_no_figures() -> None:
    assert facility_index([]) == NO_ATTEMPTS
    assert discrimination_index([], []) == NO_ATTEMPTS
    assert internal_consistency([]) == NO_ATTEMPTS


def test_one_attempt_has_a_facility_and_no_discrimination() -> None:
    assert facility_index([Mark(1, 1)]) == pytest.approx(100)
    assert discrimination_index([1.0], [3.0]) == TOO_FEW_ATTEMPTS
    assert internal_consistency([[1.0, 0.0]]) == TOO_FEW_ATTEMPTS
    assert TOO_FEW_ATTEMPTS.reason == "fewer than 2 attempts"


def test_a_question_everyone_got_right_cannot_discriminate() -> None:
    assert discrimination_index([1.0, 1.0, 1.0], [3.0, 2.0, 1.0]) == SAME_MARK


def test_a_quiz_whose_rest_never_varies_gives_no_discrimination() -> None:
    assert discrimination_index([1.0, 0.0], [2.0, 1.0]) == SAME_REST


def test_marks_added_up_from_thirds_count_as_the_same_mark() -> None:
    third = 1 / 3
    marks = [third + third + third, 1.0, 1.0]
    assert discrimination_index(marks, [2.0, 1.0, 3.0]) == SAME_MARK


def test_internal_consistency_needs_two_questions_and_a_spread_of_totals() -> None:
    assert internal_consistency([[1.0], [0.0]]) == TOO_FEW_QUESTIONS
    assert internal_consistency([[1.0, 0.0], [0.0, 1.0]]) == SAME_TOTAL
    assert isinstance(SAME_TOTAL, Undefined) and "same total" in SAME_TOTAL.reason


def test_internal_consistency_of_questions_that_agree_perfectly_is_100() -> None:
    assert internal_consistency([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]) == pytest.approx(100)


def test_internal_consistency_rejects_a_ragged_table() -> None:
    with pytest.raises(ValueError, match="every question"):
        internal_consistency([[1.0, 0.0], [1.0]])


def test_correlation_of_values_that_do_not_vary_is_none() -> None:
    assert correlation([1.0, 1.0], [0.0, 1.0]) is None
    assert correlation([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]) == pytest.approx(1)
    with pytest.raises(ValueError):
        correlation([1.0], [1.0, 2.0])

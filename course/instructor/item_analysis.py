"""Item analysis: the figures Moodle's quiz statistics report gives, as plain functions.

Moodle's definitions ("Quiz statistics calculations", docs.moodle.org/dev, and the code of its
statistics report, `question/classes/statistics/questions/calculator.php` and
`mod/quiz/report/statistics/classes/calculator.php`):

- **facility index**: the mean mark on a question as a percentage of its maximum mark;
- **discrimination index**: 100 × the correlation (Pearson's r) between the marks on a question
  and the marks on the rest of the quiz, that is the attempt's total less this question;
- **coefficient of internal consistency** (Cronbach's alpha, in percent):
  100 × p / (p − 1) × (1 − Σ variance of each question's marks / variance of the totals),
  over p questions.

Variances are sample variances (divided by n − 1), as Moodle's. A figure that cannot be
reckoned is not NaN: it is an `Undefined` that says why, so a report can print the reason.
Nothing here knows of files, learners or courses: a report gathers the marks, these functions
do the arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Undefined:
    """A figure that cannot be reckoned from the marks at hand, and why."""

    reason: str


@dataclass(frozen=True, slots=True)
class Mark:
    """The mark earned on one question in one attempt, out of the question's maximum."""

    earned: float
    out_of: float


Figure = float | Undefined
"""A percentage, or why there is none."""

NO_ATTEMPTS = Undefined("no attempts")
TOO_FEW_ATTEMPTS = Undefined("fewer than 2 attempts")
SAME_MARK = Undefined("every attempt earned the same mark on it")
SAME_REST = Undefined("every attempt earned the same mark on the rest of the quiz")
TOO_FEW_QUESTIONS = Undefined("fewer than 2 questions")
SAME_TOTAL = Undefined("every attempt earned the same total")


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean; ValueError for no values."""
    if not values:
        raise ValueError("the mean of no values")
    return math.fsum(values) / len(values)


def sample_variance(values: Sequence[float]) -> float:
    """Σ (x − mean)² / (n − 1); ValueError for fewer than 2 values."""
    if len(values) < 2:
        raise ValueError("a sample variance needs at least 2 values")
    centre = mean(values)
    return math.fsum((x - centre) ** 2 for x in values) / (len(values) - 1)


def facility_index(marks: Sequence[Mark]) -> Figure:
    """The mean mark as a percentage of the maximum: 100 is everyone right, 0 nobody.

    Each mark is taken as a share of its own maximum, so an attempt made when the question was
    worth other points still counts fairly; with one maximum this is Moodle's mean / max.
    """
    shares = [mark.earned / mark.out_of for mark in marks if mark.out_of > 0]
    if not shares:
        return NO_ATTEMPTS
    return 100 * mean(shares)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r of paired values; None when either side does not vary.

    ValueError when the sides differ in length or hold fewer than 2 pairs.
    """
    if len(xs) != len(ys):
        raise ValueError("the two sides of a correlation must be the same length")
    if len(xs) < 2:
        raise ValueError("a correlation needs at least 2 pairs")
    mean_x, mean_y = mean(xs), mean(ys)
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    syy = math.fsum((y - mean_y) ** 2 for y in ys)
    if _nil(sxx, xs) or _nil(syy, ys):
        return None
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def discrimination_index(marks: Sequence[float], totals: Sequence[float]) -> Figure:
    """100 × r between the marks on a question and the rest of each attempt's total.

    `marks[i]` is the mark on the question in attempt i and `totals[i]` that attempt's total
    mark, this question included; the question's own mark is taken off the total first, so a
    question is not correlated with itself.
    """
    if len(marks) != len(totals):
        raise ValueError("one total per mark")
    if not marks:
        return NO_ATTEMPTS
    if len(marks) < 2:
        return TOO_FEW_ATTEMPTS
    rest = [total - mark for mark, total in zip(marks, totals, strict=True)]
    if _nil(sample_variance(marks), marks):
        return SAME_MARK
    r = correlation(marks, rest)
    return SAME_REST if r is None else 100 * r


def internal_consistency(rows: Sequence[Sequence[float]]) -> Figure:
    """Cronbach's alpha in percent: `rows[i][j]` is attempt i's mark on question j.

    Every row must have a mark for every question (the same number of columns).
    """
    if not rows:
        return NO_ATTEMPTS
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError("every attempt needs a mark for every question")
    if width < 2:
        return TOO_FEW_QUESTIONS
    if len(rows) < 2:
        return TOO_FEW_ATTEMPTS
    totals = [math.fsum(row) for row in rows]
    if _nil(sample_variance(totals), totals):
        return SAME_TOTAL
    item_variance = math.fsum(sample_variance([row[j] for row in rows]) for j in range(width))
    return 100 * width / (width - 1) * (1 - item_variance / sample_variance(totals))


def _nil(spread: float, values: Sequence[float]) -> bool:
    # Marks added up from thirds leave rounding dust: a spread (a variance or a sum of squares)
    # far below the size of the marks themselves is no spread.
    scale = max((abs(v) for v in values), default=0.0) or 1.0
    return spread <= (1e-9 * scale) ** 2 * len(values)

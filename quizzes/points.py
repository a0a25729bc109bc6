"""Points and shares as learners read them, the same in every interface: `8.33 of 10 points`,
`83%`.

A quiz's score is a sum of shares of points (a third of an order question, say), so it can
carry any number of decimals; nobody wants to read `8.333333333333334`.

The course map shows shares before the rest of the question engine is loaded, so the way
answers write numbers (`quizzes.answers`) is imported only when points are written.
"""

from __future__ import annotations


def points_text(value: float) -> str:
    """Points with at most two decimals and no trailing zeros: `8.33`, `2.5`, `10`."""
    from quizzes.answers import format_number

    rounded = round(value, 2)
    return format_number(rounded + 0.0)  # + 0.0: a rounded -0.0 reads as 0


def score_text(score: float, points: float) -> str:
    """`0.5 of 1 point`, `8.33 of 10 points`."""
    unit = "point" if points == 1 else "points"
    return f"{points_text(score)} of {points_text(points)} {unit}"


def percent(share: float) -> str:
    """A share (0 to 1: of the points, of the lessons) as a whole percentage: `83%`."""
    return f"{round(share * 100)}%"

"""Points as learners read them, the same in every interface: `8.33 of 10 points`.

A quiz's score is a sum of shares of points (a third of an order question, say), so it can
carry any number of decimals; nobody wants to read `8.333333333333334`.
"""

from __future__ import annotations

from quizzes.answers import format_number


def points_text(value: float) -> str:
    """Points with at most two decimals and no trailing zeros: `8.33`, `2.5`, `10`."""
    rounded = round(value, 2)
    return format_number(rounded + 0.0)  # + 0.0: a rounded -0.0 reads as 0


def score_text(score: float, points: float) -> str:
    """`0.5 of 1 point`, `8.33 of 10 points`."""
    unit = "point" if points == 1 else "points"
    return f"{points_text(score)} of {points_text(points)} {unit}"

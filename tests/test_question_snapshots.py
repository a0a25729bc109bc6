"""Snapshots of each of the eight question types after the learner answered, at 80x24.

Regenerate with `pytest tests/test_question_snapshots.py --snapshot-update` and look at the SVGs
in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from widget_harness import SAMPLES, QuestionHarness, cite

from tui.widgets.questions import Mode

# (type, mode, keys): a mix of right, wrong and partly right, in checks and quizzes.
CASES: list[tuple[str, Mode, tuple[str, ...]]] = [
    ("single", "check", ("h", *SAMPLES["single"].wrong_keys)),
    ("multiple", "quiz", ("1", "2", "enter")),
    ("true_false", "check", SAMPLES["true_false"].right_keys),
    ("short", "check", SAMPLES["short"].wrong_keys),
    ("numeric", "quiz", SAMPLES["numeric"].right_keys),
    ("order", "quiz", SAMPLES["order"].wrong_keys),
    ("match", "check", SAMPLES["match"].wrong_keys),
    ("categorize", "quiz", ("3", "1", "1", "enter")),
]


def answering(keys: tuple[str, ...]) -> Callable[[Pilot[None]], object]:
    """Press the keys, then wait until the result is mounted and laid out."""

    async def run(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        for _ in range(3):
            await pilot.pause()

    return run


@pytest.mark.parametrize(("name", "mode", "keys"), CASES, ids=[case[0] for case in CASES])
def test_question_after_feedback(
    name: str, mode: Mode, keys: tuple[str, ...], snap_compare: Callable[..., bool]
) -> None:
    sample = SAMPLES[name]
    app = QuestionHarness(sample.question, sample.presentation, mode=mode, cite=cite)
    assert snap_compare(app, terminal_size=(80, 24), run_before=answering(keys))

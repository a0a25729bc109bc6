"""What the learner sees at 80x24: the map, a lesson step and a quiz's results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from course.record.progress import ProgressStore
from tui.app import make_app

VALID = Path(__file__).parent / "data" / "courses" / "valid"
SIZE = (80, 24)


def app() -> Any:
    # In memory, and a fixed learner: the shuffles are seeded by the learner's name.
    return make_app(VALID, learner="snapshot", store=ProgressStore.in_memory())


def pressing(*keys: str) -> Any:
    """Wait for the course to load, then press keys, as a learner would after it opens."""
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.loaded.wait()  # type: ignore[attr-defined]
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_the_course_map(snap_compare: Any) -> None:
    assert snap_compare(app(), run_before=pressing("enter"), terminal_size=SIZE)


def test_a_lesson_step_with_a_myth_callout(snap_compare: Any) -> None:
    assert snap_compare(app(), run_before=pressing("enter", "c", "n"), terminal_size=SIZE)


def test_the_quiz_results(snap_compare: Any) -> None:
    from test_app import pass_the_basics

    async def through_the_quiz(pilot: Pilot[None]) -> None:
        await pilot.app.loaded.wait()  # type: ignore[attr-defined]
        await pass_the_basics(pilot, pilot.app)  # type: ignore[arg-type]
        await pilot.app.workers.wait_for_complete()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app(), run_before=through_the_quiz, terminal_size=SIZE)

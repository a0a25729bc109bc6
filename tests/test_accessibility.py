"""Every main screen readable without colour, in high contrast, and at large sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from course.record.progress import ProgressStore
from tui.app import IvstemApp, make_app
from tui.themes import HIGH_CONTRAST

VALID = Path(__file__).parent / "data" / "courses" / "valid"


def app(theme: str | None = None) -> IvstemApp:
    made = make_app(VALID, learner="snapshot", store=ProgressStore.in_memory())
    if theme is not None:
        made.theme = theme
    return made


def pressing(*keys: str) -> Any:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.loaded.wait()  # type: ignore[attr-defined]
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


# The welcome, the map, a lesson step, a practice check after a wrong answer.
SCREENS = {
    "welcome": (),
    "map": ("enter",),
    "lesson": ("enter", "c"),
    "check-wrong": ("enter", "c", "n", "n", "2", "enter"),
}


@pytest.mark.parametrize("screen", SCREENS)
def test_high_contrast_at_80x24(snap_compare: Any, screen: str) -> None:
    assert snap_compare(app(HIGH_CONTRAST.name), run_before=pressing(*SCREENS[screen]),
                        terminal_size=(80, 24))


@pytest.mark.parametrize("screen", SCREENS)
def test_without_colour_at_80x24(snap_compare: Any, screen: str,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app(), run_before=pressing(*SCREENS[screen]), terminal_size=(80, 24))


@pytest.mark.parametrize("screen", ["map", "lesson", "check-wrong"])
def test_at_200x60(snap_compare: Any, screen: str) -> None:
    assert snap_compare(app(), run_before=pressing(*SCREENS[screen]), terminal_size=(200, 60))


async def test_no_color_turns_colour_off_and_marks_still_tell_right_from_wrong(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Static

    monkeypatch.setenv("NO_COLOR", "1")
    made = app()
    async with made.run_test(size=(80, 24)) as pilot:
        await made.loaded.wait()
        await pilot.press(*SCREENS["check-wrong"])
        await pilot.pause()
        assert made.no_color
        shown = " ".join(str(w.render()) for w in made.screen.query(Static))
        assert "✗ Wrong" in shown


async def test_f2_switches_the_high_contrast_theme_on_and_off() -> None:
    made = app()
    async with made.run_test(size=(80, 24)) as pilot:
        await made.loaded.wait()
        await pilot.press("f2")
        assert made.theme == HIGH_CONTRAST.name
        await pilot.press("f2")
        assert made.theme != HIGH_CONTRAST.name

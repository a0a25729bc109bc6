"""The learner's theme and high contrast, kept per learner from one start to the next."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot

from course.record.progress import ProgressStore, schema
from tui.app import IvstemApp, make_app
from tui.themes import HIGH_CONTRAST

VALID = Path(__file__).parent / "data" / "courses" / "valid"
SIZE = (80, 24)


async def settle(app: IvstemApp, pilot: Pilot[None]) -> None:
    """Let the course load and every write in flight finish."""
    await app.loaded.wait()
    await pilot.pause()
    await app.workers.wait_for_complete()


async def theme_at_start(data_dir: Path, learner: str) -> tuple[str, str]:
    """The theme the app has before its first frame, and once it is running."""
    app = make_app(VALID, learner=learner, data_dir=data_dir)
    before = app.theme
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        return before, app.theme


async def choose_from_palette(app: IvstemApp, pilot: Pilot[None], theme: str) -> None:
    """ctrl+p, "theme", then the theme's name, as a learner would type them."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*"theme")
    await pilot.pause(0.3)
    await pilot.press("down", "enter")
    await pilot.pause(0.3)
    await pilot.press(*theme)
    await pilot.pause(0.3)
    await pilot.press("down", "enter")
    await pilot.pause()


async def test_high_contrast_is_still_on_at_the_next_start_for_that_learner_only(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        assert app.theme == HIGH_CONTRAST.name
        await settle(app, pilot)
    assert await theme_at_start(tmp_path, "ana") == (HIGH_CONTRAST.name, HIGH_CONTRAST.name)
    assert await theme_at_start(tmp_path, "ben") == ("textual-dark", "textual-dark")


async def test_a_theme_chosen_from_the_palette_is_kept_and_f2_returns_to_it(
        tmp_path: Path) -> None:
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await choose_from_palette(app, pilot, "nord")
        assert app.theme == "nord"
        await settle(app, pilot)
    assert await theme_at_start(tmp_path, "ana") == ("nord", "nord")

    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        assert app.theme == HIGH_CONTRAST.name
        await settle(app, pilot)
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == HIGH_CONTRAST.name
        await pilot.press("f2")  # off again: back to the theme chosen before
        assert app.theme == "nord"
        await settle(app, pilot)
    assert await theme_at_start(tmp_path, "ana") == ("nord", "nord")


async def test_a_kept_theme_this_textual_does_not_have_is_passed_over(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path) as store:
        store.set_preferences("ana", {"theme": "gone-since", "high_contrast": "off"})
    assert await theme_at_start(tmp_path, "ana") == ("textual-dark", "textual-dark")


def test_preferences_are_kept_per_learner_and_go_with_the_profile(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path) as store:
        assert store.preferences("ana") == {}
        store.set_preferences("ana", {"theme": "nord", "high_contrast": "on"})
        store.set_preferences("ana", {"high_contrast": "off"})
        store.set_preferences("ben", {"theme": "gruvbox"})
        assert store.preferences("ANA") == {"theme": "nord", "high_contrast": "off"}
        assert store.preferences("ben") == {"theme": "gruvbox"}
        store.reset_course("ana", "test-course")
        store.rename_learner("ana", "anna")
        assert store.preferences("anna") == {"theme": "nord", "high_contrast": "off"}
        store.remove_learner("anna")
        assert store.preferences("anna") == {}
        with pytest.raises(ValueError, match="at most"):
            store.set_preferences("ben", {"theme": "x" * 1000})


def test_a_store_from_before_preferences_is_migrated_keeping_its_records(
        tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN IMMEDIATE")
    schema.migrate(raw, 0, target=2)
    raw.execute("INSERT INTO learner (name, created_at) VALUES ('ana', '2026-01-01T00:00:00Z')")
    raw.execute("COMMIT")
    raw.close()
    with ProgressStore.open(tmp_path) as store:
        assert store.learners() == ["ana"]
        store.set_preferences("ana", {"high_contrast": "on"})
        assert store.preferences("ana") == {"high_contrast": "on"}
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    raw.close()

"""Shown while the terminal is smaller than the course can be read in; gone once it grows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import IvstemModal

MIN_WIDTH, MIN_HEIGHT = 60, 20


class TooSmallScreen(IvstemModal[None]):
    """Says how big the terminal must be; the app removes it when the terminal is enlarged."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen Static { width: 100%; content-align: center middle; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Static(f"The terminal is too small for the course. Make it at least "
                     f"{MIN_WIDTH}x{MIN_HEIGHT} (80x24 is best); your place is kept.",
                     markup=False)
